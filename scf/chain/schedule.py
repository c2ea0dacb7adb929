"""The embedded default (eager Celery) has no worker and no beat: the run command keeps the
gateway's periodic duties going in a thread of its own, as beat would (CELERY_BEAT_SCHEDULE):
the receipt collector every second, the resume task every SCF_CHAIN_RESUME_AFTER seconds. So
an operation left mined, or sent while the node was away, still finishes without a worker."""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)
COLLECT_EVERY = 1.0


def start_embedded_schedule() -> threading.Event:
    """Start the thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=_run, args=(stop,), name="scf-chain-schedule", daemon=True).start()
    return stop


def _run(stop: threading.Event) -> None:
    from scf.chain.tasks import collect_receipts_task, intents_resume_task

    last_resume = time.monotonic()
    while not stop.wait(COLLECT_EVERY):
        try:
            collect_receipts_task()
            if time.monotonic() - last_resume >= settings.SCF_CHAIN_RESUME_AFTER:
                last_resume = time.monotonic()
                intents_resume_task()
        except Exception:  # the thread must outlive any one failure  # noqa: BLE001
            logger.exception("the embedded chain schedule failed; retrying in a second")
        finally:
            close_old_connections()
