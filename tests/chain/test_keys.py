import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from scf.chain.keys import KeyDecryptionError, decrypt_private_key
from scf.chain.models import ChainAccount
from scf.chain.services import chain_account_create

pytestmark = pytest.mark.django_db


def test_keys_are_stored_encrypted_and_decrypt_to_the_accounts_address():
    from eth_account import Account

    account = chain_account_create(label="supplier")

    stored = ChainAccount.objects.get(pk=account.pk).encrypted_key
    key = decrypt_private_key(stored)
    assert key.removeprefix("0x") not in stored
    assert Account.from_key(key).address == account.address


def test_rotation_re_encrypts_with_the_new_key_so_the_old_one_can_go(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SCF_KEY_ENCRYPTION_KEYS = [old]
    account = chain_account_create(label="bank")
    key = decrypt_private_key(account.encrypted_key)

    settings.SCF_KEY_ENCRYPTION_KEYS = [new, old]  # new first, old kept for the rotation
    call_command("rotate_chain_keys")
    settings.SCF_KEY_ENCRYPTION_KEYS = [new]  # old removed

    account.refresh_from_db()
    assert decrypt_private_key(account.encrypted_key) == key
    settings.SCF_KEY_ENCRYPTION_KEYS = [old]
    with pytest.raises(KeyDecryptionError, match="rotate_chain_keys"):
        decrypt_private_key(account.encrypted_key)
