import django_filters

from banking.models import (
    ClearingBatch,
    CreditLine,
    CreditLineChange,
    FinancingApplication,
    FinancingQuote,
)
from scf.api.filters import IntegerFilter


class CreditLineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CreditLine.Status.choices)
    bank = IntegerFilter(field_name="bank_id")
    core_enterprise = IntegerFilter(field_name="core_enterprise_id")
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lt")

    class Meta:
        model = CreditLine
        fields = ["status", "bank", "core_enterprise", "expires_before"]


class CreditLineChangeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CreditLineChange.Status.choices)
    kind = django_filters.ChoiceFilter(choices=CreditLineChange.Kind.choices)
    line = IntegerFilter(field_name="line_id")
    bank = IntegerFilter(field_name="bank_id")
    core_enterprise = IntegerFilter(field_name="core_enterprise_id")

    class Meta:
        model = CreditLineChange
        fields = ["status", "kind", "line", "bank", "core_enterprise"]


class FinancingApplicationFilter(django_filters.FilterSet):
    """The back office's queue: by status, amount range, maturity and applicant."""

    status = django_filters.MultipleChoiceFilter(choices=FinancingApplication.Status.choices)
    amount_min = IntegerFilter(field_name="amount_fen", lookup_expr="gte")
    amount_max = IntegerFilter(field_name="amount_fen", lookup_expr="lte")
    maturity_from = django_filters.DateFilter(field_name="maturity_date", lookup_expr="gte")
    maturity_to = django_filters.DateFilter(field_name="maturity_date", lookup_expr="lte")
    applicant = IntegerFilter(field_name="applicant_id")
    applicant_name = django_filters.CharFilter(field_name="applicant__name",
                                               lookup_expr="icontains")
    bank = IntegerFilter(field_name="addressees__bank_id", distinct=True)
    token_id = IntegerFilter()
    root_id = IntegerFilter()

    class Meta:
        model = FinancingApplication
        fields = ["status", "amount_min", "amount_max", "maturity_from", "maturity_to",
                  "applicant", "applicant_name", "bank", "token_id", "root_id"]


class FinancingQuoteFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FinancingQuote.Status.choices)
    application = IntegerFilter(field_name="application_id")
    bank = IntegerFilter(field_name="bank_id")

    class Meta:
        model = FinancingQuote
        fields = ["status", "application", "bank"]


class ClearingBatchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ClearingBatch.Status.choices)
    core_enterprise = IntegerFilter(field_name="core_enterprise_id")

    class Meta:
        model = ClearingBatch
        fields = ["status", "core_enterprise"]
