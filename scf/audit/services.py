"""Appending to the audit log. Every state-changing service calls audit_record as its last step,
inside its own transaction, so the entry commits or rolls back with the change it records."""

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from scf.audit.anchoring import anchor_due, audit_anchor_enqueue
from scf.audit.models import GENESIS_HASH, HASH_KEYED, HASH_LEGACY, AuditEntry, AuditHead


def to_json_value(value: Any) -> Any:
    """The value as it will come back from a JSONField: dates, decimals, UUIDs as strings."""
    return json.loads(json.dumps(value if value is not None else {}, cls=DjangoJSONEncoder))


def audit_entry_hash(entry: AuditEntry) -> str:
    """The entry's hash over a canonical JSON of its fields and the previous entry's hash: keyed
    (HMAC-SHA256 with SCF_AUDIT_HMAC_KEY) for version 2, plain SHA-256 for the legacy version 1.
    Without the key, nobody who can write the database can make a rewritten entry verify."""
    fields = {
        "sequence": entry.sequence,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "organisation_id": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "tx_hash": entry.tx_hash,
        "prev_hash": entry.prev_hash,
    }
    if entry.hash_version == HASH_LEGACY:
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
    fields |= {"chain_address": entry.chain_address, "block_number": entry.block_number,
               "hash_version": entry.hash_version}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = settings.SCF_AUDIT_HMAC_KEY.encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _chain_address(organisation) -> str:
    if organisation is None or not getattr(organisation, "chain_account_id", None):
        return ""
    return organisation.chain_account.address


def _locked_head() -> AuditHead:
    """The head row, locked until the caller's transaction ends. Taken last, holding nothing
    that another transaction waits for: the foreign keys of the rows the caller wrote so far are
    checked first (PostgreSQL checks them at commit otherwise, locking the rows they refer to,
    such as an organisation that another service locked before it came to wait for the head)."""
    if connection.vendor == "postgresql":
        connection.check_constraints()  # SET CONSTRAINTS ALL IMMEDIATE, then DEFERRED again
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-sequence").first()
    try:
        with transaction.atomic():
            AuditHead.objects.create(
                pk=1, sequence=last.sequence if last else 0,
                last_hash=last.entry_hash if last else GENESIS_HASH)
    except IntegrityError:  # created concurrently: wait for it below
        pass
    return AuditHead.objects.select_for_update().get(pk=1)


def audit_record(*, actor, organisation, action: str, obj: models.Model,
                 before: dict | None = None, after: dict | None = None,
                 tx_hash: str = "", block_number: int | None = None) -> AuditEntry:
    """Append one entry, as the caller's last write. The head row stays locked until the
    caller's transaction ends, so concurrent writers take turns and never share a previous hash;
    rows written after it that refer to rows other transactions lock can deadlock on the head. Every
    SCF_AUDIT_ANCHOR_EVERY entries the new head is anchored on chain in the same transaction."""

    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            sequence=head.sequence + 1,
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=getattr(actor, "username", "") or "",
            organisation=organisation,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            before=to_json_value(before),
            after=to_json_value(after),
            tx_hash=tx_hash,
            chain_address=_chain_address(organisation),
            block_number=block_number,
            hash_version=HASH_KEYED,
            prev_hash=head.last_hash,
        )
        entry.entry_hash = audit_entry_hash(entry)
        entry.save(force_insert=True)
        head.sequence = entry.sequence
        head.last_hash = entry.entry_hash
        head.save(update_fields=["sequence", "last_hash"])
        if anchor_due(entry.sequence):
            audit_anchor_enqueue(sequence=entry.sequence, head_hash=entry.entry_hash)
    return entry
