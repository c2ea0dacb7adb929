import django_filters
from django.db.models import Q

from scf.accounts.credit_code import normalise_credit_code
from scf.accounts.models import Organisation, OrganisationKind, Role, User
from scf.api.filters import BooleanFilter


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation._meta.get_field("kind").choices)
    status = django_filters.ChoiceFilter(choices=Organisation.Status.choices)
    q = django_filters.CharFilter(method="filter_q", label="name or credit code contains")

    class Meta:
        model = Organisation
        fields = ["kind", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class DirectoryFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="name or unified social credit code contains"
    )
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices)
    status = django_filters.ChoiceFilter(choices=Organisation.Status.choices)

    class Meta:
        model = Organisation
        fields = ["kind", "status"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(credit_code__icontains=normalise_credit_code(value))
        )


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="role_grants__role")
    is_active = BooleanFilter()

    class Meta:
        model = User
        fields = ["role", "is_active"]
