import django_filters

from scf.api.filters import IntegerFilter
from scf.kyc.models import KycCase


class KycCaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=KycCase.Status.choices)
    organisation = IntegerFilter(field_name="organisation_id")
    organisation_kind = django_filters.CharFilter(field_name="organisation__kind")
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lt")

    class Meta:
        model = KycCase
        fields = ["status", "organisation", "organisation_kind", "expires_before"]
