from django.core.management.base import BaseCommand, CommandError

from scf.chain.checks import Finding
from scf.chain.reconcile_run import reconcile_run


class Command(BaseCommand):
    help = ("Compare the database with the chain: confirmed operations against their receipts, "
            "the projection against the contracts' views, and each app's business records. "
            "Exits non-zero on any difference.")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="check every row, not only those changed since the last "
                                 "clean run")

    def handle(self, *args, **options):
        run = reconcile_run(full=options["full"])
        if run.error:
            raise CommandError(run.error)
        for finding in run.findings:
            self.stdout.write(str(Finding(**finding)))
        if run.drift_count > len(run.findings):
            self.stdout.write(f"... and {run.drift_count - len(run.findings)} more")
        scope = "every row" if run.full else "rows changed since the last clean run"
        if run.drift_count:
            raise CommandError(f"{run.drift_count} difference(s) between chain and database "
                               f"(run {run.pk}, {scope}, block {run.block})")
        self.stdout.write(self.style.SUCCESS(
            f"Chain and database agree ({scope}, block {run.block})."))
