"""What the domain does when a chain intent reaches its outcome. Apps register a handler per
(contract, function) in their AppConfig.ready(); the outbox calls it once the intent is
confirmed or failed. Handlers must be idempotent: after a crash the resume task calls them
again for any intent whose `hooks_done` is still false."""

import logging
from collections.abc import Callable

from django.db import transaction

from scf.chain.models import ChainIntent

logger = logging.getLogger(__name__)
Handler = Callable[[ChainIntent], None]
_handlers: dict[tuple[str, str], list[Handler]] = {}


def on_intent_outcome(contract: str, function: str) -> Callable[[Handler], Handler]:
    """Decorator: call the handler with the intent when it is confirmed or failed."""
    def register(handler: Handler) -> Handler:
        bucket = _handlers.setdefault((contract, function), [])
        if handler not in bucket:
            bucket.append(handler)
        return handler
    return register


def run_outcome_hooks(intent_id: int) -> None:
    with transaction.atomic():
        intent = ChainIntent.objects.select_for_update().get(pk=intent_id)
        if intent.hooks_done or intent.status not in (ChainIntent.Status.CONFIRMED,
                                                      ChainIntent.Status.FAILED):
            return
        for handler in _handlers.get((intent.contract, intent.function), []):
            handler(intent)
        intent.hooks_done = True
        intent.save(update_fields=["hooks_done", "updated_at"])


def run_pending_hooks() -> int:
    """The resume task's second duty: outcomes whose hooks did not run (a crash in between)."""
    pending = ChainIntent.objects.filter(
        hooks_done=False, status__in=[ChainIntent.Status.CONFIRMED, ChainIntent.Status.FAILED]
    ).values_list("pk", flat=True)
    count = 0
    for intent_id in pending:
        try:
            run_outcome_hooks(intent_id)
            count += 1
        except Exception:
            logger.exception("outcome hooks of intent %s failed; retried later", intent_id)
    return count
