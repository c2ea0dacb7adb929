from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.permissions import is_member, is_regulator
from scf.approvals.models import ApprovalRequest


def approval_request_list(*, user) -> QuerySet[ApprovalRequest]:
    """One's own organisation's requests; the regulator reads all."""
    if not is_member(user):
        return ApprovalRequest.objects.none()
    requests = ApprovalRequest.objects.select_related("proposed_by", "decided_by", "organisation")
    if is_regulator(user):
        return requests
    return requests.filter(organisation_id=user.organisation_id)


def approval_request_get(*, user, pk: int) -> ApprovalRequest:
    return get_object_or_404(approval_request_list(user=user), pk=pk)
