from datetime import date

from django.core.management.base import BaseCommand

from scf.kyc.services import kyc_cases_expire_due


class Command(BaseCommand):
    help = "Mark approved KYC cases whose expiry date has passed as expired."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="the date to judge against (default: today, local time)")

    def handle(self, *args, today=None, **options):
        expired = kyc_cases_expire_due(today=today)
        self.stdout.write(f"expired {len(expired)} KYC case(s)"
                          + (f": {', '.join(map(str, expired))}" if expired else ""))
