"""Reads of organisations and users, scoped to what the user may see."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.models import Organisation, User, UserRole
from scf.accounts.permissions import is_member, reads_all_organisations


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Every organisation for the platform operator and the regulator; one's own for others."""
    if not is_member(user):
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("chain_account")
    if reads_all_organisations(user):
        return organisations
    return organisations.filter(pk=user.organisation_id)


def organisation_get(*, user, pk: int) -> Organisation:
    return get_object_or_404(organisation_list(user=user), pk=pk)


def user_list(*, user) -> QuerySet[User]:
    """The users of one's own organisation."""
    if not is_member(user):
        return User.objects.none()
    return (User.objects.filter(organisation_id=user.organisation_id)
            .prefetch_related(Prefetch("role_grants", queryset=UserRole.objects.order_by("role")))
            .order_by("username"))


def user_get(*, user, pk: int) -> User:
    return get_object_or_404(user_list(user=user), pk=pk)


def user_roles(user: User) -> list[str]:
    return sorted(user.role_names)
