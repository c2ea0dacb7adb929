"""Writes of bank financing: credit lines, financing applications and quotes, maturity clearing.

Every service is keyword-only, runs in one transaction, locks the row it changes and checks an
explicit table of allowed transitions; audit_record is its last step. A chain action is an
intent (scf.chain) sent from the acting organisation's own account once the transaction
commits; its outcome comes back through the hooks at the end of each section
(`*_on_outcome`, registered in banking.apps), which move the business rows on. A transaction
the chain refuses leaves them where they were, with the decoded error recorded."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from banking import ledger
from banking.models import (
    ClearingBatch,
    ClearingItem,
    ClearingOperation,
    CreditLine,
    CreditLineChange,
    FinancingAddressee,
    FinancingApplication,
    FinancingOperation,
    FinancingQuote,
)
from banking.pricing import discount_quote
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import ForbiddenError
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.services import approval_approve, approval_propose, approval_reject
from scf.audit.services import audit_record
from scf.chain.errors import ChainRevertError
from scf.chain.models import ChainEvent, ChainIntent, PieceState, SlotState
from scf.chain.services import intent_enqueue, operator_chain_account, organisation_intent_enqueue
from scf.errors import InvalidStateError
from scf.money import format_yuan
from scf.notifications.services import notification_send

logger = logging.getLogger(__name__)

# Lock the row itself only: FOR UPDATE over a nullable select_related join is refused by
# PostgreSQL (SQLite ignores FOR UPDATE altogether).
SELF = ("self",)
ACTION_CREDIT_LINE_SET = "credit_line.set"
ACTION_FINANCING_QUOTE = "financing.quote"
MAX_BANKS_PER_APPLICATION = 5
MAX_INVOICE_REFERENCES = 20

Line = CreditLine.Status
Change = CreditLineChange.Status
App = FinancingApplication.Status
Quote = FinancingQuote.Status
Addressee = FinancingAddressee.Status
Batch = ClearingBatch.Status
Item = ClearingItem.Status
PieceStatus = PieceState.Status

# --- transition tables: action -> {from status: to status} ------------------------------------

LINE_TRANSITIONS: dict[str, dict] = {
    "grant": {None: Line.ACTIVE},
    # CreditLines.setLine keeps a frozen line frozen; a new expiry revives an expired line.
    "adjust": {Line.ACTIVE: Line.ACTIVE, Line.EXPIRED: Line.ACTIVE, Line.FROZEN: Line.FROZEN},
    "freeze": {Line.ACTIVE: Line.FROZEN, Line.EXPIRED: Line.FROZEN},
    "unfreeze": {Line.FROZEN: Line.ACTIVE},
    "expire": {Line.ACTIVE: Line.EXPIRED},
}
CHANGE_TRANSITIONS: dict[str, dict] = {
    "approve": {Change.PROPOSED: Change.SUBMITTED},
    "reject": {Change.PROPOSED: Change.REJECTED},
    "confirm": {Change.SUBMITTED: Change.APPLIED},
    "fail": {Change.SUBMITTED: Change.FAILED},
}
APPLICATION_TRANSITIONS: dict[str, dict] = {
    "lock_confirmed": {App.LOCKING: App.SUBMITTED},
    "lock_failed": {App.LOCKING: App.FAILED},
    "accept": {App.SUBMITTED: App.ACCEPTING},
    "accept_confirmed": {App.ACCEPTING: App.APPROVING},
    "accept_failed": {App.ACCEPTING: App.SUBMITTED},
    "approve": {App.SUBMITTED: App.APPROVING},
    "approve_confirmed": {App.APPROVING: App.FINANCED},
    "approve_failed": {App.APPROVING: App.SUBMITTED},
    "decline": {App.SUBMITTED: App.DECLINING},
    "decline_confirmed": {App.DECLINING: App.DECLINED},
    "decline_failed": {App.DECLINING: App.SUBMITTED},
    "all_declined": {App.SUBMITTED: App.DECLINED},
    "withdraw": {App.SUBMITTED: App.WITHDRAWING},
    "withdraw_unlocked": {App.SUBMITTED: App.WITHDRAWN},
    "withdraw_confirmed": {App.WITHDRAWING: App.WITHDRAWN},
    "withdraw_failed": {App.WITHDRAWING: App.SUBMITTED},
    "disburse": {App.FINANCED: App.DISBURSED},
}
QUOTE_TRANSITIONS: dict[str, dict] = {
    "approve_locked": {Quote.PROPOSED: Quote.ACCEPTED},
    "approve_offer": {Quote.PROPOSED: Quote.OFFERED},
    "accept": {Quote.OFFERED: Quote.ACCEPTED},
    "financed": {Quote.ACCEPTED: Quote.FINANCED},
    "accept_failed": {Quote.ACCEPTED: Quote.OFFERED},
    "finance_failed": {Quote.ACCEPTED: Quote.FAILED},
    "reject": {Quote.PROPOSED: Quote.REJECTED, Quote.OFFERED: Quote.REJECTED},
    "lapse": {Quote.PROPOSED: Quote.LAPSED, Quote.OFFERED: Quote.LAPSED},
    "checker_reject": {Quote.PROPOSED: Quote.REJECTED},
    "approval_failed": {Quote.PROPOSED: Quote.FAILED},
}
ADDRESSEE_TRANSITIONS: dict[str, dict] = {
    "select": {Addressee.OPEN: Addressee.SELECTED},
    "decline": {Addressee.OPEN: Addressee.DECLINED, Addressee.SELECTED: Addressee.DECLINED},
    "lapse": {Addressee.OPEN: Addressee.LAPSED},
}
BATCH_TRANSITIONS: dict[str, dict] = {
    "confirm": {Batch.AWAITING_FUNDING: Batch.SETTLING},
    "settled": {Batch.SETTLING: Batch.SETTLED, Batch.PARTIALLY_SETTLED: Batch.SETTLED},
    "partial": {Batch.SETTLING: Batch.PARTIALLY_SETTLED},
    "resume": {Batch.PARTIALLY_SETTLED: Batch.SETTLING},
}
ITEM_TRANSITIONS: dict[str, dict] = {
    "settle": {Item.PENDING: Item.SETTLING, Item.BLOCKED: Item.SETTLING,
               Item.FAILED: Item.SETTLING},
    "block": {Item.PENDING: Item.BLOCKED, Item.BLOCKED: Item.BLOCKED, Item.FAILED: Item.BLOCKED},
    "settled": {Item.SETTLING: Item.SETTLED, Item.PENDING: Item.SETTLED,
                Item.BLOCKED: Item.SETTLED, Item.FAILED: Item.SETTLED},
    "fail": {Item.SETTLING: Item.FAILED},
}


def _transition(table: dict[str, dict], current, action: str, what: str) -> str:
    new_status = table[action].get(current)
    if new_status is None:
        raise InvalidStateError(
            f"{what}状态为 {current}，不能执行 {action} / Cannot {action} a {what} whose status "
            f"is {current}", extra={"status": current, "action": action})
    return new_status


def _outcome(table: dict[str, dict], current, action: str, what: str):
    """A transition applied by a chain outcome hook: the chain has spoken, so an unexpected
    current state is logged and left alone instead of failing the hook forever."""
    new_status = table[action].get(current)
    if new_status is None:
        logger.warning("%s: outcome %s ignored in status %s", what, action, current)
    return new_status


# --- shared helpers ------------------------------------------------------------------------------

def _address(organisation: Organisation) -> str:
    if organisation.chain_account_id is None:
        raise InvalidStateError(
            f"{organisation.name} 尚未上链 / {organisation.name} has no chain account yet: its "
            "KYC must be approved first", code="no_chain_account")
    return organisation.chain_account.address


def _organisations_by_address(addresses: Iterable[str]) -> dict[str, Organisation]:
    return {org.chain_account.address: org for org in Organisation.objects.select_related(
        "chain_account").filter(chain_account__address__in=set(addresses))}


def _intent_error(intent: ChainIntent) -> dict:
    return {"name": intent.error_name, "args": intent.error_args, "message": intent.error_message,
            "operation_id": intent.pk}


def _event_args(intent: ChainIntent, name: str) -> list[dict]:
    return [event["args"] for event in intent.result.get("events", [])
            if event.get("event") == name]


def _require_active_member(user: User, kind: str) -> Organisation:
    organisation = user.organisation
    if organisation is None or organisation.kind != kind:
        raise ForbiddenError("本机构不能执行此操作 / Your organisation cannot do this")
    if not organisation.is_active:
        raise ForbiddenError("机构已暂停，只能查看 / The organisation is suspended: read only")
    return organisation


def _raise_if_approval_failed(approval: ApprovalRequest) -> None:
    """The handler refused after all: surface its error and roll the approval back with the
    rest of the caller's transaction (nothing half-written)."""
    if approval.status == ApprovalRequest.Status.FAILED:
        result = approval.result or {}
        raise InvalidStateError(result.get("error", "执行失败 / The action failed"),
                                code=result.get("code"), extra=result.get("extra") or {})


