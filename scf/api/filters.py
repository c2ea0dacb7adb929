"""Query-parameter filters shared by every list of the API."""

import django_filters
from django import forms

from scf.api.fields import ID_MAX


class AsciiIntegerField(forms.IntegerField):
    """Python's int() also reads "١٢٣" and "１２３": a query string's number is ASCII digits."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.NumberFilter):
    """An id or an amount in a query string: a whole number from 0 to what a bigint column
    holds. django-filter's NumberFilter reads decimals and any size, and SQLite then fails with
    an overflow (a 500) on 2**63; this answers 400 with a bilingual message instead."""

    field_class = AsciiIntegerField

    def __init__(self, *args, **kwargs):
        message = f"须为 0 至 {ID_MAX} 的整数 / A whole number from 0 to {ID_MAX} is required"
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("error_messages", {"invalid": message, "min_value": message,
                                             "max_value": message})
        super().__init__(*args, **kwargs)
