from django.core.management.base import BaseCommand, CommandError

from scf.chain.compiler import compile_contracts
from scf.chain.errors import CompilationError


class Command(BaseCommand):
    help = "Compile contracts_sol/ into ABI + bytecode artefacts under var/build/contracts."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="ignore the cache")

    def handle(self, *args, force: bool = False, **options):
        try:
            artifacts = compile_contracts(force=force)
        except CompilationError as exc:
            raise CommandError(f"Solidity compilation failed:\n{exc.message}") from exc
        for name in sorted(artifacts):
            size = (len(artifacts[name]["deployedBytecode"]) - 2) // 2
            self.stdout.write(f"{name:<28} {size:>6} bytes deployed")
