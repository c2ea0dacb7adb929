"""Reconcile check "chain.projection": the projection agrees with the chain. Every member, credit
line, slot and piece the events mention is read from the contracts' views and compared field by
field. (What the business records say is checked by the other registered checks: see
scf.chain.checks and scf.chain.reconcile_run.)"""

from collections.abc import Iterator
from datetime import datetime

from scf.chain.checks import Finding
from scf.chain.indexer import Touched, projection_row, read_line, read_member
from scf.chain.models import ChainEvent, CreditLineState, MemberState, PieceState, SlotState
from scf.chain.readers import pieces_of, slots_of

FIELDS = {
    MemberState: ("roles", "kyc_expiry", "suspended", "ref"),
    CreditLineState: ("limit", "used", "expiry", "frozen"),
    SlotState: ("debtor", "bank", "maturity", "face_value", "settled_amount"),
    PieceState: ("root_id", "parent_id", "owner", "balance", "status", "lock_bank", "frozen"),
}


def _keys() -> Touched:
    keys = Touched()
    for event in ChainEvent.objects.only("contract", "args"):
        keys.add(event.contract, event.args)
    keys.members.update(MemberState.objects.values_list("address", flat=True))
    keys.lines.update(CreditLineState.objects.values_list("bank", "debtor"))
    keys.pieces.update(PieceState.objects.values_list("token_id", flat=True))
    keys.slots.update(SlotState.objects.values_list("root_id", flat=True))
    keys.slots.update(PieceState.objects.values_list("root_id", flat=True))
    return keys


NAME = "chain.projection"


def _compare(label: str, model, key: dict, on_chain: dict | None) -> list[Finding]:
    row = model.objects.filter(**key).first()
    if row is None and on_chain is None:
        return []
    if row is None:
        return [Finding(NAME, label, f"on chain {on_chain}, missing from the database")]
    if on_chain is None:
        return [Finding(NAME, label, "in the database, absent on chain")]
    return [Finding(NAME, f"{label}.{name}",
                    f"chain={on_chain[name]!r} database={getattr(row, name)!r}")
            for name in FIELDS[model] if on_chain[name] != getattr(row, name)]


def projection_check(since: datetime | None) -> Iterator[Finding]:
    """Always every key: the projection is rebuilt from the chain, so any row may differ."""
    yield from projection_diff()


def reconcile() -> list[str]:
    """Every difference between chain and projection, as readable lines (empty: they agree)."""
    return [f"{finding.subject}: {finding.message}" for finding in projection_diff()]


def projection_diff() -> list[Finding]:
    keys = _keys()
    diff: list[Finding] = []
    for address in sorted(keys.members):
        diff += _compare(f"member {address}", MemberState, {"address": address},
                         read_member(address))
    for bank, debtor in sorted(keys.lines):
        diff += _compare(f"credit line {bank}->{debtor}", CreditLineState,
                         {"bank": bank, "debtor": debtor}, read_line(bank, debtor))
    # Slots and pieces are the many: read in JSON-RPC batches.
    slots = slots_of(keys.slots)
    for root_id in sorted(keys.slots):
        diff += _compare(f"voucher {root_id}", SlotState, {"root_id": root_id},
                         projection_row(slots[root_id], "root_id"))
    pieces = pieces_of(keys.pieces)
    for token_id in sorted(keys.pieces):
        diff += _compare(f"piece {token_id}", PieceState, {"token_id": token_id},
                         projection_row(pieces[token_id], "token_id", "slot"))
    return diff
