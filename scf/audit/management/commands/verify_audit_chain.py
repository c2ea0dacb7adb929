from django.core.management.base import BaseCommand, CommandError

from scf.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero naming the first broken entry."

    def handle(self, *args, **options):
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"audit chain broken at {broken} ({checked} entries verified before it)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} entries"))
