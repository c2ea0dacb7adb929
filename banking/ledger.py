"""What banking reads from the chain, through the gateway's own readers (scf.chain): the state of
a piece, a slot and a credit line from the contracts' views, the chain's clock, and the
mirror of the contracts' custom errors used to refuse a doomed action before it is sent.

Refusing early (a 4xx with the same decoded-error shape as a chain revert) spares the user an
operation that would fail; the contract still checks everything when the intent executes."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from scf.chain.client import call_node, get_web3
from scf.chain.contracts import platform_contract
from scf.chain.errors import ChainRevertError
from scf.chain.indexer import read_line, read_piece, read_slot
from scf.chain.models import PieceState
from scf.errors import ApplicationError

MAX_BATCH = 50  # VoucherLedger.MAX_BATCH: pieces per settle / markOverdue call
MAX_LIMIT = 2**96 - 1  # CreditLines: limits are stored in 96 bits
ZERO_ADDRESS = "0x" + "0" * 40
PieceStatus = PieceState.Status


@dataclass(frozen=True)
class Piece:
    token_id: int
    owner: str
    root_id: int
    parent_id: int
    balance: int
    status: int
    lock_bank: str
    frozen: bool

    @property
    def status_name(self) -> str:
        return PieceStatus(self.status).name.lower()


@dataclass(frozen=True)
class Slot:
    root_id: int
    debtor: str
    bank: str
    maturity: int
    face_value: int
    settled_amount: int


@dataclass(frozen=True)
class Line:
    limit: int
    used: int
    expiry: int
    frozen: bool


def chain_now() -> int:
    """The latest block's timestamp: the clock the contracts check maturity against."""
    w3 = get_web3()
    return int(call_node(lambda: w3.eth.get_block("latest")["timestamp"]))


def piece_of(token_id: int) -> Piece | None:
    state = read_piece(token_id)
    return Piece(token_id=token_id, **state) if state else None


def pieces_of(token_ids: Iterable[int]) -> dict[int, Piece | None]:
    """pieceOf for many pieces through one contract object (building it costs a node round
    trip and an ABI parse: once per batch, not once per piece)."""
    ledger = platform_contract("VoucherLedger")
    pieces = {}
    for token_id in token_ids:
        owner, root_id, parent_id, balance, status, lock_bank, frozen = call_node(
            ledger.functions.pieceOf(token_id).call)
        pieces[token_id] = None if status == PieceStatus.NONE else Piece(
            token_id=token_id, owner=owner, root_id=root_id, parent_id=parent_id,
            balance=balance, status=status,
            lock_bank="" if lock_bank == ZERO_ADDRESS else lock_bank, frozen=frozen)
    return pieces


def slot_of(root_id: int) -> Slot | None:
    state = read_slot(root_id)
    return Slot(root_id=root_id, **state) if state else None


def line_of(bank: str, debtor: str) -> Line:
    state = read_line(bank, debtor) or {"limit": 0, "used": 0, "expiry": 0, "frozen": False}
    return Line(**state)


def grace_period() -> int:
    return int(call_node(platform_contract("VoucherLedger").functions.gracePeriod().call))


def end_of_day_unix(day: date) -> int:
    """Valid through `day` (local time): the chain's expiry is the following midnight."""
    tz = ZoneInfo(settings.TIME_ZONE)
    return int(datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).timestamp())


def local_date(unix_seconds: int) -> date:
    return datetime.fromtimestamp(unix_seconds, tz=ZoneInfo(settings.TIME_ZONE)).date()


def text_hash(text: str) -> str:
    """The bytes32 that stands for a reason or a payment reference on chain (no text there)."""
    return "0x" + hashlib.sha256(text.encode()).hexdigest()


# --- the contracts' refusals, checked before sending -------------------------------------------

