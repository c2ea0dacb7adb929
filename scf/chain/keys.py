"""Private keys at rest: Fernet with keys from SCF_KEY_ENCRYPTION_KEYS (first encrypts, all
decrypt). Decrypted keys live only inside the signing call; nothing here logs them."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from eth_account import Account

from scf.errors import ConfigurationError


class KeyDecryptionError(ConfigurationError):
    code = "key_decryption_failed"


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.SCF_KEY_ENCRYPTION_KEYS])


def encrypt_private_key(private_key: str) -> str:
    return _fernet().encrypt(private_key.encode()).decode()


def decrypt_private_key(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise KeyDecryptionError(
            "A chain account key cannot be decrypted with SCF_KEY_ENCRYPTION_KEYS: "
            "was a key-encryption key removed before `manage.py rotate_chain_keys` ran?"
        ) from exc


def reencrypt(token: str) -> str:
    """The same private key, encrypted with the current (first) key-encryption key."""
    return _fernet().rotate(token.encode()).decode()


def new_private_key() -> tuple[str, str]:
    """(address, private key hex) of a fresh account."""
    account = Account.create()
    return account.address, account.key.hex()


def address_of(private_key: str) -> str:
    return Account.from_key(private_key).address
