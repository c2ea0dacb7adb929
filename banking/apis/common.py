"""Shared by the banking API: permissions, amount errors, reference shapes and the 202 body."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scf.accounts import permissions as perms
from scf.accounts.models import OrganisationKind, Role
from scf.chain.models import ChainIntent

K = OrganisationKind
CanReadLines = perms.member_with(kinds=[K.BANK, K.CORE_ENTERPRISE, K.PLATFORM, K.REGULATOR])
CanProposeLine = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideLine = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanReadFinancing = perms.member_with(kinds=[K.SUPPLIER, K.BANK, K.PLATFORM, K.REGULATOR])
CanApply = perms.member_with(kinds=[K.SUPPLIER], roles=[Role.OPERATOR], write=True)
CanQuote = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideFinancing = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanDisburse = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR, Role.APPROVER],
                                write=True)
CanConfirmClearing = perms.member_with(kinds=[K.CORE_ENTERPRISE], roles=[Role.APPROVER],
                                       write=True)

MSG_POSITIVE_FEN = "金额须为正整数分 / The amount must be a positive whole number of fen"
FEN_ERRORS = {"min_value": MSG_POSITIVE_FEN, "invalid": MSG_POSITIVE_FEN,
              "max_string_length": MSG_POSITIVE_FEN}


# --- shared output shapes ------------------------------------------------------------------------



class BankingOrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class BankingOperationErrorSerializer(serializers.Serializer):
    name = serializers.CharField()
    args = serializers.JSONField()
    message = serializers.CharField()


class BankingOperationRefSerializer(serializers.Serializer):
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

    @extend_schema_field(BankingOperationErrorSerializer(allow_null=True))
    def get_error(self, intent):
        if intent.status != ChainIntent.Status.FAILED and not intent.error_name:
            return None
        return {"name": intent.error_name, "args": intent.error_args,
                "message": intent.error_message}


class BankingApprovalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, approval) -> str:
        return reverse("approval-detail", args=[approval.pk])
