"""Pieces: transfer (转让), split (拆分) and judicial freeze (司法冻结), each a chain operation.

The pre-flight checks read the projection (scf.chain.projection.prejudge), so a request that
the projection accepts makes no node call; the contract judges the intent when it executes."""

from collections.abc import Callable

from django.db import transaction

from receivables.models import (
    PieceOperation,
    Voucher,
)
from scf.accounts.models import ChainRole, Organisation, OrganisationKind, User
from scf.accounts.permissions import (
    MSG_NOT_OWN,
    ForbiddenError,
    can_freeze,
)
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.chain import preflight
from scf.chain.projection import Ledger, prejudge
from scf.chain.readers import ChainPiece
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError, NotFoundError, fields_error
from scf.money import format_yuan
from scf.pieces.claims import OPERATION_IN_FLIGHT, Claim, require_unclaimed
from scf.pieces.locks import lock_pieces

from .common import (
    HOLDER_ROLES,
    LEDGER,
    OPS,
    chain_address,
    counterparty_problem,
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


def _ledger_piece(ledger: Ledger, token_id: int) -> ChainPiece:
    """The piece with its slot as `ledger` has it, read before any lock is taken."""
    piece = ledger.piece_of(token_id, with_slot=True)
    if piece is None:
        raise NotFoundError("无此凭证 / No such piece")
    return piece


def _lock_unclaimed(piece: ChainPiece, *, amount_fen: int | None = None) -> None:
    """Take the piece's lock, then make sure no app claims the piece (an operation in flight,
    a financing application) beyond what leaves `amount_fen` free (None: the whole piece): the
    last step before the business row is written."""
    lock_pieces([piece.token_id])
    require_unclaimed(piece.token_id, context={"status": piece.status_name},
                      amount_fen=amount_fen, balance_fen=piece.balance)


def operation_in_flight_claim(token_id: int) -> Claim | None:
    """receivables' claim on a piece: transfers or a split submitted and not yet final. Partial
    transfers (transferValue) hold only their amounts; a whole transfer or a split holds the
    whole piece."""
    in_flight = list(_in_flight(PieceOperation.objects.filter(token_id=token_id)))
    return _in_flight_claim(in_flight) if in_flight else None


def operation_in_flight_claims(token_ids: list[int]) -> dict[int, Claim]:
    """The same for many pieces, in one query."""
    by_piece: dict[int, list[PieceOperation]] = {}
    for operation in _in_flight(PieceOperation.objects.filter(token_id__in=token_ids)):
        by_piece.setdefault(operation.token_id, []).append(operation)
    return {token_id: _in_flight_claim(operations) for token_id, operations in by_piece.items()}


def _in_flight(operations):
    return operations.filter(
        status=OPS.SUBMITTED,
        kind__in=[PieceOperation.Kind.TRANSFER, PieceOperation.Kind.SPLIT]).order_by("pk")


def _in_flight_claim(in_flight: list[PieceOperation]) -> Claim:
    first = in_flight[0]
    partial = all(op.kind == PieceOperation.Kind.TRANSFER and not op.whole_piece
                  for op in in_flight)
    return Claim(
        kind=OPERATION_IN_FLIGHT, holder=("piece_operation", first.pk),
        message=f"该凭证有一笔操作（#{first.pk}）尚未上链确认，请稍候 / An operation on this "
                f"piece (#{first.pk}) is still being confirmed on chain",
        extra={"piece_operation_id": first.pk, "operation_id": first.intent_id},
        amount_fen=sum(op.amount_fen for op in in_flight) if partial else None)


def check_piece_movable(piece: ChainPiece, *, ledger: Ledger) -> None:
    """409 chain_revert with the ledger's own error when it would refuse to move the piece."""
    preflight.require_movement(piece, now=ledger.now(), maturity=piece.maturity)


def _holder_of(user: User) -> Organisation:
    return Organisation.objects.select_related("chain_account").get(pk=user.organisation_id)


def _movable_piece(ledger: Ledger, *, holder: Organisation, token_id: int) -> ChainPiece:
    """Everything the chain decides about the holder moving the piece, as `ledger` has it (run
    through prejudge: the projection, and the chain when the projection refuses)."""
    piece = _ledger_piece(ledger, token_id)
    if piece.owner != chain_address(holder):
        raise ForbiddenError(MSG_NOT_OWN)
    check_piece_movable(piece, ledger=ledger)
    problem = member_problem(holder, kinds=(OrganisationKind.SUPPLIER, OrganisationKind.BANK),
                              role=HOLDER_ROLES, ledger=ledger)
    if problem:
        raise InvalidStateError(f"本机构不能转让凭证：{problem}", code="not_a_member")
    return piece


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
    holder = _holder_of(user)

    def check(ledger: Ledger) -> ChainPiece:
        piece = _movable_piece(ledger, holder=holder, token_id=token_id)
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
                                      role=HOLDER_ROLES, ledger=ledger)
            if problem:
                errors["to_organisation"] = [counterparty_problem(
                    to_organisation, problem, as_zh="受让方{who}不能持有凭证",
                    as_en="The receiver {who} cannot hold vouchers")]
        if errors:
            raise fields_error(errors)
        return piece

    piece = prejudge(check)
    whole = amount_fen == piece.balance
    _lock_unclaimed(piece, amount_fen=None if whole else amount_fen)
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
    holder = _holder_of(user)
    piece = prejudge(lambda ledger: _movable_piece(ledger, holder=holder, token_id=token_id))
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
    _lock_unclaimed(piece)
    operation = _new_operation(kind=PieceOperation.Kind.SPLIT, user=user, piece=piece,
                               holder=holder, amount_fen=total, amounts_fen=list(amounts_fen))
    return _enqueue_operation(operation, organisation=holder, function="split",
                              args=[token_id, list(amounts_fen[:-1])], user=user)


