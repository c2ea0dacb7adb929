"""Reference shapes that every API nests: an organisation, a chain address and who is behind
it, a decoded chain error, a chain operation in brief, an approval request in brief."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from scf.chain.models import ChainIntent


@extend_schema_serializer(component_name="OrganisationRef")
class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    credit_code = serializers.CharField(help_text="统一社会信用代码 (public, on its licence)")


@extend_schema_serializer(component_name="ChainParty")
class ChainPartySerializer(serializers.Serializer):
    """A chain address and the platform organisation behind it (null if none)."""

    address = serializers.CharField()
    organisation_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_null=True)


def chain_party(address: str | None, organisation_id=None, name=None) -> dict | None:
    if not address:
        return None
    return {"address": address, "organisation_id": organisation_id, "name": name}


@extend_schema_serializer(component_name="ChainError")
class ChainErrorSerializer(serializers.Serializer):
    """A chain error: the Solidity error's name and arguments, and the message shown."""

    name = serializers.CharField()
    args = serializers.JSONField()
    message = serializers.CharField()


def error_of(obj) -> dict | None:
    """The error stored on a row with error_name, error_args and error_message (None if none)."""
    if not (obj.error_name or obj.error_message):
        return None
    return {"name": obj.error_name, "args": obj.error_args, "message": obj.error_message}


@extend_schema_serializer(component_name="OperationRef")
class OperationRefSerializer(serializers.Serializer):
    """A chain operation (ChainIntent) in brief; GET its operation_url for everything."""

    operation_id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    operation_url = serializers.SerializerMethodField()
    function = serializers.CharField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    error = serializers.SerializerMethodField()

    def get_operation_url(self, intent) -> str:
        return reverse("operation-detail", args=[intent.pk])

    @extend_schema_field(ChainErrorSerializer(allow_null=True))
    def get_error(self, intent):
        # A message left by a retry of a pending operation is progress, not its error.
        if intent.status != ChainIntent.Status.FAILED and not intent.error_name:
            return None
        return error_of(intent) or {"name": "", "args": {}, "message": ""}


def operation_ref(intent: ChainIntent | None) -> dict | None:
    return None if intent is None else OperationRefSerializer(intent).data


@extend_schema_serializer(component_name="ApprovalRef")
class ApprovalRefSerializer(serializers.Serializer):
    """A maker-checker request in brief; GET its url for everything."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, approval) -> str:
        return reverse("approval-detail", args=[approval.pk])
