"""Anchoring the audit log's head on chain: every SCF_AUDIT_ANCHOR_EVERY entries (from
audit_record, in the same transaction as the entry) and on schedule (the beat task
audit.anchor_head). The anchor is an outbox intent like any other chain write: it is sent once,
retried without repeating, and visible with its error if it fails."""

from django.conf import settings
from django.db import transaction

from scf.audit.models import AuditAnchor, AuditEntry, AuditHead
from scf.chain.audit_anchor import CONTRACT
from scf.chain.services import intent_enqueue, operator_chain_account


def audit_anchor_enqueue(*, sequence: int, head_hash: str) -> AuditAnchor:
    """Anchor the head after entry `sequence` (idempotent per sequence)."""
    existing = AuditAnchor.objects.filter(sequence=sequence).first()
    if existing is not None:
        return existing
    intent = intent_enqueue(sender=operator_chain_account(), contract=CONTRACT,
                            function="anchor", args=[sequence, f"0x{head_hash}"],
                            idempotency_key=f"audit-anchor:{sequence}")
    return AuditAnchor.objects.create(sequence=sequence, head_hash=head_hash, intent=intent)


def anchor_due(sequence: int) -> bool:
    every = settings.SCF_AUDIT_ANCHOR_EVERY
    return every > 0 and sequence % every == 0


@transaction.atomic
def audit_anchor_head() -> AuditAnchor | None:
    """Anchor the current head unless it is anchored already (the scheduled anchor)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.sequence == 0:
        return None
    last = AuditAnchor.objects.order_by("-sequence").first()
    if last is not None and last.sequence >= head.sequence:
        return None
    entry = AuditEntry.objects.get(sequence=head.sequence)
    return audit_anchor_enqueue(sequence=entry.sequence, head_hash=entry.entry_hash)
