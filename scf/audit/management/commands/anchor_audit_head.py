from django.core.management.base import BaseCommand

from scf.audit.anchoring import audit_anchor_head


class Command(BaseCommand):
    help = "Anchor the audit log's current head hash on chain now (unless it is anchored already)."

    def handle(self, *args, **options):
        anchor = audit_anchor_head()
        if anchor is None:
            self.stdout.write("audit head already anchored (or the log is empty)")
            return
        anchor.intent.refresh_from_db()
        self.stdout.write(f"audit head #{anchor.sequence} {anchor.head_hash}: intent "
                          f"{anchor.intent_id} {anchor.intent.status}")