def _today() -> date:
    return timezone.localdate()


def _notify(organisation: Organisation | None, kind: str, title: str, body: str = "",
            link: str = "") -> None:
    if organisation is not None:
        notification_send(organisation=organisation, kind=kind, title=title, body=body,
                          link=link)


# =================================================================================================
# Credit lines (授信)
# =================================================================================================

def credit_line_summary(line: CreditLine) -> dict:
    return {"bank": line.bank_id, "core_enterprise": line.core_enterprise_id,
            "limit_fen": line.limit_fen, "expires_on": line.expires_on, "status": line.status}


def credit_line_change_summary(change: CreditLineChange) -> dict:
    return {"kind": change.kind, "status": change.status, "bank": change.bank_id,
            "core_enterprise": change.core_enterprise_id, "limit_fen": change.limit_fen,
            "expires_on": change.expires_on, "previous_limit_fen": change.previous_limit_fen,
            "previous_expires_on": change.previous_expires_on,
            "operation": change.intent_id, "error": change.error}


def _validate_line_terms(*, core_enterprise: Organisation, limit_fen: int,
                         expires_on: date) -> None:
    if core_enterprise.kind != OrganisationKind.CORE_ENTERPRISE:
        raise field_error("core_enterprise", "须为核心企业 / Must be a core enterprise")
    if not core_enterprise.is_active or core_enterprise.chain_account_id is None:
        raise field_error("core_enterprise", "该核心企业未上链或已暂停 / The core enterprise is "
                                             "not an active member on chain")
    if not isinstance(limit_fen, int) or isinstance(limit_fen, bool) or limit_fen <= 0:
        raise field_error("limit_fen", "额度须为正整数分 / The limit must be a positive number "
                                       "of fen")
    if limit_fen > ledger.MAX_LIMIT:
        raise field_error("limit_fen", f"额度不能超过 {ledger.MAX_LIMIT} 分 / The limit cannot "
                                       f"exceed {ledger.MAX_LIMIT} fen")
    if expires_on <= _today():
        raise field_error("expires_on", "到期日须晚于今天 / The expiry must be after today")


def _sync_change_with_approval(change: CreditLineChange) -> None:
    """A proposal decided through the generic approvals API: reflect the rejection or the
    handler's failure here."""
    if change.status != Change.PROPOSED or change.approval is None:
        return
    if change.approval.status == ApprovalRequest.Status.REJECTED:
        change.status = Change.REJECTED
        change.rejection_reason = change.approval.rejection_reason
        change.decided_by_id = change.approval.decided_by_id
        change.decided_at = change.approval.decided_at
        change.save()
    elif change.approval.status == ApprovalRequest.Status.FAILED:
        change.status = Change.FAILED
        change.error = change.approval.result
        change.save()


def _pending_set_change(bank: Organisation, core_enterprise: Organisation) -> bool:
    pending = CreditLineChange.objects.select_related("approval").filter(
        bank=bank, core_enterprise=core_enterprise, kind=CreditLineChange.Kind.SET,
        status__in=[Change.PROPOSED, Change.SUBMITTED])
    for change in pending:
        _sync_change_with_approval(change)
    return any(change.status in (Change.PROPOSED, Change.SUBMITTED) for change in pending)


@transaction.atomic
def credit_line_change_propose(*, user: User, core_enterprise: Organisation, limit_fen: int,
                               expires_on: date) -> CreditLineChange:
    """A bank operator proposes to grant a line to a core enterprise, or to adjust it (limit
    and expiry); a bank approver executes it (maker-checker action `credit_line.set`)."""
    bank = _require_active_member(user, OrganisationKind.BANK)
    bank = Organisation.objects.select_for_update(of=SELF).select_related("chain_account").get(
        pk=bank.pk)  # one proposal at a time per bank
    _validate_line_terms(core_enterprise=core_enterprise, limit_fen=limit_fen,
                         expires_on=expires_on)
    if _pending_set_change(bank, core_enterprise):
        raise InvalidStateError("该授信已有待复核或上链中的调整 / A change of this line is already "
                                "awaiting approval or on its way to the chain",
                                code="change_pending")
    ledger.require_limit_covers_used(bank=_address(bank), debtor=_address(core_enterprise),
                                     limit=limit_fen)
    line = CreditLine.objects.filter(bank=bank, core_enterprise=core_enterprise).first()
    change = CreditLineChange.objects.create(
        bank=bank, core_enterprise=core_enterprise, line=line, kind=CreditLineChange.Kind.SET,
        status=Change.PROPOSED, limit_fen=limit_fen, expires_on=expires_on,
        previous_limit_fen=line.limit_fen if line else None,
        previous_expires_on=line.expires_on if line else None,
        previous_status=line.status if line else "", proposed_by=user)
    verb = "调整授信 / adjust line" if line else "授予授信 / grant line"
    change.approval = approval_propose(
        user=user, action=ACTION_CREDIT_LINE_SET, payload={"change_id": change.pk},
        summary=f"{verb}: {core_enterprise.name} ¥{format_yuan(limit_fen)} 至 {expires_on}")
    change.save(update_fields=["approval"])
    audit_record(actor=user, organisation=bank, action="credit_line.propose", obj=change,
                 before={}, after=credit_line_change_summary(change))
    return change


def _locked_change(change: CreditLineChange) -> CreditLineChange:
    return (CreditLineChange.objects.select_for_update(of=SELF)
            .select_related("bank__chain_account", "core_enterprise__chain_account", "approval")
            .get(pk=change.pk))


