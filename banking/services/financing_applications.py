"""Financing applications (融资申请): apply for one piece to one or several banks, withdraw."""


from django.db import IntegrityError, transaction
from django.utils import timezone

from banking.models import (
    FinancingAddressee,
    FinancingApplication,
    FinancingOperation,
    FinancingQuote,
)
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import ForbiddenError
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.audit.services import audit_record
from scf.chain import preflight
from scf.chain.projection import Ledger, prejudge
from scf.chain.readers import ChainPiece, piece_of
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError
from scf.pieces.claims import require_unclaimed
from scf.pieces.locks import lock_pieces
from scf.pieces.trade import root_invoice_numbers

from .common import (
    ADDRESSEE_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    MAX_BANKS_PER_APPLICATION,
    MAX_INVOICE_REFERENCES,
    QUOTE_TRANSITIONS,
    SELF,
    Addressee,
    App,
    Quote,
    address,
    notify,
    require_active_member,
    transition,
)

# =================================================================================================
# Financing applications (融资申请) and quotes (报价)
# =================================================================================================

def financing_application_summary(application: FinancingApplication) -> dict:
    return {"status": application.status, "token_id": application.token_id,
            "amount_fen": application.amount_fen, "locked_token_id": application.locked_token_id,
            "lock_bank": application.lock_bank_id,
            "accepted_quote": application.accepted_quote_id,
            "payment_reference": application.payment_reference,
            "last_error": application.last_error}


def financing_quote_summary(quote: FinancingQuote) -> dict:
    return {"status": quote.status, "bank": quote.bank_id, "terms": quote.terms}


def locked_application(pk: int) -> FinancingApplication:
    return (FinancingApplication.objects.select_for_update(of=SELF)
            .select_related("applicant__chain_account", "lock_bank__chain_account")
            .get(pk=pk))


def locked_quote(pk: int) -> FinancingQuote:
    return (FinancingQuote.objects.select_for_update(of=SELF)
            .select_related("bank__chain_account", "approval").get(pk=pk))


def read_locked_piece(pk: int) -> tuple[int | None, ChainPiece | None]:
    """Before any lock is taken: the piece the application has locked, as the ledger has it
    now (no node call is made while a row lock is held)."""
    token_id = FinancingApplication.objects.filter(pk=pk).values_list(
        "locked_token_id", flat=True).first()
    return token_id, piece_of(token_id) if token_id else None


def movable_piece(ledger: Ledger, *, token_id: int, holder: str, amount_fen: int) -> ChainPiece:
    """The holder's piece as `ledger` has it, if lockForFinancing(amount) would pass its checks
    (run through prejudge)."""
    piece = ledger.piece_of(token_id, with_slot=True)
    return preflight.require_movable(piece, token_id=token_id, holder=holder, amount=amount_fen,
                                     now=ledger.now(), maturity=piece.maturity if piece else 0)


def financing_operation(*, application: FinancingApplication, kind: str, bank: Organisation,
                         sender: Organisation, function: str, args: list, user: User | None,
                         quote: FinancingQuote | None = None,
                         reason: str = "") -> FinancingOperation:
    sequence = application.operations.filter(kind=kind).count() + 1
    intent = organisation_intent_enqueue(
        organisation=sender, contract="VoucherLedger", function=function, args=args,
        idempotency_key=f"banking:financing:{application.pk}:{kind}:{sequence}",
        requested_by=user)
    return FinancingOperation.objects.create(application=application, kind=kind, bank=bank,
                                             quote=quote, intent=intent, reason=reason)


def _validate_banks(banks: list[Organisation]) -> None:
    if not banks:
        raise field_error("bank_ids", "请至少选择一家银行 / Choose at least one bank")
    if len({bank.pk for bank in banks}) != len(banks):
        raise field_error("bank_ids", "银行不能重复 / A bank is listed twice")
    if len(banks) > MAX_BANKS_PER_APPLICATION:
        raise field_error("bank_ids", f"最多 {MAX_BANKS_PER_APPLICATION} 家银行 / At most "
                                      f"{MAX_BANKS_PER_APPLICATION} banks")
    for bank in banks:
        if (bank.kind != OrganisationKind.BANK or not bank.is_active
                or bank.chain_account_id is None):
            raise field_error("bank_ids", f"{bank.name} 不是已上链的有效银行 / {bank.name} is not "
                                          "an active bank member on chain")


