"""The receivables API: trade background, issuance with maker-checker, acceptance, transfers,
splits, freezes, lineage, holdings and debtor notices. One view per operation; every view
fetches through a selector and makes at most one service call. Chain-backed actions answer 202
with the operation to poll (GET /api/operations/<id>); in eager mode it is already final."""

import re

from django.db.models import Count
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables import selectors, services
from receivables.filters import (
    DebtorNoticeFilter,
    HoldingFilter,
    InvoiceFilter,
    PieceFilter,
    PieceOperationFilter,
    TradeContractFilter,
    VoucherFilter,
    VoucherMaturityFilter,
)
from receivables.ledger import maturity_date_of
from receivables.models import DebtorNotice, PieceOperation
from scf.accounts import permissions as perms
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.accounts.validation import field_error
from scf.api_fields import YuanField
from scf.chain.models import ChainIntent, PieceState
from scf.money import amount_in_capitals, format_yuan

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
        if value > services.MAX_FACE_VALUE:
            self.fail("too_large")
        return value

    def to_representation(self, value) -> int:
        return int(value)




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


class InvoiceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trade_contract = serializers.IntegerField(source="trade_contract_id")
    trade_contract_number = serializers.CharField(source="trade_contract.number")
    number = serializers.CharField()
    code = serializers.CharField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    issued_on = serializers.DateField()
    chain_hash = serializers.CharField()
    document = serializers.SerializerMethodField()
    backing_voucher = serializers.IntegerField(source="backing_voucher_id", allow_null=True,
                                               default=None)
    created_at = serializers.DateTimeField()

    @extend_schema_field(DocumentOutputSerializer(allow_null=True))
    def get_document(self, invoice):
        return document_of(invoice, "invoice-download")


class TradeContractOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    debtor = OrganisationRefSerializer()
    supplier = OrganisationRefSerializer()
    number = serializers.CharField()
    title = serializers.CharField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    signed_on = serializers.DateField()
    chain_hash = serializers.CharField()
    document = serializers.SerializerMethodField()
    invoice_count = serializers.IntegerField(default=None)
    created_at = serializers.DateTimeField()

    @extend_schema_field(DocumentOutputSerializer(allow_null=True))
    def get_document(self, contract):
        return document_of(contract, "trade-contract-download")


class TradeContractDetailOutputSerializer(TradeContractOutputSerializer):
    invoices = serializers.SerializerMethodField()

    @extend_schema_field(InvoiceOutputSerializer(many=True))
    def get_invoices(self, contract):
        invoices = selectors.invoice_list(user=self.context["request"].user).filter(
            trade_contract=contract)
        return InvoiceOutputSerializer(invoices, many=True).data


@extend_schema_serializer(component_name="ReceivablesTradeRef")
class TradeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    signed_on = serializers.DateField()
    chain_hash = serializers.CharField()


@extend_schema_serializer(component_name="ReceivablesVoucherInvoice")
class VoucherInvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="invoice.id")
    number = serializers.CharField(source="invoice.number")
    code = serializers.CharField(source="invoice.code")
    amount_fen = serializers.IntegerField(source="invoice.amount_fen")
    amount_yuan = YuanField(source="invoice.amount_fen")
    issued_on = serializers.DateField(source="invoice.issued_on")
    chain_hash = serializers.CharField(source="invoice.chain_hash")
    released = serializers.SerializerMethodField()

    def get_released(self, link) -> bool:
        return link.released_at is not None


class VoucherOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    debtor = OrganisationRefSerializer()
    supplier = OrganisationRefSerializer()
    bank = OrganisationRefSerializer()
    trade_contract = TradeRefSerializer()
    invoices = VoucherInvoiceSerializer(source="invoice_links.all", many=True)
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    face_value_in_capitals = serializers.SerializerMethodField()
    maturity_date = serializers.DateField()
    maturity_at = serializers.IntegerField(help_text="unix seconds on chain: 00:00 of the "
                                                     "maturity date, Asia/Shanghai")
    approval_id = serializers.IntegerField(allow_null=True)
    approval_status = serializers.CharField(source="approval.status", default=None)
    proposed_by = serializers.CharField(source="proposed_by.username")
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    token_id = serializers.IntegerField(allow_null=True)
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    chain_status = serializers.SerializerMethodField()
    settled_fen = serializers.SerializerMethodField()
    settled_yuan = serializers.SerializerMethodField()
    issue_operation = serializers.SerializerMethodField()
    response_operation = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    rejection_reason = serializers.CharField()
    rejection_reason_hash = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_face_value_in_capitals(self, voucher) -> str:
        return amount_in_capitals(voucher.face_value_fen)

    def get_chain_status(self, voucher) -> str | None:
        value = getattr(voucher, "root_status", None)
        return None if value is None else PieceState.Status(value).name.lower()

    def get_settled_fen(self, voucher) -> int | None:
        return getattr(voucher, "settled_fen", None)

    def get_settled_yuan(self, voucher) -> str | None:
        return yuan(getattr(voucher, "settled_fen", None))

    @extend_schema_field(OperationRefSerializer(allow_null=True))
    def get_issue_operation(self, voucher):
        return operation_ref(voucher.issue_intent)

    @extend_schema_field(OperationRefSerializer(allow_null=True))
    def get_response_operation(self, voucher):
        return operation_ref(voucher.response_intent)

    @extend_schema_field(ChainErrorSerializer(allow_null=True))
    def get_error(self, voucher):
        return error_of(voucher)


class PieceOutputSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    holder = serializers.SerializerMethodField()
    balance_fen = serializers.IntegerField(source="balance")
    balance_yuan = YuanField(source="balance")
    status = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display")
    frozen = serializers.BooleanField()
    locked_for = serializers.SerializerMethodField()
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.SerializerMethodField()
    face_value_fen = serializers.IntegerField(source="face_value", allow_null=True)
    face_value_yuan = serializers.SerializerMethodField()
    voucher_id = serializers.IntegerField(allow_null=True)
    held_by_me = serializers.SerializerMethodField()

    def get_face_value_yuan(self, piece) -> str | None:
        return yuan(piece.face_value)

    def get_status(self, piece) -> str:
        return PieceState.Status(piece.status).name.lower()

    @extend_schema_field(ChainPartySerializer)
    def get_holder(self, piece):
        return chain_party(piece.owner, piece.holder_id, piece.holder_name)

    @extend_schema_field(ChainPartySerializer(allow_null=True))
    def get_locked_for(self, piece):
        return chain_party(piece.lock_bank, None, piece.lock_bank_name)

    @extend_schema_field(ChainPartySerializer(allow_null=True))
    def get_debtor(self, piece):
        return chain_party(piece.debtor_address, piece.debtor_id, piece.debtor_name)

    def get_maturity_date(self, piece) -> str | None:
        maturity = maturity_date_of(piece.maturity)
        return maturity.isoformat() if maturity else None

    def get_held_by_me(self, piece) -> bool:
        return selectors.piece_is_held_by(piece, self.context["request"].user)


@extend_schema_serializer(component_name="PieceVoucher")
class PieceVoucherSerializer(serializers.Serializer):
    """The root voucher's business data."""

    id = serializers.IntegerField()
    token_id = serializers.IntegerField()
    debtor = OrganisationRefSerializer()
    supplier = OrganisationRefSerializer()
    bank = OrganisationRefSerializer()
    trade_contract = TradeRefSerializer()
    invoices = VoucherInvoiceSerializer(source="invoice_links.all", many=True)
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    maturity_date = serializers.DateField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)


class PieceDetailOutputSerializer(PieceOutputSerializer):
    voucher = serializers.SerializerMethodField()

    @extend_schema_field(PieceVoucherSerializer(allow_null=True))
    def get_voucher(self, piece):
        voucher = selectors.piece_voucher(piece)
        return PieceVoucherSerializer(voucher).data if voucher else None


