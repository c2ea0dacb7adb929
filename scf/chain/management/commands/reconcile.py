from django.core.management.base import BaseCommand, CommandError

from scf.chain.reconcile import reconcile
from scf.errors import ApplicationError


class Command(BaseCommand):
    help = "Compare every member, credit line and voucher piece on chain with the database."

    def handle(self, *args, **options):
        try:
            diff = reconcile()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if diff:
            for line in diff:
                self.stdout.write(line)
            raise CommandError(f"{len(diff)} difference(s) between chain and database")
        self.stdout.write(self.style.SUCCESS("Chain and database agree."))
