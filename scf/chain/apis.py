"""Chain operations: every chain-backed action answers 202 with an operation id; these endpoints
show its progress and final result (transaction hash, block, or the decoded error)."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from scf.accounts.permissions import IsMember
from scf.api.refs import ChainErrorSerializer, error_of
from scf.chain.models import ChainIntent
from scf.chain.selectors import operation_get, operation_list


class OperationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    final = serializers.SerializerMethodField()
    contract = serializers.CharField()
    function = serializers.CharField()
    sender = serializers.CharField(source="sender.address")
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    gas_used = serializers.IntegerField(allow_null=True)
    events = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_final(self, intent) -> bool:
        return intent.status in (ChainIntent.Status.CONFIRMED, ChainIntent.Status.FAILED)

    def get_events(self, intent) -> list[dict]:
        return intent.result.get("events", [])

    @extend_schema_field(ChainErrorSerializer(allow_null=True))
    def get_error(self, intent):
        return error_of(intent)


class OperationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ChainIntent.Status.choices)
    contract = django_filters.CharFilter()
    function = django_filters.CharFilter()

    class Meta:
        model = ChainIntent
        fields = ["status", "contract", "function"]


class OperationListApi(ListAPIView):
    """My organisation's chain operations, newest first."""

    permission_classes = [IsMember]
    serializer_class = OperationOutputSerializer
    filterset_class = OperationFilter

    def get_queryset(self):
        return operation_list(user=self.request.user)


class OperationDetailApi(RetrieveAPIView):
    """One chain operation: poll it until `final` is true."""

    permission_classes = [IsMember]
    serializer_class = OperationOutputSerializer

    def get_object(self):
        return operation_get(user=self.request.user, pk=self.kwargs["pk"])