@extend_schema_serializer(component_name="LineageNode")
class LineageNodeSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    depth = serializers.IntegerField()
    holder = serializers.SerializerMethodField()
    balance_fen = serializers.IntegerField(source="balance")
    balance_yuan = YuanField(source="balance")
    status = serializers.SerializerMethodField()
    frozen = serializers.BooleanField()
    locked_for = serializers.CharField(source="lock_bank")
    created_tx_hash = serializers.CharField()
    created_block = serializers.IntegerField(allow_null=True)

    @extend_schema_field(ChainPartySerializer)
    def get_holder(self, node):
        holder = node.holder
        return chain_party(node.owner, holder.pk if holder else None,
                           holder.name if holder else None)

    def get_status(self, node) -> str:
        return PieceState.Status(node.status).name.lower()


class LineageOutputSerializer(serializers.Serializer):
    token_id = serializers.IntegerField(source="piece.token_id")
    root_id = serializers.IntegerField()
    debtor = OrganisationRefSerializer(allow_null=True)
    maturity_date = serializers.DateField(allow_null=True)
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    outstanding_fen = serializers.IntegerField(help_text="sum of the live pieces' balances")
    outstanding_yuan = YuanField(source="outstanding_fen")
    settled_fen = serializers.IntegerField()
    settled_yuan = YuanField(source="settled_fen")
    conserved = serializers.BooleanField(help_text="outstanding + settled = face value")
    ancestry = LineageNodeSerializer(many=True, help_text="from the root down to this piece")
    tree_visible = serializers.SerializerMethodField()
    tree = serializers.SerializerMethodField()

    def get_tree_visible(self, lineage) -> bool:
        return lineage.tree is not None

    @extend_schema_field(LineageNodeSerializer(many=True, allow_null=True))
    def get_tree(self, lineage):
        if lineage.tree is None:
            return None
        return LineageNodeSerializer(lineage.tree, many=True).data


class HoldingGroupOutputSerializer(serializers.Serializer):
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.DateField(allow_null=True)
    pieces = serializers.IntegerField()
    total_fen = serializers.IntegerField()
    total_yuan = YuanField(source="total_fen")
    token_ids = serializers.ListField(child=serializers.IntegerField())

    @extend_schema_field(ChainPartySerializer)
    def get_debtor(self, group):
        debtor = group.debtor
        return chain_party(group.debtor_address, debtor.pk if debtor else None,
                           debtor.name if debtor else None)


class VoucherMaturityOutputSerializer(serializers.Serializer):
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.DateField()
    vouchers = serializers.IntegerField()
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")

    @extend_schema_field(OrganisationRefSerializer)
    def get_debtor(self, row):
        return {"id": row["debtor_id"], "name": row["debtor__name"],
                "kind": K.CORE_ENTERPRISE.value}


class PieceOperationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    voucher_id = serializers.IntegerField(allow_null=True)
    organisation = OrganisationRefSerializer()
    holder = OrganisationRefSerializer(allow_null=True)
    to_organisation = OrganisationRefSerializer(allow_null=True)
    amount_fen = serializers.IntegerField(allow_null=True)
    amount_yuan = serializers.SerializerMethodField()
    amounts_fen = serializers.ListField(child=serializers.IntegerField())
    amounts_yuan = serializers.SerializerMethodField()
    whole_piece = serializers.BooleanField()
    reason = serializers.CharField()
    reason_hash = serializers.CharField()
    new_token_ids = serializers.ListField(child=serializers.IntegerField())
    operation = serializers.SerializerMethodField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    error = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username")
    created_at = serializers.DateTimeField()

    def get_amount_yuan(self, operation) -> str | None:
        return yuan(operation.amount_fen)

    def get_amounts_yuan(self, operation) -> list[str]:
        return [format_yuan(amount) for amount in operation.amounts_fen]

    @extend_schema_field(OperationRefSerializer(allow_null=True))
    def get_operation(self, operation):
        return operation_ref(operation.intent)

    @extend_schema_field(ChainErrorSerializer(allow_null=True))
    def get_error(self, operation):
        return error_of(operation)