def _validate_references(invoice_numbers: list[str]) -> list[str]:
    cleaned = [number.strip() for number in invoice_numbers if number and number.strip()]
    if not cleaned:
        raise field_error("invoice_numbers", "请引用至少一张发票 / Reference at least one invoice")
    if len(cleaned) > MAX_INVOICE_REFERENCES:
        raise field_error("invoice_numbers", f"最多 {MAX_INVOICE_REFERENCES} 张发票 / At most "
                                             f"{MAX_INVOICE_REFERENCES} invoices")
    if len(set(cleaned)) != len(cleaned):
        raise field_error("invoice_numbers", "发票重复 / An invoice is listed twice")
    return cleaned


def _validate_amount(amount_fen: int, field: str = "amount_fen") -> None:
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        raise field_error(field, "金额须为正整数分 / The amount must be a positive number of fen")


def _require_background(invoice_numbers: list[str], *, root_id: int) -> None:
    """A financing cites invoices of the voucher it finances, not another voucher's nor one
    never recorded (重复融资 starts with citing what does not back the piece)."""
    foreign = [n for n in invoice_numbers if n not in root_invoice_numbers(root_id)]
    if foreign:
        raise field_error("invoice_numbers",
                          f"发票 {'、'.join(foreign)} 不是该凭证的贸易背景 / Invoice "
                          f"{', '.join(foreign)} does not back this voucher")


@transaction.atomic
def financing_application_create(*, user: User, token_id: int, amount_fen: int,
                                 banks: list[Organisation], invoice_numbers: list[str],
                                 trade_reference: str = "") -> FinancingApplication:
    """A supplier applies to discount `amount_fen` of its piece `token_id`.

    One bank: lockForFinancing(token, amount, bank) is sent at once from the supplier's account
    (split-then-lock: a part below the balance becomes a new locked piece). Several banks: the
    piece is reserved here (one live application per piece) and locked for the bank whose quote
    the supplier accepts."""
    applicant = require_active_member(user, OrganisationKind.SUPPLIER)
    applicant = Organisation.objects.select_related("chain_account").get(pk=applicant.pk)
    holder = address(applicant)
    _validate_amount(amount_fen)
    _validate_banks(banks)
    invoice_numbers = _validate_references(invoice_numbers)
    # What the chain decides first (the projection, and the chain if it refuses), with no lock
    # held; then the piece's lock and every app's claims.
    piece = prejudge(lambda ledger: movable_piece(ledger, token_id=token_id, holder=holder,
                                                  amount_fen=amount_fen))
    _require_background(invoice_numbers, root_id=piece.root_id)
    lock_pieces([token_id])
    require_unclaimed(token_id)
    multi_bank = len(banks) > 1
    try:
        with transaction.atomic():
            application = FinancingApplication.objects.create(
                applicant=applicant, applied_by=user, multi_bank=multi_bank,
                status=App.SUBMITTED if multi_bank else App.LOCKING, token_id=token_id,
                root_id=piece.root_id, amount_fen=amount_fen, maturity=piece.maturity,
                maturity_date=clock.date_of(piece.maturity), invoice_numbers=invoice_numbers,
                trade_reference=trade_reference.strip(),
                lock_bank=None if multi_bank else banks[0])
    except IntegrityError:
        raise InvalidStateError("该凭证已有进行中的融资申请 / This piece is already under a "
                                "financing application", code="piece_reserved") from None
    FinancingAddressee.objects.bulk_create(
        [FinancingAddressee(application=application, bank=bank) for bank in banks])
    if multi_bank:
        for bank in banks:
            notify(bank, "financing.applied:multi_bank",
                   link=f"/api/financing/applications/{application.pk}",
                   applicant=applicant.name, amount_fen=amount_fen)
    else:
        financing_operation(
            application=application, kind=FinancingOperation.Kind.LOCK, bank=banks[0],
            sender=applicant, function="lockForFinancing",
            args=[str(token_id), str(amount_fen), address(banks[0])], user=user)
    audit_record(actor=user, organisation=applicant, action="financing.apply", obj=application,
                 before={}, after={**financing_application_summary(application),
                                   "banks": [bank.pk for bank in banks],
                                   "invoice_numbers": invoice_numbers})
    return application


