"""Chain outcomes of clearing operations: settled pieces and overdue marks move the batch and its
items on."""

from collections import defaultdict

from django.utils import timezone

from banking.models import (
    ClearingBatch,
    ClearingOperation,
)
from scf.audit.services import audit_record
from scf.chain.models import ChainIntent

from .clearing import batch_status, clearing_batch_summary
from .common import (
    ITEM_TRANSITIONS,
    SELF,
    PieceStatus,
    event_args,
    notify,
    outcome_transition,
)


def clearing_operation_on_outcome(intent: ChainIntent) -> None:
    """settle / markOverdue confirmed or failed: record each piece's result, tell the holders
    (and, for overdue pieces, the debtor)."""
    operation = ClearingOperation.objects.select_for_update(of=SELF).filter(intent=intent).first()
    if operation is None or operation.handled:
        return
    batch = ClearingBatch.objects.select_for_update(of=SELF).select_related("core_enterprise").get(
        pk=operation.batch_id)
    before = clearing_batch_summary(batch)
    confirmed = intent.status == ChainIntent.Status.CONFIRMED
    if operation.kind == ClearingOperation.Kind.SETTLE:
        _on_settle(operation, batch, intent, confirmed)
        batch.status = batch_status(batch)
        batch.save()
    else:
        _on_overdue(operation, batch, intent, confirmed)
    operation.handled = True
    operation.save(update_fields=["handled"])
    audit_record(actor=intent.requested_by, organisation=batch.core_enterprise,
                 action=f"clearing.{operation.kind}.{'confirmed' if confirmed else 'failed'}",
                 obj=batch, before=before,
                 after={**clearing_batch_summary(batch), "token_ids": operation.token_ids},
                 tx_hash=intent.tx_hash)


def _on_settle(operation, batch, intent, confirmed) -> None:
    items = list(operation.items.select_for_update(of=SELF).select_related("holder"))
    if not confirmed:
        for item in items:
            item.status = outcome_transition(ITEM_TRANSITIONS, item.status, "fail", row=item,
                                             intent=intent) or item.status
            item.save()
        notify(batch.core_enterprise, "clearing.failed",
               link=f"/api/clearing/batches/{batch.pk}", error_name=intent.error_name)
        return
    settled = {int(args["tokenId"]) for args in event_args(intent, "PieceSettled")}
    paid: dict[int, int] = defaultdict(int)
    holders = {}
    now = timezone.now()
    for item in items:
        if item.token_id not in settled:
            continue
        item.status = outcome_transition(ITEM_TRANSITIONS, item.status, "settled", row=item,
                                         intent=intent) or item.status
        item.chain_status = PieceStatus.SETTLED
        item.settled_at = now
        item.save()
        if item.holder_id:
            paid[item.holder_id] += item.amount_fen
            holders[item.holder_id] = item.holder
    for holder_id, amount in paid.items():
        notify(holders[holder_id], "clearing.settled", link=f"/api/clearing/batches/{batch.pk}",
               core_enterprise=batch.core_enterprise.name, amount_fen=amount,
               payment_reference=batch.payment_reference)


def _on_overdue(operation, batch, intent, confirmed) -> None:
    if not confirmed:
        return
    marked = {int(args["tokenId"]) for args in event_args(intent, "PieceMarkedOverdue")}
    unpaid: dict[int, int] = defaultdict(int)
    holders = {}
    total = 0
    for item in batch.items.select_for_update(of=SELF).select_related("holder").filter(
            token_id__in=marked):
        item.overdue = True
        item.chain_status = PieceStatus.OVERDUE
        item.save()
        total += item.amount_fen
        if item.holder_id:
            unpaid[item.holder_id] += item.amount_fen
            holders[item.holder_id] = item.holder
    link = f"/api/clearing/batches/{batch.pk}"
    notify(batch.core_enterprise, "clearing.overdue:core", link=link, count=len(marked),
           total_fen=total)
    for holder_id, amount in unpaid.items():
        notify(holders[holder_id], "clearing.overdue:holder", link=link,
               core_enterprise=batch.core_enterprise.name, amount_fen=amount)
