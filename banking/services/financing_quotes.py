"""Quotes (报价) with maker-checker, a bank's decline, the supplier's acceptance, disbursement."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from banking.models import (
    FinancingApplication,
    FinancingOperation,
    FinancingQuote,
)
from banking.pricing import discount_quote
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import ForbiddenError
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.services import approval_approve, approval_propose, approval_reject
from scf.audit.services import audit_record
from scf.chain import preflight
from scf.chain.hashes import text_hash
from scf.chain.projection import prejudge
from scf.chain.readers import ChainPiece, chain_now, piece_of
from scf.errors import InvalidStateError
from scf.money import format_yuan
from scf.pieces.claims import require_unclaimed
from scf.pieces.locks import lock_pieces

from .common import (
    ACTION_FINANCING_QUOTE,
    ADDRESSEE_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    QUOTE_TRANSITIONS,
    SELF,
    Addressee,
    App,
    Quote,
    address,
    notify,
    raise_if_approval_failed,
    require_active_member,
    transition,
)
from .financing_applications import (
    financing_application_summary,
    financing_operation,
    financing_quote_summary,
    locked_application,
    locked_quote,
    movable_piece,
    open_addressee,
    read_locked_piece,
    sync_quote_with_approval,
)


@transaction.atomic
def financing_quote_propose(*, application: FinancingApplication, user: User,
                            annual_rate: Decimal, fees_fen: int,
                            value_date: date) -> FinancingQuote:
    """A bank operator prices the application: every term of banking.pricing.discount_quote is
    kept; a different bank approver decides (maker-checker action `financing.quote`)."""
    bank = require_active_member(user, OrganisationKind.BANK)
    application = locked_application(application.pk)
    addressee = open_addressee(application, bank)
    if application.status != App.SUBMITTED:
        raise InvalidStateError(f"申请状态为 {application.status}，不能报价 / An application in "
                                f"status {application.status} cannot be quoted",
                                extra={"status": application.status})
    if addressee.status not in (Addressee.OPEN, Addressee.SELECTED):
        raise InvalidStateError(f"本行对该申请的状态为 {addressee.status} / Your bank's part in "
                                f"this application is {addressee.status}")
    if application.lock_bank_id not in (None, bank.pk):
        raise InvalidStateError("该申请已锁定给其他银行 / The piece is locked for another bank")
    for quote in application.quotes.select_related("approval").filter(bank=bank,
                                                                      status=Quote.PROPOSED):
        sync_quote_with_approval(quote)
    if application.quotes.filter(bank=bank, status__in=FinancingQuote.LIVE_STATUSES).exists():
        raise InvalidStateError("本行对该申请已有有效报价 / Your bank already has a live quote on "
                                "this application", code="quote_exists")
    if value_date < clock.today():
        raise field_error("value_date", "起息日不能早于今天 / The value date cannot be in the past")
    terms = discount_quote(face_fen=application.amount_fen, annual_rate=annual_rate,
                           value_date=value_date, maturity_date=application.maturity_date,
                           fees_fen=fees_fen)
    quote = FinancingQuote.objects.create(
        application=application, bank=bank, face_fen=terms.face_fen,
        annual_rate=terms.annual_rate, value_date=terms.value_date,
        maturity_date=terms.maturity_date, days=terms.days, interest_fen=terms.interest_fen,
        fees_fen=terms.fees_fen, net_proceeds_fen=terms.net_proceeds_fen, formula=terms.formula,
        terms=terms.as_dict(), proposed_by=user)
    quote.approval = approval_propose(
        user=user, action=ACTION_FINANCING_QUOTE, payload={"quote_id": quote.pk},
        summary=f"融资报价 / quote: 申请 {application.pk} 年利率 {annual_rate} "
                f"实付 ¥{format_yuan(terms.net_proceeds_fen)}")
    quote.save(update_fields=["approval"])
    audit_record(actor=user, organisation=bank, action="financing.quote_propose", obj=quote,
                 before={}, after=financing_quote_summary(quote))
    return quote


def _quote_mode(quote: FinancingQuote, application: FinancingApplication,
                chain: tuple[ChainPiece | None, int] | None = None) -> str:
    """What approving the quote does: "finance" (the piece is locked for this bank:
    approveFinancing) or "offer" (several banks, no lock yet: a firm offer to the supplier).
    `chain` is (the locked piece, chain time) read before any lock; without it (the approvals
    registry runs the handler under its own lock) the chain alone judges, by simulating
    approveFinancing before it is sent."""
    transition(QUOTE_TRANSITIONS, quote.status, "approve_offer", "报价 / quote")
    if application.status != App.SUBMITTED:
        raise InvalidStateError(f"申请状态为 {application.status}，不能批准报价 / An application "
                                f"in status {application.status} cannot take a quote",
                                extra={"status": application.status})
    addressee = application.addressees.filter(bank_id=quote.bank_id).first()
    if addressee is None or addressee.status not in (Addressee.OPEN, Addressee.SELECTED):
        raise InvalidStateError("本行已不在该申请中 / Your bank is no longer part of this "
                                "application")
    if application.lock_bank_id == quote.bank_id and application.locked_token_id:
        if chain is not None:
            piece, now = chain
            preflight.require_approvable(piece, token_id=application.locked_token_id,
                                         bank=address(quote.bank), now=now,
                                         maturity=application.maturity)
        return "finance"
    if application.multi_bank and application.lock_bank_id is None:
        return "offer"
    raise InvalidStateError("该申请未锁定给本行 / The piece is not locked for your bank")


@transaction.atomic
def financing_quote_approve(*, quote: FinancingQuote, user: User) -> FinancingQuote:
    """A bank approver (not the proposer) approves the quote: when the piece is locked for the
    bank, approveFinancing is sent from the bank's account (the piece passes to the bank);
    otherwise the quote becomes a firm offer the supplier may accept."""
    # The chain first, with no lock held (only when approving will send approveFinancing).
    locked_token_id, lock_bank_id = FinancingApplication.objects.filter(
        pk=quote.application_id).values_list("locked_token_id", "lock_bank_id").first()
    chain = ((piece_of(locked_token_id), chain_now())
             if locked_token_id and lock_bank_id == quote.bank_id else None)
    quote = locked_quote(quote.pk)
    application = locked_application(quote.application_id)
    sync_quote_with_approval(quote)
    _quote_mode(quote, application, chain)
    approval = approval_approve(request=quote.approval, user=user)
    raise_if_approval_failed(approval)
    quote.refresh_from_db()
    return quote


def financing_quote_execute(*, payload: dict, approver: User,
                            approval: ApprovalRequest) -> dict:
    """The handler of the maker-checker action `financing.quote`."""
    quote = locked_quote(payload["quote_id"])
    application = locked_application(quote.application_id)
    if quote.approval_id != approval.pk:
        raise InvalidStateError("复核请求与报价不符 / The approval does not match the quote")
    mode = _quote_mode(quote, application)
    before = financing_quote_summary(quote)
    quote.decided_by = approver
    quote.decided_at = timezone.now()
    result = {"quote_id": quote.pk, "mode": mode}
    if mode == "finance":
        quote.status = transition(QUOTE_TRANSITIONS, quote.status, "approve_locked", "报价")
        quote.accepted_at = quote.decided_at
        application.status = transition(APPLICATION_TRANSITIONS, application.status, "approve",
                                          "融资申请")
        application.accepted_quote = quote
        application.save()
        operation = financing_operation(
            application=application, kind=FinancingOperation.Kind.APPROVE, bank=quote.bank,
            sender=quote.bank, function="approveFinancing",
            args=[str(application.locked_token_id)], user=approver, quote=quote)
        result["operation_id"] = operation.intent_id
    else:
        quote.status = transition(QUOTE_TRANSITIONS, quote.status, "approve_offer", "报价")
        notify(application.applicant, "financing.quote_offered",
               link=f"/api/financing/quotes/{quote.pk}", bank=quote.bank.name,
               net_proceeds_fen=quote.net_proceeds_fen, annual_rate=quote.annual_rate,
               days=quote.days, formula=quote.formula)
    quote.save()
    audit_record(actor=approver, organisation=quote.bank, action="financing.quote_approve",
                 obj=quote, before=before, after=financing_quote_summary(quote))
    return result


def _decline_for_bank(*, application: FinancingApplication, bank: Organisation, user: User,
                      reason: str, read: tuple[int | None, ChainPiece | None]
                      ) -> FinancingOperation | None:
    """The bank steps out: declineFinancing when the piece is locked for it; otherwise its part
    ends here, and the application with it when no bank is left. `read` is the locked piece as
    read before any lock (read_locked_piece)."""
    addressee = open_addressee(application, bank)
    if application.lock_bank_id == bank.pk and application.locked_token_id:
        transition(ADDRESSEE_TRANSITIONS, addressee.status, "decline", "银行意见 / bank's part")
        application.status = transition(APPLICATION_TRANSITIONS, application.status,
                                         "decline", "融资申请 / application")
        token_id, piece = read
        if application.locked_token_id != token_id:  # the lock landed meanwhile: read again
            piece = piece_of(application.locked_token_id)
        preflight.require_declinable(piece, token_id=application.locked_token_id,
                                     bank=address(bank))
        return financing_operation(
            application=application, kind=FinancingOperation.Kind.DECLINE, bank=bank,
            sender=bank, function="declineFinancing",
            args=[str(application.locked_token_id), text_hash(reason)], user=user,
            reason=reason)
    if application.status != App.SUBMITTED:
        raise InvalidStateError(f"申请状态为 {application.status}，不能拒绝 / An application in "
                                f"status {application.status} cannot be declined",
                                extra={"status": application.status})
    addressee.status = transition(ADDRESSEE_TRANSITIONS, addressee.status, "decline",
                                   "银行意见 / bank's part")
    addressee.reason, addressee.decided_by, addressee.decided_at = reason, user, timezone.now()
    addressee.save()
    for quote in application.quotes.select_for_update(of=SELF).filter(
            bank=bank, status__in=[Quote.PROPOSED, Quote.OFFERED]):
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.rejection_reason = reason
        quote.save()
    if not application.addressees.exclude(status=Addressee.DECLINED).exists():
        application.status = transition(APPLICATION_TRANSITIONS, application.status,
                                          "all_declined", "融资申请 / application")
    notify(application.applicant, "financing.declined",
           link=f"/api/financing/applications/{application.pk}", bank=bank.name, reason=reason)
    return None


@transaction.atomic
def financing_application_decline(*, application: FinancingApplication, user: User,
                                  reason: str) -> tuple[FinancingApplication,
                                                        FinancingOperation | None]:
    """A bank approver declines the application for the bank."""
    bank = require_active_member(user, OrganisationKind.BANK)
    if not reason.strip():
        raise field_error("reason", "请填写拒绝原因 / A reason is required")
    read = read_locked_piece(application.pk)
    application = locked_application(application.pk)
    before = financing_application_summary(application)
    operation = _decline_for_bank(application=application, bank=bank, user=user,
                                  reason=reason.strip(), read=read)
    application.save()
    audit_record(actor=user, organisation=bank, action="financing.decline", obj=application,
                 before=before, after={**financing_application_summary(application),
                                       "reason": reason.strip()})
    return application, operation


@transaction.atomic
def financing_quote_reject(*, quote: FinancingQuote, user: User,
                           reason: str) -> tuple[FinancingQuote, FinancingOperation | None]:
    """The bank approver rejects the operator's quote: the bank declines the application
    (declineFinancing releases the lock when the piece is locked for it)."""
    bank = require_active_member(user, OrganisationKind.BANK)
    if not reason.strip():
        raise field_error("reason", "请填写拒绝原因 / A reason is required")
    read = read_locked_piece(quote.application_id)
    quote = locked_quote(quote.pk)
    application = locked_application(quote.application_id)
    sync_quote_with_approval(quote)
    before = financing_quote_summary(quote)
    new_status = transition(QUOTE_TRANSITIONS, quote.status, "checker_reject", "报价 / quote")
    approval_reject(request=quote.approval, user=user, reason=reason)
    quote.status = new_status
    quote.decided_by, quote.decided_at = user, timezone.now()
    quote.rejection_reason = reason.strip()
    quote.save()
    operation = None
    addressee = application.addressees.filter(bank=bank).first()
    if addressee and addressee.status in (Addressee.OPEN, Addressee.SELECTED) and (
            application.status == App.SUBMITTED):
        operation = _decline_for_bank(application=application, bank=bank, user=user,
                                      reason=reason.strip(), read=read)
        application.save()
    audit_record(actor=user, organisation=bank, action="financing.quote_reject", obj=quote,
                 before=before, after={**financing_quote_summary(quote),
                                       "reason": reason.strip()})
    return quote, operation


def _check_acceptable(quote: FinancingQuote, application: FinancingApplication,
                      applicant: Organisation) -> tuple[str, str]:
    """The quote's and the application's new statuses when the supplier accepts."""
    if application.applicant_id != applicant.pk:
        raise ForbiddenError("只能接受本机构申请的报价 / You can only accept quotes on your own "
                             "applications")
    quote_status = transition(QUOTE_TRANSITIONS, quote.status, "accept", "报价 / quote")
    application_status = transition(APPLICATION_TRANSITIONS, application.status, "accept",
                                    "融资申请 / application")
    if application.lock_bank_id is not None:
        raise InvalidStateError("该申请已锁定 / The piece is already locked")
    return quote_status, application_status


@transaction.atomic
def financing_quote_accept(*, quote: FinancingQuote, user: User) -> FinancingQuote:
    """The supplier accepts one bank's offer: lockForFinancing for that bank from the supplier's
    account; when it is confirmed the bank's approved quote sends approveFinancing and the other
    banks' quotes lapse."""
    applicant = require_active_member(user, OrganisationKind.SUPPLIER)
    # Refuse what the rows alone refuse, then read the chain with no lock held, then take the
    # piece's lock and the rows' and check again under them, then every app's claims.
    unlocked = FinancingQuote.objects.select_related("application").get(pk=quote.pk)
    _check_acceptable(unlocked, unlocked.application, applicant)
    token_id = unlocked.application.token_id
    prejudge(lambda ledger: movable_piece(ledger, token_id=token_id, holder=address(applicant),
                                          amount_fen=unlocked.application.amount_fen))
    lock_pieces([token_id])
    quote = locked_quote(quote.pk)
    application = locked_application(quote.application_id)
    before = financing_quote_summary(quote)
    quote.status, application.status = _check_acceptable(quote, application, applicant)
    require_unclaimed(token_id, except_for=("financing_application", application.pk))
    quote.accepted_at = timezone.now()
    quote.save()
    application.accepted_quote = quote
    application.save()
    financing_operation(
        application=application, kind=FinancingOperation.Kind.LOCK, bank=quote.bank,
        sender=applicant, function="lockForFinancing",
        args=[str(application.token_id), str(application.amount_fen), address(quote.bank)],
        user=user, quote=quote)
    audit_record(actor=user, organisation=applicant, action="financing.quote_accept", obj=quote,
                 before=before, after=financing_quote_summary(quote))
    return quote


