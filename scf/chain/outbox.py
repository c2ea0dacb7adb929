"""The outbox worker: turns a ChainIntent into exactly one mined, final transaction.

Steps, each safe to repeat after a crash at any point:
1. simulate (estimate gas): a revert fails the intent with the decoded custom error, and no
   nonce is spent;
2. sign, under a lock of the intent and of the sender's account row: the nonce comes from the
   database (never from the node: a node that lost blocks would hand out a nonce it already
   gave), and the signed raw transaction is stored before anything is sent, so a retry resends
   the same bytes (the same hash) instead of signing a second transaction;
3. submit the raw transaction ("already known" means an earlier attempt got there);
4. wait briefly for it to be mined and final (scf.chain.receipts does the collecting; what is
   not final within SCF_CHAIN_RECEIPT_TIMEOUT is left to the periodic collector, so a stuck
   receipt never holds a worker), then run the domain's outcome hooks.
Each step leaves a ChainIntentAttempt row (its outcome, error and a bounded excerpt of the
node's answer; never the signed bytes).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3RPCError

from scf.chain.client import call_node, get_web3
from scf.chain.contracts import coerce_args, decode_log, decode_revert, platform_contract
from scf.chain.errors import ChainRevertError, ChainUnavailableError
from scf.chain.hooks import run_outcome_hooks
from scf.chain.keys import decrypt_private_key
from scf.chain.models import ChainAccount, ChainIntent, ChainIntentAttempt

logger = logging.getLogger(__name__)
Status = ChainIntent.Status
Step = ChainIntentAttempt.Step
Outcome = ChainIntentAttempt.Outcome
GAS_HEADROOM = 1.25


def intent_execute(*, intent_id: int) -> str:
    """Drive one intent as far as it can go now; return its status. Node trouble before the
    transaction is sent raises ChainUnavailableError with the intent left pending for a retry;
    after it is sent, the receipt collector takes over and the status is returned."""
    intent = ChainIntent.objects.select_related("sender").get(pk=intent_id)
    if intent.final:
        run_outcome_hooks(intent.pk)
        return intent.status
    try:
        if not intent.raw_transaction:
            gas = _step(intent, Step.SIMULATE, lambda: _simulate(intent))
            attempt(intent, Step.SIMULATE, Outcome.OK, response=f"gas={gas}")
            intent = _step(intent, Step.SIGN, lambda: _sign(intent_id=intent.pk, gas=gas))
            attempt(intent, Step.SIGN, Outcome.OK,
                    response=f"nonce={intent.nonce} tx_hash={intent.tx_hash}")
        if intent.status in (Status.PENDING, Status.SUBMITTED):
            _step(intent, Step.SUBMIT, lambda: submit(intent))
            attempt(intent, Step.SUBMIT, Outcome.OK, response=f"tx_hash={intent.tx_hash}")
    except ChainRevertError as exc:
        # A simulation's revert is the outcome only of an intent nobody signed meanwhile: a
        # second delivery of the intent may simulate after the first sent it (and reverts
        # because it happened); the sent transaction decides then.
        record_failure(intent, exc, unsigned_only=not intent.raw_transaction)
    except ChainUnavailableError as exc:
        ChainIntent.objects.filter(pk=intent.pk).update(
            attempts=intent.attempts + 1, error_message=exc.message, updated_at=timezone.now())
        raise
    _await_final(intent.pk)
    run_outcome_hooks(intent.pk)
    return ChainIntent.objects.values_list("status", flat=True).get(pk=intent.pk)


def _await_final(intent_id: int) -> None:
    """Collect this intent's receipt until it is final or SCF_CHAIN_RECEIPT_TIMEOUT passes
    (0: one look, no wait). Polls briskly: a 1 ms first poll is ~20x the throughput of web3's
    default 100 ms wait."""
    from scf.chain.receipts import collect_receipts

    deadline = time.monotonic() + settings.SCF_CHAIN_RECEIPT_TIMEOUT
    poll = 0.001
    while True:
        try:
            collect_receipts(intent_ids=[intent_id])
        except ChainUnavailableError:
            return  # sent already: the collector finishes it once the node answers
        if time.monotonic() >= deadline or ChainIntent.objects.filter(
                pk=intent_id, status__in=ChainIntent.FINAL_STATUSES).exists():
            return  # final, or the periodic collector finishes it
        time.sleep(poll)
        poll = min(poll * 2, 0.2)


def _step(intent: ChainIntent, step: str, run):
    """Run one step; a refusal or node trouble is stored as the step's attempt, then raised."""
    try:
        return run()
    except ChainRevertError as exc:
        attempt(intent, step, Outcome.FAILED, error=f"{exc.error_name}: {exc.message}",
                response=str(exc.error_args))
        raise
    except ChainUnavailableError as exc:
        attempt(intent, step, Outcome.UNAVAILABLE, error=exc.message,
                response=str(exc.__cause__ or ""))
        raise


def attempt(intent: ChainIntent, step: str, outcome: str, *, error: str = "",
            response: str = "") -> None:
    limit = ChainIntentAttempt.RESPONSE_LIMIT
    ChainIntentAttempt.objects.create(intent_id=intent.pk, step=step, outcome=outcome,
                                      error=error[:4 * limit], response=response[:limit])


def _function_call(intent: ChainIntent):
    contract = platform_contract(intent.contract)
    args = coerce_args(intent.contract, intent.function, intent.args)
    return contract.functions[intent.function](*args)


def _simulate(intent: ChainIntent) -> int:
    call = _function_call(intent)
    try:
        return call_node(lambda: call.estimate_gas({"from": intent.sender.address}))
    except ContractLogicError as exc:
        raise decode_revert(exc.data if isinstance(exc.data, str) else None) from exc


