"""Who may do what, in one place: by organisation kind, role within it, and ownership.

- Every API user belongs to an active-or-suspended organisation; a user without one (a bare
  superuser) is refused.
- A user sees and acts on their own organisation's objects only (selectors scope querysets;
  another organisation's object answers 404, not 403, so its existence is not revealed).
- The regulator reads everything and writes nothing but freezes (can_freeze) and the
  administration of its own organisation (can_administer).
- The platform operator reads every organisation, reviews KYC and administers organisations.
- A suspended organisation can read but not write.
"""

from collections.abc import Iterable

from rest_framework.permissions import BasePermission

from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.errors import ForbiddenError

MSG_NO_ORGANISATION = "用户不属于任何机构 / The user belongs to no organisation"
MSG_SUSPENDED = "机构已暂停，只能查看 / The organisation is suspended: read only"
MSG_REGULATOR_READ_ONLY = "监管机构只读 / The regulator reads only"


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id)


def organisation_kind(user) -> str | None:
    return user.organisation.kind if is_member(user) else None


def is_platform_operator(user) -> bool:
    return organisation_kind(user) == OrganisationKind.PLATFORM


def is_regulator(user) -> bool:
    return organisation_kind(user) == OrganisationKind.REGULATOR


def reads_all_organisations(user) -> bool:
    """The platform operator and the regulator see every organisation's records."""
    return is_platform_operator(user) or is_regulator(user)


def has_role(user, *roles: str) -> bool:
    return is_member(user) and user.has_role(*roles)


def can_write(user) -> bool:
    """Members of an active organisation other than the regulator may change things."""
    return (is_member(user) and user.organisation.status == Organisation.Status.ACTIVE
            and not is_regulator(user))


def can_administer(user) -> bool:
    """Administering one's own organisation (its users and their roles, its details, its KYC) is
    no business action: members of any active organisation may, the regulator included, which
    could otherwise never get its users nor its chain account (KYC makes it a member)."""
    return is_member(user) and user.organisation.status == Organisation.Status.ACTIVE


def can_freeze(user) -> bool:
    """The one write the regulator has: judicial freezes (司法冻结). Viewers cannot."""
    return (is_regulator(user) and user.organisation.status == Organisation.Status.ACTIVE
            and user.has_role(Role.OPERATOR, Role.APPROVER, Role.ADMIN))


def owns(user, organisation_id: int | None) -> bool:
    return (is_member(user) and organisation_id is not None
            and user.organisation_id == organisation_id)


def can_read_organisation_object(user, organisation_id: int | None) -> bool:
    return owns(user, organisation_id) or reads_all_organisations(user)


def member_with(*, kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None,
                write: bool = False, administer: bool = False) -> type[BasePermission]:
    """A DRF permission class: a member of an organisation of one of `kinds` (any if None),
    holding one of `roles` (any if None); `write` also requires can_write (a business action),
    `administer` can_administer (the organisation's own administration)."""
    kinds = frozenset(kinds) if kinds is not None else None
    roles = frozenset(roles) if roles is not None else None

    class MemberWith(BasePermission):
        message = "无权执行此操作 / You are not allowed to do this"

        def has_permission(self, request, view) -> bool:
            user = request.user
            if not is_member(user):
                self.message = MSG_NO_ORGANISATION
                return False
            if kinds is not None and user.organisation.kind not in kinds:
                return False
            if roles is not None and not user.has_role(*roles):
                return False
            if write and not can_write(user):
                self.message = (MSG_REGULATOR_READ_ONLY if is_regulator(user)
                                else MSG_SUSPENDED)
                return False
            if administer and not can_administer(user):
                self.message = MSG_SUSPENDED
                return False
            return True

    MemberWith.__name__ = (
        f"MemberWith_{'_'.join(sorted(kinds or ['any']))}_{'_'.join(sorted(roles or ['any']))}"
        + ("_write" if write else "") + ("_administer" if administer else ""))
    return MemberWith


IsMember = member_with()
IsPlatformAdmin = member_with(kinds=[OrganisationKind.PLATFORM], roles=[Role.ADMIN], write=True)
IsOrganisationAdmin = member_with(roles=[Role.ADMIN], administer=True)


MSG_NOT_OWN = "只能操作本机构的对象 / You can only act on your own organisation's objects"


def require_owner(user, organisation_id: int | None) -> None:
    """For writes on an object the user can see but does not own (the platform operator or the
    regulator looking at another organisation's): 403."""
    if not owns(user, organisation_id):
        raise ForbiddenError(MSG_NOT_OWN)


def require_administers(user, organisation_id: int | None) -> None:
    """For the administration of an organisation the user can see: its own, or any for the
    platform operator; the regulator reads every organisation but administers its own only."""
    if not is_platform_operator(user):
        require_owner(user, organisation_id)
