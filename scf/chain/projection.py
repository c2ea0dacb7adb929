"""The ledger a web request judges by: the chain port's readers (scf.chain.readers) answered
from the projection rows the indexer keeps, so a request's pre-flight checks make no node call.

The projection lags the chain by the blocks not yet indexed, so its word is final only when it
says yes: `prejudge` runs a check against the projection and, when the projection refuses (a
piece received a moment ago, a KYC renewed in the last block), runs it again against the chain,
the authority. A yes that the chain has overtaken since (a piece moved by another request, a
maturity reached) costs no money: the contract judges every intent when it executes, and the
operation fails visibly with the contract's own error.

Both ledgers answer the same typed values (ChainPiece, ChainSlot, ChainLine); the projection's
rows mirror those dataclasses field for field (the indexer writes them with projection_row)."""

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol, TypeVar

from scf.chain import readers
from scf.chain.errors import ChainUnavailableError
from scf.chain.models import ChainCursor, CreditLineState, MemberState, PieceState, SlotState
from scf.chain.readers import ChainLine, ChainPiece, ChainSlot
from scf.errors import ApplicationError

T = TypeVar("T")


class Ledger(Protocol):
    """What a pre-flight check reads: the subset of scf.chain.readers the services judge by."""

    def piece_of(self, token_id: int, *, with_slot: bool = False) -> ChainPiece | None: ...

    def slot_of(self, root_id: int) -> ChainSlot | None: ...

    def line_of(self, bank: str, debtor: str) -> ChainLine: ...

    def is_member(self, address: str, role: int) -> bool: ...

    def now(self) -> int: ...


class _Chain:
    """The node itself (each answer one JSON-RPC round trip)."""

    name = "chain"

    def piece_of(self, token_id: int, *, with_slot: bool = False) -> ChainPiece | None:
        return readers.piece_of(token_id, with_slot=with_slot)

    def slot_of(self, root_id: int) -> ChainSlot | None:
        return readers.slot_of(root_id)

    def line_of(self, bank: str, debtor: str) -> ChainLine:
        return readers.line_of(bank, debtor)

    def is_member(self, address: str, role: int) -> bool:
        return readers.is_member(address, role)

    def now(self) -> int:
        return readers.chain_now()


class _Projection:
    """The indexer's rows. An unknown key reads as absent (None, an empty line, not a member):
    a refusal, which `prejudge` takes to the chain."""

    name = "projection"

    def piece_of(self, token_id: int, *, with_slot: bool = False) -> ChainPiece | None:
        row = PieceState.objects.filter(token_id=token_id).first()
        if row is None:
            return None
        piece = ChainPiece(token_id=row.token_id, owner=row.owner, root_id=row.root_id,
                           parent_id=row.parent_id, balance=row.balance, status=row.status,
                           lock_bank=row.lock_bank, frozen=row.frozen)
        if not with_slot:
            return piece
        slot = self.slot_of(piece.root_id)
        return replace(piece, slot=slot) if slot else None  # half a piece vouches for nothing

    def slot_of(self, root_id: int) -> ChainSlot | None:
        row = SlotState.objects.filter(root_id=root_id).first()
        if row is None:
            return None
        return ChainSlot(root_id=row.root_id, debtor=row.debtor, bank=row.bank,
                         maturity=row.maturity, face_value=row.face_value,
                         settled_amount=row.settled_amount)

    def line_of(self, bank: str, debtor: str) -> ChainLine:
        row = CreditLineState.objects.filter(bank=bank, debtor=debtor).first()
        if row is None:
            return ChainLine(bank=bank, debtor=debtor, limit=0, used=0, expiry=0, frozen=False)
        return ChainLine(bank=bank, debtor=debtor, limit=row.limit, used=row.used,
                         expiry=row.expiry, frozen=row.frozen)

    def is_member(self, address: str, role: int) -> bool:
        """MemberRegistry.isMember on the projected record."""
        row = MemberState.objects.filter(address=address).first()
        return bool(row and not row.suspended and row.roles & role
                    and row.kyc_expiry > self.now())

    def now(self) -> int:
        """The chain's clock as the indexer last saw it, carried forward by this server's: the
        node's answer (one round trip) until the indexer has read it once."""
        offset = (ChainCursor.objects.exclude(clock_offset=None).order_by("-updated_at")
                  .values_list("clock_offset", flat=True).first())
        if offset is None:
            return readers.chain_now()
        return int(time.time()) + offset


CHAIN: Ledger = _Chain()
PROJECTION: Ledger = _Projection()


def prejudge(check: Callable[[Ledger], T]) -> T:
    """`check(ledger)` against the projection; if it refuses (raises an ApplicationError),
    against the chain, whose answer stands. `check` must only read: it may run twice. With the
    node unreachable the projection's refusal stands (the intent could not be sent anyway)."""
    try:
        return check(PROJECTION)
    except ApplicationError as refusal:
        try:
            return check(CHAIN)
        except ChainUnavailableError:
            raise refusal from None


def clock_offset(chain_now: int) -> int:
    """How far the chain's clock (`chain_now`, read a moment ago) runs ahead of this server's."""
    return chain_now - int(time.time())


def record_chain_clock() -> None:
    """Read the chain's clock now and keep it for PROJECTION.now(): after a development node's
    clock was moved (scf.chain.node.chain_travel), before the indexer's next pass."""
    ChainCursor.objects.update(clock_offset=clock_offset(readers.chain_now()))
