"""Issuance (开立) of root vouchers with maker-checker, within the bank's credit line, and its chain
outcome."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from receivables import messages
from receivables.models import (
    Invoice,
    TradeContract,
    Voucher,
    VoucherInvoice,
)
from scf import clock
from scf.accounts.models import ChainRole, Organisation, OrganisationKind, User
from scf.accounts.permissions import (
    require_owner,
)
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.services import approval_propose
from scf.audit.services import audit_record
from scf.chain.limits import chain_limits
from scf.chain.models import ChainIntent
from scf.chain.projection import CHAIN
from scf.chain.readers import credit_available, invoice_holder
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError, fields_error
from scf.money import format_yuan
from scf.notifications.services import notification_send

from .common import (
    ISSUE_ACTION,
    LEDGER,
    RESERVING_STATUSES,
    VS,
    chain_address,
    member_problem,
    voucher_outcome,
    voucher_transition,
)

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
    available = credit_available(bank_address=chain_address(bank),
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
        token_id = invoice_holder(invoice.chain_hash)
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

    problem = member_problem(debtor, kinds=(OrganisationKind.CORE_ENTERPRISE,),
                              role=ChainRole.CORE_ENTERPRISE, ledger=CHAIN)
    if problem:
        raise InvalidStateError(f"本机构不能开立凭证：{problem}", code="not_a_member")
    problem = member_problem(supplier, kinds=(OrganisationKind.SUPPLIER,),
                              role=ChainRole.SUPPLIER, ledger=CHAIN)
    if problem:
        errors["trade_contract"] = [f"该合同的供应商不能接收凭证 / The trade's supplier cannot "
                                    f"receive vouchers: {problem}"]
    bank_problem = member_problem(bank, kinds=(OrganisationKind.BANK,), role=ChainRole.BANK,
                                  ledger=CHAIN)
    if bank_problem:
        errors["bank"] = [bank_problem]
    limits = chain_limits()
    if not 0 < face_value_fen <= limits.max_amount:
        errors["face_value_fen"] = ["金额须为正整数分 / The amount must be a positive number of "
                                    "fen"]
    elif face_value_fen > trade_contract.amount_fen:
        errors["face_value_fen"] = [
            f"不能超过贸易合同金额 {format_yuan(trade_contract.amount_fen)} 元 / Cannot exceed "
            f"the trade contract's amount of {format_yuan(trade_contract.amount_fen)} yuan"]
    if maturity_date <= clock.today():
        errors["maturity_date"] = ["到期日须晚于今天 / The maturity date must be after today"]
    if not 1 <= len(invoices) <= limits.max_invoices:
        errors["invoices"] = [f"须附 1 至 {limits.max_invoices} 张发票 / Cite 1 to "
                              f"{limits.max_invoices} "
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
        raise fields_error(errors)
    _invoice_conflicts(invoices)

    voucher = Voucher.objects.create(
        debtor=debtor, supplier=supplier, bank=bank, trade_contract=trade_contract,
        face_value_fen=face_value_fen, maturity_date=maturity_date,
        maturity_at=clock.start_of_day(maturity_date), proposed_by=user)
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
    voucher.status = voucher_transition(voucher, "approve")
    if voucher.maturity_date <= clock.today():
        raise field_error("maturity_date", "到期日已不晚于今天 / The maturity date is no longer "
                                           "after today")
    for organisation, kinds, role in (
            (voucher.supplier, (OrganisationKind.SUPPLIER,), ChainRole.SUPPLIER),
            (voucher.bank, (OrganisationKind.BANK,), ChainRole.BANK),
            (voucher.debtor, (OrganisationKind.CORE_ENTERPRISE,), ChainRole.CORE_ENTERPRISE)):
        problem = member_problem(organisation, kinds=kinds, role=role, ledger=CHAIN)
        if problem:
            raise InvalidStateError(f"{organisation.name}: {problem}", code="not_a_member")
    credit = _credit_problem(debtor=voucher.debtor, bank=voucher.bank,
                             face_value_fen=voucher.face_value_fen, exclude=voucher)
    if credit:
        raise fields_error(credit)
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


def release_invoices(voucher: Voucher) -> None:
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
        voucher.status = voucher_transition(voucher, "decline")
    else:
        voucher.status = voucher_transition(voucher, "fail_approval")
    voucher.save(update_fields=["status", "updated_at"])  # its error is the approval's
    release_invoices(voucher)
    audit_record(actor=approval.decided_by, organisation=voucher.debtor,
                 action=f"voucher.{voucher.status}", obj=voucher, before=before,
                 after=voucher_summary(voucher))
    return voucher


def events(intent: ChainIntent, name: str) -> list[dict]:
    return [event["args"] for event in (intent.result or {}).get("events", [])
            if event.get("event") == name]


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
    issued = events(intent, "VoucherIssued")
    if intent.status == ChainIntent.Status.CONFIRMED and issued:
        voucher.status = voucher_outcome(voucher, "issue_confirmed", intent)
        voucher.token_id = int(issued[0]["tokenId"])
        notification_send(
            organisation=voucher.supplier, link=f"/api/vouchers/{voucher.pk}",
            **messages.notification("voucher.to_accept", face_value_fen=voucher.face_value_fen,
                                    debtor=voucher.debtor.name,
                                    maturity_date=voucher.maturity_date.isoformat()))
        action = "voucher.issued"
    else:
        voucher.status = voucher_outcome(voucher, "issue_failed", intent)
        release_invoices(voucher)
        notification_send(
            organisation=voucher.debtor, link=f"/api/vouchers/{voucher.pk}",
            **messages.notification("voucher.issue_failed", error_name=voucher.error_name,
                                    error_message=voucher.error_message))
        action = "voucher.issue_failed"
    voucher.save()
    audit_record(actor=intent.requested_by, organisation=voucher.debtor, action=action,
                 obj=voucher, before=before, after=voucher_summary(voucher),
                 tx_hash=intent.tx_hash)
    return voucher