@transaction.atomic
def financing_application_disburse(*, application: FinancingApplication, user: User,
                                   payment_reference: str,
                                   disbursed_on: date) -> FinancingApplication:
    """The financing bank records that it paid the net proceeds (the platform moves no money)."""
    bank = require_active_member(user, OrganisationKind.BANK)
    application = locked_application(application.pk)
    quote = application.accepted_quote
    if quote is None or quote.bank_id != bank.pk:
        raise ForbiddenError("只有放款银行可以登记放款 / Only the financing bank records the "
                             "disbursement")
    before = financing_application_summary(application)
    application.status = transition(APPLICATION_TRANSITIONS, application.status, "disburse",
                                     "融资申请 / application")
    if not payment_reference.strip():
        raise field_error("payment_reference", "请填写付款流水号 / A payment reference is "
                                               "required")
    if disbursed_on > clock.today():
        raise field_error("disbursed_on", "放款日不能晚于今天 / The disbursement date cannot be "
                                          "in the future")
    application.payment_reference = payment_reference.strip()
    application.disbursed_on = disbursed_on
    application.disbursed_amount_fen = quote.net_proceeds_fen
    application.disbursed_by = user
    application.save()
    notify(application.applicant, "financing.disbursed",
           link=f"/api/financing/applications/{application.pk}", bank=bank.name,
           amount_fen=quote.net_proceeds_fen, disbursed_on=disbursed_on,
           payment_reference=application.payment_reference)
    audit_record(actor=user, organisation=bank, action="financing.disburse", obj=application,
                 before=before, after=financing_application_summary(application))
    return application
