from django.core.management.base import BaseCommand, CommandError

from scf.audit.selectors import audit_chain_anchor, audit_chain_verify


class Command(BaseCommand):
    help = ("Verify the audit log's hash chain and compare it with the head anchored on chain; "
            "exit non-zero naming the first broken entry.")

    def add_arguments(self, parser):
        parser.add_argument("--offline", action="store_true",
                            help="check the hash chain only, without asking the chain")

    def handle(self, *args, **options):
        anchor, chain = (None, "offline") if options["offline"] else audit_chain_anchor()
        checked, broken = audit_chain_verify(anchor=anchor)
        if broken is not None:
            raise CommandError(
                f"audit chain broken at {broken} ({checked} entries verified before it)")
        if chain == "unavailable":
            raise CommandError(
                f"the hash chain of {checked} entries is intact, but the chain cannot be reached "
                "to compare the anchored head: start the node, or check the hash chain alone "
                "with --offline")
        if anchor is None:
            where = "offline" if chain == "offline" else "no head anchored on chain yet"
            self.stdout.write(self.style.WARNING(
                f"audit chain intact: {checked} entries ({where})"))
            return
        self.stdout.write(self.style.SUCCESS(
            f"audit chain intact: {checked} entries; entries 1–{anchor.sequence} match the head "
            "anchored on chain"))
