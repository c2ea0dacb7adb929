"""The event indexer: reads the platform contracts' events past a persisted cursor, stores each
once, and refreshes the projection rows the events touched from the contracts' own views.

Refreshing from views (instead of applying deltas) makes the projection idempotent: replaying a
block range, or indexing an event twice, converges on the chain's state. Only blocks at least
SCF_CHAIN_CONFIRMATIONS deep are read, so a re-organisation within that depth is never seen; a
deeper one is detected by the cursor's block hash and rolled back to the last block that still
matches."""

import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from web3 import Web3

from scf.chain import readers
from scf.chain.client import call_node, get_web3
from scf.chain.contracts import decode_log
from scf.chain.deployment import PLATFORM_CONTRACTS, deployed_addresses
from scf.chain.models import (
    ChainCursor,
    ChainEvent,
    ContractDeployment,
    CreditLineState,
    MemberState,
    PieceState,
    SlotState,
)
from scf.chain.projection import clock_offset

logger = logging.getLogger(__name__)
PIECE_ARGS = ("tokenId", "fromTokenId", "toTokenId", "parentId", "newTokenId")
PLATFORM_NAMES = {spec.name for spec in PLATFORM_CONTRACTS}


@dataclass
class Touched:
    """The projection keys a batch of events touched."""

    members: set[str] = field(default_factory=set)
    lines: set[tuple[str, str]] = field(default_factory=set)
    pieces: set[int] = field(default_factory=set)
    slots: set[int] = field(default_factory=set)

    def add(self, contract: str, args: dict) -> None:
        if contract == "MemberRegistry" and "member" in args:
            self.members.add(args["member"])
        if "bank" in args and "debtor" in args:
            self.lines.add((args["bank"], args["debtor"]))
        if contract == "VoucherLedger":
            self.pieces.update(int(args[name]) for name in PIECE_ARGS if int(args.get(name, 0)))
            if int(args.get("rootId", 0)):
                self.slots.add(int(args["rootId"]))


def index_chain(*, max_blocks: int = 5000) -> int:
    """Index the next range of confirmed blocks; return the number of new events."""
    w3 = get_web3()
    chain_id = call_node(lambda: w3.eth.chain_id)
    addresses = {Web3.to_checksum_address(a): n
                 for n, a in deployed_addresses(chain_id).items() if n in PLATFORM_NAMES}
    if not addresses:
        return 0
    touched = Touched()
    with transaction.atomic():
        cursor, _ = ChainCursor.objects.select_for_update().get_or_create(
            chain_id=chain_id, defaults={"block_number": _first_block(chain_id) - 1})
        latest, now = readers.head_and_now()
        head = int(latest["number"], 16)
        cursor.clock_offset = clock_offset(now)
        _roll_back_if_reorganised(w3, cursor, head, touched)
        start = cursor.block_number + 1
        end = min(head - settings.SCF_CHAIN_CONFIRMATIONS, start + max_blocks - 1)
        created = 0
        if end >= start:
            logs = call_node(lambda: w3.eth.get_logs(
                {"fromBlock": start, "toBlock": end, "address": list(addresses)}))
            for log in logs:
                created += _store(chain_id, addresses[log["address"]], log, touched)
            cursor.block_number = end
            cursor.block_hash = latest["hash"] if end == head else Web3.to_hex(call_node(
                lambda: w3.eth.get_block(end)["hash"]))  # the head's hash is known already
        cursor.save()
        refresh_projections(touched, block=max(cursor.block_number, 0))
    return created


def index_until_head() -> int:
    """Index every confirmed block not yet indexed; return the number of new events."""
    w3 = get_web3()
    total = 0
    while True:
        total += index_chain()
        chain_id = call_node(lambda: w3.eth.chain_id)
        cursor = ChainCursor.objects.filter(chain_id=chain_id).first()
        head = call_node(lambda: w3.eth.block_number) - settings.SCF_CHAIN_CONFIRMATIONS
        if cursor is None or cursor.block_number >= head:
            return total