def _check_set_executable(change: CreditLineChange) -> None:
    _transition(CHANGE_TRANSITIONS, change.status, "approve", "授信调整 / credit line change")
    if change.approval is None:
        raise InvalidStateError("该调整不经复核 / This change has no approval")
    _validate_line_terms(core_enterprise=change.core_enterprise, limit_fen=change.limit_fen,
                         expires_on=change.expires_on)
    ledger.require_limit_covers_used(bank=_address(change.bank),
                                     debtor=_address(change.core_enterprise),
                                     limit=change.limit_fen)


@transaction.atomic
def credit_line_change_approve(*, change: CreditLineChange, user: User) -> CreditLineChange:
    """A bank approver (not the proposer) approves: setLine is sent from the bank's account."""
    change = _locked_change(change)
    _sync_change_with_approval(change)
    _check_set_executable(change)
    approval = approval_approve(request=change.approval, user=user)
    _raise_if_approval_failed(approval)
    change.refresh_from_db()
    return change


def credit_line_set_execute(*, payload: dict, approver: User,
                            approval: ApprovalRequest) -> dict:
    """The handler of the maker-checker action `credit_line.set`."""
    change = _locked_change(CreditLineChange(pk=payload["change_id"]))
    if change.approval_id != approval.pk:
        raise InvalidStateError("复核请求与调整不符 / The approval does not match the change")
    _check_set_executable(change)
    intent = organisation_intent_enqueue(
        organisation=change.bank, contract="CreditLines", function="setLine",
        args=[_address(change.core_enterprise), str(change.limit_fen),
              ledger.end_of_day_unix(change.expires_on)],
        idempotency_key=f"banking:credit-line-change:{change.pk}:setLine", requested_by=approver)
    before = credit_line_change_summary(change)
    change.status = _transition(CHANGE_TRANSITIONS, change.status, "approve", "授信调整")
    change.intent = intent
    change.decided_by = approver
    change.decided_at = timezone.now()
    change.save()
    audit_record(actor=approver, organisation=change.bank, action="credit_line.approve",
                 obj=change, before=before, after=credit_line_change_summary(change))
    return {"change_id": change.pk, "operation_id": intent.pk}


@transaction.atomic
def credit_line_change_reject(*, change: CreditLineChange, user: User,
                              reason: str) -> CreditLineChange:
    change = _locked_change(change)
    _sync_change_with_approval(change)
    before = credit_line_change_summary(change)
    new_status = _transition(CHANGE_TRANSITIONS, change.status, "reject", "授信调整")
    approval_reject(request=change.approval, user=user, reason=reason)
    change.status = new_status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.rejection_reason = reason.strip()
    change.save()
    audit_record(actor=user, organisation=change.bank, action="credit_line.reject", obj=change,
                 before=before, after=credit_line_change_summary(change))
    return change


def _line_toggle(*, line: CreditLine, user: User, kind: str) -> CreditLineChange:
    bank = _require_active_member(user, OrganisationKind.BANK)
    if bank.pk != line.bank_id:
        raise ForbiddenError("只能操作本行的授信 / You can only act on your own bank's lines")
    line = CreditLine.objects.select_for_update(of=SELF).select_related(
        "bank__chain_account", "core_enterprise__chain_account").get(pk=line.pk)
    action = "freeze" if kind == CreditLineChange.Kind.FREEZE else "unfreeze"
    _transition(LINE_TRANSITIONS, line.status, action, "授信 / credit line")
    if line.changes.filter(kind__in=[CreditLineChange.Kind.FREEZE,
                                     CreditLineChange.Kind.UNFREEZE],
                           status=Change.SUBMITTED).exists():
        raise InvalidStateError("该授信的冻结/解冻正在上链 / A freeze or unfreeze of this line is "
                                "on its way to the chain", code="change_pending")
    bank_address, debtor = _address(line.bank), _address(line.core_enterprise)
    on_chain = ledger.line_of(bank_address, debtor)
    if kind == CreditLineChange.Kind.FREEZE and on_chain.frozen:
        raise ChainRevertError("CreditLinesLineFrozen",
                                      {"bank": bank_address, "debtor": debtor})
    if kind == CreditLineChange.Kind.UNFREEZE and not on_chain.frozen:
        raise ChainRevertError("CreditLinesLineNotFrozen",
                                      {"bank": bank_address, "debtor": debtor})
    now = timezone.now()
    change = CreditLineChange.objects.create(
        bank=line.bank, core_enterprise=line.core_enterprise, line=line, kind=kind,
        status=Change.SUBMITTED, previous_limit_fen=line.limit_fen,
        previous_expires_on=line.expires_on, previous_status=line.status, proposed_by=user,
        decided_by=user, decided_at=now)
    function = "freezeLine" if kind == CreditLineChange.Kind.FREEZE else "unfreezeLine"
    change.intent = organisation_intent_enqueue(
        organisation=line.bank, contract="CreditLines", function=function, args=[debtor],
        idempotency_key=f"banking:credit-line-change:{change.pk}:{function}", requested_by=user)
    change.save(update_fields=["intent"])
    audit_record(actor=user, organisation=line.bank, action=f"credit_line.{action}", obj=change,
                 before=credit_line_summary(line), after=credit_line_change_summary(change))
    return change


@transaction.atomic
def credit_line_freeze(*, line: CreditLine, user: User) -> CreditLineChange:
    """A bank approver freezes the line: no more issuance against it (freezeLine)."""
    return _line_toggle(line=line, user=user, kind=CreditLineChange.Kind.FREEZE)


@transaction.atomic
def credit_line_unfreeze(*, line: CreditLine, user: User) -> CreditLineChange:
    return _line_toggle(line=line, user=user, kind=CreditLineChange.Kind.UNFREEZE)


def credit_line_change_on_outcome(intent: ChainIntent) -> None:
    """setLine / freezeLine / unfreezeLine confirmed or failed: apply the change to the line,
    or record the error and leave the line as it was."""
    change = (CreditLineChange.objects.select_for_update(of=SELF)
              .select_related("bank", "core_enterprise").filter(intent=intent).first())
    if change is None or change.status != Change.SUBMITTED:
        return
    before = credit_line_change_summary(change)
    if intent.status == ChainIntent.Status.CONFIRMED:
        line = _apply_line_change(change)
        change.line = line
        change.status = Change.APPLIED
        change.applied_at = timezone.now()
        title = (f"授信已生效：{change.bank.name} ¥{format_yuan(line.limit_fen)}，至 "
                 f"{line.expires_on}，状态 {line.get_status_display()}")
        _notify(change.core_enterprise, "credit_line.changed", title,
                link=f"/api/credit-lines/{line.pk}")
    else:
        change.status = Change.FAILED
        change.error = _intent_error(intent)
        _notify(change.bank, "credit_line.failed",
                f"授信调整上链失败 / Credit line change failed: {intent.error_name}",
                link=f"/api/credit-line-changes/{change.pk}")
    change.save()
    audit_record(actor=intent.requested_by, organisation=change.bank,
                 action=f"credit_line.{change.kind}.{change.status}", obj=change, before=before,
                 after=credit_line_change_summary(change), tx_hash=intent.tx_hash)


