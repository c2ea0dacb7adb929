"""Pieces: transfer (转让), split (拆分) and judicial freeze (司法冻结), each a chain operation."""


from django.db import transaction

from receivables.models import (
    PieceOperation,
    Voucher,
)
from scf import clock
from scf.accounts.models import ChainRole, Organisation, OrganisationKind, User
from scf.accounts.permissions import (
    MSG_NOT_OWN,
    ForbiddenError,
    can_freeze,
)
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.chain.models import PieceState
from scf.chain.readers import ChainPiece, chain_now, piece_of
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError, NotFoundError
from scf.money import format_yuan

from .common import (
    HOLDER_ROLES,
    LEDGER,
    OPS,
    PieceStatus,
    chain_address,
    fields_error,
    max_split_parts,
    member_problem,
    organisation_by_address,
    sha256_hex,
)

# --- pieces: transfer (转让), split (拆分), freeze (司法冻结) ----------------------------------

def piece_operation_summary(operation: PieceOperation) -> dict:
    return {"kind": operation.kind, "status": operation.status, "token_id": operation.token_id,
            "root_id": operation.root_id, "organisation": operation.organisation_id,
            "holder": operation.holder_id, "to_organisation": operation.to_organisation_id,
            "amount_fen": operation.amount_fen, "amounts_fen": operation.amounts_fen,
            "whole_piece": operation.whole_piece, "reason_hash": operation.reason_hash,
            "intent": operation.intent_id, "new_token_ids": operation.new_token_ids,
            "error_name": operation.error_name}


def _locked_piece(token_id: int) -> ChainPiece:
    """Lock the piece's projection row (serialising requests on one piece), then read the piece
    from the chain, which is the authority."""
    PieceState.objects.select_for_update().filter(token_id=token_id).first()
    piece = piece_of(token_id, with_slot=True)
    if piece is None:
        raise NotFoundError("无此凭证 / No such piece")
    return piece


def _require_no_operation_in_flight(token_id: int) -> None:
    in_flight = PieceOperation.objects.filter(
        token_id=token_id, status=OPS.SUBMITTED,
        kind__in=[PieceOperation.Kind.TRANSFER, PieceOperation.Kind.SPLIT]).first()
    if in_flight is not None:
        raise InvalidStateError(
            f"该凭证有一笔操作（#{in_flight.pk}）尚未上链确认，请稍候 / An operation on this piece "
            f"(#{in_flight.pk}) is still being confirmed on chain", code="operation_in_flight",
            extra={"piece_operation_id": in_flight.pk,
                   "operation_id": in_flight.intent_id})


def _financing_reservation(token_id: int):
    """banking's live financing application on the piece, if any: while several banks quote,
    no chain lock protects the piece yet, so the platform must not move it."""
    try:
        from banking.selectors import financing_reservation_for_piece
    except ImportError:  # banking not (yet) providing it
        return None
    return financing_reservation_for_piece(token_id=token_id)


def check_piece_movable(piece: ChainPiece) -> None:
    """409 with the reason when the ledger would refuse to move the piece."""
    extra = {"token_id": piece.token_id, "status": piece.status_name}
    if piece.frozen:
        raise InvalidStateError("该凭证已被司法冻结，不能转让或拆分 / The piece is frozen by a "
                                "judicial order: it cannot move", code="piece_frozen",
                                extra=extra)
    if piece.status == PieceStatus.LOCKED:
        bank = organisation_by_address(piece.lock_bank)
        raise InvalidStateError(
            f"该凭证已为融资申请锁定（{bank.name if bank else piece.lock_bank}），不能转让或拆分 / "
            "The piece is locked for a financing application: it cannot move",
            code="piece_locked", extra={**extra, "lock_bank": piece.lock_bank})
    messages = {
        PieceStatus.PENDING: ("piece_pending", "该凭证尚未签收 / The voucher has not been "
                                               "accepted yet"),
        PieceStatus.SETTLED: ("piece_settled", "该凭证已清分 / The piece is settled"),
        PieceStatus.CANCELLED: ("piece_cancelled", "该凭证已作废 / The voucher was cancelled"),
        PieceStatus.OVERDUE: ("piece_overdue", "该凭证已逾期，只能清分 / The piece is overdue: "
                                               "only settlement is possible"),
    }
    if piece.status in messages:
        code, message = messages[piece.status]
        raise InvalidStateError(message, code=code, extra=extra)
    if piece.status != PieceStatus.ACTIVE:
        raise InvalidStateError(f"凭证状态 {piece.status_name} 不能转让 / A piece that is "
                                f"{piece.status_name} cannot move", code="invalid_piece_status",
                                extra=extra)
    if chain_now() >= piece.maturity:
        matured = clock.date_of(piece.maturity)
        raise InvalidStateError(
            f"该凭证已于 {matured} 到期，只能清分 / The piece matured on {matured}: only "
            "settlement is possible", code="piece_matured",
            extra={**extra, "maturity_date": str(matured)})
    application = _financing_reservation(piece.token_id)
    if application is not None:
        raise InvalidStateError(
            f"该凭证正在融资申请 #{application.pk} 中，不能转让或拆分 / The piece is reserved by "
            f"financing application #{application.pk}", code="piece_reserved",
            extra={**extra, "financing_application": application.pk})