def _first_block(chain_id: int) -> int:
    first = ContractDeployment.objects.filter(chain_id=chain_id).aggregate(
        first=Min("block_number"))["first"]
    return first or 0


def _store(chain_id: int, contract: str, log, touched: Touched) -> int:
    decoded = decode_log(contract, log["topics"], log["data"])
    if decoded is None:
        return 0
    name, args = decoded
    _, created = ChainEvent.objects.get_or_create(
        chain_id=chain_id, block_hash=Web3.to_hex(log["blockHash"]), log_index=log["logIndex"],
        defaults={"block_number": log["blockNumber"], "contract": contract, "name": name,
                  "tx_hash": Web3.to_hex(log["transactionHash"]), "args": args})
    touched.add(contract, args)
    return int(created)


def _roll_back_if_reorganised(w3, cursor: ChainCursor, head: int, touched: Touched) -> None:
    if cursor.block_number < 0 or not cursor.block_hash:
        return
    if cursor.block_number <= head and _hash_at(w3, cursor.block_number) == cursor.block_hash:
        return
    # Walk back over the blocks we stored events from until one still matches the chain.
    fork = _first_block(cursor.chain_id) - 1
    seen = (ChainEvent.objects.filter(chain_id=cursor.chain_id)
            .values_list("block_number", "block_hash").distinct().order_by("-block_number"))
    for number, block_hash in seen:
        if number <= head and _hash_at(w3, number) == block_hash:
            fork = number
            break
    dropped = ChainEvent.objects.filter(chain_id=cursor.chain_id, block_number__gt=fork)
    for event in dropped:
        touched.add(event.contract, event.args)
    logger.warning("chain %s re-organised: rolling back from block %s to %s",
                   cursor.chain_id, cursor.block_number, fork)
    dropped.delete()
    cursor.block_number, cursor.block_hash = fork, ""


def _hash_at(w3, number: int) -> str:
    return Web3.to_hex(call_node(lambda: w3.eth.get_block(number)["hash"]))


# --- projections: the current state of each touched key, from the chain port's readers ------


def projection_row(value, *keys: str) -> dict | None:
    """A reader's value as the projection row's fields (its key fields left out)."""
    if value is None:
        return None
    return {name: v for name, v in asdict(value).items() if name not in keys}


def read_member(address: str) -> dict | None:
    return projection_row(readers.member_of(address), "address")


def read_line(bank: str, debtor: str) -> dict | None:
    line = readers.line_of(bank, debtor)
    return projection_row(line if line.exists else None, "bank", "debtor")


def refresh_projections(touched: Touched, *, block: int) -> None:
    """Read the touched keys' state at `block` (the last block indexed, so the rows and the
    cursor describe the same chain) in one JSON-RPC batch per kind, and store it with `block`
    as the rows' `updated_block`."""
    for address, member in readers.members_of(touched.members, block=block).items():
        _upsert(MemberState, {"address": address}, projection_row(member, "address"), block)
    for (bank, debtor), line in readers.lines_of(touched.lines, block=block).items():
        _upsert(CreditLineState, {"bank": bank, "debtor": debtor},
                projection_row(line if line.exists else None, "bank", "debtor"), block)
    for token_id, piece in readers.pieces_of(touched.pieces, block=block).items():
        _upsert(PieceState, {"token_id": token_id}, projection_row(piece, "token_id", "slot"),
                block)
        if piece:
            touched.slots.add(piece.root_id)
    for root_id, slot in readers.slots_of(touched.slots, block=block).items():
        _upsert(SlotState, {"root_id": root_id}, projection_row(slot, "root_id"), block)


def _upsert(model, key: dict, state: dict | None, block: int) -> None:
    if state is None:
        model.objects.filter(**key).delete()
    else:
        model.objects.update_or_create(**key, defaults={**state, "updated_block": block})
