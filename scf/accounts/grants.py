"""Granting a role that decides (approver) or that grants (administrator) is itself a
maker-checker action, `user.role_grant` in the approvals registry: an organisation's
administrator proposes it, and a second administrator of that organisation or an administrator
of the platform approves it, never the proposer's person nor the grantee's. Until then the user
lacks the role. Operator and viewer roles, and every removal, take effect at once.

The exceptions, where nobody could check yet: the platform's first administrator, created by
`manage.py bootstrap_platform` with no actor, and the grants of the platform's administrator
while they are its only administrator (their first act should be to have a second one; from
then on their grants, the platform's included, wait for that second person).

Audit: `user.role_grant_propose` on the user when proposed, `approval.propose` and
`approval.approve`/`approval.reject` on the request, `user.role_grant` when the role is added."""

from django.db import transaction

from scf.accounts.models import Organisation, OrganisationKind, Role, User, UserRole
from scf.accounts.permissions import is_platform_operator
from scf.accounts.persons import SAME_PERSON, same_person
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import register_action
from scf.approvals.services import approval_propose
from scf.audit.services import audit_record
from scf.errors import ForbiddenError, InvalidStateError

ROLE_GRANT_ACTION = "user.role_grant"
PRIVILEGED_ROLES = frozenset({Role.APPROVER, Role.ADMIN})

MSG_OWN_GRANT = ("不能批准授予自己的角色 / You cannot approve a role granted to yourself")


def privileged_roles(roles) -> list[str]:
    return sorted(set(roles) & PRIVILEGED_ROLES)


def _other_platform_admins(actor: User):
    others = (User.objects.filter(organisation__kind=OrganisationKind.PLATFORM, is_active=True,
                                  role_grants__role=Role.ADMIN).exclude(pk=actor.pk))
    if actor.person_hash:
        others = others.exclude(person_hash=actor.person_hash)
    return others


def grant_is_immediate(*, actor: User | None) -> bool:
    """Whether `actor`'s grants of privileged roles take effect without a checker: only the
    system (no actor) and the platform's only administrator, who has nobody to check them."""
    if actor is None:
        return True
    return (is_platform_operator(actor) and actor.has_role(Role.ADMIN)
            and not _other_platform_admins(actor).exists())


def pending_grants(user: User):
    return ApprovalRequest.objects.filter(action=ROLE_GRANT_ACTION,
                                          status=ApprovalRequest.Status.PROPOSED,
                                          payload__user=user.pk)


def pending_roles(user: User) -> list[str]:
    return sorted({role for grant in pending_grants(user) for role in grant.payload["roles"]})


def role_grant_propose(*, actor: User, target: User, roles: list[str]) -> ApprovalRequest:
    """Propose adding the privileged `roles` to `target`; runs in the caller's transaction (the
    user's creation or role change)."""
    roles = privileged_roles(roles)
    waiting = set(roles) & set(pending_roles(target))
    if waiting:
        raise InvalidStateError(
            f"该用户的 {sorted(waiting)[0]} 角色已在待复核中 / A grant of the "
            f"{sorted(waiting)[0]} role to this user is already awaiting approval",
            code="grant_pending", extra={"roles": sorted(waiting)})
    approval = approval_propose(
        user=actor, action=ROLE_GRANT_ACTION, organisation=target.organisation,
        payload={"user": target.pk, "username": target.username, "roles": roles},
        summary=f"授予 {target.username} 角色 {', '.join(roles)} / Grant {target.username} "
                f"the role(s) {', '.join(roles)}")
    audit_record(actor=actor, organisation=target.organisation,
                 action="user.role_grant_propose", obj=target, before={},
                 after={"roles": roles, "approval": approval.pk})
    return approval


def role_grant_checker_check(request: ApprovalRequest, user: User) -> None:
    grantee = User.objects.filter(pk=request.payload.get("user")).first()
    if same_person(grantee, user):
        raise ForbiddenError(MSG_OWN_GRANT, code=SAME_PERSON)


@transaction.atomic
def role_grant_execute(*, payload: dict, approver: User, approval: ApprovalRequest) -> dict:
    """The handler of `user.role_grant`, inside the approval's transaction."""
    from scf.accounts.services import user_summary

    target = User.objects.select_for_update().get(pk=payload["user"])
    if target.organisation_id != approval.organisation_id or not target.is_active:
        raise InvalidStateError("该用户已不在本机构或已停用 / The user has left the organisation "
                                "or is deactivated", code="grant_target_gone")
    before = user_summary(target)
    existing = set(UserRole.objects.filter(user=target).values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=target, role=role) for role in payload["roles"]
                                  if role not in existing])
    target._role_names = existing | set(payload["roles"])
    organisation = Organisation.objects.get(pk=approval.organisation_id)
    audit_record(actor=approver, organisation=organisation, action="user.role_grant",
                 obj=target, before=before,
                 after={**user_summary(target), "approval": approval.pk,
                        "proposed_by": approval.proposed_by_id})
    return {"user": target.pk, "roles": sorted(target._role_names)}


def register() -> None:
    """Called from AccountsConfig.ready()."""
    register_action(ROLE_GRANT_ACTION, role_grant_execute, proposer_roles=[Role.ADMIN],
                    checker_roles=[Role.ADMIN], platform_decides=True,
                    checker_check=role_grant_checker_check, administrative=True, replace=True)
