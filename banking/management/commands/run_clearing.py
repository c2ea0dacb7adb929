"""Run maturity clearing now (what the scheduled task does): index the chain, compute batches
for roots due, settle what became settleable in funded batches, mark unpaid pieces overdue."""

import json

from django.core.management.base import BaseCommand

from banking.services import clearing_run


class Command(BaseCommand):
    help = "Run maturity clearing (到期清分) now."

    def handle(self, *args, **options):
        summary = clearing_run()
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
