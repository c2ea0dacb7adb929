"""The outbox worker: turns a ChainIntent into exactly one mined transaction.

Steps, each safe to repeat after a crash at any point:
1. simulate (estimate gas): a revert fails the intent with the decoded custom error, and no
   nonce is spent;
2. sign, under a lock of the intent and of the sender's account row: the nonce and the signed
   raw transaction are stored before anything is sent, so a retry resends the same bytes (the
   same hash) instead of signing a second transaction;
3. submit the raw transaction ("already known" means an earlier attempt got there);
4. wait for the receipt and the configured confirmations, then record the outcome.
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
from scf.tasks import enqueue_after_commit

logger = logging.getLogger(__name__)
Status = ChainIntent.Status
Step = ChainIntentAttempt.Step
Outcome = ChainIntentAttempt.Outcome
GAS_HEADROOM = 1.25


def intent_execute(*, intent_id: int) -> str:
    """Drive one intent as far as it can go now; return its status. Transient node trouble
    raises ChainUnavailableError with the intent left pending or submitted for a retry."""
    intent = ChainIntent.objects.select_related("sender").get(pk=intent_id)
    if intent.status in (Status.CONFIRMED, Status.FAILED):
        run_outcome_hooks(intent.pk)
        return intent.status
    try:
        if not intent.raw_transaction:
            gas = _step(intent, Step.SIMULATE, lambda: _simulate(intent))
            _attempt(intent, Step.SIMULATE, Outcome.OK, response=f"gas={gas}")
            intent = _step(intent, Step.SIGN, lambda: _sign(intent_id=intent.pk, gas=gas))
            _attempt(intent, Step.SIGN, Outcome.OK,
                     response=f"nonce={intent.nonce} tx_hash={intent.tx_hash}")
        _step(intent, Step.SUBMIT, lambda: _submit(intent))
        _attempt(intent, Step.SUBMIT, Outcome.OK, response=f"tx_hash={intent.tx_hash}")
        _step(intent, Step.RECEIPT, lambda: _await_outcome(intent))
    except ChainRevertError as exc:
        _record_failure(intent, exc.error_name, exc.error_args, exc.message)
    except ChainUnavailableError as exc:
        ChainIntent.objects.filter(pk=intent.pk).update(
            attempts=intent.attempts + 1, error_message=exc.message, updated_at=timezone.now())
        raise
    run_outcome_hooks(intent.pk)
    intent.refresh_from_db()
    return intent.status


def _step(intent: ChainIntent, step: str, run):
    """Run one step; a refusal or node trouble is stored as the step's attempt, then raised."""
    try:
        return run()
    except ChainRevertError as exc:
        _attempt(intent, step, Outcome.FAILED, error=f"{exc.error_name}: {exc.message}",
                 response=str(exc.error_args))
        raise
    except ChainUnavailableError as exc:
        _attempt(intent, step, Outcome.UNAVAILABLE, error=exc.message,
                 response=str(exc.__cause__ or ""))
        raise


def _attempt(intent: ChainIntent, step: str, outcome: str, *, error: str = "",
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
        on_node = call_node(lambda: w3.eth.get_transaction_count(account.address, "pending"))
        nonce = max(account.next_nonce or 0, on_node)
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


def _submit(intent: ChainIntent) -> None:
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


def _receipt(tx_hash: str) -> dict | None:
    w3 = get_web3()
    try:
        return call_node(lambda: w3.eth.get_transaction_receipt(tx_hash))
    except ChainUnavailableError as exc:
        if isinstance(exc.__cause__, TransactionNotFound):
            return None
        raise


def _await_outcome(intent: ChainIntent) -> None:
    """Poll briskly: a 1 ms poll is ~20x the throughput of web3's default 100 ms wait."""
    w3 = get_web3()
    deadline = time.monotonic() + settings.SCF_CHAIN_RECEIPT_TIMEOUT
    receipt, poll = None, 0.001
    while receipt is None:
        receipt = _receipt(intent.tx_hash)
        if receipt is None:
            if time.monotonic() > deadline:
                raise ChainUnavailableError(
                    f"Transaction {intent.tx_hash} not mined within "
                    f"{settings.SCF_CHAIN_RECEIPT_TIMEOUT}s; it stays submitted and is retried.")
            time.sleep(poll)
            poll = min(poll * 2, 0.2)
    target = receipt["blockNumber"] + settings.SCF_CHAIN_CONFIRMATIONS
    while call_node(lambda: w3.eth.block_number) < target:
        if time.monotonic() > deadline:
            raise ChainUnavailableError(f"Waiting for confirmations of {intent.tx_hash}")
        time.sleep(0.2)

    mined = (f"status={receipt['status']} block={receipt['blockNumber']} "
             f"gas_used={receipt['gasUsed']}")
    if receipt["status"] != 1:
        error = _replay_revert(intent, receipt["blockNumber"])
        _attempt(intent, Step.RECEIPT, Outcome.FAILED,
                 error=f"{error.error_name}: {error.message}", response=mined)
        _record_failure(intent, error.error_name, error.error_args, error.message,
                        receipt=receipt)
        return
    ChainIntent.objects.filter(pk=intent.pk).update(
        status=Status.CONFIRMED, block_number=receipt["blockNumber"],
        gas_used=receipt["gasUsed"], result={"events": _events_of(intent, receipt)},
        error_message="", confirmed_at=timezone.now(), updated_at=timezone.now())
    _attempt(intent, Step.RECEIPT, Outcome.OK, response=mined)
    logger.info("intent %s confirmed in block %s (%s)", intent.idempotency_key,
                receipt["blockNumber"], intent.tx_hash)
    from scf.chain.tasks import index_chain_task

    enqueue_after_commit(index_chain_task)


def _events_of(intent: ChainIntent, receipt: dict) -> list[dict]:
    address = platform_contract(intent.contract).address
    events = []
    for log in receipt["logs"]:
        if log["address"] != address:
            continue
        decoded = decode_log(intent.contract, log["topics"], log["data"])
        if decoded:
            events.append({"event": decoded[0], "args": decoded[1]})
    return events


def _replay_revert(intent: ChainIntent, block_number: int) -> ChainRevertError:
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


def _record_failure(intent, name: str, args: dict, message: str, receipt=None) -> None:
    ChainIntent.objects.filter(pk=intent.pk).update(
        status=Status.FAILED, error_name=name, error_args=args, error_message=message,
        block_number=receipt["blockNumber"] if receipt else None,
        gas_used=receipt["gasUsed"] if receipt else None, updated_at=timezone.now())
    logger.warning("intent %s failed: %s %s", intent.idempotency_key, name, args)


def intents_resume(*, older_than: timedelta | None = None) -> int:
    """Re-enqueue intents left pending or submitted (a worker died, the node was down)."""
    from scf.chain.tasks import intent_execute_task

    if older_than is None:
        older_than = timedelta(seconds=settings.SCF_CHAIN_RESUME_AFTER)
    stale = ChainIntent.objects.filter(
        status__in=[Status.PENDING, Status.SUBMITTED],
        updated_at__lt=timezone.now() - older_than,
    ).order_by("sender_id", "nonce", "pk").values_list("pk", flat=True)
    count = 0
    for intent_id in stale:
        intent_execute_task.delay(intent_id)
        count += 1
    return count