def _apply_line_change(change: CreditLineChange) -> CreditLine:
    line = CreditLine.objects.select_for_update(of=SELF).filter(
        bank=change.bank, core_enterprise=change.core_enterprise).first()
    what = f"credit line {change.bank_id}->{change.core_enterprise_id}"
    if change.kind == CreditLineChange.Kind.SET:
        if line is None:
            return CreditLine.objects.create(
                bank=change.bank, core_enterprise=change.core_enterprise,
                limit_fen=change.limit_fen, expires_on=change.expires_on,
                status=LINE_TRANSITIONS["grant"][None])
        line.limit_fen, line.expires_on = change.limit_fen, change.expires_on
        line.status = _outcome(LINE_TRANSITIONS, line.status, "adjust", what) or line.status
    elif change.kind == CreditLineChange.Kind.FREEZE:
        line.status = Line.FROZEN
    elif change.kind == CreditLineChange.Kind.UNFREEZE:
        line.status = _outcome(LINE_TRANSITIONS, line.status, "unfreeze", what) or Line.ACTIVE
        if line.expires_on < _today():
            line.status = LINE_TRANSITIONS["expire"][Line.ACTIVE]
    line.save()
    return line


def credit_lines_expire_due(*, today: date | None = None) -> list[int]:
    """Mark lines past their expiry date expired (the chain already refuses to consume them)."""
    today = today or _today()
    expired = []
    for pk in CreditLine.objects.filter(status=Line.ACTIVE, expires_on__lt=today).values_list(
            "pk", flat=True):
        with transaction.atomic():
            line = CreditLine.objects.select_for_update(of=SELF).select_related(
                "bank", "core_enterprise").get(pk=pk)
            if line.status != Line.ACTIVE or line.expires_on >= today:
                continue
            before = credit_line_summary(line)
            line.status = _transition(LINE_TRANSITIONS, line.status, "expire", "授信")
            line.save()
            change = CreditLineChange.objects.create(
                bank=line.bank, core_enterprise=line.core_enterprise, line=line,
                kind=CreditLineChange.Kind.EXPIRE, status=Change.APPLIED,
                previous_limit_fen=line.limit_fen, previous_expires_on=line.expires_on,
                previous_status=before["status"], applied_at=timezone.now())
            for organisation in (line.bank, line.core_enterprise):
                _notify(organisation, "credit_line.expired",
                        f"授信已到期 / Credit line expired: {line.bank.name} → "
                        f"{line.core_enterprise.name}", link=f"/api/credit-lines/{line.pk}")
            audit_record(actor=None, organisation=line.bank, action="credit_line.expire",
                         obj=change, before=before, after=credit_line_summary(line))
            expired.append(line.pk)
    return expired


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


def _locked_application(pk: int) -> FinancingApplication:
    return (FinancingApplication.objects.select_for_update(of=SELF)
            .select_related("applicant__chain_account", "lock_bank__chain_account")
            .get(pk=pk))


def _locked_quote(pk: int) -> FinancingQuote:
    return (FinancingQuote.objects.select_for_update(of=SELF)
            .select_related("bank__chain_account", "approval").get(pk=pk))


def _financing_operation(*, application: FinancingApplication, kind: str, bank: Organisation,
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


@transaction.atomic
def financing_application_create(*, user: User, token_id: int, amount_fen: int,
                                 banks: list[Organisation], invoice_numbers: list[str],
                                 trade_reference: str = "") -> FinancingApplication:
    """A supplier applies to discount `amount_fen` of its piece `token_id`.

    One bank: lockForFinancing(token, amount, bank) is sent at once from the supplier's account
    (split-then-lock: a part below the balance becomes a new locked piece). Several banks: the
    piece is reserved here (one live application per piece) and locked for the bank whose quote
    the supplier accepts."""
    applicant = _require_active_member(user, OrganisationKind.SUPPLIER)
    applicant = Organisation.objects.select_for_update(of=SELF).select_related("chain_account").get(
        pk=applicant.pk)
    holder = _address(applicant)
    _validate_amount(amount_fen)
    _validate_banks(banks)
    invoice_numbers = _validate_references(invoice_numbers)
    if FinancingApplication.objects.filter(
            token_id=token_id, status__in=FinancingApplication.LIVE_STATUSES).exists():
        raise InvalidStateError("该凭证已有进行中的融资申请 / This piece is already under a "
                                "financing application", code="piece_reserved",
                                extra={"fields": {"token_id": ["already applied for"]}})
    piece = ledger.piece_of(token_id)
    slot = ledger.slot_of(piece.root_id) if piece else None
    ledger.require_movable(piece, token_id=token_id, holder=holder, amount=amount_fen,
                           now=ledger.chain_now(), maturity=slot.maturity if slot else 0)
    multi_bank = len(banks) > 1
    try:
        with transaction.atomic():
            application = FinancingApplication.objects.create(
                applicant=applicant, applied_by=user, multi_bank=multi_bank,
                status=App.SUBMITTED if multi_bank else App.LOCKING, token_id=token_id,
                root_id=piece.root_id, amount_fen=amount_fen, maturity=slot.maturity,
                maturity_date=ledger.local_date(slot.maturity), invoice_numbers=invoice_numbers,
                trade_reference=trade_reference.strip(),
                lock_bank=None if multi_bank else banks[0])
    except IntegrityError:
        raise InvalidStateError("该凭证已有进行中的融资申请 / This piece is already under a "
                                "financing application", code="piece_reserved") from None
    FinancingAddressee.objects.bulk_create(
        [FinancingAddressee(application=application, bank=bank) for bank in banks])
    if multi_bank:
        for bank in banks:
            _notify(bank, "financing.applied",
                    f"新融资申请（多家银行报价）/ New financing application: {applicant.name} "
                    f"¥{format_yuan(amount_fen)}", link=f"/api/financing/applications/"
                                                       f"{application.pk}")
    else:
        _financing_operation(
            application=application, kind=FinancingOperation.Kind.LOCK, bank=banks[0],
            sender=applicant, function="lockForFinancing",
            args=[str(token_id), str(amount_fen), _address(banks[0])], user=user)
    audit_record(actor=user, organisation=applicant, action="financing.apply", obj=application,
                 before={}, after={**financing_application_summary(application),
                                   "banks": [bank.pk for bank in banks],
                                   "invoice_numbers": invoice_numbers})
    return application


@transaction.atomic
def financing_application_withdraw(*, application: FinancingApplication, user: User
                                   ) -> tuple[FinancingApplication, FinancingOperation | None]:
    """The supplier withdraws before a decision; withdrawFinancing releases a chain lock."""
    application = _locked_application(application.pk)
    if user.organisation_id != application.applicant_id:
        raise ForbiddenError("只能撤回本机构的申请 / You can only withdraw your own application")
    before = financing_application_summary(application)
    operation = None
    if application.locked_token_id and application.lock_bank_id:
        application.status = _transition(APPLICATION_TRANSITIONS, application.status,
                                         "withdraw", "融资申请 / application")
        piece = ledger.piece_of(application.locked_token_id)
        ledger.require_locked_for(piece, token_id=application.locked_token_id,
                                  bank=_address(application.lock_bank))
        operation = _financing_operation(
            application=application, kind=FinancingOperation.Kind.WITHDRAW,
            bank=application.lock_bank, sender=application.applicant,
            function="withdrawFinancing", args=[str(application.locked_token_id)], user=user)
    else:
        application.status = _transition(APPLICATION_TRANSITIONS, application.status,
                                         "withdraw_unlocked", "融资申请 / application")
        _close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                         notice="融资申请已撤回 / The financing application was withdrawn")
    application.save()
    audit_record(actor=user, organisation=application.applicant, action="financing.withdraw",
                 obj=application, before=before,
                 after=financing_application_summary(application))
    return application, operation


