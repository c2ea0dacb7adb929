"""Query-parameter filters shared by every list of the API."""

from datetime import UTC, datetime, time

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from scf.api.fields import FIRST_BUSINESS_DATE, ID_MAX, LAST_BUSINESS_DATE


class AsciiIntegerField(forms.IntegerField):
    """Python's int() also reads "١٢٣" and "１２３": a query string's number is ASCII digits."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": ID_MAX})
class IntegerFilter(django_filters.NumberFilter):
    """An id or an amount in a query string: a whole number from 0 to what a bigint column
    holds. django-filter's NumberFilter reads decimals and any size, and SQLite then fails with
    an overflow (a 500) on 2**63; this answers 400 with a bilingual message instead, and the
    schema says so (not "number", which promises that 1.5 is accepted)."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        message = f"须为 0 至 {ID_MAX} 的整数 / A whole number from 0 to {ID_MAX} is required"
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message,
                                             "max_value": message})
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0) in a query string, or nothing. django-filter's BooleanFilter reads
    "null", "None" and "unknown" as "no filter" and answers 200, so a typo silently lists
    everything; this answers 400."""

    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(
            "须为 true 或 false / true or false is required", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # the select widget turns "null" into None
        super().__init__(*args, **kwargs)


MSG_EMPTY_FILTER = "请填写值或去掉此参数 / Give a value or leave the parameter out"


class FilterBackend(DjangoFilterBackend):
    """django-filter's, except that `?status=` (a choice, an id, a date, true/false given with
    no value) is refused instead of read as "no filter": the schema does not allow an empty
    value there, and a client that sends one has lost the value it meant. Text filters may be
    empty. (The web front end leaves empty parameters out.)"""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [name for name, filter_ in filterset.filters.items()
                     if request.query_params.get(name) == ""
                     and not isinstance(filter_, django_filters.CharFilter)]
            if empty:
                raise ValidationError({name: [MSG_EMPTY_FILTER] for name in empty})
        return filterset


class BusinessIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, compared in UTC and held to the business dates (no entry lies outside
    them, so "since 0001-01-01" still means "since the start"). Python reads offsets up to
    ±23:59 and years 1 to 9999; PostgreSQL refuses an offset beyond ±15:59 ("time zone
    displacement out of range", a 500 that also aborts the request's transaction), and moving
    9999-12-31T23:00-05:00 to UTC overflows."""

    FIRST = datetime.combine(FIRST_BUSINESS_DATE, time.min, tzinfo=UTC)
    LAST = datetime.combine(LAST_BUSINESS_DATE, time.max, tzinfo=UTC)

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        if moment.date() < FIRST_BUSINESS_DATE:
            return self.FIRST
        if moment.date() > LAST_BUSINESS_DATE:
            return self.LAST
        return moment.astimezone(UTC)


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BusinessIsoDateTimeField
