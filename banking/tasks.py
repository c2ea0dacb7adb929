"""Periodic banking work, thin: call the service; a chain outage waits for the next run."""

import logging

from celery import shared_task

from scf.chain.errors import ChainUnavailableError

logger = logging.getLogger(__name__)


@shared_task(name="banking.clearing_run")
def clearing_run_task() -> dict:
    """Find roots due, compute their clearing, settle what became settleable, mark overdue."""
    from banking.services import clearing_run

    try:
        return clearing_run()
    except ChainUnavailableError as exc:
        logger.warning("clearing postponed: %s", exc.message)
        return {"postponed": exc.message}


@shared_task(name="banking.credit_lines_expire_due")
def credit_lines_expire_due_task() -> list[int]:
    from banking.services import credit_lines_expire_due

    return credit_lines_expire_due()
