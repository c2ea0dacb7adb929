"""Credit lines (授信): maker-checker changes, freezes, expiry, and their chain outcomes."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from banking.models import (
    CreditLine,
    CreditLineChange,
)
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, User
from scf.accounts.permissions import ForbiddenError
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.services import approval_approve, approval_propose, approval_reject
from scf.audit.services import audit_record
from scf.chain import preflight
from scf.chain.limits import chain_limits
from scf.chain.models import ChainIntent
from scf.chain.readers import ChainLine, line_of
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError
from scf.money import format_yuan

from .common import (
    ACTION_CREDIT_LINE_SET,
    CHANGE_TRANSITIONS,
    LINE_TRANSITIONS,
    SELF,
    Change,
    Line,
    address,
    notify,
    outcome_transition,
    raise_if_approval_failed,
    require_active_member,
    transition,
)

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
    most = chain_limits().max_limit
    if limit_fen > most:
        raise field_error("limit_fen", f"额度不能超过 {most} 分 / The limit cannot exceed "
                                       f"{most} fen")
    if expires_on <= clock.today():
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
        change.status = Change.FAILED  # its error is the approval's result
        change.save()


def _require_no_pending_set(bank: Organisation, core_enterprise: Organisation) -> None:
    if _pending_set_change(bank, core_enterprise):
        raise InvalidStateError("该授信已有待复核或上链中的调整 / A change of this line is already "
                                "awaiting approval or on its way to the chain",
                                code="change_pending")


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
    bank = require_active_member(user, OrganisationKind.BANK)
    _validate_line_terms(core_enterprise=core_enterprise, limit_fen=limit_fen,
                         expires_on=expires_on)
    _require_no_pending_set(bank, core_enterprise)
    bank = Organisation.objects.select_related("chain_account").get(pk=bank.pk)
    on_chain = line_of(address(bank), address(core_enterprise))  # the chain before any lock
    bank = Organisation.objects.select_for_update(of=SELF).select_related("chain_account").get(
        pk=bank.pk)  # one proposal at a time per bank
    _require_no_pending_set(bank, core_enterprise)
    preflight.require_limit_covers_used(on_chain, bank=address(bank),
                                        debtor=address(core_enterprise), limit=limit_fen)
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


def _check_set_executable(change: CreditLineChange, on_chain: ChainLine | None = None) -> None:
    """What setLine will need. `on_chain`, the line as read before any lock; without it (the
    approvals registry runs the handler under its own lock) the chain alone judges, by
    simulating setLine before it is sent."""
    transition(CHANGE_TRANSITIONS, change.status, "approve", "授信调整 / credit line change")
    if change.approval is None:
        raise InvalidStateError("该调整不经复核 / This change has no approval")
    _validate_line_terms(core_enterprise=change.core_enterprise, limit_fen=change.limit_fen,
                         expires_on=change.expires_on)
    if on_chain is not None:
        bank, debtor = address(change.bank), address(change.core_enterprise)
        preflight.require_limit_covers_used(on_chain, bank=bank, debtor=debtor,
                                            limit=change.limit_fen)


@transaction.atomic
def credit_line_change_approve(*, change: CreditLineChange, user: User) -> CreditLineChange:
    """A bank approver (not the proposer) approves: setLine is sent from the bank's account."""
    change = (CreditLineChange.objects.select_related("bank__chain_account",
                                                      "core_enterprise__chain_account")
              .get(pk=change.pk))
    on_chain = (line_of(address(change.bank), address(change.core_enterprise))
                if change.status == Change.PROPOSED else None)  # the chain before any lock
    change = _locked_change(change)
    _sync_change_with_approval(change)
    _check_set_executable(change, on_chain)
    approval = approval_approve(request=change.approval, user=user)
    raise_if_approval_failed(approval)
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
        args=[address(change.core_enterprise), str(change.limit_fen),
              clock.end_of_day(change.expires_on)],
        idempotency_key=f"banking:credit-line-change:{change.pk}:setLine", requested_by=approver)
    before = credit_line_change_summary(change)
    change.status = transition(CHANGE_TRANSITIONS, change.status, "approve", "授信调整")
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
    new_status = transition(CHANGE_TRANSITIONS, change.status, "reject", "授信调整")
    approval_reject(request=change.approval, user=user, reason=reason)
    change.status = new_status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.rejection_reason = reason.strip()
    change.save()
    audit_record(actor=user, organisation=change.bank, action="credit_line.reject", obj=change,
                 before=before, after=credit_line_change_summary(change))
    return change


