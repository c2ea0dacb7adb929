"""The receipt collector: one pass over every sent intent that is not final, in one JSON-RPC
batch, instead of a worker waiting on each receipt.

For each intent it finds, by its stored transaction hash:
- mined: SUBMITTED -> MINED (block, hash, gas, events), or the new block if it moved;
- mined and final (scf.chain.finality): MINED -> CONFIRMED, or FAILED with the decoded error if
  it reverted; only then do the domain's outcome hooks run, so no business record ever takes
  an outcome from a block that can still vanish;
- not mined, and the node no longer knows it (the node lost its latest blocks, or dropped it):
  MINED -> SUBMITTED, and the stored raw bytes are sent again, in nonce order per sender, so a
  later transaction of the sender never waits behind a lost one longer than one pass.
Every transition is a conditional update: two passes racing each other change nothing twice."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from scf.chain.client import rpc_batch
from scf.chain.errors import ChainRevertError
from scf.chain.finality import final_block
from scf.chain.models import ChainIntent, ChainIntentAttempt
from scf.chain.outbox import attempt, events_of, record_failure, replay_revert, submit
from scf.tasks import enqueue_after_commit

logger = logging.getLogger(__name__)
Status = ChainIntent.Status
Step = ChainIntentAttempt.Step
Outcome = ChainIntentAttempt.Outcome
BATCH = 200  # receipts per JSON-RPC batch request
PASS_LIMIT = 2000  # intents looked at per pass; the next pass takes the rest
# A signed intent not marked sent after this long lost its worker between sign and send.
SIGNED_UNSENT_GRACE = timedelta(seconds=2)
LEASE_KEY = "scf:chain:receipt-collector"
LEASE_SECONDS = 60


def collect_receipts(*, intent_ids: Iterable[int] | None = None) -> int:
    """One pass over the sent intents (or only `intent_ids`); return how many became final.
    The periodic pass runs under a lease, so one collector per node is at work at a time."""
    if intent_ids is not None:
        return _collect(_in_flight(list(intent_ids)))
    if not cache.add(LEASE_KEY, "held", timeout=LEASE_SECONDS):
        return 0
    try:
        return _collect(_in_flight(None))
    finally:
        cache.delete(LEASE_KEY)


def _in_flight(intent_ids: list[int] | None) -> list[ChainIntent]:
    sent = Q(status__in=[Status.SUBMITTED, Status.MINED])
    signed_unsent = Q(status=Status.PENDING) & ~Q(raw_transaction="")
    if intent_ids is None:
        signed_unsent &= Q(updated_at__lt=timezone.now() - SIGNED_UNSENT_GRACE)
        intents = ChainIntent.objects.filter(sent | signed_unsent)
    else:
        intents = ChainIntent.objects.filter(sent | signed_unsent, pk__in=intent_ids)
    return list(intents.select_related("sender").order_by("sender_id", "nonce")[:PASS_LIMIT])


def _collect(intents: list[ChainIntent]) -> int:
    if not intents:
        return 0
    head, receipts = _receipts_and_head([intent.tx_hash for intent in intents])
    final = final_block(head)
    finalised, moved, unmined = [], False, []
    for intent, receipt in zip(intents, receipts, strict=True):
        if receipt is None:
            if intent.status == Status.MINED:
                _unmine(intent)
                moved = True
            unmined.append(intent)
            continue
        moved |= _record_mined(intent, receipt)
        if int(receipt["blockNumber"], 16) <= final and _finalise(intent, receipt):
            finalised.append(intent.pk)
    finalised += _resend_lost(unmined)
    if moved or finalised:
        from scf.chain.tasks import index_chain_task

        enqueue_after_commit(index_chain_task)
    from scf.chain.hooks import run_outcome_hooks

    for intent_id in finalised:
        run_outcome_hooks(intent_id)
    return len(finalised)


def _receipts_and_head(tx_hashes: list[str]) -> tuple[int, list[dict | None]]:
    receipts: list[dict | None] = []
    head = None
    for start in range(0, len(tx_hashes), BATCH):
        chunk = tx_hashes[start:start + BATCH]
        calls = [("eth_getTransactionReceipt", [tx_hash]) for tx_hash in chunk]
        if head is None:
            calls.insert(0, ("eth_blockNumber", []))
        responses = rpc_batch(calls)
        if head is None:
            head, responses = int(responses[0], 16), responses[1:]
        receipts += responses
    return head, receipts


def _record_mined(intent: ChainIntent, receipt: dict) -> bool:
    """SUBMITTED -> MINED, or a MINED intent's block moved; True when something changed."""
    number, block_hash = int(receipt["blockNumber"], 16), receipt["blockHash"]
    if intent.status == Status.MINED and (intent.block_number, intent.block_hash) == (
            number, block_hash):
        return False
    updated = ChainIntent.objects.filter(pk=intent.pk, status=intent.status).update(
        status=Status.MINED, block_number=number, block_hash=block_hash,
        gas_used=int(receipt["gasUsed"], 16), updated_at=timezone.now())
    if updated:
        intent.status, intent.block_number, intent.block_hash = Status.MINED, number, block_hash
    return bool(updated)


