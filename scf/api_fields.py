"""Serializer fields shared by every API that shows money."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scf.money import format_yuan


@extend_schema_field(OpenApiTypes.STR)
class YuanField(serializers.Field):
    """An amount in fen shown as yuan with thousands separators: 100000000 → "1,000,000.00"."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return format_yuan(int(value))
