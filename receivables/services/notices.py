"""Outcomes of piece operations and the debtor notices (债权转让通知) that confirmed
movements produce."""

import logging

from django.db import transaction

from receivables import messages
from receivables.models import (
    DebtorNotice,
    PieceOperation,
    Voucher,
)
from scf.accounts.models import Organisation
from scf.audit.services import audit_record
from scf.chain.models import ChainIntent
from scf.notifications.services import notification_send

from .common import OPS, operation_outcome
from .issuance import events
from .pieces import piece_operation_summary

logger = logging.getLogger(__name__)


# --- outcomes and debtor notices ----------------------------------------------------------------

def debtor_notice_record(*, kind: str, intent: ChainIntent, debtor: Organisation,
                         from_organisation: Organisation, to_organisation: Organisation,
                         root_id: int, from_token_id: int, to_token_id: int, amount_fen: int,
                         operation: PieceOperation | None = None) -> DebtorNotice:
    """One debtor notice (债权转让通知) for a confirmed movement of value, and a notification to
    the debtor. Idempotent per (intent, new holding). Also for banking: a financing approval
    that hands a piece to the bank is a transfer the debtor must be told of."""
    voucher = Voucher.objects.filter(token_id=root_id).first()
    notice, created = DebtorNotice.objects.get_or_create(
        intent=intent, to_token_id=to_token_id,
        defaults={"kind": kind, "debtor": debtor, "from_organisation": from_organisation,
                  "to_organisation": to_organisation, "voucher": voucher, "root_id": root_id,
                  "from_token_id": from_token_id, "amount_fen": amount_fen,
                  "maturity_date": voucher.maturity_date if voucher else None,
                  "tx_hash": intent.tx_hash, "block_number": intent.block_number or 0,
                  "operation": operation})
    if created:
        notification_send(
            organisation=debtor, link=f"/api/debtor-notices/{notice.pk}",
            **messages.notification(
                "debtor_notice", from_organisation=from_organisation.name,
                to_organisation=to_organisation.name, amount_fen=amount_fen,
                kind_label=dict(DebtorNotice.Kind.choices)[kind], root_id=root_id,
                from_token_id=from_token_id, to_token_id=to_token_id))
    return notice


def _notices_for(operation: PieceOperation, intent: ChainIntent) -> list[int]:
    """Record the debtor notices of a confirmed transfer or split; return the new token ids."""
    derived = {int(args["tokenId"]): args for args in events(intent, "PieceDerived")}
    values = {int(args["toTokenId"]): int(args["value"])
              for args in events(intent, "TransferValue")}
    new_ids = sorted(derived)
    if operation.debtor is None:
        logger.warning("piece operation %s: the debtor is not a platform organisation",
                       operation.pk)
        return new_ids
    if operation.kind == PieceOperation.Kind.TRANSFER:
        moves = ([(operation.token_id, operation.amount_fen)] if operation.whole_piece
                 else [(token_id, values.get(token_id, operation.amount_fen))
                       for token_id in new_ids])
        receiver, kind = operation.to_organisation, DebtorNotice.Kind.TRANSFER
    else:
        moves = [(token_id, values[token_id]) for token_id in new_ids]
        receiver, kind = operation.holder, DebtorNotice.Kind.SPLIT
    for to_token_id, amount in moves:
        debtor_notice_record(kind=kind, intent=intent, debtor=operation.debtor,
                             from_organisation=operation.holder, to_organisation=receiver,
                             root_id=operation.root_id, from_token_id=operation.token_id,
                             to_token_id=to_token_id, amount_fen=amount, operation=operation)
    return new_ids


@transaction.atomic
def piece_operation_outcome(*, intent: ChainIntent) -> PieceOperation | None:
    """Outcome hook of transferValue, transferPiece, split, freeze and unfreeze."""
    operation = (PieceOperation.objects.select_for_update(of=("self",))
                 .select_related("debtor", "holder", "to_organisation")
                 .filter(intent=intent).first())
    if operation is None or operation.status != OPS.SUBMITTED:
        return operation
    before = piece_operation_summary(operation)
    if intent.status == ChainIntent.Status.CONFIRMED:
        operation.status = operation_outcome(operation, "confirm", intent)
        if operation.kind in (PieceOperation.Kind.TRANSFER, PieceOperation.Kind.SPLIT):
            operation.new_token_ids = _notices_for(operation, intent)
        if operation.kind == PieceOperation.Kind.TRANSFER:
            notification_send(
                organisation=operation.to_organisation,
                link=f"/api/pieces/{(operation.new_token_ids or [operation.token_id])[0]}",
                **messages.notification("piece.received", holder=operation.holder.name,
                                        amount_fen=operation.amount_fen))
        elif operation.kind == PieceOperation.Kind.FREEZE and operation.holder is not None:
            notification_send(
                organisation=operation.holder, link=f"/api/pieces/{operation.token_id}",
                **messages.notification("piece.frozen", token_id=operation.token_id))
        elif operation.kind == PieceOperation.Kind.UNFREEZE and operation.holder is not None:
            notification_send(
                organisation=operation.holder, link=f"/api/pieces/{operation.token_id}",
                **messages.notification("piece.unfrozen", token_id=operation.token_id))
    else:
        operation.status = operation_outcome(operation, "fail", intent)
    operation.save()
    audit_record(actor=intent.requested_by, organisation=operation.organisation,
                 action=f"piece.{operation.kind}_{operation.status}", obj=operation,
                 before=before, after=piece_operation_summary(operation),
                 tx_hash=intent.tx_hash)
    return operation