def _regulator_context(*, user: User, token_id: int,
                       require: Callable[..., ChainPiece]) -> tuple[ChainPiece, Organisation]:
    """The regulator and the piece it freezes or unfreezes, with `require` (a preflight check)
    passed on the ledger (prejudge)."""
    if not can_freeze(user):
        raise ForbiddenError("只有监管机构可以冻结或解冻 / Only the regulator freezes or "
                             "unfreezes")
    regulator = _holder_of(user)

    def check(ledger: Ledger) -> ChainPiece:
        piece = _ledger_piece(ledger, token_id)
        problem = member_problem(regulator, kinds=(OrganisationKind.REGULATOR,),
                                  role=ChainRole.REGULATOR, ledger=ledger)
        if problem:
            raise InvalidStateError(f"本机构不能冻结：{problem}", code="not_a_member")
        return require(piece, token_id=token_id)

    return prejudge(check), regulator


@transaction.atomic
def piece_freeze(*, user: User, token_id: int, reason: str) -> PieceOperation:
    """A judicial freeze (司法冻结) by the regulator: the reason stays here, its hash on chain."""
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写冻结原因 / A reason is required")
    piece, regulator = _regulator_context(user=user, token_id=token_id,
                                          require=preflight.require_freezable)
    lock_pieces([token_id])  # a freeze is no movement: no claim stops it, but it is serialised
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
    piece, regulator = _regulator_context(user=user, token_id=token_id,
                                          require=preflight.require_unfreezable)
    lock_pieces([token_id])
    operation = _new_operation(kind=PieceOperation.Kind.UNFREEZE, user=user, piece=piece,
                               holder=organisation_by_address(piece.owner), reason=reason,
                               reason_hash=sha256_hex(f"scf-unfreeze:{token_id}:{reason}"))
    return _enqueue_operation(operation, organisation=regulator, function="unfreeze",
                              args=[token_id], user=user)
