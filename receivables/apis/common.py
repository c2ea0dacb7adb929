"""Shared by the receivables API: permissions, the document shapes, the 202 body and lookups of
organisations named in a request (fields and reference shapes are scf/api's)."""

from django.urls import reverse
from drf_spectacular.utils import (
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from receivables.models import PieceOperation
from scf.accounts import permissions as perms
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.accounts.selectors import counterparty_get
from scf.chain.apis import OperationAcceptedSerializer, operation_accepted

K = OrganisationKind
CanRecordTrade = perms.member_with(kinds=[K.CORE_ENTERPRISE], roles=[Role.OPERATOR], write=True)
CanRecordInvoice = perms.member_with(kinds=[K.CORE_ENTERPRISE, K.SUPPLIER], roles=[Role.OPERATOR],
                                     write=True)
CanProposeIssue = perms.member_with(kinds=[K.CORE_ENTERPRISE], roles=[Role.OPERATOR], write=True)
CanRespond = perms.member_with(kinds=[K.SUPPLIER], roles=[Role.OPERATOR], write=True)
CanMovePieces = perms.member_with(kinds=[K.SUPPLIER, K.BANK], roles=[Role.OPERATOR], write=True)


class CanFreeze(BasePermission):
    """The regulator's one write: judicial freezes (operator, approver or admin; not viewers)."""

    message = "只有监管机构可以冻结或解冻 / Only the regulator freezes or unfreezes"

    def has_permission(self, request, view) -> bool:
        if not perms.is_member(request.user):
            self.message = perms.MSG_NO_ORGANISATION
            return False
        return perms.can_freeze(request.user)


# --- output serializers -----------------------------------------------------------------------

@extend_schema_serializer(component_name="ReceivablesDocument")
class DocumentOutputSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    original_name = serializers.CharField()
    download_url = serializers.CharField()


def document_of(obj, url_name: str) -> dict | None:
    if not obj.file:
        return None
    return {"sha256": obj.file_sha256, "content_type": obj.file_content_type,
            "size": obj.file_size, "original_name": obj.file_original_name,
            "download_url": reverse(url_name, args=[obj.pk])}


# --- 202 Accepted (the body is scf.chain.apis.operation_accepted's; these add the domain) ---

class VoucherOperationAcceptedSerializer(OperationAcceptedSerializer):
    voucher_id = serializers.IntegerField()
    voucher_status = serializers.CharField()
    token_id = serializers.IntegerField(allow_null=True)


class PieceOperationAcceptedSerializer(OperationAcceptedSerializer):
    piece_operation_id = serializers.IntegerField()
    piece_operation_status = serializers.CharField()
    new_token_ids = serializers.ListField(child=serializers.IntegerField())


def voucher_accepted(voucher) -> Response:
    voucher.refresh_from_db()
    return operation_accepted(voucher.response_intent, voucher_id=voucher.pk,
                              voucher_status=voucher.status, token_id=voucher.token_id)


def piece_operation_accepted(operation: PieceOperation) -> Response:
    operation.refresh_from_db()
    return operation_accepted(operation.intent, piece_operation_id=operation.pk,
                              piece_operation_status=operation.status,
                              new_token_ids=operation.new_token_ids)


# --- lookups of objects named in a request body (not visible: a field error) -----------------

def organisation_field(field: str, pk: int | None, credit_code: str = "") -> Organisation:
    """The counterparty a request names by id or by unified social credit code (one lookup for
    every API: scf.accounts.selectors.counterparty_get)."""
    return counterparty_get(field=field, pk=pk, credit_code=credit_code)