def debtor_notice_text(notice: DebtorNotice) -> str:
    """The notice as a document (民法典第五百四十六条，原《合同法》第八十条)."""
    amount = f"人民币{amount_in_capitals(notice.amount_fen)}（¥{format_yuan(notice.amount_fen)}）"
    maturity = notice.maturity_date.isoformat() if notice.maturity_date else "—"
    source = f"{notice.from_organisation.name} 已将其持有的贵司电子债权凭证 #{notice.from_token_id}"
    if notice.kind == DebtorNotice.Kind.SPLIT:
        body = f"{source}拆分，其中 {amount} 形成新凭证 #{notice.to_token_id}，持有人不变。"
    else:
        body = (f"{source}项下 {amount} 的债权转让给 {notice.to_organisation.name}"
                f"（现为凭证 #{notice.to_token_id}）。")
    return (f"债权转让通知书\n致：{notice.debtor.name}\n"
            f"根据《中华人民共和国民法典》第五百四十六条（原《合同法》第八十条），特此通知：{body}"
            f"该凭证源自根凭证 #{notice.root_id}，到期日 {maturity}，"
            f"请于到期日向届时的持有人付款。\n"
            f"链上交易 {notice.tx_hash}，区块 {notice.block_number}。")


class DebtorNoticeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    debtor = OrganisationRefSerializer()
    from_organisation = OrganisationRefSerializer()
    to_organisation = OrganisationRefSerializer()
    voucher_id = serializers.IntegerField(allow_null=True)
    root_id = serializers.IntegerField()
    from_token_id = serializers.IntegerField()
    to_token_id = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    amount_in_capitals = serializers.SerializerMethodField()
    maturity_date = serializers.DateField(allow_null=True)
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_amount_in_capitals(self, notice) -> str:
        return amount_in_capitals(notice.amount_fen)

    def get_text(self, notice) -> str:
        return debtor_notice_text(notice)


# --- 202 Accepted ------------------------------------------------------------------------------

class OperationAcceptedFields(serializers.Serializer):
    operation_id = serializers.IntegerField()
    status = serializers.CharField(help_text="the chain operation's status: pending, submitted, "
                                             "confirmed or failed")
    final = serializers.BooleanField()
    operation_url = serializers.CharField()
    error = ChainErrorSerializer(allow_null=True)


class VoucherOperationAcceptedSerializer(OperationAcceptedFields):
    voucher_id = serializers.IntegerField()
    voucher_status = serializers.CharField()
    token_id = serializers.IntegerField(allow_null=True)


class PieceOperationAcceptedSerializer(OperationAcceptedFields):
    piece_operation_id = serializers.IntegerField()
    piece_operation_status = serializers.CharField()
    new_token_ids = serializers.ListField(child=serializers.IntegerField())


def _accepted(intent: ChainIntent, **domain) -> Response:
    intent.refresh_from_db()  # in eager mode it ran when the service's transaction committed
    final = intent.status in (ChainIntent.Status.CONFIRMED, ChainIntent.Status.FAILED)
    error = None
    if intent.status == ChainIntent.Status.FAILED:
        error = {"name": intent.error_name, "args": intent.error_args,
                 "message": intent.error_message}
    return Response({"operation_id": intent.pk, "status": intent.status, "final": final,
                     "operation_url": f"/api/operations/{intent.pk}", "error": error, **domain},
                    status=status.HTTP_202_ACCEPTED)


def _voucher_accepted(voucher) -> Response:
    voucher.refresh_from_db()
    return _accepted(voucher.response_intent, voucher_id=voucher.pk,
                     voucher_status=voucher.status, token_id=voucher.token_id)


def _operation_accepted(operation: PieceOperation) -> Response:
    operation.refresh_from_db()
    return _accepted(operation.intent, piece_operation_id=operation.pk,
                     piece_operation_status=operation.status,
                     new_token_ids=operation.new_token_ids)