def _movement_context(*, user: User, token_id: int) -> tuple[ChainPiece, Organisation]:
    holder = Organisation.objects.select_related("chain_account").get(pk=user.organisation_id)
    piece = _locked_piece(token_id)
    if piece.owner != chain_address(holder):
        raise ForbiddenError(MSG_NOT_OWN)
    _require_no_operation_in_flight(token_id)
    check_piece_movable(piece)
    problem = member_problem(holder, kinds=(OrganisationKind.SUPPLIER, OrganisationKind.BANK),
                              role=HOLDER_ROLES)
    if problem:
        raise InvalidStateError(f"本机构不能转让凭证：{problem}", code="not_a_member")
    return piece, holder


def _new_operation(*, kind: str, user: User, piece: ChainPiece, holder: Organisation | None,
                   **fields) -> PieceOperation:
    return PieceOperation.objects.create(
        kind=kind, token_id=piece.token_id, root_id=piece.root_id,
        voucher=Voucher.objects.filter(token_id=piece.root_id).first(),
        debtor=organisation_by_address(piece.debtor), organisation=user.organisation,
        holder=holder, requested_by=user, **fields)


def _enqueue_operation(operation: PieceOperation, *, organisation: Organisation, function: str,
                       args: list, user: User) -> PieceOperation:
    operation.intent = organisation_intent_enqueue(
        organisation=organisation, contract=LEDGER, function=function, args=args,
        idempotency_key=f"piece-operation:{operation.pk}", requested_by=user)
    operation.save(update_fields=["intent", "reason_hash", "updated_at"])
    audit_record(actor=user, organisation=user.organisation,
                 action=f"piece.{operation.kind}", obj=operation, before={},
                 after=piece_operation_summary(operation))
    return operation


@transaction.atomic
def piece_transfer(*, user: User, token_id: int, to_organisation: Organisation,
                   amount_fen: int) -> PieceOperation:
    """Send `amount_fen` of the piece to another member: the whole balance hands the piece over
    (transferPiece, same token id); less derives a new piece for the receiver (transferValue)."""
    piece, holder = _movement_context(user=user, token_id=token_id)
    errors: dict[str, list[str]] = {}
    if amount_fen <= 0:
        errors["amount_fen"] = ["金额须大于零 / The amount must be greater than zero"]
    elif amount_fen > piece.balance:
        errors["amount_fen"] = [
            f"超出凭证余额 {format_yuan(piece.balance)} 元 / Beyond the piece's balance of "
            f"{format_yuan(piece.balance)} yuan"]
    if to_organisation.pk == holder.pk:
        errors["to_organisation"] = ["不能转让给本机构自己 / You cannot transfer to yourself"]
    else:
        problem = member_problem(to_organisation,
                                  kinds=(OrganisationKind.SUPPLIER, OrganisationKind.BANK),
                                  role=HOLDER_ROLES)
        if problem:
            errors["to_organisation"] = [f"受让方不能持有凭证 / The receiver cannot hold "
                                         f"vouchers: {problem}"]
    if errors:
        raise fields_error(errors)
    whole = amount_fen == piece.balance
    operation = _new_operation(kind=PieceOperation.Kind.TRANSFER, user=user, piece=piece,
                               holder=holder, to_organisation=to_organisation,
                               amount_fen=amount_fen, whole_piece=whole)
    to_address = chain_address(to_organisation)
    if whole:
        function, args = "transferPiece", [token_id, to_address]
    else:
        function, args = "transferValue", [token_id, to_address, amount_fen]
    return _enqueue_operation(operation, organisation=holder, function=function, args=args,
                              user=user)