def _sign(*, intent_id: int, gas: int) -> ChainIntent:
    w3 = get_web3()
    with transaction.atomic():
        intent = ChainIntent.objects.select_for_update().select_related("sender").get(
            pk=intent_id)
        if intent.raw_transaction:  # another worker signed it meanwhile
            return intent
        account = ChainAccount.objects.select_for_update().get(pk=intent.sender_id)
        nonce = account.next_nonce
        if nonce is None:  # the account's first transaction through the platform
            nonce = call_node(lambda: w3.eth.get_transaction_count(account.address, "pending"))
        tx = _function_call(intent).build_transaction({
            "from": account.address, "nonce": nonce, "gas": int(gas * GAS_HEADROOM),
            "gasPrice": settings.SCF_CHAIN_GAS_PRICE,
            "chainId": call_node(lambda: w3.eth.chain_id),
        })
        signed = Account.sign_transaction(tx, decrypt_private_key(account.encrypted_key))
        intent.nonce = nonce
        intent.chain_id = tx["chainId"]
        intent.raw_transaction = Web3.to_hex(signed.raw_transaction)
        intent.tx_hash = Web3.to_hex(signed.hash)
        intent.save(update_fields=["nonce", "chain_id", "raw_transaction", "tx_hash", "updated_at"])
        account.next_nonce = nonce + 1
        account.save(update_fields=["next_nonce"])
    return intent


def submit(intent: ChainIntent) -> None:
    """Send the stored raw bytes (again: the same bytes are the same transaction)."""
    w3 = get_web3()
    try:
        call_node(lambda: w3.eth.send_raw_transaction(intent.raw_transaction))
    except ChainUnavailableError as exc:
        cause = exc.__cause__
        if not isinstance(cause, Web3RPCError):
            raise
        message = str(cause).lower()
        if "already known" in message or "already imported" in message:
            pass  # an earlier attempt submitted these very bytes
        elif "nonce too low" in message and _known(intent):
            pass  # mined already
        elif "nonce too low" in message:
            raise ChainRevertError(
                "NonceAlreadyUsed", {"nonce": intent.nonce},
                message=f"Nonce {intent.nonce} of {intent.sender.address} was used by a "
                        "transaction the platform did not send: is the key used elsewhere?",
            ) from exc
        else:
            raise
    if intent.status == Status.PENDING:
        ChainIntent.objects.filter(pk=intent.pk).update(status=Status.SUBMITTED,
                                                        updated_at=timezone.now())
        intent.status = Status.SUBMITTED


def _known(intent: ChainIntent) -> bool:
    w3 = get_web3()
    try:
        call_node(lambda: w3.eth.get_transaction(intent.tx_hash))
        return True
    except ChainUnavailableError as exc:
        if isinstance(exc.__cause__, TransactionNotFound):
            return False
        raise


def events_of(intent: ChainIntent, logs: list[dict]) -> list[dict]:
    """The decoded events the intent's own contract emitted in these receipt logs."""
    address = platform_contract(intent.contract).address.lower()
    events = []
    for log in logs:
        if log["address"].lower() != address:
            continue
        decoded = decode_log(intent.contract, log["topics"], log["data"])
        if decoded:
            events.append({"event": decoded[0], "args": decoded[1]})
    return events


def replay_revert(intent: ChainIntent, block_number: int) -> ChainRevertError:
    """A transaction that passed simulation reverted when mined (the state moved in between):
    replay it on the state before its block to learn which error."""
    call = _function_call(intent)
    try:
        call_node(lambda: call.call({"from": intent.sender.address},
                                    block_identifier=block_number - 1))
    except ContractLogicError as exc:
        return decode_revert(exc.data if isinstance(exc.data, str) else None)
    except ChainUnavailableError:
        pass
    return ChainRevertError("Reverted", {}, message="The transaction reverted when mined")


def record_failure(intent: ChainIntent, error: ChainRevertError, *,
                   from_status: str | None = None, unsigned_only: bool = False) -> bool:
    """FAILED with the decoded error; only from `from_status` when given (a racing pass must
    not fail what another confirmed), only while no transaction was signed when
    `unsigned_only`. True when this call made it fail."""
    intents = ChainIntent.objects.filter(pk=intent.pk).not_final()
    if from_status is not None:
        intents = intents.filter(status=from_status)
    if unsigned_only:
        intents = intents.filter(raw_transaction="")
    updated = intents.update(status=Status.FAILED, error_name=error.error_name,
                             error_args=error.error_args, error_message=error.message,
                             updated_at=timezone.now())
    if updated:
        logger.warning("intent %s failed: %s %s", intent.idempotency_key, error.error_name,
                       error.error_args)
    return bool(updated)


def intents_resume(*, older_than: timedelta | None = None) -> int:
    """Re-enqueue intents never sent (a worker died before sending, the node was down, a
    queued task was lost with the broker). What was sent is the receipt collector's: it
    resends what the node lost. An intent enqueued here is touched, so the next run does not
    enqueue it again while its task waits in the queue."""
    from scf.chain.tasks import intent_execute_task

    if older_than is None:
        older_than = timedelta(seconds=settings.SCF_CHAIN_RESUME_AFTER)
    stale = list(ChainIntent.objects.filter(
        status=Status.PENDING, raw_transaction="",
        updated_at__lt=timezone.now() - older_than,
    ).order_by("sender_id", "pk").values_list("pk", flat=True))
    for intent_id in stale:
        ChainIntent.objects.filter(pk=intent_id).update(updated_at=timezone.now())
        intent_execute_task.delay(intent_id)
    return len(stale)
