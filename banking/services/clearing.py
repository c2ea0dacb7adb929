"""Maturity clearing (到期清分): batches of due pieces, settlement and overdue marking sent to the
chain, and the periodic run."""

import logging
from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from banking.models import (
    ClearingBatch,
    ClearingItem,
    ClearingOperation,
)
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import ForbiddenError
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.chain.hashes import text_hash
from scf.chain.limits import chain_limits
from scf.chain.models import ChainEvent, PieceState, SlotState
from scf.chain.readers import (
    ChainPiece,
    ChainSlot,
    chain_now,
    grace_period,
    pieces_of,
    slot_of,
)
from scf.chain.services import intent_enqueue, operator_chain_account, organisation_intent_enqueue

from .common import (
    BATCH_TRANSITIONS,
    ITEM_TRANSITIONS,
    SELF,
    Batch,
    Item,
    PieceStatus,
    notify,
    organisations_by_address,
    require_active_member,
    transition,
)

logger = logging.getLogger(__name__)



LIVE_PIECE_STATUSES = (PieceStatus.PENDING, PieceStatus.ACTIVE, PieceStatus.LOCKED,
                       PieceStatus.OVERDUE)


def clearing_batch_summary(batch: ClearingBatch) -> dict:
    return {"status": batch.status, "core_enterprise": batch.core_enterprise_id,
            "root_ids": batch.root_ids, "total_fen": batch.total_fen,
            "payment_reference": batch.payment_reference, "paid_on": batch.paid_on}


def _blocked_reason(piece: ChainPiece) -> str:
    if piece.frozen:
        return "司法冻结 / frozen"
    if piece.status == PieceStatus.LOCKED:
        return f"融资锁定 / locked for financing by {piece.lock_bank}"
    if piece.status == PieceStatus.PENDING:
        return "待签收 / awaiting acceptance"
    return ""


def _settleable(piece: ChainPiece) -> bool:
    return piece.status in (PieceStatus.ACTIVE, PieceStatus.OVERDUE) and not piece.frozen


def root_token_ids(root_id: int) -> set[int]:
    """Every piece of a root the projection or the stored events know of."""
    ids = {root_id}
    ids.update(PieceState.objects.filter(root_id=root_id).values_list("token_id", flat=True))
    ids.update(int(args["tokenId"]) for args in ChainEvent.objects.filter(
        contract="VoucherLedger", name="PieceDerived", args__rootId=root_id).values_list(
        "args", flat=True))
    return ids


def _live_pieces(root_id: int) -> list[ChainPiece]:
    pieces = pieces_of(sorted(root_token_ids(root_id))).values()
    return [piece for piece in pieces
            if piece and piece.status in LIVE_PIECE_STATUSES and piece.balance > 0]


def clearing_batches_create_due(*, now: int) -> list[ClearingBatch]:
    """One batch per core enterprise with roots due (maturity <= chain time) not yet in a
    batch: every live piece with a value, its holder and status as the chain reports them."""
    batched = set(ClearingItem.objects.values_list("root_id", flat=True).distinct())
    due: dict[str, list[tuple[ChainSlot, list[ChainPiece]]]] = defaultdict(list)
    for root_id in (SlotState.objects.filter(maturity__lte=now).exclude(root_id__in=batched)
                    .order_by("root_id").values_list("root_id", flat=True)):
        slot = slot_of(root_id)
        if slot is None or slot.maturity > now:
            continue
        pieces = _live_pieces(root_id)
        if pieces:
            due[slot.debtor].append((slot, pieces))
    debtors = organisations_by_address(due)
    batches = []
    for debtor_address, roots in due.items():
        core = debtors.get(debtor_address)
        if core is None:
            logger.warning("clearing: debtor %s is no organisation of the platform",
                           debtor_address)
            continue
        batch = _clearing_batch_create(core=core, roots=roots, now=now)
        if batch:
            batches.append(batch)
    return batches


