"""Maturity clearing (到期清分) batches over HTTP."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from banking import selectors, services
from banking.filters import (
    ClearingBatchFilter,
)
from scf.accounts import permissions as perms
from scf.api.fields import DateField, TextField, YuanField
from scf.api.refs import OperationRefSerializer, OrganisationRefSerializer
from scf.chain.apis import OperationAcceptedSerializer, operation_body
from scf.chain.models import PieceState

from .common import (
    CanConfirmClearing,
)

# --- clearing ------------------------------------------------------------------------------------

class ClearingItemOutputSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    maturity = serializers.IntegerField()
    holder_address = serializers.CharField()
    holder = OrganisationRefSerializer(allow_null=True)
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    chain_status = serializers.SerializerMethodField()
    frozen = serializers.BooleanField()
    overdue = serializers.BooleanField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    blocked_reason = serializers.CharField()
    operation = OperationRefSerializer(source="operation.intent", allow_null=True,
                                              default=None)
    error = serializers.JSONField()
    settled_at = serializers.DateTimeField(allow_null=True)

    def get_chain_status(self, item) -> str:
        return PieceState.Status(item.chain_status).name.lower()


class ClearingOperationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    sequence = serializers.IntegerField()
    pieces = serializers.SerializerMethodField()
    operation = OperationRefSerializer(source="intent")

    def get_pieces(self, operation) -> int:
        return len(operation.token_ids)


class ClearingBatchOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    core_enterprise = OrganisationRefSerializer()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    root_ids = serializers.ListField(child=serializers.IntegerField())
    total_fen = serializers.IntegerField()
    total_yuan = YuanField(source="total_fen")
    chain_time = serializers.IntegerField()
    payment_reference = serializers.CharField()
    paid_on = serializers.DateField(allow_null=True)
    confirmed_by = serializers.CharField(source="confirmed_by.username", default=None)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class ClearingBatchDetailOutputSerializer(ClearingBatchOutputSerializer):
    items = serializers.SerializerMethodField()
    operations = ClearingOperationSerializer(many=True)

    @extend_schema_field(ClearingItemOutputSerializer(many=True))
    def get_items(self, batch):
        items = selectors.clearing_batch_items(user=self.context["user"], batch=batch)
        return ClearingItemOutputSerializer(items, many=True).data


class ClearingBatchAcceptedSerializer(serializers.Serializer):
    batch_id = serializers.IntegerField()
    batch = ClearingBatchDetailOutputSerializer()
    operations = OperationAcceptedSerializer(many=True)


class ClearingBatchListApi(ListAPIView):
    """The core enterprise's clearing batches; a holder's batches with its pieces; all for the
    platform and regulator."""

    permission_classes = [perms.IsMember]
    serializer_class = ClearingBatchOutputSerializer
    filterset_class = ClearingBatchFilter

    def get_queryset(self):
        return selectors.clearing_batch_list(user=self.request.user)


class ClearingBatchDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=ClearingBatchDetailOutputSerializer)
    def get(self, request, pk: int):
        batch = selectors.clearing_batch_get(user=request.user, pk=pk)
        return Response(ClearingBatchDetailOutputSerializer(
            batch, context={"user": request.user}).data)


class ClearingBatchConfirmApi(APIView):
    """The core enterprise's approver confirms it has paid every holder (payment reference and
    date); settlement goes on chain from its account, at most 50 pieces per operation."""

    permission_classes = [CanConfirmClearing]

    @extend_schema_serializer(component_name="ClearingBatchConfirmInput")
    class InputSerializer(serializers.Serializer):
        payment_reference = TextField(max_length=100)
        paid_on = DateField()

    @extend_schema(request=InputSerializer, responses={202: ClearingBatchAcceptedSerializer})
    def post(self, request, pk: int):
        batch = selectors.clearing_batch_get(user=request.user, pk=pk)
        perms.require_owner(request.user, batch.core_enterprise_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch, operations = services.clearing_batch_confirm(
            batch=batch, user=request.user, **serializer.validated_data)
        batch = selectors.clearing_batch_get(user=request.user, pk=batch.pk)
        return Response({
            "batch_id": batch.pk,
            "batch": ClearingBatchDetailOutputSerializer(batch,
                                                         context={"user": request.user}).data,
            "operations": [operation_body(operation.intent) for operation in operations],
        }, status=status.HTTP_202_ACCEPTED)
