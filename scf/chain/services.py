"""Writes of the chain gateway. Callers hand over intents; only the worker talks to the node."""

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction

from scf.chain.errors import IdempotencyKeyReusedError
from scf.chain.keys import address_of, encrypt_private_key, new_private_key
from scf.chain.models import ChainAccount, ChainIntent
from scf.tasks import enqueue_after_commit


def chain_account_create(*, label: str) -> ChainAccount:
    """A fresh account whose key exists only encrypted in the database."""
    address, private_key = new_private_key()
    return ChainAccount.objects.create(address=address, label=label,
                                       encrypted_key=encrypt_private_key(private_key))


def operator_chain_account() -> ChainAccount:
    """The platform operator's account (SCF_CHAIN_OPERATOR_KEY): deploys the contracts and
    administers the member registry."""
    private_key = settings.SCF_CHAIN_OPERATOR_KEY
    address = address_of(private_key)
    account = ChainAccount.objects.filter(address=address).first()
    if account:
        return account
    try:
        with transaction.atomic():
            return ChainAccount.objects.create(address=address, label="platform operator",
                                               encrypted_key=encrypt_private_key(private_key))
    except IntegrityError:  # created concurrently
        return ChainAccount.objects.get(address=address)


def request_hash(*, sender: ChainAccount, contract: str, function: str, args: list) -> str:
    """What an idempotency key stands for: the same key must always ask the same thing."""
    canonical = json.dumps({"sender": sender.address.lower(), "contract": contract,
                            "function": function, "args": args},
                           sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def intent_enqueue(*, sender: ChainAccount, contract: str, function: str, args: list,
                   idempotency_key: str, requested_by=None) -> ChainIntent:
    """Record a chain transaction to send, in the caller's database transaction, and have a
    worker execute it once that transaction commits. The same idempotency key with the same
    request returns the existing intent instead of creating a second one; with a different
    request it is refused (IdempotencyKeyReusedError, 409)."""
    digest = request_hash(sender=sender, contract=contract, function=function, args=args)
    existing = ChainIntent.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        try:
            with transaction.atomic():
                intent = ChainIntent.objects.create(
                    idempotency_key=idempotency_key, request_hash=digest, sender=sender,
                    contract=contract, function=function, args=args,
                    requested_by=requested_by)
        except IntegrityError:
            existing = ChainIntent.objects.get(idempotency_key=idempotency_key)
    if existing is not None:
        if existing.request_hash and existing.request_hash != digest:
            raise IdempotencyKeyReusedError(idempotency_key)
        return existing

    from scf.chain.tasks import intent_execute_task

    enqueue_after_commit(intent_execute_task, intent.pk)
    return intent


def organisation_intent_enqueue(*, organisation, contract: str, function: str, args: list,
                                idempotency_key: str, requested_by=None) -> ChainIntent:
    """An intent signed by the organisation's own chain account, so msg.sender on chain is the
    real actor. Refused while the organisation has no account (its KYC is not approved)."""
    from scf.errors import InvalidStateError

    if organisation.chain_account_id is None:
        raise InvalidStateError(
            f"{organisation.name} 尚未通过KYC上链 / {organisation.name} has no chain account yet: "
            "its KYC must be approved first", code="no_chain_account")
    return intent_enqueue(sender=organisation.chain_account, contract=contract,
                          function=function, args=args, idempotency_key=idempotency_key,
                          requested_by=requested_by)