# --- lookups of objects named in a request body (not visible: a field error) -----------------

def _organisation_field(field: str, pk: int | None, credit_code: str = "") -> Organisation:
    organisations = Organisation.objects.select_related("chain_account")
    organisation = (organisations.filter(pk=pk).first() if pk is not None
                    else organisations.filter(credit_code=credit_code.strip().upper()).first())
    if organisation is None:
        raise field_error(field, "无此机构 / No such organisation")
    return organisation


# --- trade contracts ----------------------------------------------------------------------------

class TradeContractListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = TradeContractOutputSerializer
    filterset_class = TradeContractFilter

    def get_queryset(self):
        return selectors.trade_contract_list(user=self.request.user).annotate(
            invoice_count=Count("invoices")).order_by("-signed_on", "-pk")


class TradeContractDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=TradeContractDetailOutputSerializer)
    def get(self, request, pk: int):
        contract = selectors.trade_contract_get(user=request.user, pk=pk)
        return Response(TradeContractDetailOutputSerializer(
            contract, context={"request": request}).data)


class TradeContractCreateApi(APIView):
    """The core enterprise records a trade with a supplier (JSON, or multipart with the signed
    contract as `file`: PDF/JPEG/PNG judged by content; its SHA-256 is computed here)."""

    permission_classes = [CanRecordTrade]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="TradeContractCreateInput")
    class InputSerializer(serializers.Serializer):
        supplier = id_field()
        number = text_field(max_length=100)
        title = text_field(max_length=200)
        amount_fen = FenField()
        signed_on = date_field()
        file = document_file_field()

    @extend_schema(request={"application/json": InputSerializer,
                            "multipart/form-data": InputSerializer},
                   responses={201: TradeContractDetailOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = services.trade_contract_create(
            user=request.user, supplier=_organisation_field("supplier", data["supplier"]),
            number=data["number"], title=data["title"], amount_fen=data["amount_fen"],
            signed_on=data["signed_on"], file=data.get("file"))
        return Response(TradeContractDetailOutputSerializer(
            contract, context={"request": request}).data, status=status.HTTP_201_CREATED)


class TradeContractDownloadApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description="the signed contract, as uploaded")})
    def get(self, request, pk: int):
        contract = selectors.trade_contract_get(user=request.user, pk=pk)
        return _download(contract, f"trade-contract-{contract.pk}")


def _download(obj, stem: str) -> FileResponse:
    if not obj.file:
        raise Http404("no document")
    extension = obj.file.name.rsplit(".", 1)[-1]
    return FileResponse(obj.file.open("rb"), content_type=obj.file_content_type,
                        as_attachment=True, filename=f"{stem}.{extension}")


# --- invoices -----------------------------------------------------------------------------------

class InvoiceListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = InvoiceOutputSerializer
    filterset_class = InvoiceFilter

    def get_queryset(self):
        return selectors.invoice_list(user=self.request.user)


class InvoiceDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=InvoiceOutputSerializer)
    def get(self, request, pk: int):
        return Response(InvoiceOutputSerializer(
            selectors.invoice_get(user=request.user, pk=pk)).data)


class InvoiceCreateApi(APIView):
    """Either party of a trade records a VAT invoice: the 20-digit number of a fully digital
    invoice, or the older code + 8-digit number (JSON, or multipart with the scan as `file`)."""

    permission_classes = [CanRecordInvoice]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="InvoiceCreateInput")
    class InputSerializer(serializers.Serializer):
        trade_contract = id_field()
        number = text_field(max_length=40)
        code = text_field(max_length=40, required=False, allow_blank=True, default="")
        amount_fen = FenField()
        issued_on = date_field()
        file = document_file_field()

    @extend_schema(request={"application/json": InputSerializer,
                            "multipart/form-data": InputSerializer},
                   responses={201: InvoiceOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = selectors.trade_contract_list(user=request.user).filter(
            pk=data["trade_contract"]).first()
        if contract is None:
            raise field_error("trade_contract", "无此贸易合同 / No such trade contract")
        invoice = services.invoice_create(
            user=request.user, trade_contract=contract, number=data["number"],
            code=data["code"], amount_fen=data["amount_fen"], issued_on=data["issued_on"],
            file=data.get("file"))
        invoice = selectors.invoice_get(user=request.user, pk=invoice.pk)
        return Response(InvoiceOutputSerializer(invoice).data, status=status.HTTP_201_CREATED)


class InvoiceDownloadApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description="the invoice scan, as uploaded")})
    def get(self, request, pk: int):
        invoice = selectors.invoice_get(user=request.user, pk=pk)
        return _download(invoice, f"invoice-{invoice.pk}")


