"""The chain port's readers: what the contracts' views say now, as typed, frozen values. The
services of every app read the chain through these (the projection may lag; the chain is the
authority), and the indexer builds its projection rows from them, so each view is decoded in
one place.

Only scf.chain holds web3 objects; callers get plain dataclasses and ints."""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from web3 import Web3

from scf.chain.client import call_batch, call_node, rpc_batch
from scf.chain.contracts import platform_contract
from scf.chain.models import PieceState

ZERO_ADDRESS = "0x" + "0" * 40
PieceStatus = PieceState.Status
# Calls per JSON-RPC batch: a bound on one request's size however many pieces a root has.
BATCH_CALLS = 200


@dataclass(frozen=True)
class ChainSlot:
    """VoucherLedger.slotInfo: what a root voucher (and every piece derived from it) owes."""

    root_id: int
    debtor: str
    bank: str
    maturity: int  # unix seconds; scf.clock.date_of turns it into the business date
    face_value: int
    settled_amount: int


@dataclass(frozen=True)
class ChainPiece:
    """VoucherLedger.pieceOf, with the piece's slot when read with `with_slot=True`."""

    token_id: int
    owner: str
    root_id: int
    parent_id: int
    balance: int
    status: int
    lock_bank: str  # "" when not locked
    frozen: bool
    slot: ChainSlot | None = None

    @property
    def status_name(self) -> str:
        return PieceStatus(self.status).name.lower()

    def _slot(self) -> ChainSlot:
        if self.slot is None:
            raise LookupError(f"piece {self.token_id} was read without its slot: "
                              "use piece_of(token_id, with_slot=True)")
        return self.slot

    @property
    def maturity(self) -> int:
        return self._slot().maturity

    @property
    def debtor(self) -> str:
        return self._slot().debtor

    @property
    def bank(self) -> str:
        return self._slot().bank

    @property
    def face_value(self) -> int:
        return self._slot().face_value


@dataclass(frozen=True)
class ChainLine:
    """CreditLines.lineOf; all zero when the bank never set a line for the debtor."""

    bank: str
    debtor: str
    limit: int
    used: int
    expiry: int
    frozen: bool

    @property
    def exists(self) -> bool:
        return bool(self.limit or self.used or self.expiry)


@dataclass(frozen=True)
class ChainMember:
    """MemberRegistry.memberOf of a registered member."""

    address: str
    roles: int
    kyc_expiry: int
    suspended: bool
    ref: str


# --- the clock --------------------------------------------------------------------------------

def chain_now() -> int:
    """Unix seconds of 'now' as the chain will judge the next transaction.

    The contracts compare `block.timestamp` of the block that will include the transaction, so
    the one clock for pre-flight checks and clearing is the timestamp the node would give that
    block: the "pending" block's (never below the latest block's; a node that answers "pending"
    with the latest block lags by at most one block interval). Neither older definition is it:
    - the latest block alone lags on a quiet chain (anvil mines only on demand), so a piece
      would look unmatured hours after its maturity and clearing would find nothing due;
    - max(wall clock, latest block) runs ahead of a node whose clock lags the wall clock (anvil
      winds its clock back on evm_revert, as the tests' snapshots do), so a pre-flight would
      refuse what the contract still accepts, a clearing run would batch roots whose settlement
      then reverts, and the demo's time travel would fall short of the maturity.
    The pending block also sees evm_increaseTime before anything is mined."""
    return head_and_now()[1]


def head_and_now() -> tuple[dict, int]:
    """The latest block (the node's raw JSON: hex strings) and chain_now(), in one round trip
    (the indexer records the clock with every pass; see scf.chain.projection)."""
    latest, pending = rpc_batch([("eth_getBlockByNumber", ["latest", False]),
                                 ("eth_getBlockByNumber", ["pending", False])])
    # A node without a "pending" block answers null for it.
    return latest, max(int(block["timestamp"], 16) for block in (latest, pending) if block)


# --- VoucherLedger ----------------------------------------------------------------------------

def _piece(token_id: int, owner, root_id, parent_id, balance, status, lock_bank,
           frozen) -> ChainPiece | None:
    if status == PieceStatus.NONE:
        return None
    return ChainPiece(token_id=token_id, owner=owner, root_id=root_id, parent_id=parent_id,
                      balance=balance, status=status,
                      lock_bank="" if lock_bank == ZERO_ADDRESS else lock_bank, frozen=frozen)


def _slot(root_id: int, debtor, bank, maturity, face_value, settled) -> ChainSlot | None:
    if not face_value:
        return None
    return ChainSlot(root_id=root_id, debtor=debtor, bank=bank, maturity=maturity,
                     face_value=face_value, settled_amount=settled)


def slot_of(root_id: int) -> ChainSlot | None:
    """The root voucher's slot; None if there is no such root."""
    return _slot(root_id, *call_node(
        platform_contract("VoucherLedger").functions.slotInfo(root_id).call))


