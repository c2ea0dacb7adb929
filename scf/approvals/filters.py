import django_filters

from scf.api.filters import BooleanFilter, IntegerFilter
from scf.approvals.models import ApprovalRequest
from scf.approvals.selectors import decidable_scope


class ApprovalRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApprovalRequest.Status.choices)
    action = django_filters.CharFilter()
    proposed_by = IntegerFilter(field_name="proposed_by_id")
    awaiting_me = BooleanFilter(
        method="filter_awaiting_me",
        label="proposed requests I may decide (proposed by someone else)")

    class Meta:
        model = ApprovalRequest
        fields = ["status", "action", "proposed_by", "awaiting_me"]

    def filter_awaiting_me(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        return queryset.filter(decidable_scope(user),
                               status=ApprovalRequest.Status.PROPOSED).exclude(proposed_by=user)