@transaction.atomic
def _clearing_batch_create(*, core: Organisation,
                           roots: list[tuple[ChainSlot, list[ChainPiece]]],
                           now: int) -> ClearingBatch | None:
    Organisation.objects.select_for_update(of=SELF).get(pk=core.pk)  # one computation at a time
    roots = [(slot, pieces) for slot, pieces in roots
             if not ClearingItem.objects.filter(root_id=slot.root_id).exists()]
    if not roots:
        return None
    holders = organisations_by_address(piece.owner for _, pieces in roots for piece in pieces)
    batch = ClearingBatch.objects.create(core_enterprise=core, chain_time=now,
                                         root_ids=[slot.root_id for slot, _ in roots])
    items = []
    for slot, pieces in roots:
        for piece in pieces:
            blocked = not _settleable(piece)
            items.append(ClearingItem(
                batch=batch, root_id=slot.root_id, token_id=piece.token_id,
                maturity=slot.maturity, holder_address=piece.owner,
                holder=holders.get(piece.owner), amount_fen=piece.balance,
                chain_status=piece.status, frozen=piece.frozen,
                overdue=piece.status == PieceStatus.OVERDUE,
                status=Item.BLOCKED if blocked else Item.PENDING,
                blocked_reason=_blocked_reason(piece) if blocked else ""))
    ClearingItem.objects.bulk_create(items)
    batch.total_fen = sum(item.amount_fen for item in items)
    batch.save(update_fields=["total_fen"])
    notify(core, "clearing.due", link=f"/api/clearing/batches/{batch.pk}", count=len(items),
           total_fen=batch.total_fen)
    audit_record(actor=None, organisation=core, action="clearing.compute", obj=batch, before={},
                 after={**clearing_batch_summary(batch),
                        "items": [[item.token_id, item.holder_address, item.amount_fen,
                                   item.status] for item in items]})
    return batch


def _refresh_item(item: ClearingItem, piece: ChainPiece | None) -> None:
    if piece is None:
        return
    item.holder_address = piece.owner
    item.chain_status = piece.status
    item.frozen = piece.frozen
    item.overdue = item.overdue or piece.status == PieceStatus.OVERDUE


def _settle_ready_items(batch: ClearingBatch, user: User | None) -> list[ClearingOperation]:
    """Re-read every unsettled item on chain and send `settle` from the core enterprise's
    account for the settleable ones, at most VoucherLedger.MAX_BATCH per call, each its own
    intent."""
    items = list(batch.items.select_for_update(of=SELF).filter(
        status__in=[Item.PENDING, Item.BLOCKED, Item.FAILED]).order_by("root_id", "token_id"))
    ready = []
    pieces = pieces_of(item.token_id for item in items)
    for item in items:
        piece = pieces[item.token_id]
        _refresh_item(item, piece)
        if piece is not None and piece.status == PieceStatus.SETTLED:
            item.status = ITEM_TRANSITIONS["settled"][item.status]
        elif piece is not None and _settleable(piece):
            ready.append(item)
            continue
        else:
            item.status = ITEM_TRANSITIONS["block"][item.status]
            item.blocked_reason = _blocked_reason(piece) if piece else "不存在 / not found"
        item.save()
    payment_ref = text_hash(batch.payment_reference)
    max_batch = chain_limits().max_batch
    sequence = batch.operations.filter(kind=ClearingOperation.Kind.SETTLE).count()
    operations = []
    for start in range(0, len(ready), max_batch):
        chunk = ready[start:start + max_batch]
        sequence += 1
        token_ids = [item.token_id for item in chunk]
        intent = organisation_intent_enqueue(
            organisation=batch.core_enterprise, contract="VoucherLedger", function="settle",
            args=[[str(token_id) for token_id in token_ids], payment_ref],
            idempotency_key=f"banking:clearing-batch:{batch.pk}:settle:{sequence}",
            requested_by=user or batch.confirmed_by)
        operation = ClearingOperation.objects.create(
            batch=batch, kind=ClearingOperation.Kind.SETTLE, sequence=sequence,
            token_ids=token_ids, intent=intent)
        for item in chunk:
            item.status = transition(ITEM_TRANSITIONS, item.status, "settle", "清分项")
            item.operation = operation
            item.blocked_reason = ""
            item.save()
        operations.append(operation)
    return operations


def batch_status(batch: ClearingBatch) -> str:
    statuses = set(batch.items.values_list("status", flat=True))
    if statuses <= {Item.SETTLED}:
        return Batch.SETTLED
    if Item.SETTLING in statuses:
        return Batch.SETTLING
    return Batch.PARTIALLY_SETTLED


@transaction.atomic
def clearing_batch_confirm(*, batch: ClearingBatch, user: User, payment_reference: str,
                           paid_on: date) -> tuple[ClearingBatch, list[ClearingOperation]]:
    """The core enterprise confirms it has paid every holder; settlement is recorded on chain
    from its account in bounded batches, and the contract restores its credit line."""
    core = require_active_member(user, OrganisationKind.CORE_ENTERPRISE)
    batch = ClearingBatch.objects.select_for_update(of=SELF).select_related(
        "core_enterprise__chain_account").get(pk=batch.pk)
    if batch.core_enterprise_id != core.pk:
        raise ForbiddenError("只能确认本企业的清分 / You can only confirm your own clearing")
    before = clearing_batch_summary(batch)
    new_status = transition(BATCH_TRANSITIONS, batch.status, "confirm", "清分批次 / batch")
    if not payment_reference.strip():
        raise field_error("payment_reference", "请填写付款流水号 / A payment reference is "
                                               "required")
    if paid_on > clock.today():
        raise field_error("paid_on", "付款日不能晚于今天 / The payment date cannot be in the "
                                     "future")
    batch.payment_reference = payment_reference.strip()
    batch.paid_on = paid_on
    batch.confirmed_by, batch.confirmed_at = user, timezone.now()
    batch.status = new_status
    batch.save()
    operations = _settle_ready_items(batch, user)
    batch.status = batch_status(batch)
    batch.save()
    audit_record(actor=user, organisation=core, action="clearing.confirm", obj=batch,
                 before=before, after={**clearing_batch_summary(batch),
                                       "operations": [op.intent_id for op in operations]})
    return batch, operations