def _unmine(intent: ChainIntent) -> None:
    """Its block is gone from the chain (a node restarted without its latest blocks)."""
    ChainIntent.objects.filter(pk=intent.pk, status=Status.MINED).update(
        status=Status.SUBMITTED, block_number=None, block_hash="", gas_used=None,
        updated_at=timezone.now())
    logger.warning("intent %s: block %s vanished; the transaction %s goes back to submitted",
                   intent.idempotency_key, intent.block_number, intent.tx_hash)
    attempt(intent, Step.RECEIPT, Outcome.UNAVAILABLE,
             error=f"block {intent.block_number} vanished from the chain")
    intent.status, intent.block_number, intent.block_hash = Status.SUBMITTED, None, ""


def _finalise(intent: ChainIntent, receipt: dict) -> bool:
    mined = (f"status={receipt['status']} block={intent.block_number} "
             f"gas_used={int(receipt['gasUsed'], 16)}")
    if int(receipt["status"], 16) != 1:
        error = replay_revert(intent, intent.block_number)
        if not record_failure(intent, error, from_status=Status.MINED):
            return False
        attempt(intent, Step.RECEIPT, Outcome.FAILED,
                 error=f"{error.error_name}: {error.message}", response=mined)
        return True
    updated = ChainIntent.objects.filter(pk=intent.pk, status=Status.MINED).update(
        status=Status.CONFIRMED, result={"events": events_of(intent, receipt["logs"])},
        error_message="", confirmed_at=timezone.now(), updated_at=timezone.now())
    if updated:
        attempt(intent, Step.RECEIPT, Outcome.OK, response=mined)
        logger.info("intent %s confirmed in block %s (%s)", intent.idempotency_key,
                    intent.block_number, intent.tx_hash)
    return bool(updated)


def _resend_lost(unmined: list[ChainIntent]) -> list[int]:
    """Send again, in nonce order, what the node does not know; return the intents that failed
    for good meanwhile (a nonce taken by a transaction the platform did not send)."""
    if not unmined:
        return []
    known = rpc_batch([("eth_getTransactionByHash", [intent.tx_hash]) for intent in unmined])
    failed = []
    for intent, answer in zip(unmined, known, strict=True):
        if answer is not None:
            continue  # waiting in the node's pool: nothing to do
        try:
            submit(intent)
        except ChainRevertError as exc:
            if record_failure(intent, exc, from_status=intent.status):
                failed.append(intent.pk)
            continue
        logger.warning("intent %s: the node did not know %s (nonce %s); sent again",
                       intent.idempotency_key, intent.tx_hash, intent.nonce)
    return failed
