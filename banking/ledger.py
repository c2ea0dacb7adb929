"""What banking reads from the chain, through the gateway's own readers (scf.chain): the state of
a piece, a slot and a credit line from the contracts' views, and the chain's clock. The
contracts' refusals checked before sending live in scf.chain.preflight."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from scf.chain.client import call_node, get_web3
from scf.chain.contracts import platform_contract
from scf.chain.indexer import read_line, read_piece, read_slot
from scf.chain.models import PieceState

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