def _close_for_banks(application: FinancingApplication, *, quote_action: str,
                     addressee_action: str, notice: str,
                     except_bank_id: int | None = None) -> None:
    """Lapse (or reject) every live quote and open addressee, except one bank's, and tell the
    banks concerned."""
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
        _notify(bank, f"financing.{quote_action}", notice,
                link=f"/api/financing/applications/{application.pk}")


def _sync_quote_with_approval(quote: FinancingQuote) -> None:
    if quote.status != Quote.PROPOSED or quote.approval is None:
        return
    if quote.approval.status == ApprovalRequest.Status.REJECTED:
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.rejection_reason = quote.approval.rejection_reason
        quote.save()
    elif quote.approval.status == ApprovalRequest.Status.FAILED:
        quote.status = QUOTE_TRANSITIONS["approval_failed"][quote.status]
        quote.save()


def _open_addressee(application: FinancingApplication, bank: Organisation) -> FinancingAddressee:
    addressee = application.addressees.select_for_update(of=SELF).filter(bank=bank).first()
    if addressee is None:
        raise ForbiddenError("该申请未提交给本行 / This application is not addressed to your bank")
    return addressee


@transaction.atomic
def financing_quote_propose(*, application: FinancingApplication, user: User,
                            annual_rate: Decimal, fees_fen: int,
                            value_date: date) -> FinancingQuote:
    """A bank operator prices the application: every term of banking.pricing.discount_quote is
    kept; a different bank approver decides (maker-checker action `financing.quote`)."""
    bank = _require_active_member(user, OrganisationKind.BANK)
    application = _locked_application(application.pk)
    addressee = _open_addressee(application, bank)
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
        _sync_quote_with_approval(quote)
    if application.quotes.filter(bank=bank, status__in=FinancingQuote.LIVE_STATUSES).exists():
        raise InvalidStateError("本行对该申请已有有效报价 / Your bank already has a live quote on "
                                "this application", code="quote_exists")
    if value_date < _today():
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


def _quote_mode(quote: FinancingQuote, application: FinancingApplication) -> str:
    """What approving the quote does: "finance" (the piece is locked for this bank:
    approveFinancing) or "offer" (several banks, no lock yet: a firm offer to the supplier)."""
    _transition(QUOTE_TRANSITIONS, quote.status, "approve_offer", "报价 / quote")
    if application.status != App.SUBMITTED:
        raise InvalidStateError(f"申请状态为 {application.status}，不能批准报价 / An application "
                                f"in status {application.status} cannot take a quote",
                                extra={"status": application.status})
    addressee = application.addressees.filter(bank_id=quote.bank_id).first()
    if addressee is None or addressee.status not in (Addressee.OPEN, Addressee.SELECTED):
        raise InvalidStateError("本行已不在该申请中 / Your bank is no longer part of this "
                                "application")
    if application.lock_bank_id == quote.bank_id and application.locked_token_id:
        bank_address = _address(quote.bank)
        piece = ledger.require_locked_for(ledger.piece_of(application.locked_token_id),
                                          token_id=application.locked_token_id, bank=bank_address)
        if ledger.chain_now() >= application.maturity:
            raise ChainRevertError(
                "VoucherLedgerMatured", {"tokenId": piece.token_id,
                                         "maturity": application.maturity},
                message="凭证已到期，不能再转让给银行 / The piece has matured: it can no longer "
                        "pass to the bank")
        return "finance"
    if application.multi_bank and application.lock_bank_id is None:
        return "offer"
    raise InvalidStateError("该申请未锁定给本行 / The piece is not locked for your bank")


@transaction.atomic
def financing_quote_approve(*, quote: FinancingQuote, user: User) -> FinancingQuote:
    """A bank approver (not the proposer) approves the quote: when the piece is locked for the
    bank, approveFinancing is sent from the bank's account (the piece passes to the bank);
    otherwise the quote becomes a firm offer the supplier may accept."""
    quote = _locked_quote(quote.pk)
    application = _locked_application(quote.application_id)
    _sync_quote_with_approval(quote)
    _quote_mode(quote, application)
    approval = approval_approve(request=quote.approval, user=user)
    _raise_if_approval_failed(approval)
    quote.refresh_from_db()
    return quote


def financing_quote_execute(*, payload: dict, approver: User,
                            approval: ApprovalRequest) -> dict:
    """The handler of the maker-checker action `financing.quote`."""
    quote = _locked_quote(payload["quote_id"])
    application = _locked_application(quote.application_id)
    if quote.approval_id != approval.pk:
        raise InvalidStateError("复核请求与报价不符 / The approval does not match the quote")
    mode = _quote_mode(quote, application)
    before = financing_quote_summary(quote)
    quote.decided_by = approver
    quote.decided_at = timezone.now()
    result = {"quote_id": quote.pk, "mode": mode}
    if mode == "finance":
        quote.status = _transition(QUOTE_TRANSITIONS, quote.status, "approve_locked", "报价")
        quote.accepted_at = quote.decided_at
        application.status = _transition(APPLICATION_TRANSITIONS, application.status, "approve",
                                          "融资申请")
        application.accepted_quote = quote
        application.save()
        operation = _financing_operation(
            application=application, kind=FinancingOperation.Kind.APPROVE, bank=quote.bank,
            sender=quote.bank, function="approveFinancing",
            args=[str(application.locked_token_id)], user=approver, quote=quote)
        result["operation_id"] = operation.intent_id
    else:
        quote.status = _transition(QUOTE_TRANSITIONS, quote.status, "approve_offer", "报价")
        _notify(application.applicant, "financing.quote_offered",
                f"{quote.bank.name} 报价：实付 ¥{format_yuan(quote.net_proceeds_fen)}（年利率 "
                f"{quote.annual_rate}，{quote.days} 天）", body=quote.formula,
                link=f"/api/financing/quotes/{quote.pk}")
    quote.save()
    audit_record(actor=approver, organisation=quote.bank, action="financing.quote_approve",
                 obj=quote, before=before, after=financing_quote_summary(quote))
    return result


def _decline_for_bank(*, application: FinancingApplication, bank: Organisation, user: User,
                      reason: str) -> FinancingOperation | None:
    """The bank steps out: declineFinancing when the piece is locked for it; otherwise its part
    ends here, and the application with it when no bank is left."""
    addressee = _open_addressee(application, bank)
    if application.lock_bank_id == bank.pk and application.locked_token_id:
        _transition(ADDRESSEE_TRANSITIONS, addressee.status, "decline", "银行意见 / bank's part")
        application.status = _transition(APPLICATION_TRANSITIONS, application.status,
                                         "decline", "融资申请 / application")
        ledger.require_locked_for(ledger.piece_of(application.locked_token_id),
                                  token_id=application.locked_token_id, bank=_address(bank))
        return _financing_operation(
            application=application, kind=FinancingOperation.Kind.DECLINE, bank=bank,
            sender=bank, function="declineFinancing",
            args=[str(application.locked_token_id), ledger.text_hash(reason)], user=user,
            reason=reason)
    if application.status != App.SUBMITTED:
        raise InvalidStateError(f"申请状态为 {application.status}，不能拒绝 / An application in "
                                f"status {application.status} cannot be declined",
                                extra={"status": application.status})
    addressee.status = _transition(ADDRESSEE_TRANSITIONS, addressee.status, "decline",
                                   "银行意见 / bank's part")
    addressee.reason, addressee.decided_by, addressee.decided_at = reason, user, timezone.now()
    addressee.save()
    for quote in application.quotes.select_for_update(of=SELF).filter(
            bank=bank, status__in=[Quote.PROPOSED, Quote.OFFERED]):
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.rejection_reason = reason
        quote.save()
    if not application.addressees.exclude(status=Addressee.DECLINED).exists():
        application.status = _transition(APPLICATION_TRANSITIONS, application.status,
                                          "all_declined", "融资申请 / application")
    _notify(application.applicant, "financing.declined",
            f"{bank.name} 拒绝了融资申请 / {bank.name} declined the application", body=reason,
            link=f"/api/financing/applications/{application.pk}")
    return None


