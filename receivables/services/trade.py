"""Trade background (贸易背景): trade contracts and invoices, each with its document and hash."""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from receivables.invoice_numbers import InvoiceNumberError, parse_invoice_number
from receivables.models import (
    Invoice,
    TradeContract,
)
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import (
    ForbiddenError,
)
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.errors import fields_error

from .common import (
    attach_document,
    invoice_chain_hash,
    read_document,
    save_with_document,
    trade_contract_hash,
)

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
        errors["supplier"] = [f"交易对手须为供应商：{supplier.name}（{supplier.credit_code}）"
                              f"不是供应商 / The counterparty must be a supplier: {supplier.name} "
                              f"({supplier.credit_code}) is not one"]
    elif not supplier.is_active:
        errors["supplier"] = [f"供应商 {supplier.name}（{supplier.credit_code}）已暂停 / The "
                              f"supplier {supplier.name} ({supplier.credit_code}) is suspended"]
    if signed_on > clock.today():
        errors["signed_on"] = ["签订日期不能晚于今天 / The signing date cannot be in the future"]
    if TradeContract.objects.filter(debtor=debtor, number=number).exists():
        errors["number"] = ["该合同编号已登记 / A trade contract with this number is already "
                            "registered"]
    if errors:
        raise fields_error(errors)
    document = read_document(file) if file is not None else None
    contract = TradeContract(debtor=debtor, supplier=supplier, number=number, title=title,
                             amount_fen=amount_fen, signed_on=signed_on, created_by=user)
    attach_document(contract, file, document)
    contract.chain_hash = trade_contract_hash(
        debtor=debtor, supplier=supplier, number=number, amount_fen=amount_fen,
        signed_on=signed_on, file_sha256=contract.file_sha256)
    save_with_document(contract, ("number", "该合同编号已登记 / A trade contract with this "
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
                                      today=clock.today())
    except InvoiceNumberError as exc:
        raise field_error(exc.field, exc.message) from exc
    if issued_on > clock.today():
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
    document = read_document(file) if file is not None else None
    invoice = Invoice(trade_contract=trade_contract, number=parsed.number, code=parsed.code,
                      amount_fen=amount_fen, issued_on=issued_on, chain_hash=chain_hash,
                      created_by=user)
    attach_document(invoice, file, document)
    save_with_document(invoice, ("number", "该发票已登记 / This invoice is already registered"))
    audit_record(actor=user, organisation=user.organisation, action="invoice.create",
                 obj=invoice, before={}, after=invoice_summary(invoice))
    return invoice
