"""Shared by the receivables API: permissions, input fields, reference shapes, the 202 body and
lookups of organisations named in a request."""

import re
from collections.abc import Callable

from django.db import connection
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from receivables.models import PieceOperation
from scf.accounts import permissions as perms
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.accounts.validation import field_error
from scf.chain.apis import OperationAcceptedSerializer, operation_accepted
from scf.chain.models import ChainIntent
from scf.money import format_yuan

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


# --- fields -----------------------------------------------------------------------------------

MSG_FEN_INTEGER = ("金额须为整数分，不能有小数 / Amounts are whole numbers of fen: no fractions "
                   "and no decimal numbers")
MSG_FEN_POSITIVE = "金额须大于零 / The amount must be greater than zero"
MSG_FEN_TOO_LARGE = "金额过大 / The amount is too large"
# DRF's own messages come in one language; every input field here answers in both.
COMMON_ERRORS = {"required": "必填 / This field is required",
                 "null": "不能为空 / This field may not be null",
                 "blank": "不能为空 / This field may not be blank"}


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(error_messages={
        **COMMON_ERRORS, "invalid": "须为整数编号 / A whole-number id is required"}, **kwargs)


def date_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(error_messages={
        **COMMON_ERRORS, "invalid": "日期格式应为 YYYY-MM-DD / Dates are written YYYY-MM-DD",
        "datetime": "须为日期而非时间 / A date is required, not a time"}, **kwargs)


def text_field(**kwargs) -> serializers.CharField:
    max_length = kwargs.get("max_length")
    return serializers.CharField(error_messages={
        **COMMON_ERRORS, "invalid": "须为文本 / Text is required",
        "max_length": f"最多 {max_length} 个字符 / At most {max_length} characters"}, **kwargs)
INTEGER_TEXT = re.compile(r"-?\d+")


def stored_fen_max() -> int:
    """The largest amount a fen column (PositiveBigIntegerField) holds, from the database
    backend. The chain's bound (CreditLines.MAX_LIMIT, type(uint96).max) is larger: the services
    that send an amount to the chain check it there (scf.chain.limits)."""
    return connection.ops.integer_field_range("PositiveBigIntegerField")[1]


@extend_schema_field(OpenApiTypes.INT)
class FenField(serializers.Field):
    """A positive integer number of fen. Floats (even 100.0), fractions, booleans, zero and
    negatives are refused with a bilingual message; a string of digits is accepted (forms)."""

    default_error_messages = {**COMMON_ERRORS, "integer": MSG_FEN_INTEGER,
                              "positive": MSG_FEN_POSITIVE, "too_large": MSG_FEN_TOO_LARGE}

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool):
            self.fail("integer")
        if isinstance(data, int):
            value = data
        elif isinstance(data, str) and INTEGER_TEXT.fullmatch(data.strip()):
            value = int(data.strip())
        else:
            self.fail("integer")
        if value <= 0:
            self.fail("positive")
        if value > stored_fen_max():
            self.fail("too_large")
        return value

    def to_representation(self, value) -> int:
        return int(value)


class BoundedListField(serializers.ListField):
    """A list whose longest length is a contract's limit: `most()` is read when validating (not
    at import, when no chain may be there), and checked before any item is."""

    def __init__(self, *, most: Callable[[], int], too_long: Callable[[int], str], **kwargs):
        self.most, self.too_long = most, too_long
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and len(data) > (most := self.most()):
            raise serializers.ValidationError(self.too_long(most))
        return super().to_internal_value(data)




def yuan(value: int | None) -> str | None:
    return None if value is None else format_yuan(int(value))


def document_file_field() -> serializers.FileField:
    return serializers.FileField(required=False, allow_empty_file=True, error_messages={
        **COMMON_ERRORS,
        "invalid": "请以 multipart 表单上传文件 / Upload the file as multipart form data",
        "no_name": "文件缺少名称 / The file has no name"})


# --- output serializers -----------------------------------------------------------------------

@extend_schema_serializer(component_name="ReceivablesOrganisation")
class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


@extend_schema_serializer(component_name="ReceivablesChainParty")
class ChainPartySerializer(serializers.Serializer):
    """A chain address and the platform organisation behind it (null if none)."""

    address = serializers.CharField()
    organisation_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_null=True)


def chain_party(address: str | None, organisation_id=None, name=None) -> dict | None:
    if not address:
        return None
    return {"address": address, "organisation_id": organisation_id, "name": name}


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


@extend_schema_serializer(component_name="ReceivablesChainError")
class ChainErrorSerializer(serializers.Serializer):
    name = serializers.CharField()
    args = serializers.JSONField()
    message = serializers.CharField()


def error_of(obj) -> dict | None:
    if not (obj.error_name or obj.error_message):
        return None
    return {"name": obj.error_name, "args": obj.error_args, "message": obj.error_message}


@extend_schema_serializer(component_name="ReceivablesOperationRef")
class OperationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.CharField()


def operation_ref(intent: ChainIntent | None) -> dict | None:
    if intent is None:
        return None
    return {"id": intent.pk, "status": intent.status, "url": f"/api/operations/{intent.pk}"}




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
    organisations = Organisation.objects.select_related("chain_account")
    organisation = (organisations.filter(pk=pk).first() if pk is not None
                    else organisations.filter(credit_code=credit_code.strip().upper()).first())
    if organisation is None:
        raise field_error(field, "无此机构 / No such organisation")
    return organisation