# --- vouchers -----------------------------------------------------------------------------------

class VoucherListApi(ListAPIView):
    """Vouchers I issued, received or granted the credit line of, by maturity. Filters:
    `issued_by_me=true` (a core enterprise's issues), `awaiting_my_acceptance=true` (a
    supplier's inbox), status, parties, maturity range."""

    permission_classes = [perms.IsMember]
    serializer_class = VoucherOutputSerializer
    filterset_class = VoucherFilter

    def get_queryset(self):
        return selectors.voucher_list(user=self.request.user)


class VoucherDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=VoucherOutputSerializer)
    def get(self, request, pk: int):
        return Response(VoucherOutputSerializer(
            selectors.voucher_get(user=request.user, pk=pk)).data)


class VoucherMaturitiesApi(ListAPIView):
    """Live vouchers grouped by debtor and maturity date, soonest first (到期日历): what a core
    enterprise must fund when."""

    permission_classes = [perms.IsMember]
    serializer_class = VoucherMaturityOutputSerializer
    filterset_class = VoucherMaturityFilter

    def get_queryset(self):
        return selectors.voucher_maturities(user=self.request.user)


class VoucherIssueApi(APIView):
    """The core enterprise's operator proposes a voucher (开立): it waits for a different user of
    the organisation with the approver role to approve the returned approval request
    (POST /api/approvals/<approval_id>/approve), which sends it to the chain."""

    permission_classes = [CanProposeIssue]

    @extend_schema_serializer(component_name="VoucherIssueInput")
    class InputSerializer(serializers.Serializer):
        trade_contract = id_field()
        bank = id_field(help_text="the bank whose credit line the voucher uses")
        face_value_fen = FenField()
        maturity_date = date_field(help_text="due on this date: 00:00 Asia/Shanghai on chain")
        invoices = serializers.ListField(
            child=id_field(), min_length=1, max_length=services.MAX_INVOICES,
            error_messages={
                **COMMON_ERRORS,
                "not_a_list": "须为发票编号列表 / A list of invoice ids is required",
                "min_length": "至少附 1 张发票 / Cite at least one invoice",
                "max_length": f"最多附 {services.MAX_INVOICES} 张发票 / Cite at most "
                              f"{services.MAX_INVOICES} invoices"})

    @extend_schema(request=InputSerializer, responses={201: VoucherOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = selectors.trade_contract_list(user=request.user).filter(
            pk=data["trade_contract"]).first()
        if contract is None:
            raise field_error("trade_contract", "无此贸易合同 / No such trade contract")
        visible = {i.pk: i for i in selectors.invoice_list(user=request.user).filter(
            pk__in=data["invoices"])}
        missing = [pk for pk in data["invoices"] if pk not in visible]
        if missing:
            raise field_error("invoices", f"无此发票 {missing[0]} / No such invoice {missing[0]}")
        voucher = services.voucher_issue_propose(
            user=request.user, trade_contract=contract,
            bank=_organisation_field("bank", data["bank"]),
            face_value_fen=data["face_value_fen"], maturity_date=data["maturity_date"],
            invoices=[visible[pk] for pk in data["invoices"]])
        voucher = selectors.voucher_get(user=request.user, pk=voucher.pk)
        return Response(VoucherOutputSerializer(voucher).data, status=status.HTTP_201_CREATED)


class VoucherAcceptApi(APIView):
    """The supplier's operator accepts (签收) a voucher issued to it."""

    permission_classes = [CanRespond]

    @extend_schema(request=None, responses={202: VoucherOperationAcceptedSerializer})
    def post(self, request, pk: int):
        voucher = selectors.voucher_get(user=request.user, pk=pk)
        voucher = services.voucher_accept(user=request.user, voucher=voucher)
        return _voucher_accepted(voucher)


class VoucherRejectApi(APIView):
    """The supplier's operator rejects (拒签) a voucher with a reason: the voucher is cancelled
    on chain, the credit line restored and the invoices freed."""

    permission_classes = [CanRespond]

    @extend_schema_serializer(component_name="VoucherRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = text_field(max_length=2000)

    @extend_schema(request=InputSerializer, responses={202: VoucherOperationAcceptedSerializer})
    def post(self, request, pk: int):
        voucher = selectors.voucher_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        voucher = services.voucher_reject(user=request.user, voucher=voucher,
                                          reason=serializer.validated_data["reason"])
        return _voucher_accepted(voucher)


# --- pieces -------------------------------------------------------------------------------------

class PieceListApi(ListAPIView):
    """Pieces I hold, and every piece of the vouchers I am the debtor of (all, for the platform
    operator and the regulator)."""

    permission_classes = [perms.IsMember]
    serializer_class = PieceOutputSerializer
    filterset_class = PieceFilter

    def get_queryset(self):
        return selectors.piece_list(user=self.request.user)


class PieceDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=PieceDetailOutputSerializer)
    def get(self, request, token_id: int):
        piece = selectors.piece_get(user=request.user, token_id=token_id)
        return Response(PieceDetailOutputSerializer(piece, context={"request": request}).data)


class PieceLineageApi(APIView):
    """穿透: the piece's ancestry to its root, and (for the debtor, the platform operator and the
    regulator) the root's whole tree with holders, amounts, statuses and creating transactions."""

    permission_classes = [perms.IsMember]

    @extend_schema(responses=LineageOutputSerializer)
    def get(self, request, token_id: int):
        lineage = selectors.piece_lineage(user=request.user, token_id=token_id)
        return Response(LineageOutputSerializer(lineage).data)


def _own_piece(request, token_id: int) -> PieceState:
    """404 if I cannot see the piece, 403 if I can but do not hold it."""
    piece = selectors.piece_get(user=request.user, token_id=token_id)
    if not selectors.piece_is_held_by(piece, request.user):
        raise perms.ForbiddenError(perms.MSG_NOT_OWN)
    return piece


class PieceTransferApi(APIView):
    """Send an amount of a piece I hold to another member (转让): the whole balance hands the
    piece over, a part derives a new piece for the receiver. The debtor gets a notice."""

    permission_classes = [CanMovePieces]

    @extend_schema_serializer(component_name="PieceTransferInput")
    class InputSerializer(serializers.Serializer):
        to_organisation = id_field(required=False, help_text="the receiver's id")
        to_credit_code = text_field(required=False, max_length=18,
                                    help_text="or its unified social credit code")
        amount_fen = FenField()

        def validate(self, attrs):
            if "to_organisation" not in attrs and not attrs.get("to_credit_code"):
                raise serializers.ValidationError({"to_organisation": [
                    "请指定受让方 / Name the receiving organisation"]})
            return attrs

    @extend_schema(request=InputSerializer, responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        _own_piece(request, token_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receiver = _organisation_field("to_organisation", data.get("to_organisation"),
                                       data.get("to_credit_code", ""))
        operation = services.piece_transfer(user=request.user, token_id=token_id,
                                            to_organisation=receiver,
                                            amount_fen=data["amount_fen"])
        return _operation_accepted(operation)


class PieceSplitApi(APIView):
    """Split a piece I hold into parts (拆分) that add up to its balance: the last part stays on
    the piece itself, the others become new pieces, in the order given."""

    permission_classes = [CanMovePieces]

    @extend_schema_serializer(component_name="PieceSplitInput")
    class InputSerializer(serializers.Serializer):
        amounts_fen = serializers.ListField(
            child=FenField(), min_length=2, max_length=services.MAX_SPLIT_PARTS,
            error_messages={
                **COMMON_ERRORS,
                "not_a_list": "须为金额列表（分）/ A list of amounts in fen is required",
                "min_length": "至少拆分为 2 份 / Split into at least 2 parts",
                "max_length": f"最多拆分为 {services.MAX_SPLIT_PARTS} 份 / Split into at most "
                              f"{services.MAX_SPLIT_PARTS} parts"})

    @extend_schema(request=InputSerializer, responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        _own_piece(request, token_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_split(user=request.user, token_id=token_id,
                                         amounts_fen=serializer.validated_data["amounts_fen"])
        return _operation_accepted(operation)


class ReasonInputSerializer(serializers.Serializer):
    reason = text_field(max_length=2000)


class PieceFreezeApi(APIView):
    """A judicial freeze (司法冻结) by the regulator: the piece cannot move, change status or be
    settled until unfrozen. The reason stays here; its SHA-256 goes on chain."""

    permission_classes = [CanFreeze]

    @extend_schema(request=ReasonInputSerializer,
                   responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        selectors.piece_get(user=request.user, token_id=token_id)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_freeze(user=request.user, token_id=token_id,
                                          reason=serializer.validated_data["reason"])
        return _operation_accepted(operation)


class PieceUnfreezeApi(APIView):
    permission_classes = [CanFreeze]

    @extend_schema(request=ReasonInputSerializer,
                   responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        selectors.piece_get(user=request.user, token_id=token_id)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_unfreeze(user=request.user, token_id=token_id,
                                            reason=serializer.validated_data["reason"])
        return _operation_accepted(operation)


class HoldingsPagination(PageNumberPagination):
    """The global page size, plus the totals over every page."""

    totals: dict = {}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data.update(self.totals)
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"].update({
            "total_fen": {"type": "integer"}, "total_yuan": {"type": "string"},
            "total_pieces": {"type": "integer"}})
        return paginated


class HoldingsApi(ListAPIView):
    """What my organisation holds (accepted, live pieces), grouped by debtor and maturity, with
    the totals of every group and of everything."""

    permission_classes = [perms.IsMember]
    serializer_class = HoldingGroupOutputSerializer
    filterset_class = HoldingFilter
    pagination_class = HoldingsPagination

    def get_queryset(self):
        return selectors.holding_pieces(user=self.request.user)

    def list(self, request, *args, **kwargs):
        groups = selectors.holdings(pieces=self.filter_queryset(self.get_queryset()))
        total = sum(group.total_fen for group in groups)
        page = self.paginate_queryset(groups)
        self.paginator.totals = {"total_fen": total, "total_yuan": format_yuan(total),
                                 "total_pieces": sum(group.pieces for group in groups)}
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- operations on pieces, debtor notices -------------------------------------------------------

class PieceOperationListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = PieceOperationOutputSerializer
    filterset_class = PieceOperationFilter

    def get_queryset(self):
        return selectors.piece_operation_list(user=self.request.user)


class PieceOperationDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=PieceOperationOutputSerializer)
    def get(self, request, pk: int):
        return Response(PieceOperationOutputSerializer(
            selectors.piece_operation_get(user=request.user, pk=pk)).data)


class DebtorNoticeListApi(ListAPIView):
    """债权转让通知: for the debtor (the core enterprise), and both parties of each transfer."""

    permission_classes = [perms.IsMember]
    serializer_class = DebtorNoticeOutputSerializer
    filterset_class = DebtorNoticeFilter

    def get_queryset(self):
        return selectors.debtor_notice_list(user=self.request.user)


class DebtorNoticeDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=DebtorNoticeOutputSerializer)
    def get(self, request, pk: int):
        return Response(DebtorNoticeOutputSerializer(
            selectors.debtor_notice_get(user=request.user, pk=pk)).data)