def require_movable(piece: Piece | None, *, token_id: int, holder: str, amount: int | None,
                    now: int, maturity: int) -> Piece:
    """VoucherLedger's movement checks for the holder's action on the piece (lockForFinancing):
    it exists, the caller holds it, it is ACTIVE, not frozen, before maturity, 0 < amount <=
    balance."""
    if piece is None:
        raise ChainRevertError("VoucherLedgerPieceNotFound", {"tokenId": token_id},
                               message=f"凭证 {token_id} 不存在 / Piece {token_id} does not exist")
    if piece.owner != holder:
        raise ChainRevertError(
            "VoucherLedgerNotHolder", {"tokenId": token_id, "account": holder,
                                       "holder": piece.owner},
            message=f"本机构不持有凭证 {token_id} / Your organisation does not hold piece "
                    f"{token_id}")
    require_unlocked(piece)
    if now >= maturity:
        raise ChainRevertError(
            "VoucherLedgerMatured", {"tokenId": token_id, "maturity": maturity},
            message=f"凭证 {token_id} 已到期，只能清分 / Piece {token_id} has matured: only "
                    "settlement is possible")
    if amount is not None and amount > piece.balance:
        message = (f"金额超过凭证余额 {piece.balance} 分 / The amount exceeds the piece's balance "
                   f"of {piece.balance} fen")
        raise ApplicationError(
            message, code="amount_exceeds_balance",
            extra={"fields": {"amount_fen": [message]},
                   "error": "VoucherLedgerInsufficientBalance",
                   "args": {"tokenId": token_id, "balance": piece.balance, "value": amount}})
    return piece


def require_unlocked(piece: Piece) -> None:
    if piece.status == PieceStatus.LOCKED:
        raise ChainRevertError(
            "VoucherLedgerPieceLocked", {"tokenId": piece.token_id, "lockBank": piece.lock_bank},
            message=f"凭证 {piece.token_id} 已被融资锁定 / Piece {piece.token_id} is locked for "
                    "financing")
    if piece.status != PieceStatus.ACTIVE:
        raise ChainRevertError(
            "VoucherLedgerInvalidStatus", {"tokenId": piece.token_id, "status": piece.status},
            message=f"凭证 {piece.token_id} 状态为 {piece.status_name}，不能融资 / Piece "
                    f"{piece.token_id} is {piece.status_name}")
    if piece.frozen:
        raise ChainRevertError(
            "VoucherLedgerPieceFrozen", {"tokenId": piece.token_id},
            message=f"凭证 {piece.token_id} 已被冻结 / Piece {piece.token_id} is frozen")


def require_locked_for(piece: Piece | None, *, token_id: int, bank: str) -> Piece:
    """approveFinancing / declineFinancing: the piece is LOCKED for `bank`, not frozen."""
    if piece is None:
        raise ChainRevertError("VoucherLedgerPieceNotFound", {"tokenId": token_id})
    if piece.status != PieceStatus.LOCKED:
        raise ChainRevertError(
            "VoucherLedgerInvalidStatus", {"tokenId": token_id, "status": piece.status},
            message=f"凭证 {token_id} 未处于融资锁定 / Piece {token_id} is not locked for "
                    "financing")
    if piece.lock_bank != bank:
        raise ChainRevertError(
            "VoucherLedgerNotLockBank", {"tokenId": token_id, "caller": bank,
                                         "lockBank": piece.lock_bank},
            message=f"凭证 {token_id} 未锁定给本行 / Piece {token_id} is not locked for your bank")
    if piece.frozen:
        raise ChainRevertError(
            "VoucherLedgerPieceFrozen", {"tokenId": token_id},
            message=f"凭证 {token_id} 已被冻结 / Piece {token_id} is frozen")
    return piece


def require_limit_covers_used(*, bank: str, debtor: str, limit: int) -> Line:
    line = line_of(bank, debtor)
    if limit < line.used:
        raise ChainRevertError(
            "CreditLinesLimitBelowUsed",
            {"bank": bank, "debtor": debtor, "limit": limit, "used": line.used},
            message=f"授信额度 {limit} 分低于已用额度 {line.used} 分 / The limit of {limit} fen "
                    f"is below the {line.used} fen already used")
    return line
