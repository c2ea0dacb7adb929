"""Reads of organisations and users, scoped to what the user may see."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.credit_code import normalise_credit_code, validate_credit_code
from scf.accounts.models import Organisation, OrganisationKind, User, UserRole
from scf.accounts.permissions import is_member, reads_all_organisations
from scf.errors import field_error
from scf.kyc.models import KycCase


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


# --- the member directory (会员名录) -------------------------------------------------------------

# The kinds that do business with each other: who a member may pick as a counterparty.
BUSINESS_KINDS = (OrganisationKind.CORE_ENTERPRISE, OrganisationKind.SUPPLIER,
                  OrganisationKind.BANK)
# Admitted: its KYC approved (scf.kyc; an expiry or a rejection ends it) and its chain account
# made by that approval.
ADMITTED = Q(kyc_case__status=KycCase.Status.APPROVED, chain_account__isnull=False)


def member_directory(*, user) -> QuerySet[Organisation]:
    """The organisations a member may look up to do business with: the admitted, active
    businesses (core enterprises, suppliers, banks), its own included. The platform operator and
    the regulator see every organisation, admitted or not, suspended or not."""
    if not is_member(user):
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("kyc_case").order_by("name", "pk")
    if reads_all_organisations(user):
        return organisations
    return organisations.filter(ADMITTED, kind__in=BUSINESS_KINDS,
                                status=Organisation.Status.ACTIVE)


def is_admitted(organisation: Organisation) -> bool:
    case = getattr(organisation, "kyc_case", None)
    return (organisation.chain_account_id is not None and case is not None
            and case.status == KycCase.Status.APPROVED)


MSG_UNKNOWN_MEMBER = ("统一社会信用代码为 {code} 的机构不是平台会员 / No member of the platform "
                      "has the unified social credit code {code}")
MSG_NO_SUCH_ORGANISATION = "无此机构 / No such organisation"


def counterparty_get(*, field: str, pk: int | None = None, credit_code: str = "") -> Organisation:
    """The organisation a request names as its counterparty, by id (as before) or by unified
    social credit code, or a field error naming what is wrong (a malformed code, an unknown
    one). Whether it may take part is the service's check (its kind, status, membership)."""
    organisations = Organisation.objects.select_related("chain_account")
    if pk is not None:
        organisation = organisations.filter(pk=pk).first()
        if organisation is None:
            raise field_error(field, MSG_NO_SUCH_ORGANISATION)
        return organisation
    code = normalise_credit_code(credit_code)
    try:
        validate_credit_code(code)
    except DjangoValidationError as exc:
        raise field_error(field, exc.messages[0], code="invalid_credit_code") from exc
    organisation = organisations.filter(credit_code=code).first()
    if organisation is None:
        raise field_error(field, MSG_UNKNOWN_MEMBER.format(code=code), code="unknown_member")
    return organisation


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
