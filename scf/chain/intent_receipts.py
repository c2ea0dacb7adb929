"""Reconcile check "chain.intents": every confirmed ChainIntent still has its transaction on
chain, as recorded. The projection check cannot see this: when the node loses its last blocks
(anvil killed between two state saves), the indexer rolls its projection back with them, the
projection then agrees with the chain, and the operations the business rows call confirmed
have vanished.

For each intent: the receipt exists, its status is 1 and its block number and hash are the
intent's (for intents recorded before the gateway stored block hashes: the hash of the block
the indexer read the transaction's events from). An incremental run looks at the intents
confirmed since it starts, and at every intent recorded in a block above the node's head.
Receipts are read in JSON-RPC batches of BATCH_CALLS. Each finding names the business rows
that refer to the intent (any model with a foreign key to it), so the operator sees which
confirmed voucher, operation or financing step is not on chain."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import ForeignKey, OneToOneField, Q

from scf.chain.checks import Finding
from scf.chain.client import call_node, get_web3, rpc_batch
from scf.chain.models import ChainEvent, ChainIntent, ChainIntentAttempt
from scf.chain.readers import BATCH_CALLS

NAME = "chain.intents"


def confirmed_intents_check(since: datetime | None) -> Iterator[Finding]:
    w3 = get_web3()
    chain_id = call_node(lambda: w3.eth.chain_id)
    intents = ChainIntent.objects.filter(Q(chain_id=chain_id) | Q(chain_id__isnull=True),
                                         status=ChainIntent.Status.CONFIRMED)
    if since is not None:
        # Recent ones, and any recorded above the node's head (the chain got shorter: cheap to
        # find in the database, whenever the intent was confirmed).
        head = call_node(lambda: w3.eth.block_number)
        intents = intents.filter(Q(confirmed_at__gte=since) | Q(block_number__gt=head))
    rows = intents.order_by("pk").values_list("pk", "contract", "function", "tx_hash",
                                              "block_number", "block_hash")
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=BATCH_CALLS):
        chunk.append(row)
        if len(chunk) == BATCH_CALLS:
            yield from _check_chunk(w3, chunk)
            chunk = []
    if chunk:
        yield from _check_chunk(w3, chunk)


def _check_chunk(w3, chunk: list[tuple]) -> Iterator[Finding]:
    receipts = rpc_batch([("eth_getTransactionReceipt", [tx_hash])
                          for _, _, _, tx_hash, _, _ in chunk])
    indexed_hashes = _indexed_block_hashes([tx_hash for _, _, _, tx_hash, _, _ in chunk])
    problems: dict[int, str] = {}
    for (pk, _, _, tx_hash, block_number, block_hash), receipt in zip(chunk, receipts,
                                                                        strict=True):
        recorded = {block_hash.lower()} if block_hash else set()
        problem = _problem(receipt, block_number,
                           recorded or indexed_hashes.get(tx_hash.lower(), set()))
        if problem:
            problems[pk] = problem
    if not problems:
        return
    referrers = _referrers(list(problems))
    for pk, contract, function, tx_hash, _, _ in chunk:
        if pk in problems:
            rows = "; ".join(referrers.get(pk, [])) or "no business row refers to it"
            yield Finding(NAME, f"intent {pk} {contract}.{function} tx {tx_hash}",
                          f"{problems[pk]} (confirmed in the database: {rows})")


def _problem(receipt: dict | None, block_number: int | None, indexed: set[str]) -> str:
    if receipt is None:
        return f"no receipt on chain (recorded in block {block_number})"
    mined_in = int(receipt["blockNumber"], 16)
    if int(receipt["status"], 16) != 1:
        return f"reverted on chain in block {mined_in}"
    if mined_in != block_number:
        return f"mined in block {mined_in}, recorded in block {block_number}"
    if indexed and receipt["blockHash"].lower() not in indexed:
        return (f"block {mined_in} is now {receipt['blockHash']}, recorded as "
                f"{', '.join(sorted(indexed))}")
    return ""


def _indexed_block_hashes(tx_hashes: list[str]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for tx_hash, block_hash in ChainEvent.objects.filter(tx_hash__in=tx_hashes).values_list(
            "tx_hash", "block_hash"):
        seen[tx_hash.lower()].add(block_hash.lower())
    return seen


def _referrers(intent_ids: list[int]) -> dict[int, list[str]]:
    """'<model> <pk> [<status>]' of every row with a foreign key to each intent."""
    found: dict[int, list[str]] = defaultdict(list)
    # include_hidden: most business rows point at their intent with related_name="+".
    relations = [f for f in ChainIntent._meta.get_fields(include_hidden=True)
                 if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]
    for relation in relations:
        model = relation.related_model
        if model is ChainIntentAttempt or not isinstance(relation.field,
                                                         ForeignKey | OneToOneField):
            continue
        field = relation.field
        has_status = any(f.name == "status" for f in model._meta.concrete_fields)
        values = ["pk", field.attname] + (["status"] if has_status else [])
        for row in model.objects.filter(**{f"{field.attname}__in": intent_ids}).values_list(
                *values):
            status = f" [{row[2]}]" if has_status else ""
            found[row[1]].append(f"{model._meta.verbose_name} {row[0]}{status}")
    return found