@transaction.atomic
def financing_application_decline(*, application: FinancingApplication, user: User,
                                  reason: str) -> tuple[FinancingApplication,
                                                        FinancingOperation | None]:
    """A bank approver declines the application for the bank."""
    bank = _require_active_member(user, OrganisationKind.BANK)
    if not reason.strip():
        raise field_error("reason", "请填写拒绝原因 / A reason is required")
    application = _locked_application(application.pk)
    before = financing_application_summary(application)
    operation = _decline_for_bank(application=application, bank=bank, user=user,
                                  reason=reason.strip())
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
    bank = _require_active_member(user, OrganisationKind.BANK)
    if not reason.strip():
        raise field_error("reason", "请填写拒绝原因 / A reason is required")
    quote = _locked_quote(quote.pk)
    application = _locked_application(quote.application_id)
    _sync_quote_with_approval(quote)
    before = financing_quote_summary(quote)
    new_status = _transition(QUOTE_TRANSITIONS, quote.status, "checker_reject", "报价 / quote")
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
                                      reason=reason.strip())
        application.save()
    audit_record(actor=user, organisation=bank, action="financing.quote_reject", obj=quote,
                 before=before, after={**financing_quote_summary(quote),
                                       "reason": reason.strip()})
    return quote, operation


@transaction.atomic
def financing_quote_accept(*, quote: FinancingQuote, user: User) -> FinancingQuote:
    """The supplier accepts one bank's offer: lockForFinancing for that bank from the supplier's
    account; when it is confirmed the bank's approved quote sends approveFinancing and the other
    banks' quotes lapse."""
    applicant = _require_active_member(user, OrganisationKind.SUPPLIER)
    quote = _locked_quote(quote.pk)
    application = _locked_application(quote.application_id)
    if application.applicant_id != applicant.pk:
        raise ForbiddenError("只能接受本机构申请的报价 / You can only accept quotes on your own "
                             "applications")
    before = financing_quote_summary(quote)
    quote.status = _transition(QUOTE_TRANSITIONS, quote.status, "accept", "报价 / quote")
    application.status = _transition(APPLICATION_TRANSITIONS, application.status, "accept",
                                     "融资申请 / application")
    if application.lock_bank_id is not None:
        raise InvalidStateError("该申请已锁定 / The piece is already locked")
    piece = ledger.piece_of(application.token_id)
    ledger.require_movable(piece, token_id=application.token_id, holder=_address(applicant),
                           amount=application.amount_fen, now=ledger.chain_now(),
                           maturity=application.maturity)
    quote.accepted_at = timezone.now()
    quote.save()
    application.accepted_quote = quote
    application.save()
    _financing_operation(
        application=application, kind=FinancingOperation.Kind.LOCK, bank=quote.bank,
        sender=applicant, function="lockForFinancing",
        args=[str(application.token_id), str(application.amount_fen), _address(quote.bank)],
        user=user, quote=quote)
    audit_record(actor=user, organisation=applicant, action="financing.quote_accept", obj=quote,
                 before=before, after=financing_quote_summary(quote))
    return quote


@transaction.atomic
def financing_application_disburse(*, application: FinancingApplication, user: User,
                                   payment_reference: str,
                                   disbursed_on: date) -> FinancingApplication:
    """The financing bank records that it paid the net proceeds (the platform moves no money)."""
    bank = _require_active_member(user, OrganisationKind.BANK)
    application = _locked_application(application.pk)
    quote = application.accepted_quote
    if quote is None or quote.bank_id != bank.pk:
        raise ForbiddenError("只有放款银行可以登记放款 / Only the financing bank records the "
                             "disbursement")
    before = financing_application_summary(application)
    application.status = _transition(APPLICATION_TRANSITIONS, application.status, "disburse",
                                     "融资申请 / application")
    if not payment_reference.strip():
        raise field_error("payment_reference", "请填写付款流水号 / A payment reference is "
                                               "required")
    if disbursed_on > _today():
        raise field_error("disbursed_on", "放款日不能晚于今天 / The disbursement date cannot be "
                                          "in the future")
    application.payment_reference = payment_reference.strip()
    application.disbursed_on = disbursed_on
    application.disbursed_amount_fen = quote.net_proceeds_fen
    application.disbursed_by = user
    application.save()
    _notify(application.applicant, "financing.disbursed",
            f"{bank.name} 已放款 ¥{format_yuan(quote.net_proceeds_fen)}（{disbursed_on}，流水 "
            f"{application.payment_reference}）",
            link=f"/api/financing/applications/{application.pk}")
    audit_record(actor=user, organisation=bank, action="financing.disburse", obj=application,
                 before=before, after=financing_application_summary(application))
    return application


def financing_operation_on_outcome(intent: ChainIntent) -> None:
    """lockForFinancing / approveFinancing / declineFinancing / withdrawFinancing confirmed or
    failed: move the application (and its quote) on, or back, recording the error."""
    operation = (FinancingOperation.objects.select_for_update(of=SELF)
                 .select_related("bank", "quote").filter(intent=intent).first())
    if operation is None or operation.handled:
        return
    application = _locked_application(operation.application_id)
    before = financing_application_summary(application)
    confirmed = intent.status == ChainIntent.Status.CONFIRMED
    if not confirmed:
        application.last_error = _intent_error(intent)
    handler = {FinancingOperation.Kind.LOCK: _on_lock,
               FinancingOperation.Kind.APPROVE: _on_approve,
               FinancingOperation.Kind.DECLINE: _on_decline,
               FinancingOperation.Kind.WITHDRAW: _on_withdraw}[operation.kind]
    handler(operation, application, intent, confirmed)
    application.save()
    operation.handled = True
    operation.save(update_fields=["handled"])
    audit_record(actor=intent.requested_by, organisation=application.applicant,
                 action=f"financing.{operation.kind}.{'confirmed' if confirmed else 'failed'}",
                 obj=application, before=before,
                 after=financing_application_summary(application), tx_hash=intent.tx_hash)


def _set_status(application: FinancingApplication, action: str) -> bool:
    new_status = _outcome(APPLICATION_TRANSITIONS, application.status, action,
                          f"application {application.pk}")
    if new_status:
        application.status = new_status
    return new_status is not None


