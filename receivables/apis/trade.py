"""Trade contracts and invoices over HTTP: list, read, create, download."""


from django.db.models import Count
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables import selectors, services
from receivables.filters import (
    InvoiceFilter,
    TradeContractFilter,
)
from scf.accounts import permissions as perms
from scf.accounts.validation import field_error
from scf.api.fields import DateField, FenField, FileField, IdField, TextField, YuanField
from scf.api.refs import OrganisationRefSerializer
from scf.errors import NotFoundError
from scf.parsers import BoundedJSONParser

from .common import (
    CanRecordInvoice,
    CanRecordTrade,
    DocumentOutputSerializer,
    document_of,
    organisation_field,
)


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
    invoice_count = serializers.IntegerField(default=None, allow_null=True)  # lists count
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
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="TradeContractCreateInput")
    class InputSerializer(serializers.Serializer):
        supplier = IdField(required=False, help_text="the supplier's id")
        supplier_credit_code = TextField(
            required=False, max_length=32,
            help_text="or its unified social credit code (as the member directory shows it)")
        number = TextField(max_length=100)
        title = TextField(max_length=200)
        amount_fen = FenField()
        signed_on = DateField()
        file = FileField(required=False, allow_empty_file=True)

        def validate(self, attrs):
            if "supplier" not in attrs and not attrs.get("supplier_credit_code"):
                raise serializers.ValidationError({"supplier": [
                    "请选择供应商 / Choose the supplier"]})
            return attrs

    @extend_schema(request={"application/json": InputSerializer,
                            "multipart/form-data": InputSerializer},
                   responses={201: TradeContractDetailOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contract = services.trade_contract_create(
            user=request.user,
            supplier=organisation_field("supplier", data.get("supplier"),
                                        data.get("supplier_credit_code", "")),
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
        raise NotFoundError("没有文件 / No document")
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
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="InvoiceCreateInput")
    class InputSerializer(serializers.Serializer):
        trade_contract = IdField()
        number = TextField(max_length=40)
        code = TextField(max_length=40, required=False, allow_blank=True, default="")
        amount_fen = FenField()
        issued_on = DateField()
        file = FileField(required=False, allow_empty_file=True)

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