@transaction.atomic
def piece_split(*, user: User, token_id: int, amounts_fen: list[int]) -> PieceOperation:
    """Split the piece into parts of `amounts_fen`, which must add up to its balance. The first
    parts become new pieces (split(tokenId, amounts[:-1])); the last stays on the piece itself,
    so the user's numbers are exactly the pieces they end up with."""
    piece, holder = _movement_context(user=user, token_id=token_id)
    most = max_split_parts()
    if not 2 <= len(amounts_fen) <= most:
        raise field_error("amounts_fen", f"拆分为 2 至 {most} 份 / Split into 2 to {most} parts")
    if any(amount <= 0 for amount in amounts_fen):
        raise field_error("amounts_fen", "每份金额须大于零 / Every part must be greater than zero")
    total = sum(amounts_fen)
    if total != piece.balance:
        raise field_error(
            "amounts_fen", f"拆分金额之和须等于余额：余额 {format_yuan(piece.balance)} 元，合计 "
                           f"{format_yuan(total)} 元 / split amounts must add up to the balance: "
                           f"balance {format_yuan(piece.balance)}, total {format_yuan(total)}")
    operation = _new_operation(kind=PieceOperation.Kind.SPLIT, user=user, piece=piece,
                               holder=holder, amount_fen=total, amounts_fen=list(amounts_fen))
    return _enqueue_operation(operation, organisation=holder, function="split",
                              args=[token_id, list(amounts_fen[:-1])], user=user)


def _regulator_context(*, user: User, token_id: int) -> tuple[ChainPiece, Organisation]:
    if not can_freeze(user):
        raise ForbiddenError("只有监管机构可以冻结或解冻 / Only the regulator freezes or "
                             "unfreezes")
    regulator = Organisation.objects.select_related("chain_account").get(pk=user.organisation_id)
    piece = _locked_piece(token_id)
    problem = member_problem(regulator, kinds=(OrganisationKind.REGULATOR,),
                              role=ChainRole.REGULATOR)
    if problem:
        raise InvalidStateError(f"本机构不能冻结：{problem}", code="not_a_member")
    return piece, regulator


@transaction.atomic
def piece_freeze(*, user: User, token_id: int, reason: str) -> PieceOperation:
    """A judicial freeze (司法冻结) by the regulator: the reason stays here, its hash on chain."""
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写冻结原因 / A reason is required")
    piece, regulator = _regulator_context(user=user, token_id=token_id)
    if piece.frozen:
        raise InvalidStateError("该凭证已冻结 / The piece is already frozen",
                                code="piece_frozen", extra={"token_id": token_id})
    if piece.status in (PieceStatus.SETTLED, PieceStatus.CANCELLED):
        raise InvalidStateError(f"凭证状态为 {piece.status_name}，不能冻结 / A "
                                f"{piece.status_name} piece cannot be frozen",
                                code="invalid_piece_status",
                                extra={"token_id": token_id, "status": piece.status_name})
    operation = _new_operation(kind=PieceOperation.Kind.FREEZE, user=user, piece=piece,
                               holder=organisation_by_address(piece.owner), reason=reason)
    operation.reason_hash = sha256_hex(f"scf-freeze:{operation.pk}:{reason}")
    return _enqueue_operation(operation, organisation=regulator, function="freeze",
                              args=[token_id, operation.reason_hash], user=user)


@transaction.atomic
def piece_unfreeze(*, user: User, token_id: int, reason: str) -> PieceOperation:
    """The regulator lifts a freeze; the reason is kept here (unfreeze takes none on chain)."""
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写解冻原因 / A reason is required")
    piece, regulator = _regulator_context(user=user, token_id=token_id)
    if not piece.frozen:
        raise InvalidStateError("该凭证未被冻结 / The piece is not frozen",
                                code="piece_not_frozen", extra={"token_id": token_id})
    operation = _new_operation(kind=PieceOperation.Kind.UNFREEZE, user=user, piece=piece,
                               holder=organisation_by_address(piece.owner), reason=reason,
                               reason_hash=sha256_hex(f"scf-unfreeze:{token_id}:{reason}"))
    return _enqueue_operation(operation, organisation=regulator, function="unfreeze",
                              args=[token_id], user=user)
