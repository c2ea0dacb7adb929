"""Writes of the receivables domain: trade background, the issuance of root vouchers with
maker-checker, the supplier's acceptance or rejection, transfers and splits of pieces, judicial
freezes, and the debtor notices confirmed transfers produce.

Every service runs in one transaction, locks the row it changes, checks an explicit table of
allowed transitions, validates everything it can before writing anything (reading the chain's
views, which are the authority), sends chain work only through the outbox
(organisation_intent_enqueue) and ends with an audit entry. The chain still has the last word:
an intent that reverts fails with its decoded error, and its outcome hook puts the business rows
back as they were."""

import hashlib
import json
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from receivables import ledger
from receivables.invoice_numbers import InvoiceNumberError, parse_invoice_number
from receivables.models import (
    DebtorNotice,
    Invoice,
    PieceOperation,
    TradeContract,
    Voucher,
    VoucherInvoice,
)
from scf.accounts.models import ChainRole, Organisation, OrganisationKind, User
from scf.accounts.permissions import (
    MSG_NOT_OWN,
    ForbiddenError,
    can_freeze,
    require_owner,
)
from scf.accounts.validation import INVALID_INPUT, field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.services import approval_propose
from scf.audit.services import audit_record
from scf.chain.models import ChainIntent, PieceState
from scf.chain.services import organisation_intent_enqueue
from scf.errors import ApplicationError, InvalidStateError
from scf.kyc.filetypes import DocumentTypeError, detect_document_type
from scf.kyc.services import max_upload_bytes
from scf.money import format_yuan
from scf.notifications.services import notification_send

logger = logging.getLogger(__name__)

LEDGER = "VoucherLedger"
ISSUE_ACTION = "voucher.issue"
MAX_INVOICES = 20     # VoucherLedger.MAX_INVOICES
MAX_SPLIT_PARTS = 20  # parts a user may ask for; the chain gets at most 19 new pieces
MAX_FACE_VALUE = 2**96 - 1
PieceStatus = PieceState.Status
VS = Voucher.Status

# action -> {from status: to status}
VOUCHER_TRANSITIONS: dict[str, dict[str, str]] = {
    "approve": {VS.PROPOSED: VS.ISSUING},
    "decline": {VS.PROPOSED: VS.DECLINED},
    "fail_approval": {VS.PROPOSED: VS.FAILED},
    "issue_confirmed": {VS.ISSUING: VS.PENDING},
    "issue_failed": {VS.ISSUING: VS.FAILED},
    "accept": {VS.PENDING: VS.ACCEPTING},
    "accept_confirmed": {VS.ACCEPTING: VS.ACCEPTED},
    "accept_failed": {VS.ACCEPTING: VS.PENDING},
    "reject": {VS.PENDING: VS.REJECTING},
    "reject_confirmed": {VS.REJECTING: VS.REJECTED},
    "reject_failed": {VS.REJECTING: VS.PENDING},
}
# Proposed or issuing vouchers reserve credit the chain does not know about yet.
RESERVING_STATUSES = (VS.PROPOSED, VS.ISSUING)

OPS = PieceOperation.Status
OPERATION_TRANSITIONS: dict[str, dict[str, str]] = {
    "confirm": {OPS.SUBMITTED: OPS.CONFIRMED},
    "fail": {OPS.SUBMITTED: OPS.FAILED},
}


# --- small helpers ------------------------------------------------------------------------------

def sha256_hex(text: str) -> str:
    return "0x" + hashlib.sha256(text.encode()).hexdigest()


def invoice_chain_hash(key: str) -> str:
    """The invoice's identity on chain: the same invoice scanned twice has the same hash."""
    return sha256_hex("scf-invoice:" + key)


