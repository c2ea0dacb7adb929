from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.permissions import is_member, is_platform_operator, is_regulator
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import platform_decided_actions


def decidable_scope(user) -> Q:
    """The requests a user's organisation decides: its own, and for the platform also those of
    the actions the platform decides for any organisation (role grants)."""
    scope = Q(organisation_id=user.organisation_id)
    if is_platform_operator(user):
        scope |= Q(action__in=platform_decided_actions())
    return scope


def approval_request_list(*, user) -> QuerySet[ApprovalRequest]:
    """One's own organisation's requests (and those the platform decides, for the platform);
    the regulator reads all."""
    if not is_member(user):
        return ApprovalRequest.objects.none()
    requests = ApprovalRequest.objects.select_related("proposed_by", "decided_by", "organisation")
    if is_regulator(user):
        return requests
    return requests.filter(decidable_scope(user))


def approval_request_get(*, user, pk: int) -> ApprovalRequest:
    return get_object_or_404(approval_request_list(user=user), pk=pk)
