"""The bytes32 that stands on chain for a text kept off chain (a reason, a payment reference):
no text goes on chain, only its hash."""

import hashlib


def text_hash(text: str) -> str:
    return "0x" + hashlib.sha256(text.encode()).hexdigest()
