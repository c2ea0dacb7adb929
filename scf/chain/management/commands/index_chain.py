from django.core.management.base import BaseCommand, CommandError

from scf.chain.indexer import index_until_head
from scf.errors import ApplicationError


class Command(BaseCommand):
    help = "Index the platform contracts' events up to the confirmed head."

    def handle(self, *args, **options):
        try:
            total = index_until_head()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{total} new event(s) indexed")