def trade_contract_hash(*, debtor: Organisation, supplier: Organisation, number: str,
                        amount_fen: int, signed_on: date, file_sha256: str) -> str:
    """SHA-256 over the canonical record of the trade (parties by credit code, number, amount,
    date and the document's own hash): anyone holding the record can check the chain's
    tradeHash, and no text goes on chain."""
    canonical = json.dumps({
        "debtor": debtor.credit_code, "supplier": supplier.credit_code, "number": number,
        "amount_fen": amount_fen, "signed_on": signed_on.isoformat(),
        "file_sha256": file_sha256,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_hex("scf-trade:" + canonical)


def chain_address(organisation: Organisation | None) -> str | None:
    if organisation is None or not organisation.chain_account_id:
        return None
    return organisation.chain_account.address


def organisation_by_address(address: str | None) -> Organisation | None:
    if not address:
        return None
    return (Organisation.objects.select_related("chain_account")
            .filter(chain_account__address=address).first())


def _voucher_transition(voucher: Voucher, action: str) -> str:
    new_status = VOUCHER_TRANSITIONS[action].get(voucher.status)
    if new_status is None:
        raise InvalidStateError(
            f"凭证状态为「{voucher.get_status_display()}」，不能执行 {action} / "
            f"Cannot {action} a voucher whose status is {voucher.status}",
            code="invalid_voucher_status", extra={"status": voucher.status, "action": action})
    return new_status


def _operation_transition(operation: PieceOperation, action: str) -> str:
    new_status = OPERATION_TRANSITIONS[action].get(operation.status)
    if new_status is None:
        raise InvalidStateError(
            f"操作状态为 {operation.status}，不能执行 {action} / Cannot {action} an operation "
            f"whose status is {operation.status}", extra={"status": operation.status})
    return new_status


def _fields_error(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(INVALID_INPUT, code="validation_error", extra={"fields": fields})


def _read_document(file: UploadedFile) -> tuple[bytes, str, str]:
    """(bytes, detected type, sha256) of an upload: PDF/JPEG/PNG by content, size-limited."""
    limit = max_upload_bytes()
    if file.size is None or file.size > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    if file.size == 0:
        raise DocumentTypeError("文件为空 / The file is empty")
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    detected = detect_document_type(data)
    return data, detected, hashlib.sha256(data).hexdigest()


def _attach_document(instance, file: UploadedFile | None, document) -> None:
    if file is None:
        return
    data, detected, digest = document
    instance.file_sha256 = digest
    instance.file_content_type = detected.content_type
    instance.file_size = len(data)
    instance.file_original_name = (file.name or "")[-255:]
    instance.file.save(f"document.{detected.extension}", ContentFile(data), save=False)


def _save_with_document(instance, unique_message: tuple[str, str]) -> None:
    """Save; on failure remove the stored file so no orphan remains."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if instance.file:
            instance.file.delete(save=False)
        raise field_error(*unique_message) from exc
    except Exception:
        if instance.file:
            instance.file.delete(save=False)
        raise


def _member_problem(organisation: Organisation, *, kinds: tuple[str, ...], role: int) -> str | None:
    """Why the organisation cannot take part on chain (None if it can)."""
    if organisation.kind not in kinds:
        return "机构类型不符 / The organisation is of the wrong kind"
    if not organisation.is_active:
        return "机构已暂停 / The organisation is suspended"
    address = chain_address(organisation)
    if address is None:
        return "机构尚未通过KYC上链 / The organisation is not onboarded (no chain account)"
    if not ledger.is_chain_member(address, role):
        return ("机构不是链上有效会员（未登记、KYC已过期或已暂停） / The organisation is not an "
                "active member on chain (not registered, KYC expired or suspended)")
    return None


# --- trade background -------------------------------------------------------------------------

def trade_contract_summary(contract: TradeContract) -> dict:
    return {"debtor": contract.debtor_id, "supplier": contract.supplier_id,
            "number": contract.number, "title": contract.title,
            "amount_fen": contract.amount_fen, "signed_on": contract.signed_on,
            "file_sha256": contract.file_sha256, "chain_hash": contract.chain_hash}


@transaction.atomic
def trade_contract_create(*, user: User, supplier: Organisation, number: str, title: str,
                          amount_fen: int, signed_on: date,
                          file: UploadedFile | None = None) -> TradeContract:
    """The core enterprise records a trade with one of its suppliers, optionally with the signed
    contract (PDF/JPEG/PNG, hashed server side)."""
    debtor = Organisation.objects.select_for_update().get(pk=user.organisation_id)
    if debtor.kind != OrganisationKind.CORE_ENTERPRISE:
        raise ForbiddenError("只有核心企业可以登记贸易合同 / Only a core enterprise records "
                             "trade contracts")
    number, title = number.strip(), title.strip()
    errors: dict[str, list[str]] = {}
    if supplier.kind != OrganisationKind.SUPPLIER:
        errors["supplier"] = ["交易对手须为供应商 / The counterparty must be a supplier"]
    if signed_on > ledger.today_in_shanghai():
        errors["signed_on"] = ["签订日期不能晚于今天 / The signing date cannot be in the future"]
    if TradeContract.objects.filter(debtor=debtor, number=number).exists():
        errors["number"] = ["该合同编号已登记 / A trade contract with this number is already "
                            "registered"]
    if errors:
        raise _fields_error(errors)
    document = _read_document(file) if file is not None else None
    contract = TradeContract(debtor=debtor, supplier=supplier, number=number, title=title,
                             amount_fen=amount_fen, signed_on=signed_on, created_by=user)
    _attach_document(contract, file, document)
    contract.chain_hash = trade_contract_hash(
        debtor=debtor, supplier=supplier, number=number, amount_fen=amount_fen,
        signed_on=signed_on, file_sha256=contract.file_sha256)
    _save_with_document(contract, ("number", "该合同编号已登记 / A trade contract with this "
                                             "number is already registered"))
    audit_record(actor=user, organisation=debtor, action="trade_contract.create", obj=contract,
                 before={}, after=trade_contract_summary(contract))
    return contract


def invoice_summary(invoice: Invoice) -> dict:
    return {"trade_contract": invoice.trade_contract_id, "number": invoice.number,
            "code": invoice.code, "amount_fen": invoice.amount_fen,
            "issued_on": invoice.issued_on, "file_sha256": invoice.file_sha256,
            "chain_hash": invoice.chain_hash}


@transaction.atomic
def invoice_create(*, user: User, trade_contract: TradeContract, number: str, code: str = "",
                   amount_fen: int, issued_on: date,
                   file: UploadedFile | None = None) -> Invoice:
    """Either party of the trade records one of its VAT invoices, optionally with the scan."""
    trade_contract = TradeContract.objects.select_for_update().get(pk=trade_contract.pk)
    if user.organisation_id not in (trade_contract.debtor_id, trade_contract.supplier_id):
        raise ForbiddenError("只有贸易合同的双方可以登记发票 / Only the parties of the trade "
                             "contract record its invoices")
    try:
        parsed = parse_invoice_number(number=number, code=code,
                                      today=ledger.today_in_shanghai())
    except InvoiceNumberError as exc:
        raise field_error(exc.field, exc.message) from exc
    if issued_on > ledger.today_in_shanghai():
        raise field_error("issued_on", "开票日期不能晚于今天 / The issue date cannot be in the "
                                       "future")
    chain_hash = invoice_chain_hash(parsed.key)
    existing = Invoice.objects.select_related("trade_contract").filter(
        chain_hash=chain_hash).first()
    if existing is not None:
        where = (f"（合同 {existing.trade_contract.number}）"
                 if existing.trade_contract.debtor_id == trade_contract.debtor_id else "")
        raise field_error("number", f"该发票已登记{where} / This invoice is already registered",
                          code="invoice_exists")
    document = _read_document(file) if file is not None else None
    invoice = Invoice(trade_contract=trade_contract, number=parsed.number, code=parsed.code,
                      amount_fen=amount_fen, issued_on=issued_on, chain_hash=chain_hash,
                      created_by=user)
    _attach_document(invoice, file, document)
    _save_with_document(invoice, ("number", "该发票已登记 / This invoice is already registered"))
    audit_record(actor=user, organisation=user.organisation, action="invoice.create",
                 obj=invoice, before={}, after=invoice_summary(invoice))
    return invoice


# --- issuance (开立) with maker-checker -----------------------------------------------------

def voucher_summary(voucher: Voucher) -> dict:
    return {"status": voucher.status, "debtor": voucher.debtor_id,
            "supplier": voucher.supplier_id, "bank": voucher.bank_id,
            "trade_contract": voucher.trade_contract_id,
            "face_value_fen": voucher.face_value_fen, "maturity_date": voucher.maturity_date,
            "maturity_at": voucher.maturity_at, "token_id": voucher.token_id,
            "invoices": sorted(link.invoice_id for link in voucher.invoice_links.all()),
            "approval": voucher.approval_id,
            "issue_intent": voucher.issue_intent_id, "response_intent": voucher.response_intent_id,
            "error_name": voucher.error_name}


def _reserved_credit(*, debtor: Organisation, bank: Organisation,
                     exclude: Voucher | None = None) -> int:
    """Credit claimed by proposals and issues not yet on chain."""
    vouchers = Voucher.objects.filter(debtor=debtor, bank=bank, status__in=RESERVING_STATUSES)
    if exclude is not None:
        vouchers = vouchers.exclude(pk=exclude.pk)
    return vouchers.aggregate(total=Sum("face_value_fen"))["total"] or 0


def _credit_problem(*, debtor: Organisation, bank: Organisation, face_value_fen: int,
                    exclude: Voucher | None = None) -> dict[str, list[str]]:
    available = ledger.credit_available(bank_address=chain_address(bank),
                                        debtor_address=chain_address(debtor))
    if available == 0:
        return {"bank": ["该银行对本机构没有可用授信（未授信、已冻结或已到期） / This bank has no "
                         "available credit line for you (none, frozen or expired)"]}
    free = available - _reserved_credit(debtor=debtor, bank=bank, exclude=exclude)
    if face_value_fen > free:
        return {"face_value_fen": [
            f"超出授信可用额度：可用 {format_yuan(max(free, 0))} 元 / Beyond the available credit "
            f"line: {format_yuan(max(free, 0))} yuan available"]}
    return {}


def _invoice_conflicts(invoices: list[Invoice], *, exclude: Voucher | None = None) -> None:
    """409 naming the voucher (in the database) or the token (on chain) an invoice backs."""
    links = VoucherInvoice.objects.select_related("voucher", "invoice").filter(
        invoice__in=invoices, released_at__isnull=True)
    if exclude is not None:
        links = links.exclude(voucher=exclude)
    link = links.order_by("pk").first()
    if link is not None:
        raise InvalidStateError(
            f"发票 {link.invoice} 已用于凭证 {link.voucher_id}，不能重复使用 / Invoice "
            f"{link.invoice.number} already backs voucher {link.voucher_id}",
            code="invoice_already_used",
            extra={"invoice": link.invoice_id, "voucher": link.voucher_id,
                   "fields": {"invoices": [f"发票 {link.invoice.number} 已用于凭证 "
                                           f"{link.voucher_id} / already backs voucher "
                                           f"{link.voucher_id}"]}})
    for invoice in invoices:
        token_id = ledger.invoice_holder(invoice.chain_hash)
        if token_id and not (exclude is not None and exclude.token_id == token_id):
            raise InvalidStateError(
                f"发票 {invoice.number} 已在链上用于凭证 #{token_id} / Invoice {invoice.number} "
                f"already backs voucher token #{token_id} on chain",
                code="invoice_already_used",
                extra={"invoice": invoice.pk, "token_id": token_id,
                       "fields": {"invoices": [f"发票 {invoice.number} 已在链上用于凭证 "
                                               f"#{token_id} / already backs token #{token_id}"]}})


def _issue_summary_text(voucher: Voucher) -> str:
    return (f"开立电子债权凭证 {format_yuan(voucher.face_value_fen)} 元给 {voucher.supplier.name}，"
            f"到期日 {voucher.maturity_date.isoformat()} / Issue a voucher of "
            f"{format_yuan(voucher.face_value_fen)} yuan to {voucher.supplier.name}, maturing "
            f"{voucher.maturity_date.isoformat()}")


@transaction.atomic
def voucher_issue_propose(*, user: User, trade_contract: TradeContract, bank: Organisation,
                          face_value_fen: int, maturity_date: date,
                          invoices: list[Invoice]) -> Voucher:
    """The core enterprise's operator (maker) proposes a voucher to the trade's supplier: within
    the bank's credit line, maturing in the future, citing 1–20 unused invoices of the trade.
    Creates the voucher (proposed) and the approval request its approver decides."""
    debtor = (Organisation.objects.select_for_update(of=("self",))
              .select_related("chain_account").get(pk=user.organisation_id))
    require_owner(user, trade_contract.debtor_id)
    supplier = trade_contract.supplier
    errors: dict[str, list[str]] = {}

    problem = _member_problem(debtor, kinds=(OrganisationKind.CORE_ENTERPRISE,),
                              role=ChainRole.CORE_ENTERPRISE)
    if problem:
        raise InvalidStateError(f"本机构不能开立凭证：{problem}", code="not_a_member")
    problem = _member_problem(supplier, kinds=(OrganisationKind.SUPPLIER,),
                              role=ChainRole.SUPPLIER)
    if problem:
        errors["trade_contract"] = [f"该合同的供应商不能接收凭证 / The trade's supplier cannot "
                                    f"receive vouchers: {problem}"]
    bank_problem = _member_problem(bank, kinds=(OrganisationKind.BANK,), role=ChainRole.BANK)
    if bank_problem:
        errors["bank"] = [bank_problem]
    if not 0 < face_value_fen <= MAX_FACE_VALUE:
        errors["face_value_fen"] = ["金额须为正整数分 / The amount must be a positive number of "
                                    "fen"]
    elif face_value_fen > trade_contract.amount_fen:
        errors["face_value_fen"] = [
            f"不能超过贸易合同金额 {format_yuan(trade_contract.amount_fen)} 元 / Cannot exceed "
            f"the trade contract's amount of {format_yuan(trade_contract.amount_fen)} yuan"]
    if maturity_date <= ledger.today_in_shanghai():
        errors["maturity_date"] = ["到期日须晚于今天 / The maturity date must be after today"]
    if not 1 <= len(invoices) <= MAX_INVOICES:
        errors["invoices"] = [f"须附 1 至 {MAX_INVOICES} 张发票 / Cite 1 to {MAX_INVOICES} "
                              "invoices"]
    elif len({invoice.pk for invoice in invoices}) != len(invoices):
        errors["invoices"] = ["发票重复 / An invoice is cited twice"]
    else:
        foreign = [i.number for i in invoices if i.trade_contract_id != trade_contract.pk]
        if foreign:
            errors["invoices"] = [f"发票 {foreign[0]} 不属于该贸易合同 / Invoice {foreign[0]} "
                                  "does not belong to this trade contract"]
        elif "face_value_fen" not in errors:
            total = sum(invoice.amount_fen for invoice in invoices)
            if face_value_fen > total:
                errors["face_value_fen"] = [
                    f"不能超过所附发票金额合计 {format_yuan(total)} 元 / Cannot exceed the "
                    f"cited invoices' total of {format_yuan(total)} yuan"]
    if not errors.get("bank") and "face_value_fen" not in errors:
        errors.update(_credit_problem(debtor=debtor, bank=bank, face_value_fen=face_value_fen))
    if errors:
        raise _fields_error(errors)
    _invoice_conflicts(invoices)

    voucher = Voucher.objects.create(
        debtor=debtor, supplier=supplier, bank=bank, trade_contract=trade_contract,
        face_value_fen=face_value_fen, maturity_date=maturity_date,
        maturity_at=ledger.maturity_timestamp(maturity_date), proposed_by=user)
    try:
        with transaction.atomic():
            VoucherInvoice.objects.bulk_create(
                [VoucherInvoice(voucher=voucher, invoice=invoice) for invoice in invoices])
    except IntegrityError:  # another proposal took an invoice meanwhile
        _invoice_conflicts(invoices, exclude=voucher)
        raise
    approval = approval_propose(
        user=user, action=ISSUE_ACTION, summary=_issue_summary_text(voucher),
        payload={"voucher_id": voucher.pk, "face_value_fen": face_value_fen,
                 "supplier": supplier.pk, "bank": bank.pk,
                 "maturity_date": maturity_date.isoformat(),
                 "trade_contract": trade_contract.pk,
                 "invoices": [invoice.pk for invoice in invoices]})
    voucher.approval = approval
    voucher.save(update_fields=["approval", "updated_at"])
    audit_record(actor=user, organisation=debtor, action="voucher.propose", obj=voucher,
                 before={}, after=voucher_summary(voucher))
    return voucher


def voucher_issue_execute(*, payload: dict, approver: User, approval: ApprovalRequest) -> dict:
    """The approval handler of "voucher.issue": runs inside the approval's transaction when a
    different user with the approver role approves. Checks again what may have changed since the
    proposal, then sends issue(...) from the core enterprise's own account."""
    voucher = (Voucher.objects.select_for_update(of=("self",))
               .select_related("debtor__chain_account", "supplier__chain_account",
                               "bank__chain_account", "trade_contract")
               .get(pk=payload["voucher_id"]))
    if voucher.approval_id != approval.pk:
        raise InvalidStateError("复核请求与凭证不符 / The approval does not belong to this "
                                "voucher")
    before = voucher_summary(voucher)
    voucher.status = _voucher_transition(voucher, "approve")
    if voucher.maturity_date <= ledger.today_in_shanghai():
        raise field_error("maturity_date", "到期日已不晚于今天 / The maturity date is no longer "
                                           "after today")
    for organisation, kinds, role in (
            (voucher.supplier, (OrganisationKind.SUPPLIER,), ChainRole.SUPPLIER),
            (voucher.bank, (OrganisationKind.BANK,), ChainRole.BANK),
            (voucher.debtor, (OrganisationKind.CORE_ENTERPRISE,), ChainRole.CORE_ENTERPRISE)):
        problem = _member_problem(organisation, kinds=kinds, role=role)
        if problem:
            raise InvalidStateError(f"{organisation.name}: {problem}", code="not_a_member")
    credit = _credit_problem(debtor=voucher.debtor, bank=voucher.bank,
                             face_value_fen=voucher.face_value_fen, exclude=voucher)
    if credit:
        raise _fields_error(credit)
    invoices = [link.invoice for link in voucher.invoice_links.select_related("invoice")
                if link.released_at is None]
    intent = organisation_intent_enqueue(
        organisation=voucher.debtor, contract=LEDGER, function="issue",
        args=[chain_address(voucher.bank), chain_address(voucher.supplier),
              voucher.face_value_fen, voucher.maturity_at, voucher.trade_contract.chain_hash,
              [invoice.chain_hash for invoice in invoices]],
        idempotency_key=f"voucher-issue:{voucher.pk}", requested_by=approver)
    voucher.issue_intent = intent
    voucher.approved_by = approver
    voucher.save(update_fields=["status", "issue_intent", "approved_by", "updated_at"])
    audit_record(actor=approver, organisation=voucher.debtor, action="voucher.issue",
                 obj=voucher, before=before, after=voucher_summary(voucher))
    return {"voucher_id": voucher.pk, "operation_id": intent.pk,
            "operation_url": f"/api/operations/{intent.pk}"}


def _release_invoices(voucher: Voucher) -> None:
    VoucherInvoice.objects.filter(voucher=voucher, released_at__isnull=True).update(
        released_at=timezone.now())


@transaction.atomic
def voucher_proposal_close(*, approval: ApprovalRequest) -> Voucher | None:
    """The approver rejected the proposal, or its execution failed: the voucher is declined or
    failed and its invoices are free again. Called when the approval request is saved."""
    voucher = Voucher.objects.select_for_update().filter(approval=approval).first()
    if voucher is None or voucher.status != VS.PROPOSED:
        return voucher
    before = voucher_summary(voucher)
    if approval.status == ApprovalRequest.Status.REJECTED:
        voucher.status = _voucher_transition(voucher, "decline")
        voucher.error_message = approval.rejection_reason
    else:
        voucher.status = _voucher_transition(voucher, "fail_approval")
        voucher.error_name = str(approval.result.get("code", ""))[:100]
        voucher.error_args = approval.result.get("extra") or {}
        voucher.error_message = str(approval.result.get("error", ""))
    voucher.save(update_fields=["status", "error_name", "error_args", "error_message",
                                "updated_at"])
    _release_invoices(voucher)
    audit_record(actor=approval.decided_by, organisation=voucher.debtor,
                 action=f"voucher.{voucher.status}", obj=voucher, before=before,
                 after=voucher_summary(voucher))
    return voucher


def _events(intent: ChainIntent, name: str) -> list[dict]:
    return [event["args"] for event in (intent.result or {}).get("events", [])
            if event.get("event") == name]


def _record_chain_error(obj, intent: ChainIntent) -> None:
    obj.error_name = intent.error_name or "Failed"
    obj.error_args = intent.error_args or {}
    obj.error_message = intent.error_message


@transaction.atomic
def voucher_issue_outcome(*, intent: ChainIntent) -> Voucher | None:
    """Outcome hook of issue(): record the token id, transaction and block, or the decoded
    failure (the invoices are then free again and no credit was used)."""
    voucher = (Voucher.objects.select_for_update(of=("self",))
               .select_related("supplier", "debtor")
               .filter(issue_intent=intent).first())
    if voucher is None or voucher.status != VS.ISSUING:
        return voucher  # not ours, or already recorded (hooks may run twice)
    before = voucher_summary(voucher)
    issued = _events(intent, "VoucherIssued")
    if intent.status == ChainIntent.Status.CONFIRMED and issued:
        voucher.status = _voucher_transition(voucher, "issue_confirmed")
        voucher.token_id = int(issued[0]["tokenId"])
        voucher.tx_hash, voucher.block_number = intent.tx_hash, intent.block_number
        notification_send(
            organisation=voucher.supplier, kind="voucher.to_accept",
            title=f"待签收电子债权凭证 {format_yuan(voucher.face_value_fen)} 元 / A voucher "
                  "awaits your acceptance",
            body=f"{voucher.debtor.name} 开立，到期日 {voucher.maturity_date.isoformat()}",
            link=f"/api/vouchers/{voucher.pk}")
        action = "voucher.issued"
    else:
        voucher.status = _voucher_transition(voucher, "issue_failed")
        _record_chain_error(voucher, intent)
        voucher.tx_hash, voucher.block_number = intent.tx_hash, intent.block_number
        _release_invoices(voucher)
        notification_send(
            organisation=voucher.debtor, kind="voucher.issue_failed",
            title=f"凭证开立失败 / Voucher issue failed: {voucher.error_name}",
            body=voucher.error_message, link=f"/api/vouchers/{voucher.pk}")
        action = "voucher.issue_failed"
    voucher.save()
    audit_record(actor=intent.requested_by, organisation=voucher.debtor, action=action,
                 obj=voucher, before=before, after=voucher_summary(voucher),
                 tx_hash=intent.tx_hash)
    return voucher


# --- acceptance (签收) and rejection (拒签) by the supplier ------------------------------------

def _respond_key(voucher: Voucher, verb: str) -> str:
    prefix = f"voucher-respond:{voucher.pk}:"
    attempt = ChainIntent.objects.filter(idempotency_key__startswith=prefix).count() + 1
    return f"{prefix}{attempt}:{verb}"


def _check_pending_root(voucher: Voucher) -> None:
    piece = ledger.chain_piece(voucher.token_id)
    supplier_address = chain_address(voucher.supplier)
    if piece is None or piece.owner != supplier_address:
        raise InvalidStateError("链上凭证与记录不符 / The voucher on chain does not match the "
                                "record", code="chain_mismatch", extra={"token_id":
                                                                        voucher.token_id})
    if piece.frozen:
        raise InvalidStateError("该凭证已被司法冻结 / The voucher is frozen by a judicial order",
                                code="piece_frozen", extra={"token_id": voucher.token_id})
    if piece.status != PieceStatus.PENDING:
        raise InvalidStateError(
            f"链上凭证状态为 {piece.status_name}，不是待签收 / The voucher is {piece.status_name} "
            "on chain, not pending", code="invalid_piece_status",
            extra={"token_id": voucher.token_id, "status": piece.status_name})
    problem = _member_problem(voucher.supplier, kinds=(OrganisationKind.SUPPLIER,),
                              role=ChainRole.SUPPLIER)
    if problem:
        raise InvalidStateError(problem, code="not_a_member")


def _locked_voucher(voucher: Voucher) -> Voucher:
    return (Voucher.objects.select_for_update(of=("self",))
            .select_related("debtor", "supplier__chain_account", "bank")
            .get(pk=voucher.pk))


@transaction.atomic
def voucher_accept(*, user: User, voucher: Voucher) -> Voucher:
    """The supplier's operator accepts the pending voucher (accept(tokenId) from its account)."""
    voucher = _locked_voucher(voucher)
    require_owner(user, voucher.supplier_id)
    before = voucher_summary(voucher)
    voucher.status = _voucher_transition(voucher, "accept")
    _check_pending_root(voucher)
    voucher.response_intent = organisation_intent_enqueue(
        organisation=voucher.supplier, contract=LEDGER, function="accept",
        args=[voucher.token_id], idempotency_key=_respond_key(voucher, "accept"),
        requested_by=user)
    voucher.responded_by, voucher.responded_at = user, timezone.now()
    voucher.error_name, voucher.error_args, voucher.error_message = "", {}, ""
    voucher.save()
    audit_record(actor=user, organisation=voucher.supplier, action="voucher.accept",
                 obj=voucher, before=before, after=voucher_summary(voucher))
    return voucher


@transaction.atomic
def voucher_reject(*, user: User, voucher: Voucher, reason: str) -> Voucher:
    """The supplier's operator rejects the pending voucher with a reason: the reason stays here,
    its SHA-256 goes on chain; the chain cancels the voucher and restores the credit."""
    voucher = _locked_voucher(voucher)
    require_owner(user, voucher.supplier_id)
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写拒签原因 / A reason is required")
    before = voucher_summary(voucher)
    voucher.status = _voucher_transition(voucher, "reject")
    _check_pending_root(voucher)
    voucher.rejection_reason = reason
    voucher.rejection_reason_hash = sha256_hex(f"scf-voucher-reject:{voucher.pk}:{reason}")
    voucher.response_intent = organisation_intent_enqueue(
        organisation=voucher.supplier, contract=LEDGER, function="reject",
        args=[voucher.token_id, voucher.rejection_reason_hash],
        idempotency_key=_respond_key(voucher, "reject"), requested_by=user)
    voucher.responded_by, voucher.responded_at = user, timezone.now()
    voucher.error_name, voucher.error_args, voucher.error_message = "", {}, ""
    voucher.save()
    audit_record(actor=user, organisation=voucher.supplier, action="voucher.reject",
                 obj=voucher, before=before,
                 after={**voucher_summary(voucher), "reason": reason})
    return voucher


@transaction.atomic
def voucher_response_outcome(*, intent: ChainIntent) -> Voucher | None:
    """Outcome hook of accept() and reject()."""
    voucher = (Voucher.objects.select_for_update(of=("self",))
               .select_related("debtor", "supplier")
               .filter(response_intent=intent).first())
    if voucher is None or voucher.status not in (VS.ACCEPTING, VS.REJECTING):
        return voucher
    before = voucher_summary(voucher)
    verb = "accept" if voucher.status == VS.ACCEPTING else "reject"
    if intent.status == ChainIntent.Status.CONFIRMED:
        voucher.status = _voucher_transition(voucher, f"{verb}_confirmed")
        if verb == "reject":
            _release_invoices(voucher)
        notification_send(
            organisation=voucher.debtor, kind=f"voucher.{voucher.status}",
            title=(f"{voucher.supplier.name} 已{'签收' if verb == 'accept' else '拒签'}凭证 "
                   f"{format_yuan(voucher.face_value_fen)} 元 / The supplier "
                   f"{verb}ed your voucher"),
            body=voucher.rejection_reason if verb == "reject" else "",
            link=f"/api/vouchers/{voucher.pk}")
    else:
        voucher.status = _voucher_transition(voucher, f"{verb}_failed")
        _record_chain_error(voucher, intent)
    voucher.save()
    outcome = "failed" if voucher.status == VS.PENDING else "confirmed"
    audit_record(actor=intent.requested_by, organisation=voucher.supplier,
                 action=f"voucher.{verb}_{outcome}", obj=voucher, before=before,
                 after=voucher_summary(voucher), tx_hash=intent.tx_hash)
    return voucher


# --- pieces: transfer (转让), split (拆分), freeze (司法冻结) ----------------------------------

def piece_operation_summary(operation: PieceOperation) -> dict:
    return {"kind": operation.kind, "status": operation.status, "token_id": operation.token_id,
            "root_id": operation.root_id, "organisation": operation.organisation_id,
            "holder": operation.holder_id, "to_organisation": operation.to_organisation_id,
            "amount_fen": operation.amount_fen, "amounts_fen": operation.amounts_fen,
            "whole_piece": operation.whole_piece, "reason_hash": operation.reason_hash,
            "intent": operation.intent_id, "new_token_ids": operation.new_token_ids,
            "error_name": operation.error_name}


def _locked_piece(token_id: int) -> ledger.ChainPiece:
    """Lock the piece's projection row (serialising requests on one piece), then read the piece
    from the chain, which is the authority."""
    PieceState.objects.select_for_update().filter(token_id=token_id).first()
    piece = ledger.chain_piece(token_id)
    if piece is None:
        raise Http404("no such piece")
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


def check_piece_movable(piece: ledger.ChainPiece) -> None:
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
    if ledger.chain_now() >= piece.maturity:
        matured = ledger.maturity_date_of(piece.maturity)
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


def _movement_context(*, user: User, token_id: int) -> tuple[ledger.ChainPiece, Organisation]:
    holder = Organisation.objects.select_related("chain_account").get(pk=user.organisation_id)
    piece = _locked_piece(token_id)
    if piece.owner != chain_address(holder):
        raise ForbiddenError(MSG_NOT_OWN)
    _require_no_operation_in_flight(token_id)
    check_piece_movable(piece)
    problem = _member_problem(holder, kinds=(OrganisationKind.SUPPLIER, OrganisationKind.BANK),
                              role=ledger.HOLDER_ROLES)
    if problem:
        raise InvalidStateError(f"本机构不能转让凭证：{problem}", code="not_a_member")
    return piece, holder


def _new_operation(*, kind: str, user: User, piece: ledger.ChainPiece, holder: Organisation | None,
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
        problem = _member_problem(to_organisation,
                                  kinds=(OrganisationKind.SUPPLIER, OrganisationKind.BANK),
                                  role=ledger.HOLDER_ROLES)
        if problem:
            errors["to_organisation"] = [f"受让方不能持有凭证 / The receiver cannot hold "
                                         f"vouchers: {problem}"]
    if errors:
        raise _fields_error(errors)
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
    if not 2 <= len(amounts_fen) <= MAX_SPLIT_PARTS:
        raise field_error("amounts_fen", f"拆分为 2 至 {MAX_SPLIT_PARTS} 份 / Split into 2 to "
                                         f"{MAX_SPLIT_PARTS} parts")
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


def _regulator_context(*, user: User, token_id: int) -> tuple[ledger.ChainPiece, Organisation]:
    if not can_freeze(user):
        raise ForbiddenError("只有监管机构可以冻结或解冻 / Only the regulator freezes or "
                             "unfreezes")
    regulator = Organisation.objects.select_related("chain_account").get(pk=user.organisation_id)
    piece = _locked_piece(token_id)
    problem = _member_problem(regulator, kinds=(OrganisationKind.REGULATOR,),
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
        label = dict(DebtorNotice.Kind.choices)[kind]
        notification_send(
            organisation=debtor, kind="debtor_notice",
            title=f"债权转让通知：{from_organisation.name} → {to_organisation.name} "
                  f"{format_yuan(amount_fen)} 元 / Debtor notice ({label})",
            body=f"凭证 #{root_id} 项下 #{from_token_id} → #{to_token_id}",
            link=f"/api/debtor-notices/{notice.pk}")
    return notice


def _notices_for(operation: PieceOperation, intent: ChainIntent) -> list[int]:
    """Record the debtor notices of a confirmed transfer or split; return the new token ids."""
    derived = {int(args["tokenId"]): args for args in _events(intent, "PieceDerived")}
    values = {int(args["toTokenId"]): int(args["value"])
              for args in _events(intent, "TransferValue")}
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
    operation.tx_hash, operation.block_number = intent.tx_hash, intent.block_number
    if intent.status == ChainIntent.Status.CONFIRMED:
        operation.status = _operation_transition(operation, "confirm")
        if operation.kind in (PieceOperation.Kind.TRANSFER, PieceOperation.Kind.SPLIT):
            operation.new_token_ids = _notices_for(operation, intent)
        if operation.kind == PieceOperation.Kind.TRANSFER:
            notification_send(
                organisation=operation.to_organisation, kind="piece.received",
                title=f"收到 {operation.holder.name} 转让的凭证 {format_yuan(operation.amount_fen)}"
                      " 元 / You received a voucher piece",
                link=f"/api/pieces/{(operation.new_token_ids or [operation.token_id])[0]}")
        elif operation.kind == PieceOperation.Kind.FREEZE and operation.holder is not None:
            notification_send(organisation=operation.holder, kind="piece.frozen",
                              title=f"凭证 #{operation.token_id} 已被司法冻结 / A piece of yours "
                                    "was frozen", link=f"/api/pieces/{operation.token_id}")
        elif operation.kind == PieceOperation.Kind.UNFREEZE and operation.holder is not None:
            notification_send(organisation=operation.holder, kind="piece.unfrozen",
                              title=f"凭证 #{operation.token_id} 已解冻 / A piece of yours was "
                                    "unfrozen", link=f"/api/pieces/{operation.token_id}")
    else:
        operation.status = _operation_transition(operation, "fail")
        _record_chain_error(operation, intent)
    operation.save()
    audit_record(actor=intent.requested_by, organisation=operation.organisation,
                 action=f"piece.{operation.kind}_{operation.status}", obj=operation,
                 before=before, after=piece_operation_summary(operation),
                 tx_hash=intent.tx_hash)
    return operation
