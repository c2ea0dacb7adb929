"""Reads of the audit log: scoped lists and the hash-chain verification."""

from dataclasses import dataclass

from django.db.models import QuerySet

from scf.accounts.permissions import is_member, reads_all_organisations
from scf.audit.models import GENESIS_HASH, HASH_KEYED, HASH_LEGACY, AuditEntry, AuditHead
from scf.audit.services import audit_entry_hash
from scf.chain.audit_anchor import ChainAuditAnchor, last_audit_anchor
from scf.chain.errors import ChainUnavailableError


def audit_entry_list(*, user) -> QuerySet[AuditEntry]:
    """The regulator and the platform operator read every entry; others their organisation's."""
    if not is_member(user):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.order_by("-sequence")
    if reads_all_organisations(user):
        return entries
    return entries.filter(organisation_id=user.organisation_id)


@dataclass(frozen=True)
class AuditChainBreak:
    sequence: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.sequence}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"{where}: {self.problem}"


def audit_chain_verify(*, anchor=None) -> tuple[int, AuditChainBreak | None]:
    """(entries checked, the first break or None). Checks the sequence has no gap, each entry's
    prev_hash is the previous entry's hash, each entry's hash matches its fields (keyed: see
    audit_entry_hash), no legacy entry follows a keyed one, the head row points at the last
    entry (so a deleted tail is noticed), and — given `anchor`, the newest head anchored on
    chain (scf.chain.audit_anchor.last_audit_anchor) — that the log reaches that head: by the
    hash chain this proves every entry up to the anchor, even against someone holding the key."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    keyed_seen = False
    hash_at_anchor = None
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.hash_version == HASH_LEGACY and keyed_seen:
            return checked, AuditChainBreak(
                entry.sequence, entry.pk, "an unkeyed (legacy) entry after keyed entries")
        if entry.hash_version not in (HASH_LEGACY, HASH_KEYED):
            return checked, AuditChainBreak(entry.sequence, entry.pk,
                                            f"unknown hash version {entry.hash_version}")
        keyed_seen = keyed_seen or entry.hash_version == HASH_KEYED
        if entry.sequence != expected_sequence:
            return checked, AuditChainBreak(
                expected_sequence, None,
                f"missing entry (found #{entry.sequence} next, id {entry.pk})")
        if entry.prev_hash != expected_prev:
            return checked, AuditChainBreak(
                entry.sequence, entry.pk,
                f"prev_hash {entry.prev_hash} does not match the previous entry's hash "
                f"{expected_prev}")
        recomputed = audit_entry_hash(entry)
        if recomputed != entry.entry_hash:
            return checked, AuditChainBreak(
                entry.sequence, entry.pk,
                f"contents changed: stored hash {entry.entry_hash}, recomputed {recomputed}")
        expected_prev = entry.entry_hash
        expected_sequence += 1
        checked += 1
        if anchor is not None and entry.sequence == anchor.sequence:
            hash_at_anchor = entry.entry_hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.last_hash) != (checked, expected_prev):
        return checked, AuditChainBreak(
            head.sequence, None,
            f"head says #{head.sequence} {head.last_hash}, the log ends at #{checked} "
            f"{expected_prev}: entries were removed from the end")
    if anchor is not None and hash_at_anchor != anchor.head_hash:
        found = hash_at_anchor or "no such entry"
        return checked, AuditChainBreak(
            anchor.sequence, None,
            f"the chain anchors head {anchor.head_hash} at entry #{anchor.sequence}; the log "
            f"has {found}: the log was rewritten or cut")
    return checked, None


def audit_chain_anchor() -> tuple[ChainAuditAnchor | None, str]:
    """The newest head anchored on chain and how the chain answered: "anchored", "no_anchor"
    (nothing anchored yet) or "unavailable" (the node or the contract cannot be reached)."""
    try:
        anchor = last_audit_anchor()
    except ChainUnavailableError:
        return None, "unavailable"
    return anchor, "anchored" if anchor else "no_anchor"
