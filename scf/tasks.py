"""Cross-cutting tasks, and the one way a service hands work to Celery after its commit."""

import logging
import socket

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerConnectionError

logger = logging.getLogger(__name__)


@shared_task(name="scf.ping")
def ping(payload: str = "") -> dict:
    """Round-trip probe: proves a worker consumes from the broker and results come back."""
    return {"pong": payload, "worker": socket.gethostname()}


def enqueue_after_commit(task, *args) -> None:
    """Send `task(*args)` to a worker once the caller's transaction commits. The work itself is
    already recorded in that transaction (an outbox intent, a queued document), so a broker that
    is down must not turn the committed operation into an error answer: the send is given up
    with a warning and the task's periodic catch-up (chain.intents_resume, chain.index,
    documents.resume) does the work when the broker is back. Results are not kept: nothing
    waits for them, and asking for them would subscribe to the result store on every call."""
    transaction.on_commit(lambda: _send(task, args))


def _send(task, args: tuple) -> None:
    try:
        task.apply_async(args, ignore_result=True)
    except (BrokerConnectionError, OSError) as exc:  # kombu wraps the transport's errors
        if task.app.conf.task_always_eager:
            raise  # the task ran here: its errors are the caller's
        logger.warning("broker unreachable: %s%r not sent, left for its periodic catch-up: %s",
                       task.name, args, exc)