def _on_lock(operation, application, intent, confirmed) -> None:
    link = f"/api/financing/applications/{application.pk}"
    if operation.quote_id is None:  # one bank: the lock made at application time
        if not confirmed:
            _set_status(application, "lock_failed")
            application.lock_bank = None
            _notify(application.applicant, "financing.failed",
                    f"融资锁定未成功 / The financing lock failed: {intent.error_name}", link=link)
            return
        if _set_status(application, "lock_confirmed"):
            _lock_confirmed(application, intent)
            _notify(operation.bank, "financing.applied",
                    f"新融资申请 / New financing application: {application.applicant.name} "
                    f"¥{format_yuan(application.amount_fen)}", link=link)
        return
    quote = FinancingQuote.objects.select_for_update(of=SELF).get(pk=operation.quote_id)
    if not confirmed:  # the supplier's acceptance did not take: its offer stands
        if _set_status(application, "accept_failed"):
            quote.status = QUOTE_TRANSITIONS["accept_failed"].get(quote.status, quote.status)
            quote.accepted_at = None
            quote.save()
            application.accepted_quote = None
        return
    if not _set_status(application, "accept_confirmed"):
        return
    _lock_confirmed(application, intent)
    application.lock_bank = operation.bank
    chosen = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    chosen.status = ADDRESSEE_TRANSITIONS["select"].get(chosen.status, chosen.status)
    chosen.decided_at = timezone.now()
    chosen.save()
    _close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                     except_bank_id=operation.bank_id,
                     notice="供应商已接受其他银行的报价，本行报价失效 / The supplier accepted "
                            "another bank's quote: yours has lapsed")
    _financing_operation(
        application=application, kind=FinancingOperation.Kind.APPROVE, bank=operation.bank,
        sender=operation.bank, function="approveFinancing",
        args=[str(application.locked_token_id)], user=quote.decided_by, quote=quote)


def _on_approve(operation, application, intent, confirmed) -> None:
    quote = FinancingQuote.objects.select_for_update(of=SELF).get(pk=operation.quote_id)
    link = f"/api/financing/applications/{application.pk}"
    if not confirmed:
        if _set_status(application, "approve_failed"):
            quote.status = QUOTE_TRANSITIONS["finance_failed"].get(quote.status, quote.status)
            quote.save()
            application.accepted_quote = None
            _notify(operation.bank, "financing.failed",
                    f"放款审批上链失败 / approveFinancing failed: {intent.error_name}", link=link)
        return
    if not _set_status(application, "approve_confirmed"):
        return
    quote.status = QUOTE_TRANSITIONS["financed"].get(quote.status, quote.status)
    quote.save()
    chosen = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    chosen.status = ADDRESSEE_TRANSITIONS["select"].get(chosen.status, chosen.status)
    chosen.decided_by, chosen.decided_at = quote.decided_by, timezone.now()
    chosen.save()
    _notify(application.applicant, "financing.financed",
            f"{operation.bank.name} 已批准融资：实付 ¥{format_yuan(quote.net_proceeds_fen)}",
            body=quote.formula, link=link)
    _debtor_notice(application, intent, kind="financing", to_organisation=operation.bank,
                   from_token_id=application.locked_token_id)


def _debtor_notice(application: FinancingApplication, intent: ChainIntent, *, kind: str,
                   to_organisation: Organisation, from_token_id: int) -> None:
    """The debtor is told of every split and transfer (债权转让通知): the part split off for the
    lock ("split"), the piece passing to the bank ("financing"). The notice is a receivables
    document; banking asks receivables to record it."""
    from receivables.services import debtor_notice_record

    slot = ledger.slot_of(application.root_id)
    debtor = _organisations_by_address([slot.debtor]).get(slot.debtor) if slot else None
    if debtor is None:
        logger.warning("application %s: the debtor is no platform organisation", application.pk)
        return
    debtor_notice_record(kind=kind, intent=intent, debtor=debtor,
                         from_organisation=application.applicant,
                         to_organisation=to_organisation, root_id=application.root_id,
                         from_token_id=from_token_id, to_token_id=application.locked_token_id,
                         amount_fen=application.amount_fen)


def _lock_confirmed(application: FinancingApplication, intent: ChainIntent) -> None:
    """Record the locked piece; when the lock split it off the applied piece, notify the
    debtor of the split."""
    application.locked_token_id = int(_event_args(intent, "FinancingLocked")[0]["tokenId"])
    if application.locked_token_id != application.token_id:
        _debtor_notice(application, intent, kind="split",
                       to_organisation=application.applicant,
                       from_token_id=application.token_id)


def _on_decline(operation, application, intent, confirmed) -> None:
    if not confirmed:
        _set_status(application, "decline_failed")
        return
    if not _set_status(application, "decline_confirmed"):
        return
    application.lock_bank = None
    addressee = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    addressee.status = ADDRESSEE_TRANSITIONS["decline"].get(addressee.status, addressee.status)
    addressee.reason = operation.reason
    addressee.decided_by, addressee.decided_at = intent.requested_by, timezone.now()
    addressee.save()
    for quote in application.quotes.select_for_update(of=SELF).filter(
            status__in=[Quote.PROPOSED, Quote.OFFERED]):
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.save(update_fields=["status"])
    _notify(application.applicant, "financing.declined",
            f"{operation.bank.name} 拒绝了融资申请，锁定已解除 / {operation.bank.name} "
            "declined: the lock is released", body=operation.reason,
            link=f"/api/financing/applications/{application.pk}")


def _on_withdraw(operation, application, intent, confirmed) -> None:
    if not confirmed:
        _set_status(application, "withdraw_failed")
        return
    if _set_status(application, "withdraw_confirmed"):
        application.lock_bank = None
        _close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                         notice="融资申请已撤回 / The financing application was withdrawn")


# =================================================================================================
# Maturity clearing (到期清分)
# =================================================================================================

LIVE_PIECE_STATUSES = (PieceStatus.PENDING, PieceStatus.ACTIVE, PieceStatus.LOCKED,
                       PieceStatus.OVERDUE)


def clearing_batch_summary(batch: ClearingBatch) -> dict:
    return {"status": batch.status, "core_enterprise": batch.core_enterprise_id,
            "root_ids": batch.root_ids, "total_fen": batch.total_fen,
            "payment_reference": batch.payment_reference, "paid_on": batch.paid_on}


def _blocked_reason(piece: ledger.Piece) -> str:
    if piece.frozen:
        return "司法冻结 / frozen"
    if piece.status == PieceStatus.LOCKED:
        return f"融资锁定 / locked for financing by {piece.lock_bank}"
    if piece.status == PieceStatus.PENDING:
        return "待签收 / awaiting acceptance"
    return ""


def _settleable(piece: ledger.Piece) -> bool:
    return piece.status in (PieceStatus.ACTIVE, PieceStatus.OVERDUE) and not piece.frozen


def root_token_ids(root_id: int) -> set[int]:
    """Every piece of a root the projection or the stored events know of."""
    ids = {root_id}
    ids.update(PieceState.objects.filter(root_id=root_id).values_list("token_id", flat=True))
    ids.update(int(args["tokenId"]) for args in ChainEvent.objects.filter(
        contract="VoucherLedger", name="PieceDerived", args__rootId=root_id).values_list(
        "args", flat=True))
    return ids


def _live_pieces(root_id: int) -> list[ledger.Piece]:
    pieces = ledger.pieces_of(sorted(root_token_ids(root_id))).values()
    return [piece for piece in pieces
            if piece and piece.status in LIVE_PIECE_STATUSES and piece.balance > 0]