def clearing_batches_resume() -> list[ClearingOperation]:
    """Funded batches with pieces that were blocked (a lock or a freeze since released) or whose
    settlement failed: settle what the chain now allows."""
    operations = []
    for pk in ClearingBatch.objects.filter(status=Batch.PARTIALLY_SETTLED).values_list(
            "pk", flat=True):
        with transaction.atomic():
            batch = ClearingBatch.objects.select_for_update(of=SELF).select_related(
                "core_enterprise__chain_account").get(pk=pk)
            if batch.status != Batch.PARTIALLY_SETTLED:
                continue
            before = clearing_batch_summary(batch)
            created = _settle_ready_items(batch, None)
            batch.status = batch_status(batch)
            batch.save()
            if created or batch.status != before["status"]:
                audit_record(actor=None, organisation=batch.core_enterprise,
                             action="clearing.resume", obj=batch, before=before,
                             after={**clearing_batch_summary(batch),
                                    "operations": [op.intent_id for op in created]})
            operations += created
    return operations


def clearing_mark_overdue(*, now: int) -> list[ClearingOperation]:
    """Pieces still unpaid after maturity plus the ledger's grace period: markOverdue from the
    platform operator's account (at most VoucherLedger.MAX_BATCH per call); reminders follow the
    outcome."""
    grace = grace_period()
    candidates = (ClearingItem.objects.filter(overdue=False, maturity__lte=now - grace)
                  .exclude(status__in=[Item.SETTLED, Item.SETTLING])
                  .exclude(overdue_operation__handled=False)
                  .values_list("batch_id", flat=True).distinct())
    operations = []
    for batch_id in sorted(set(candidates)):
        with transaction.atomic():
            batch = ClearingBatch.objects.select_for_update(of=SELF).get(pk=batch_id)
            items = list(batch.items.select_for_update(of=SELF).filter(
                overdue=False, maturity__lte=now - grace).exclude(
                status__in=[Item.SETTLED, Item.SETTLING]).exclude(
                overdue_operation__handled=False).order_by("root_id", "token_id"))
            ready = []
            pieces = pieces_of(item.token_id for item in items)
            for item in items:
                piece = pieces[item.token_id]
                _refresh_item(item, piece)
                item.save()
                if piece is not None and piece.status == PieceStatus.ACTIVE:
                    ready.append(item)
            sequence = batch.operations.filter(kind=ClearingOperation.Kind.MARK_OVERDUE).count()
            max_batch = chain_limits().max_batch
            for start in range(0, len(ready), max_batch):
                chunk = ready[start:start + max_batch]
                sequence += 1
                token_ids = [item.token_id for item in chunk]
                intent = intent_enqueue(
                    sender=operator_chain_account(), contract="VoucherLedger",
                    function="markOverdue", args=[[str(token_id) for token_id in token_ids]],
                    idempotency_key=f"banking:clearing-batch:{batch.pk}:markOverdue:{sequence}")
                operation = ClearingOperation.objects.create(
                    batch=batch, kind=ClearingOperation.Kind.MARK_OVERDUE, sequence=sequence,
                    token_ids=token_ids, intent=intent)
                ClearingItem.objects.filter(pk__in=[item.pk for item in chunk]).update(
                    overdue_operation=operation)
                operations.append(operation)
            if ready:
                audit_record(actor=None, organisation=batch.core_enterprise,
                             action="clearing.mark_overdue", obj=batch, before={},
                             after={"token_ids": [item.token_id for item in ready]})
    return operations




def clearing_run(*, now: int | None = None) -> dict:
    """The scheduled clearing: index the chain, compute batches for roots due, settle what
    became settleable in funded batches, mark pieces overdue after the grace period."""
    from scf.chain.indexer import index_until_head

    index_until_head()
    now = now if now is not None else chain_now()
    batches = clearing_batches_create_due(now=now)
    resumed = clearing_batches_resume()
    overdue = clearing_mark_overdue(now=now)
    return {"chain_time": now, "batches_created": [batch.pk for batch in batches],
            "settle_operations": [op.intent_id for op in resumed],
            "overdue_operations": [op.intent_id for op in overdue]}