def piece_of(token_id: int, *, with_slot: bool = False) -> ChainPiece | None:
    """The piece as the ledger has it now; None if there is no such piece. `with_slot` also
    reads its root's slot (maturity, debtor, bank, face value)."""
    piece = _piece(token_id, *call_node(
        platform_contract("VoucherLedger").functions.pieceOf(token_id).call))
    if piece is None or not with_slot:
        return piece
    return replace(piece, slot=slot_of(piece.root_id))


def _batched(contract_name: str, keys: list, function, decode, block: int | None) -> dict:
    """`function(key)` of the contract for every key, BATCH_CALLS per JSON-RPC batch (one round
    trip each, one contract object for all), decoded by `decode(key, result)`, keyed by key."""
    contract = platform_contract(contract_name)
    values: dict = {}
    for start in range(0, len(keys), BATCH_CALLS):
        chunk = keys[start:start + BATCH_CALLS]
        results = call_batch(contract.w3, [function(contract.functions, key) for key in chunk],
                             block=block)
        for key, result in zip(chunk, results, strict=True):
            values[key] = decode(key, result)
    return values


def pieces_of(token_ids: Iterable[int], *, block: int | None = None
              ) -> dict[int, ChainPiece | None]:
    """pieceOf for many pieces (at `block`; None: the latest), keyed by token id."""
    ids = list(dict.fromkeys(int(token_id) for token_id in token_ids))
    return _batched("VoucherLedger", ids, lambda f, token_id: f.pieceOf(token_id),
                    lambda token_id, result: _piece(token_id, *result), block)


def slots_of(root_ids: Iterable[int], *, block: int | None = None
             ) -> dict[int, ChainSlot | None]:
    """slotInfo for many roots (at `block`), keyed by root id."""
    ids = list(dict.fromkeys(int(root_id) for root_id in root_ids))
    return _batched("VoucherLedger", ids, lambda f, root_id: f.slotInfo(root_id),
                    lambda root_id, result: _slot(root_id, *result), block)


def invoice_holder(invoice_hash: str) -> int:
    """The live root voucher an invoice hash backs on chain, 0 if none."""
    return int(call_node(platform_contract("VoucherLedger").functions.invoiceHolder(
        bytes.fromhex(invoice_hash.removeprefix("0x"))).call))


def grace_period() -> int:
    """Seconds after maturity before an unpaid piece may be marked overdue (admin-set)."""
    return int(call_node(platform_contract("VoucherLedger").functions.gracePeriod().call))


# --- CreditLines ------------------------------------------------------------------------------

def _line(bank: str, debtor: str, limit, used, expiry, frozen) -> ChainLine:
    return ChainLine(bank=bank, debtor=debtor, limit=limit, used=used, expiry=expiry,
                     frozen=frozen)


def line_of(bank: str, debtor: str) -> ChainLine:
    """The bank's line for the debtor (all zero if none: see ChainLine.exists)."""
    return _line(bank, debtor, *call_node(
        platform_contract("CreditLines").functions.lineOf(bank, debtor).call))


def lines_of(pairs: Iterable[tuple[str, str]], *, block: int | None = None
             ) -> dict[tuple[str, str], ChainLine]:
    """lineOf for many (bank, debtor) pairs (at `block`), keyed by the pair."""
    return _batched("CreditLines", list(dict.fromkeys(pairs)),
                    lambda f, pair: f.lineOf(*pair),
                    lambda pair, result: _line(*pair, *result), block)


def credit_available(*, bank_address: str, debtor_address: str) -> int:
    """Fen still available on the bank's line for the debtor (0 if none, frozen or expired)."""
    return int(call_node(platform_contract("CreditLines").functions.availableOf(
        bank_address, debtor_address).call))


# --- MemberRegistry ---------------------------------------------------------------------------

def _member(address: str, registered, roles, kyc_expiry, suspended, ref) -> ChainMember | None:
    if not registered:
        return None
    return ChainMember(address=address, roles=roles, kyc_expiry=kyc_expiry,
                       suspended=suspended, ref=Web3.to_hex(ref))


def member_of(address: str) -> ChainMember | None:
    """The registry's record of the member; None if never registered."""
    return _member(address, *call_node(
        platform_contract("MemberRegistry").functions.memberOf(address).call))


def members_of(addresses: Iterable[str], *, block: int | None = None
               ) -> dict[str, ChainMember | None]:
    """memberOf for many addresses (at `block`), keyed by address."""
    return _batched("MemberRegistry", list(dict.fromkeys(addresses)),
                    lambda f, address: f.memberOf(address),
                    lambda address, result: _member(address, *result), block)


def is_member(address: str, role: int) -> bool:
    """Active (registered, KYC unexpired, not suspended) member holding one of `role`'s bits."""
    return bool(call_node(platform_contract("MemberRegistry").functions.isMember(
        address, role).call))
