"""Maker-checker: propose, approve (which executes the registered action) and reject."""

import logging

from django.db import transaction
from django.utils import timezone

from scf.accounts.models import Organisation, Role, User
from scf.accounts.permissions import (
    ForbiddenError,
    can_administer,
    can_write,
    is_member,
    is_platform_operator,
)
from scf.accounts.persons import require_different_person
from scf.accounts.validation import field_error
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import ApprovalAction, find_action, get_action
from scf.audit.services import audit_record, to_json_value
from scf.errors import ApplicationError, InvalidStateError

logger = logging.getLogger(__name__)
Status = ApprovalRequest.Status

# action -> {from status: to status}
APPROVAL_TRANSITIONS: dict[str, dict[str, str]] = {
    "approve": {Status.PROPOSED: Status.APPROVED},
    "reject": {Status.PROPOSED: Status.REJECTED},
    "execute": {Status.APPROVED: Status.EXECUTED},
    "fail": {Status.APPROVED: Status.FAILED},
}


def approval_summary(request: ApprovalRequest) -> dict:
    return {"action": request.action, "status": request.status, "summary": request.summary,
            "proposed_by": request.proposed_by_id, "decided_by": request.decided_by_id,
            "result": request.result}


def _transition(request: ApprovalRequest, action: str) -> str:
    new_status = APPROVAL_TRANSITIONS[action].get(request.status)
    if new_status is None:
        raise InvalidStateError(
            f"复核请求状态为 {request.status}，不能执行 {action} / "
            f"Cannot {action} an approval request whose status is {request.status}",
            extra={"status": request.status, "action": action})
    return new_status


def _role_required(roles, suffix: str = "") -> str:
    labels = [str(Role(role).label).split(" / ") for role in sorted(roles)]
    zh = "或".join(label[0] for label in labels)
    en = " or ".join(label[1] for label in labels)
    return f"需要{zh}角色 / The {en} role is required{suffix}"


def _may_act(definition: ApprovalAction, user: User) -> bool:
    """A business action needs can_write; the organisation's own administration (a role grant)
    can_administer, which the regulator has too."""
    return can_administer(user) if definition.administrative else can_write(user)


def _check_checker(request: ApprovalRequest, user: User) -> None:
    """Only a user of the same organisation (or of the platform, for actions it decides),
    holding the action's checker role, who is not the proposer's person, decides."""
    definition = find_action(request.action)
    by_platform = definition.platform_decides and is_platform_operator(user)
    if not is_member(user) or (user.organisation_id != request.organisation_id
                               and not by_platform):
        raise ForbiddenError("只能复核本机构的请求 / Only a user of the same organisation may "
                             "decide this request")
    require_different_person(request.proposed_by, user, same_account_message=(
        "经办人不能复核自己的请求 / The proposer cannot decide their own request"))
    if not user.has_role(*definition.checker_roles):
        raise ForbiddenError(_role_required(definition.checker_roles))
    if not _may_act(definition, user):
        raise ForbiddenError("机构已暂停或只读 / The organisation is suspended or read-only")
    if definition.checker_check is not None:
        definition.checker_check(request, user)


def _check_proposer(definition: ApprovalAction, user: User, organisation: Organisation) -> None:
    if not (is_member(user) and user.has_role(*definition.proposer_roles)
            and _may_act(definition, user)):
        raise ForbiddenError(_role_required(definition.proposer_roles, " to propose"))
    if organisation.pk != user.organisation_id and not (
            definition.platform_decides and is_platform_operator(user)):
        raise ForbiddenError("只能为本机构提交 / You can only propose for your own organisation")
    if (definition.organisation_kinds is not None
            and organisation.kind not in definition.organisation_kinds):
        raise ForbiddenError(f"本机构不能提交 {definition.name} / Your organisation cannot "
                             f"propose {definition.name}")


@transaction.atomic
def approval_propose(*, user: User, action: str, payload: dict, summary: str,
                     organisation: Organisation | None = None) -> ApprovalRequest:
    """Propose `action` for the user's organisation (or, for actions the platform decides, a
    platform administrator for `organisation`)."""
    definition = get_action(action)
    organisation = organisation or user.organisation
    _check_proposer(definition, user, organisation)
    if not summary.strip():
        raise field_error("summary", "请填写摘要 / A summary is required")
    request = ApprovalRequest.objects.create(
        organisation=organisation, action=action, payload=to_json_value(payload),
        summary=summary.strip(), proposed_by=user)
    audit_record(actor=user, organisation=organisation, action="approval.propose",
                 obj=request, before={}, after={**approval_summary(request),
                                                "payload": request.payload})
    return request


@transaction.atomic
def approval_approve(*, request: ApprovalRequest, user: User) -> ApprovalRequest:
    """Approve and execute the action in the same transaction. A handler that raises an
    ApplicationError leaves the request `failed` with the error as its result (and nothing the
    handler wrote); any other exception rolls the whole approval back."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    _check_checker(request, user)
    request.status = _transition(request, "approve")
    request.decided_by = user
    request.decided_at = timezone.now()
    definition = get_action(request.action)
    try:
        with transaction.atomic():
            result = definition.execute(payload=request.payload, approver=user, approval=request)
    except ApplicationError as exc:
        logger.info("approval %s (%s) failed: %s", request.pk, request.action, exc.code)
        request.status = _transition(request, "fail")
        request.result = to_json_value({"error": exc.message, "code": exc.code,
                                        "extra": exc.extra})
    else:
        request.status = _transition(request, "execute")
        request.result = to_json_value(result or {})
        request.executed_at = timezone.now()
    request.save()
    audit_record(actor=user, organisation=request.organisation, action="approval.approve",
                 obj=request, before={"status": Status.PROPOSED}, after=approval_summary(request))
    return request


@transaction.atomic
def approval_reject(*, request: ApprovalRequest, user: User, reason: str) -> ApprovalRequest:
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    _check_checker(request, user)
    if not reason.strip():
        raise field_error("reason", "请填写驳回原因 / A reason is required")
    request.status = _transition(request, "reject")
    request.decided_by = user
    request.decided_at = timezone.now()
    request.rejection_reason = reason.strip()
    request.save()
    audit_record(actor=user, organisation=request.organisation, action="approval.reject",
                 obj=request, before={"status": Status.PROPOSED},
                 after={**approval_summary(request), "reason": request.rejection_reason})
    return request
