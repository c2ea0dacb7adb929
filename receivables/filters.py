"""Filters of every list the receivables API offers (django-filter, query parameters)."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from receivables.models import DebtorNotice, Invoice, PieceOperation, TradeContract, Voucher
from scf.api.filters import BooleanFilter, IntegerFilter
from scf.chain.models import PieceState
from scf.clock import start_of_day

PIECE_STATUS_CHOICES = [(status.name.lower(), label) for status, label in
                        zip(PieceState.Status, PieceState.Status.labels, strict=True)
                        if status != PieceState.Status.NONE]


def piece_status_value(name: str) -> int:
    return PieceState.Status[name.upper()].value


class TradeContractFilter(django_filters.FilterSet):
    debtor = IntegerFilter(field_name="debtor_id")
    supplier = IntegerFilter(field_name="supplier_id")
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte")
    q = django_filters.CharFilter(method="filter_q", label="number or title contains")

    class Meta:
        model = TradeContract
        fields = ["debtor", "supplier", "signed_from", "signed_to", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class InvoiceFilter(django_filters.FilterSet):
    trade_contract = IntegerFilter(field_name="trade_contract_id")
    number = django_filters.CharFilter(lookup_expr="icontains")
    in_use = BooleanFilter(method="filter_in_use",
                                          label="backs a voucher that has not released it")
    issued_from = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_to = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = ["trade_contract", "number", "in_use", "issued_from", "issued_to"]

    def filter_in_use(self, queryset, name, value):
        return queryset.filter(backing_voucher_id__isnull=not value)


class VoucherFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Voucher.Status.choices)
    debtor = IntegerFilter(field_name="debtor_id")
    supplier = IntegerFilter(field_name="supplier_id")
    bank = IntegerFilter(field_name="bank_id")
    trade_contract = IntegerFilter(field_name="trade_contract_id")
    maturity_from = django_filters.DateFilter(field_name="maturity_date", lookup_expr="gte")
    maturity_to = django_filters.DateFilter(field_name="maturity_date", lookup_expr="lte")
    issued_by_me = BooleanFilter(method="filter_issued_by_me",
                                                label="vouchers my organisation issued")
    awaiting_my_acceptance = BooleanFilter(
        method="filter_awaiting_my_acceptance",
        label="vouchers issued to my organisation that wait for its acceptance")

    class Meta:
        model = Voucher
        fields = ["status", "debtor", "supplier", "bank", "trade_contract", "maturity_from",
                  "maturity_to", "issued_by_me", "awaiting_my_acceptance"]

    def filter_issued_by_me(self, queryset, name, value):
        condition = Q(debtor_id=self.request.user.organisation_id)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_awaiting_my_acceptance(self, queryset, name, value):
        condition = Q(supplier_id=self.request.user.organisation_id,
                      status=Voucher.Status.PENDING)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class VoucherMaturityFilter(django_filters.FilterSet):
    debtor = IntegerFilter(field_name="debtor_id")
    maturity_from = django_filters.DateFilter(field_name="maturity_date", lookup_expr="gte")
    maturity_to = django_filters.DateFilter(field_name="maturity_date", lookup_expr="lte")

    class Meta:
        model = Voucher
        fields = ["debtor", "maturity_from", "maturity_to"]


class PieceFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=PIECE_STATUS_CHOICES,
                                                 method="filter_status")
    root = IntegerFilter(field_name="root_id")
    debtor = IntegerFilter(field_name="debtor_id")
    holder = IntegerFilter(field_name="holder_id")
    frozen = BooleanFilter()
    held_by_me = BooleanFilter(method="filter_held_by_me",
                                              label="pieces my organisation holds")
    maturity_from = django_filters.DateFilter(method="filter_maturity_from")
    maturity_to = django_filters.DateFilter(method="filter_maturity_to")

    class Meta:
        model = PieceState
        fields = ["status", "root", "debtor", "holder", "frozen", "held_by_me",
                  "maturity_from", "maturity_to"]

    @extend_schema_field(serializers.ChoiceField(choices=PIECE_STATUS_CHOICES))
    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=[piece_status_value(v) for v in value])

    def filter_held_by_me(self, queryset, name, value):
        condition = Q(holder_id=self.request.user.organisation_id)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_maturity_from(self, queryset, name, value):
        return queryset.filter(maturity__gte=start_of_day(value))

    def filter_maturity_to(self, queryset, name, value):
        return queryset.filter(maturity__lte=start_of_day(value))


HELD_STATUS_CHOICES = [c for c in PIECE_STATUS_CHOICES if c[0] in ("active", "locked", "overdue")]


class HoldingFilter(django_filters.FilterSet):
    debtor = IntegerFilter(field_name="debtor_id")
    status = django_filters.MultipleChoiceFilter(choices=HELD_STATUS_CHOICES,
                                                 method="filter_status")
    maturity_from = django_filters.DateFilter(method="filter_maturity_from")
    maturity_to = django_filters.DateFilter(method="filter_maturity_to")

    class Meta:
        model = PieceState
        fields = ["debtor", "status", "maturity_from", "maturity_to"]

    @extend_schema_field(serializers.ChoiceField(choices=HELD_STATUS_CHOICES))
    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=[piece_status_value(v) for v in value])

    filter_maturity_from = PieceFilter.filter_maturity_from
    filter_maturity_to = PieceFilter.filter_maturity_to


class PieceOperationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PieceOperation.Kind.choices)
    status = django_filters.ChoiceFilter(choices=PieceOperation.Status.choices)
    token_id = IntegerFilter()
    root = IntegerFilter(field_name="root_id")

    class Meta:
        model = PieceOperation
        fields = ["kind", "status", "token_id", "root"]


class DebtorNoticeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DebtorNotice.Kind.choices)
    debtor = IntegerFilter(field_name="debtor_id")
    from_organisation = IntegerFilter(field_name="from_organisation_id")
    to_organisation = IntegerFilter(field_name="to_organisation_id")
    root = IntegerFilter(field_name="root_id")
    voucher = IntegerFilter(field_name="voucher_id")
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = DebtorNotice
        fields = ["kind", "debtor", "from_organisation", "to_organisation", "root", "voucher",
                  "created_from", "created_to"]
