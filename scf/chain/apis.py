"""Chain operations: every chain-backed action answers 202 with an operation id; these endpoints
show its progress and final result (transaction hash, block, or the decoded error)."""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from scf.accounts.permissions import IsMember
from scf.chain.models import ChainIntent, ChainIntentAttempt
from scf.chain.selectors import operation_get, operation_list


class OperationErrorSerializer(serializers.Serializer):
    """The decoded chain error of a failed operation (the Solidity error's name and args)."""

    name = serializers.CharField()
    args = serializers.JSONField()
    message = serializers.CharField()


class OperationAttemptSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=ChainIntentAttempt.Step.choices)
    outcome = serializers.ChoiceField(choices=ChainIntentAttempt.Outcome.choices)
    error = serializers.CharField()
    response = serializers.CharField(help_text="an excerpt of the node's answer, bounded")
    created_at = serializers.DateTimeField()


class OperationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    final = serializers.BooleanField()
    projected = serializers.BooleanField(
        help_text="the outcome hooks ran and the indexer reached the block: reload now")
    contract = serializers.CharField()
    function = serializers.CharField()
    sender = serializers.CharField(source="sender.address")
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    gas_used = serializers.IntegerField(allow_null=True)
    events = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    attempt_count = serializers.IntegerField(source="attempts",
                                             help_text="executions retried after node trouble")
    attempts = OperationAttemptSerializer(source="steps", many=True)
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_events(self, intent) -> list[dict]:
        return intent.result.get("events", [])

    @extend_schema_field(OperationErrorSerializer(allow_null=True))
    def get_error(self, intent) -> dict | None:
        """The final error, or while retrying the node trouble of the last try."""
        if not (intent.error_name or intent.error_message):
            return None
        return {"name": intent.error_name, "args": intent.error_args,
                "message": intent.error_message}


# --- 202 Accepted: the one body of every chain-backed action ------------------------------------

class OperationAcceptedSerializer(serializers.Serializer):
    """The chain operation a request started: follow operation_url until `projected`. A domain
    adds its own keys (its object, its id) by subclassing; operation_accepted fills them."""

    operation_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ChainIntent.Status.choices)
    final = serializers.BooleanField()
    projected = serializers.BooleanField()
    operation_url = serializers.CharField()
    function = serializers.CharField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    error = OperationErrorSerializer(allow_null=True)


def operation_body(intent: ChainIntent) -> dict:
    """The operation's part of a 202 body, as it stands now (in eager mode the worker already
    ran when the service's transaction committed, so it is read again)."""
    intent.refresh_from_db()
    return {"operation_id": intent.pk, "status": intent.status, "final": intent.final,
            "projected": intent.projected,
            "operation_url": reverse("operation-detail", args=[intent.pk]),
            "function": intent.function, "tx_hash": intent.tx_hash,
            "block_number": intent.block_number, "error": intent.error}


def operation_accepted(intent: ChainIntent, **domain) -> Response:
    """202 Accepted: the operation's body plus the domain's keys (its object under its own
    key, as the domain's OperationAcceptedSerializer subclass declares)."""
    return Response({**operation_body(intent), **domain}, status=status.HTTP_202_ACCEPTED)


class OperationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ChainIntent.Status.choices)
    final = django_filters.BooleanFilter(
        method="filter_final",
        help_text="true: confirmed or failed; false: still in progress (pending, submitted, mined)")
    contract = django_filters.CharFilter()
    function = django_filters.CharFilter()

    class Meta:
        model = ChainIntent
        fields = ["status", "final", "contract", "function"]

    def filter_final(self, queryset, name, value):
        if value:
            return queryset.filter(status__in=ChainIntent.FINAL_STATUSES)
        return queryset.not_final()


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