@transaction.atomic
def financing_application_withdraw(*, application: FinancingApplication, user: User
                                   ) -> tuple[FinancingApplication, FinancingOperation | None]:
    """The supplier withdraws before a decision; withdrawFinancing releases a chain lock."""
    token_id, piece = read_locked_piece(application.pk)
    application = locked_application(application.pk)
    if user.organisation_id != application.applicant_id:
        raise ForbiddenError("只能撤回本机构的申请 / You can only withdraw your own application")
    before = financing_application_summary(application)
    operation = None
    if application.locked_token_id and application.lock_bank_id:
        application.status = transition(APPLICATION_TRANSITIONS, application.status,
                                         "withdraw", "融资申请 / application")
        if application.locked_token_id != token_id:  # the lock landed meanwhile: read again
            piece = piece_of(application.locked_token_id)
        preflight.require_withdrawable(piece, token_id=application.locked_token_id,
                                       holder=address(application.applicant))
        operation = financing_operation(
            application=application, kind=FinancingOperation.Kind.WITHDRAW,
            bank=application.lock_bank, sender=application.applicant,
            function="withdrawFinancing", args=[str(application.locked_token_id)], user=user)
    else:
        application.status = transition(APPLICATION_TRANSITIONS, application.status,
                                         "withdraw_unlocked", "融资申请 / application")
        close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                         notice="financing.lapse:withdrawn")
    application.save()
    audit_record(actor=user, organisation=application.applicant, action="financing.withdraw",
                 obj=application, before=before,
                 after=financing_application_summary(application))
    return application, operation


def close_for_banks(application: FinancingApplication, *, quote_action: str,
                     addressee_action: str, notice: str,
                     except_bank_id: int | None = None) -> None:
    """Lapse (or reject) every live quote and open addressee, except one bank's, and tell the
    banks concerned with `notice`, a key of banking's messages catalogue."""
    told = set()
    for quote in application.quotes.select_for_update(of=SELF).filter(
            status__in=[Quote.PROPOSED, Quote.OFFERED]).exclude(bank_id=except_bank_id):
        quote.status = QUOTE_TRANSITIONS[quote_action][quote.status]
        quote.save(update_fields=["status"])
        told.add(quote.bank_id)
    for addressee in application.addressees.select_for_update(of=SELF).filter(
            status=Addressee.OPEN).exclude(bank_id=except_bank_id):
        addressee.status = ADDRESSEE_TRANSITIONS[addressee_action][addressee.status]
        addressee.decided_at = timezone.now()
        addressee.save(update_fields=["status", "decided_at"])
        told.add(addressee.bank_id)
    for bank in Organisation.objects.filter(pk__in=told):
        notify(bank, notice, link=f"/api/financing/applications/{application.pk}")


def sync_quote_with_approval(quote: FinancingQuote) -> None:
    if quote.status != Quote.PROPOSED or quote.approval is None:
        return
    if quote.approval.status == ApprovalRequest.Status.REJECTED:
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.rejection_reason = quote.approval.rejection_reason
        quote.save()
    elif quote.approval.status == ApprovalRequest.Status.FAILED:
        quote.status = QUOTE_TRANSITIONS["approval_failed"][quote.status]
        quote.save()


def open_addressee(application: FinancingApplication, bank: Organisation) -> FinancingAddressee:
    addressee = application.addressees.select_for_update(of=SELF).filter(bank=bank).first()
    if addressee is None:
        raise ForbiddenError("该申请未提交给本行 / This application is not addressed to your bank")
    return addressee