def _check_toggle(line: CreditLine, action: str) -> None:
    transition(LINE_TRANSITIONS, line.status, action, "授信 / credit line")
    if line.changes.filter(kind__in=[CreditLineChange.Kind.FREEZE,
                                     CreditLineChange.Kind.UNFREEZE],
                           status=Change.SUBMITTED).exists():
        raise InvalidStateError("该授信的冻结/解冻正在上链 / A freeze or unfreeze of this line is "
                                "on its way to the chain", code="change_pending")


def _line_toggle(*, line: CreditLine, user: User, kind: str) -> CreditLineChange:
    bank = require_active_member(user, OrganisationKind.BANK)
    if bank.pk != line.bank_id:
        raise ForbiddenError("只能操作本行的授信 / You can only act on your own bank's lines")
    action = "freeze" if kind == CreditLineChange.Kind.FREEZE else "unfreeze"
    line = CreditLine.objects.select_related(
        "bank__chain_account", "core_enterprise__chain_account").get(pk=line.pk)
    _check_toggle(line, action)
    bank_address, debtor = address(line.bank), address(line.core_enterprise)
    on_chain = line_of(bank_address, debtor)  # the chain before any lock
    line = CreditLine.objects.select_for_update(of=SELF).select_related(
        "bank__chain_account", "core_enterprise__chain_account").get(pk=line.pk)
    _check_toggle(line, action)
    if kind == CreditLineChange.Kind.FREEZE:
        preflight.require_line_freezable(on_chain, bank=bank_address, debtor=debtor)
    else:
        preflight.require_line_unfreezable(on_chain, bank=bank_address, debtor=debtor)
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
        notify(change.core_enterprise, "credit_line.changed", link=f"/api/credit-lines/{line.pk}",
               bank=change.bank.name, limit_fen=line.limit_fen, expires_on=line.expires_on,
               status=line.get_status_display())
    else:
        change.status = Change.FAILED  # its error is the intent's
        notify(change.bank, "credit_line.failed", link=f"/api/credit-line-changes/{change.pk}",
               error_name=intent.error_name)
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
        line.status = outcome_transition(LINE_TRANSITIONS, line.status, "adjust",
                                         row=what) or line.status
    elif change.kind == CreditLineChange.Kind.FREEZE:
        line.status = Line.FROZEN
    elif change.kind == CreditLineChange.Kind.UNFREEZE:
        line.status = outcome_transition(LINE_TRANSITIONS, line.status, "unfreeze",
                                         row=what) or Line.ACTIVE
        if line.expires_on < clock.today():
            line.status = LINE_TRANSITIONS["expire"][Line.ACTIVE]
    line.save()
    return line


def credit_lines_expire_due(*, today: date | None = None) -> list[int]:
    """Mark lines past their expiry date expired (the chain already refuses to consume them)."""
    today = today or clock.today()
    expired = []
    for pk in CreditLine.objects.filter(status=Line.ACTIVE, expires_on__lt=today).values_list(
            "pk", flat=True):
        with transaction.atomic():
            line = CreditLine.objects.select_for_update(of=SELF).select_related(
                "bank", "core_enterprise").get(pk=pk)
            if line.status != Line.ACTIVE or line.expires_on >= today:
                continue
            before = credit_line_summary(line)
            line.status = transition(LINE_TRANSITIONS, line.status, "expire", "授信")
            line.save()
            change = CreditLineChange.objects.create(
                bank=line.bank, core_enterprise=line.core_enterprise, line=line,
                kind=CreditLineChange.Kind.EXPIRE, status=Change.APPLIED,
                previous_limit_fen=line.limit_fen, previous_expires_on=line.expires_on,
                previous_status=before["status"], applied_at=timezone.now())
            for organisation in (line.bank, line.core_enterprise):
                notify(organisation, "credit_line.expired", link=f"/api/credit-lines/{line.pk}",
                       bank=line.bank.name, core_enterprise=line.core_enterprise.name)
            audit_record(actor=None, organisation=line.bank, action="credit_line.expire",
                         obj=change, before=before, after=credit_line_summary(line))
            expired.append(line.pk)
    return expired
