"""Vouchers over HTTP: list, read, maturities, issue (maker-checker), accept, reject."""


from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables import selectors, services
from receivables.filters import (
    VoucherFilter,
    VoucherMaturityFilter,
)
from scf.accounts import permissions as perms
from scf.accounts.validation import field_error
from scf.api.fields import (
    COMMON_ERRORS,
    BoundedListField,
    DateField,
    FenField,
    IdField,
    ReasonField,
    YuanField,
    yuan,
)
from scf.api.refs import (
    ChainErrorSerializer,
    OperationRefSerializer,
    OrganisationRefSerializer,
    error_of,
    operation_ref,
)
from scf.chain.limits import chain_limits
from scf.chain.models import PieceState
from scf.money import amount_in_capitals

from .common import (
    CanProposeIssue,
    CanRespond,
    K,
    VoucherOperationAcceptedSerializer,
    organisation_field,
    voucher_accepted,
)
from .trade import TradeRefSerializer


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




class VoucherMaturityOutputSerializer(serializers.Serializer):
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.DateField()
    vouchers = serializers.IntegerField()
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")

    @extend_schema_field(OrganisationRefSerializer)
    def get_debtor(self, row):
        return {"id": row["debtor_id"], "name": row["debtor__name"],
                "credit_code": row["debtor__credit_code"], "kind": K.CORE_ENTERPRISE.value}




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
        trade_contract = IdField()
        bank = IdField(help_text="the bank whose credit line the voucher uses")
        face_value_fen = FenField()
        maturity_date = DateField(help_text="due on this date: 00:00 Asia/Shanghai on chain")
        invoices = BoundedListField(
            child=IdField(), min_length=1, most=lambda: chain_limits().max_invoices,
            too_long=lambda most: f"最多附 {most} 张发票 / Cite at most {most} invoices",
            error_messages={
                **COMMON_ERRORS,
                "not_a_list": "须为发票编号列表 / A list of invoice ids is required",
                "min_length": "至少附 1 张发票 / Cite at least one invoice"})

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
            bank=organisation_field("bank", data["bank"]),
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
        return voucher_accepted(voucher)


class VoucherRejectApi(APIView):
    """The supplier's operator rejects (拒签) a voucher with a reason: the voucher is cancelled
    on chain, the credit line restored and the invoices freed."""

    permission_classes = [CanRespond]

    @extend_schema_serializer(component_name="VoucherRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = ReasonField()

    @extend_schema(request=InputSerializer, responses={202: VoucherOperationAcceptedSerializer})
    def post(self, request, pk: int):
        voucher = selectors.voucher_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        voucher = services.voucher_reject(user=request.user, voucher=voucher,
                                          reason=serializer.validated_data["reason"])
        return voucher_accepted(voucher)