def clearing_batches_create_due(*, now: int) -> list[ClearingBatch]:
    """One batch per core enterprise with roots due (maturity <= chain time) not yet in a
    batch: every live piece with a value, its holder and status as the chain reports them."""
    batched = set(ClearingItem.objects.values_list("root_id", flat=True).distinct())
    due: dict[str, list[tuple[ledger.Slot, list[ledger.Piece]]]] = defaultdict(list)
    for root_id in (SlotState.objects.filter(maturity__lte=now).exclude(root_id__in=batched)
                    .order_by("root_id").values_list("root_id", flat=True)):
        slot = ledger.slot_of(root_id)
        if slot is None or slot.maturity > now:
            continue
        pieces = _live_pieces(root_id)
        if pieces:
            due[slot.debtor].append((slot, pieces))
    debtors = _organisations_by_address(due)
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
                           roots: list[tuple[ledger.Slot, list[ledger.Piece]]],
                           now: int) -> ClearingBatch | None:
    Organisation.objects.select_for_update(of=SELF).get(pk=core.pk)  # one computation at a time
    roots = [(slot, pieces) for slot, pieces in roots
             if not ClearingItem.objects.filter(root_id=slot.root_id).exists()]
    if not roots:
        return None
    holders = _organisations_by_address(piece.owner for _, pieces in roots for piece in pieces)
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
    _notify(core, "clearing.due",
            f"到期清分：{len(items)} 笔凭证共 ¥{format_yuan(batch.total_fen)} 待付款确认 / "
            f"Maturity clearing: {len(items)} pieces due", link=f"/api/clearing/batches/{batch.pk}")
    audit_record(actor=None, organisation=core, action="clearing.compute", obj=batch, before={},
                 after={**clearing_batch_summary(batch),
                        "items": [[item.token_id, item.holder_address, item.amount_fen,
                                   item.status] for item in items]})
    return batch


def _refresh_item(item: ClearingItem, piece: ledger.Piece | None) -> None:
    if piece is None:
        return
    item.holder_address = piece.owner
    item.chain_status = piece.status
    item.frozen = piece.frozen
    item.overdue = item.overdue or piece.status == PieceStatus.OVERDUE


def _settle_ready_items(batch: ClearingBatch, user: User | None) -> list[ClearingOperation]:
    """Re-read every unsettled item on chain and send `settle` from the core enterprise's
    account for the settleable ones, at most MAX_BATCH per call, each its own intent."""
    items = list(batch.items.select_for_update(of=SELF).filter(
        status__in=[Item.PENDING, Item.BLOCKED, Item.FAILED]).order_by("root_id", "token_id"))
    ready = []
    pieces = ledger.pieces_of(item.token_id for item in items)
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
    payment_ref = ledger.text_hash(batch.payment_reference)
    sequence = batch.operations.filter(kind=ClearingOperation.Kind.SETTLE).count()
    operations = []
    for start in range(0, len(ready), ledger.MAX_BATCH):
        chunk = ready[start:start + ledger.MAX_BATCH]
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
            item.status = _transition(ITEM_TRANSITIONS, item.status, "settle", "清分项")
            item.operation = operation
            item.blocked_reason = ""
            item.error = {}
            item.save()
        operations.append(operation)
    return operations


def _batch_status(batch: ClearingBatch) -> str:
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
    core = _require_active_member(user, OrganisationKind.CORE_ENTERPRISE)
    batch = ClearingBatch.objects.select_for_update(of=SELF).select_related(
        "core_enterprise__chain_account").get(pk=batch.pk)
    if batch.core_enterprise_id != core.pk:
        raise ForbiddenError("只能确认本企业的清分 / You can only confirm your own clearing")
    before = clearing_batch_summary(batch)
    new_status = _transition(BATCH_TRANSITIONS, batch.status, "confirm", "清分批次 / batch")
    if not payment_reference.strip():
        raise field_error("payment_reference", "请填写付款流水号 / A payment reference is "
                                               "required")
    if paid_on > _today():
        raise field_error("paid_on", "付款日不能晚于今天 / The payment date cannot be in the "
                                     "future")
    batch.payment_reference = payment_reference.strip()
    batch.paid_on = paid_on
    batch.confirmed_by, batch.confirmed_at = user, timezone.now()
    batch.status = new_status
    batch.save()
    operations = _settle_ready_items(batch, user)
    batch.status = _batch_status(batch)
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
            batch.status = _batch_status(batch)
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
    platform operator's account (at most MAX_BATCH per call); reminders follow the outcome."""
    grace = ledger.grace_period()
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
            pieces = ledger.pieces_of(item.token_id for item in items)
            for item in items:
                piece = pieces[item.token_id]
                _refresh_item(item, piece)
                item.save()
                if piece is not None and piece.status == PieceStatus.ACTIVE:
                    ready.append(item)
            sequence = batch.operations.filter(kind=ClearingOperation.Kind.MARK_OVERDUE).count()
            for start in range(0, len(ready), ledger.MAX_BATCH):
                chunk = ready[start:start + ledger.MAX_BATCH]
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
        batch.status = _batch_status(batch)
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
            item.status = ITEM_TRANSITIONS["fail"].get(item.status, item.status)
            item.error = _intent_error(intent)
            item.save()
        _notify(batch.core_enterprise, "clearing.failed",
                f"清分上链失败 / Settlement failed on chain: {intent.error_name}",
                link=f"/api/clearing/batches/{batch.pk}")
        return
    settled = {int(args["tokenId"]) for args in _event_args(intent, "PieceSettled")}
    paid: dict[int, int] = defaultdict(int)
    holders = {}
    now = timezone.now()
    for item in items:
        if item.token_id not in settled:
            continue
        item.status = ITEM_TRANSITIONS["settled"].get(item.status, item.status)
        item.chain_status = PieceStatus.SETTLED
        item.settled_at = now
        item.save()
        if item.holder_id:
            paid[item.holder_id] += item.amount_fen
            holders[item.holder_id] = item.holder
    for holder_id, amount in paid.items():
        _notify(holders[holder_id], "clearing.settled",
                f"到期清分：{batch.core_enterprise.name} 已付 ¥{format_yuan(amount)}（流水 "
                f"{batch.payment_reference}）", link=f"/api/clearing/batches/{batch.pk}")


def _on_overdue(operation, batch, intent, confirmed) -> None:
    if not confirmed:
        return
    marked = {int(args["tokenId"]) for args in _event_args(intent, "PieceMarkedOverdue")}
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
    _notify(batch.core_enterprise, "clearing.overdue",
            f"逾期提醒：{len(marked)} 笔凭证共 ¥{format_yuan(total)} 已逾期未付 / Overdue "
            "reminder: pay the holders and confirm the clearing", link=link)
    for holder_id, amount in unpaid.items():
        _notify(holders[holder_id], "clearing.overdue",
                f"逾期提醒：{batch.core_enterprise.name} 到期未付 ¥{format_yuan(amount)} / "
                "Overdue reminder", link=link)


def clearing_run(*, now: int | None = None) -> dict:
    """The scheduled clearing: index the chain, compute batches for roots due, settle what
    became settleable in funded batches, mark pieces overdue after the grace period."""
    from scf.chain.indexer import index_until_head

    index_until_head()
    now = now if now is not None else ledger.chain_now()
    batches = clearing_batches_create_due(now=now)
    resumed = clearing_batches_resume()
    overdue = clearing_mark_overdue(now=now)
    return {"chain_time": now, "batches_created": [batch.pk for batch in batches],
            "settle_operations": [op.intent_id for op in resumed],
            "overdue_operations": [op.intent_id for op in overdue]}
