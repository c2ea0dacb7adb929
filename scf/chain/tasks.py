"""Thin Celery tasks of the chain gateway: load, call the service, retry on transient errors.
An intent never fails for a transient reason: after its retries it stays pending and the
periodic resume task picks it up again; once sent, the periodic receipt collector owns it."""

from contextlib import suppress

from celery import shared_task
from django.conf import settings

from scf.chain.errors import ChainUnavailableError


@shared_task(bind=True, name="chain.intent_execute", acks_late=True, max_retries=None)
def intent_execute_task(self, intent_id: int) -> str:
    from scf.chain.outbox import intent_execute

    try:
        return intent_execute(intent_id=intent_id)
    except ChainUnavailableError as exc:
        if self.request.is_eager or self.request.retries + 1 >= settings.SCF_CHAIN_MAX_ATTEMPTS:
            return "pending"  # left for intents_resume_task
        raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc


@shared_task(name="chain.intents_resume")
def intents_resume_task() -> int:
    """Every minute: hooks a crash left undone, a receipt pass (in case the collector's own
    schedule is not running), and intents never sent."""
    from scf.chain.hooks import run_pending_hooks
    from scf.chain.outbox import intents_resume
    from scf.chain.receipts import collect_receipts

    run_pending_hooks()
    with suppress(ChainUnavailableError):  # the node is away: the intents wait for it
        collect_receipts()
    return intents_resume()


@shared_task(name="chain.collect_receipts")
def collect_receipts_task() -> int:
    from scf.chain.receipts import collect_receipts

    try:
        return collect_receipts()
    except ChainUnavailableError:
        return 0  # the next periodic pass collects them


@shared_task(name="chain.index")
def index_chain_task() -> int:
    from scf.chain.indexer import index_chain

    try:
        return index_chain()
    except ChainUnavailableError:
        return 0  # the next periodic run catches up


@shared_task(name="chain.reconcile")
def reconcile_task() -> int:
    """The periodic reconcile run; its ReconcileRun row (drift or the node's absence) is the
    outcome, read by /api/health."""
    from scf.chain.reconcile_run import reconcile_run

    return reconcile_run().drift_count
