"""Financing applications (融资申请) and quotes (报价) over HTTP: one view per operation."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from banking import selectors, services
from banking.filters import (
    FinancingApplicationFilter,
    FinancingQuoteFilter,
)
from banking.pricing import MAX_ANNUAL_RATE
from scf import clock
from scf.accounts import permissions as perms
from scf.accounts.models import Organisation
from scf.accounts.selectors import counterparty_get
from scf.accounts.validation import field_error
from scf.api.fields import (
    DateField,
    FenField,
    IdField,
    ListField,
    ReasonInputSerializer,
    TextField,
)

from .common import (
    CanApply,
    CanDecideFinancing,
    CanDisburse,
    CanQuote,
    CanReadFinancing,
)
from .financing_shapes import (
    FinancingApplicationAcceptedSerializer,
    FinancingApplicationDetailOutputSerializer,
    FinancingApplicationOutputSerializer,
    FinancingQuoteAcceptedSerializer,
    FinancingQuoteOutputSerializer,
    application_data,
    application_response,
    quote_response,
)


class FinancingApplicationListApi(ListAPIView):
    """A supplier's own applications; a bank's queue of applications addressed to it (filter by
    status, amount range, maturity, applicant); all for the platform and regulator."""

    permission_classes = [CanReadFinancing]
    serializer_class = FinancingApplicationOutputSerializer
    filterset_class = FinancingApplicationFilter

    def get_queryset(self):
        return selectors.financing_application_list(user=self.request.user)


class FinancingApplicationDetailApi(APIView):
    permission_classes = [CanReadFinancing]

    @extend_schema(responses=FinancingApplicationDetailOutputSerializer)
    def get(self, request, pk: int):
        application = selectors.financing_application_get(user=request.user, pk=pk)
        return Response(application_data(application, request.user))


class FinancingApplicationCreateApi(APIView):
    """A supplier operator applies to discount `amount_fen` of its piece `token_id` with one
    bank (202: the part is locked for it on chain at once) or several (201: they quote; the
    lock comes with the accepted quote)."""

    permission_classes = [CanApply]

    @extend_schema_serializer(component_name="FinancingApplicationCreateInput")
    class InputSerializer(serializers.Serializer):
        token_id = IdField()
        amount_fen = FenField()
        bank_ids = ListField(child=IdField(), min_length=1, required=False,
                             max_length=services.MAX_BANKS_PER_APPLICATION,
                             help_text="the banks' ids")
        bank_credit_codes = ListField(
            child=TextField(max_length=32), min_length=1, required=False,
            max_length=services.MAX_BANKS_PER_APPLICATION,
            help_text="or their unified social credit codes (as the member directory shows)")
        invoice_numbers = ListField(
            child=TextField(max_length=40), min_length=1,
            max_length=services.MAX_INVOICE_REFERENCES,
            help_text="invoice numbers (数电票 20 digits, or code:number) backing the piece")
        trade_reference = TextField(max_length=100, required=False, allow_blank=True,
                                    default="")

        def validate(self, attrs):
            if not attrs.get("bank_ids") and not attrs.get("bank_credit_codes"):
                raise serializers.ValidationError({"bank_ids": [
                    "请至少选择一家银行 / Choose at least one bank"]})
            return attrs

    @extend_schema(request=InputSerializer,
                   responses={201: FinancingApplicationDetailOutputSerializer,
                              202: FinancingApplicationAcceptedSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = services.financing_application_create(
            user=request.user, token_id=data["token_id"], amount_fen=data["amount_fen"],
            banks=_banks_named(data),
            invoice_numbers=data["invoice_numbers"], trade_reference=data["trade_reference"])
        lock = application.operations.first()
        if lock is None:
            return Response(application_data(application, request.user),
                            status=status.HTTP_201_CREATED)
        return application_response(application, request.user, lock)


def _banks_named(data: dict) -> list[Organisation]:
    """The banks an application names, by id or by credit code (unknown: a field error)."""
    if data.get("bank_credit_codes"):
        return [counterparty_get(field="bank_credit_codes", credit_code=code)
                for code in data["bank_credit_codes"]]
    banks = {bank.pk: bank for bank in Organisation.objects.select_related(
        "chain_account").filter(pk__in=data["bank_ids"])}
    if set(banks) != set(data["bank_ids"]):
        raise field_error("bank_ids", "银行不存在 / No such bank")
    return [banks[pk] for pk in data["bank_ids"]]


class FinancingApplicationWithdrawApi(APIView):
    """The supplier withdraws before a decision (withdrawFinancing when the piece is locked)."""

    permission_classes = [CanApply]

    @extend_schema(request=None, responses={200: FinancingApplicationDetailOutputSerializer,
                                            202: FinancingApplicationAcceptedSerializer})
    def post(self, request, pk: int):
        application = selectors.financing_application_get(user=request.user, pk=pk)
        perms.require_owner(request.user, application.applicant_id)
        application, operation = services.financing_application_withdraw(
            application=application, user=request.user)
        return application_response(application, request.user, operation)


class FinancingApplicationQuoteApi(APIView):
    """A bank operator prices the application: interest = face × annual rate × days / 360, fees
    and net proceeds, each term returned; a different approver decides."""

    permission_classes = [CanQuote]

    @extend_schema_serializer(component_name="FinancingQuoteCreateInput")
    class InputSerializer(serializers.Serializer):
        annual_rate = serializers.DecimalField(
            max_digits=9, decimal_places=6, min_value=0, max_value=MAX_ANNUAL_RATE,
            help_text='a decimal string, e.g. "0.0385" for 3.85 %')
        fees_fen = FenField(allow_zero=True, default=0)
        value_date = DateField(required=False, help_text="default: today")

    @extend_schema(request=InputSerializer, responses={201: FinancingQuoteOutputSerializer})
    def post(self, request, pk: int):
        application = selectors.financing_application_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quote = services.financing_quote_propose(
            application=application, user=request.user, annual_rate=data["annual_rate"],
            fees_fen=data["fees_fen"], value_date=data.get("value_date") or clock.today())
        quote = selectors.financing_quote_get(user=request.user, pk=quote.pk)
        return Response(FinancingQuoteOutputSerializer(quote).data,
                        status=status.HTTP_201_CREATED)


class FinancingApplicationDeclineApi(APIView):
    """A bank approver declines the application for the bank (declineFinancing when the piece
    is locked for it: the lock is released)."""

    permission_classes = [CanDecideFinancing]

    @extend_schema(request=ReasonInputSerializer,
                   responses={200: FinancingApplicationDetailOutputSerializer,
                              202: FinancingApplicationAcceptedSerializer})
    def post(self, request, pk: int):
        application = selectors.financing_application_get(user=request.user, pk=pk)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application, operation = services.financing_application_decline(
            application=application, user=request.user,
            reason=serializer.validated_data["reason"])
        return application_response(application, request.user, operation)


class FinancingApplicationDisburseApi(APIView):
    """The financing bank records its payment of the net proceeds (reference and date)."""

    permission_classes = [CanDisburse]

    @extend_schema_serializer(component_name="FinancingDisburseInput")
    class InputSerializer(serializers.Serializer):
        payment_reference = TextField(max_length=100)
        disbursed_on = DateField()

    @extend_schema(request=InputSerializer, responses=FinancingApplicationDetailOutputSerializer)
    def post(self, request, pk: int):
        application = selectors.financing_application_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.financing_application_disburse(
            application=application, user=request.user, **serializer.validated_data)
        return Response(application_data(application, request.user))


class FinancingQuoteListApi(ListAPIView):
    """A bank's own quotes; a supplier's quotes received; all for the platform and regulator."""

    permission_classes = [CanReadFinancing]
    serializer_class = FinancingQuoteOutputSerializer
    filterset_class = FinancingQuoteFilter

    def get_queryset(self):
        return selectors.financing_quote_list(user=self.request.user)


class FinancingQuoteDetailApi(APIView):
    permission_classes = [CanReadFinancing]

    @extend_schema(responses=FinancingQuoteOutputSerializer)
    def get(self, request, pk: int):
        quote = selectors.financing_quote_get(user=request.user, pk=pk)
        return Response(FinancingQuoteOutputSerializer(quote).data)


class FinancingQuoteApproveApi(APIView):
    """A bank approver other than the proposer approves the quote. When the piece is locked for
    the bank: approveFinancing, the piece passes to the bank (202). Otherwise (several banks
    quoting): the quote becomes an offer to the supplier (200)."""

    permission_classes = [CanDecideFinancing]

    @extend_schema(request=None, responses={200: FinancingQuoteOutputSerializer,
                                            202: FinancingQuoteAcceptedSerializer})
    def post(self, request, pk: int):
        quote = selectors.financing_quote_get(user=request.user, pk=pk)
        quote = services.financing_quote_approve(quote=quote, user=request.user)
        operation = quote.operations.filter(kind="approve").last()
        return quote_response(quote, request.user, operation)


class FinancingQuoteRejectApi(APIView):
    """The bank approver rejects the proposed quote: the bank declines the application
    (declineFinancing when the piece is locked for it, 202)."""

    permission_classes = [CanDecideFinancing]

    @extend_schema(request=ReasonInputSerializer,
                   responses={200: FinancingQuoteOutputSerializer,
                              202: FinancingQuoteAcceptedSerializer})
    def post(self, request, pk: int):
        quote = selectors.financing_quote_get(user=request.user, pk=pk)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote, operation = services.financing_quote_reject(
            quote=quote, user=request.user, reason=serializer.validated_data["reason"])
        return quote_response(quote, request.user, operation)


class FinancingQuoteAcceptApi(APIView):
    """The supplier accepts one bank's offer: the part is locked for that bank on chain, the
    bank's approved quote then sends approveFinancing, and the other quotes lapse."""

    permission_classes = [CanApply]

    @extend_schema(request=None, responses={202: FinancingQuoteAcceptedSerializer})
    def post(self, request, pk: int):
        quote = selectors.financing_quote_get(user=request.user, pk=pk)
        perms.require_owner(request.user, quote.application.applicant_id)
        quote = services.financing_quote_accept(quote=quote, user=request.user)
        operation = quote.operations.filter(kind="lock").last()
        return quote_response(quote, request.user, operation)
