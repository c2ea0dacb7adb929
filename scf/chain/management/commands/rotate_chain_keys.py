from django.core.management.base import BaseCommand
from django.db import transaction

from scf.chain.keys import reencrypt
from scf.chain.models import ChainAccount


class Command(BaseCommand):
    help = ("Re-encrypt every chain account key with the first of SCF_KEY_ENCRYPTION_KEYS. "
            "Rotation: put the new key first, keep the old one after it, run this, then remove "
            "the old key.")

    def handle(self, *args, **options):
        with transaction.atomic():
            accounts = ChainAccount.objects.select_for_update()
            for account in accounts:
                account.encrypted_key = reencrypt(account.encrypted_key)
                account.save(update_fields=["encrypted_key"])
        self.stdout.write(f"{accounts.count()} key(s) re-encrypted with the current key")
