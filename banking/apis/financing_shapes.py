"""What the financing API shows: applications, quotes, addressees, operations, lineage and the
applicant's KYC, and the responses built from them."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from banking import selectors
from banking.pricing import DAY_COUNT_BASIS
from scf.api.fields import (
    YuanField,
)
from scf.api.refs import ApprovalRefSerializer, OperationRefSerializer, OrganisationRefSerializer
from scf.chain.apis import OperationAcceptedSerializer, operation_accepted

# --- financing -----------------------------------------------------------------------------------

class FinancingQuoteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    bank = OrganisationRefSerializer()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    face_fen = serializers.IntegerField()
    face_yuan = YuanField(source="face_fen")
    annual_rate = serializers.DecimalField(max_digits=9, decimal_places=6,
                                           coerce_to_string=True)
    value_date = serializers.DateField()
    maturity_date = serializers.DateField()
    days = serializers.IntegerField()
    day_count_basis = serializers.SerializerMethodField()
    interest_fen = serializers.IntegerField()
    interest_yuan = YuanField(source="interest_fen")
    fees_fen = serializers.IntegerField()
    fees_yuan = YuanField(source="fees_fen")
    net_proceeds_fen = serializers.IntegerField()
    net_proceeds_yuan = YuanField(source="net_proceeds_fen")
    formula = serializers.CharField()
    approval = ApprovalRefSerializer(allow_null=True)
    proposed_by = serializers.CharField(source="proposed_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_day_count_basis(self, quote) -> int:
        return DAY_COUNT_BASIS


class FinancingAddresseeSerializer(serializers.Serializer):
    bank = OrganisationRefSerializer()
    status = serializers.CharField()
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class FinancingOperationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    bank = serializers.IntegerField(source="bank_id")
    quote = serializers.IntegerField(source="quote_id", allow_null=True)
    operation = OperationRefSerializer(source="intent")
    created_at = serializers.DateTimeField()


class FinancingApplicationOutputSerializer(serializers.Serializer):
    @extend_schema_serializer(component_name="FinancingDisbursement")
    class DisbursementSerializer(serializers.Serializer):
        payment_reference = serializers.CharField()
        disbursed_on = serializers.DateField()
        amount_fen = serializers.IntegerField(source="disbursed_amount_fen")
        amount_yuan = YuanField(source="disbursed_amount_fen")

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    multi_bank = serializers.BooleanField()
    applicant = OrganisationRefSerializer()
    applied_by = serializers.CharField(source="applied_by.username")
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    maturity = serializers.IntegerField(help_text="unix seconds")
    maturity_date = serializers.DateField()
    locked_token_id = serializers.IntegerField(allow_null=True)
    lock_bank = OrganisationRefSerializer(allow_null=True)
    banks = FinancingAddresseeSerializer(source="addressees", many=True)
    accepted_quote = serializers.IntegerField(source="accepted_quote_id", allow_null=True)
    invoice_numbers = serializers.ListField(child=serializers.CharField())
    trade_reference = serializers.CharField()
    disbursement = serializers.SerializerMethodField()
    last_error = serializers.JSONField()
    operations = FinancingOperationSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(DisbursementSerializer(allow_null=True))
    def get_disbursement(self, application):
        if not application.disbursed_on:
            return None
        return self.DisbursementSerializer(application).data


class FinancingLineageStepSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    owner = serializers.CharField()
    owner_name = serializers.CharField()
    balance_fen = serializers.IntegerField()
    balance_yuan = YuanField(source="balance_fen")
    status = serializers.CharField()
    frozen = serializers.BooleanField()


class FinancingRootSummarySerializer(serializers.Serializer):
    root_id = serializers.IntegerField()
    debtor = serializers.CharField()
    debtor_name = serializers.CharField()
    bank = serializers.CharField()
    bank_name = serializers.CharField()
    maturity = serializers.IntegerField()
    maturity_date = serializers.DateField()
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    settled_amount_fen = serializers.IntegerField()
    settled_amount_yuan = YuanField(source="settled_amount_fen")
    trade_hash = serializers.CharField()
    invoice_hashes = serializers.ListField(child=serializers.CharField())
    issue_tx_hash = serializers.CharField()


class FinancingApplicantKycSerializer(serializers.Serializer):
    organisation_status = serializers.CharField()
    kyc_status = serializers.CharField()
    kyc_expires_on = serializers.DateField(allow_null=True)
    kyc_reviewed_at = serializers.DateTimeField(allow_null=True)
    on_chain = serializers.BooleanField()


class FinancingApplicationDetailOutputSerializer(FinancingApplicationOutputSerializer):
    """The back office's view: the applicant's KYC, the piece's lineage to its root, the root
    voucher (debtor, maturity, trade and invoice hashes) and the quotes the user may see."""

    kyc = serializers.SerializerMethodField()
    lineage = serializers.SerializerMethodField()
    root = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()

    @extend_schema_field(FinancingApplicantKycSerializer)
    def get_kyc(self, application):
        return FinancingApplicantKycSerializer(selectors.applicant_kyc(application.applicant)).data

    @extend_schema_field(FinancingLineageStepSerializer(many=True))
    def get_lineage(self, application):
        token_id = application.locked_token_id or application.token_id
        return FinancingLineageStepSerializer(selectors.piece_lineage(token_id), many=True).data

    @extend_schema_field(FinancingRootSummarySerializer(allow_null=True))
    def get_root(self, application):
        root = selectors.root_summary(application.root_id)
        return FinancingRootSummarySerializer(root).data if root else None

    @extend_schema_field(FinancingQuoteOutputSerializer(many=True))
    def get_quotes(self, application):
        quotes = selectors.financing_application_quotes(user=self.context["user"],
                                                        application=application)
        return FinancingQuoteOutputSerializer(quotes, many=True).data


def application_data(application, user) -> dict:
    application = selectors.financing_application_get(user=user, pk=application.pk)
    return FinancingApplicationDetailOutputSerializer(application, context={"user": user}).data


class FinancingApplicationAcceptedSerializer(OperationAcceptedSerializer):
    application_id = serializers.IntegerField()
    application = FinancingApplicationDetailOutputSerializer()


class FinancingQuoteAcceptedSerializer(OperationAcceptedSerializer):
    quote_id = serializers.IntegerField()
    quote = FinancingQuoteOutputSerializer()
    application_id = serializers.IntegerField()
    application = FinancingApplicationDetailOutputSerializer()


def application_response(application, user, operation) -> Response:
    """202 with the operation when the action went to the chain, else 200 with the object."""
    data = application_data(application, user)
    if operation is None:
        return Response(data)
    return operation_accepted(operation.intent, application_id=application.pk,
                              application=data)


def quote_response(quote, user, operation) -> Response:
    quote = selectors.financing_quote_get(user=user, pk=quote.pk)
    data = FinancingQuoteOutputSerializer(quote).data
    if operation is None:
        return Response(data)
    return operation_accepted(operation.intent, quote_id=quote.pk, quote=data,
                              application_id=quote.application_id,
                              application=application_data(quote.application, user))
