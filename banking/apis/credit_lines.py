"""Credit lines (授信) over HTTP: list, read, freeze, and maker-checker changes."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from banking import selectors, services
from banking.filters import (
    CreditLineChangeFilter,
    CreditLineFilter,
)
from scf.accounts.models import Organisation
from scf.accounts.validation import field_error
from scf.api.fields import DateField, FenField, IdField, ReasonInputSerializer, YuanField
from scf.api.refs import ApprovalRefSerializer, OperationRefSerializer, OrganisationRefSerializer
from scf.chain.apis import OperationAcceptedSerializer, operation_accepted

from .common import (
    CanDecideLine,
    CanProposeLine,
    CanReadLines,
)

# --- credit lines --------------------------------------------------------------------------------

class CreditLineUseSerializer(serializers.Serializer):
    limit_fen = serializers.IntegerField()
    limit_yuan = YuanField(source="limit_fen")
    used_fen = serializers.IntegerField()
    used_yuan = YuanField(source="used_fen")
    available_fen = serializers.IntegerField()
    available_yuan = YuanField(source="available_fen")
    expiry = serializers.IntegerField(help_text="chain expiry, unix seconds")
    frozen = serializers.BooleanField()
    block = serializers.IntegerField(allow_null=True, help_text="projection as of this block")


class CreditLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bank = OrganisationRefSerializer()
    core_enterprise = OrganisationRefSerializer()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    limit_fen = serializers.IntegerField()
    limit_yuan = YuanField(source="limit_fen")
    expires_on = serializers.DateField()
    use = serializers.SerializerMethodField(help_text="from the chain (CreditLines.lineOf)")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(CreditLineUseSerializer)
    def get_use(self, line):
        return CreditLineUseSerializer(selectors.credit_line_use(line)).data


class CreditLineChangeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    bank = OrganisationRefSerializer()
    core_enterprise = OrganisationRefSerializer()
    line = serializers.IntegerField(source="line_id", allow_null=True)
    limit_fen = serializers.IntegerField(allow_null=True)
    limit_yuan = YuanField(source="limit_fen", allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    previous_limit_fen = serializers.IntegerField(allow_null=True)
    previous_limit_yuan = YuanField(source="previous_limit_fen", allow_null=True)
    previous_expires_on = serializers.DateField(allow_null=True)
    previous_status = serializers.CharField()
    approval = ApprovalRefSerializer(allow_null=True)
    operation = OperationRefSerializer(source="intent", allow_null=True)
    proposed_by = serializers.CharField(source="proposed_by.username", default=None)
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    error = serializers.JSONField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)


class CreditLineChangeAcceptedSerializer(OperationAcceptedSerializer):
    change_id = serializers.IntegerField()
    change = CreditLineChangeOutputSerializer()
    line = CreditLineOutputSerializer(allow_null=True)


def _change_accepted(change, user) -> Response:
    change = selectors.credit_line_change_get(user=user, pk=change.pk)
    line = change.line and selectors.credit_line_get(user=user, pk=change.line_id)
    return operation_accepted(change.intent, change_id=change.pk,
                              change=CreditLineChangeOutputSerializer(change).data,
                              line=CreditLineOutputSerializer(line).data if line else None)


class CreditLineListApi(ListAPIView):
    """Lines my bank granted, or my core enterprise holds (all for the platform and regulator),
    with their use on chain."""

    permission_classes = [CanReadLines]
    serializer_class = CreditLineOutputSerializer
    filterset_class = CreditLineFilter

    def get_queryset(self):
        return selectors.credit_line_list(user=self.request.user)


class CreditLineDetailApi(APIView):
    permission_classes = [CanReadLines]

    @extend_schema(responses=CreditLineOutputSerializer)
    def get(self, request, pk: int):
        line = selectors.credit_line_get(user=request.user, pk=pk)
        return Response(CreditLineOutputSerializer(line).data)


class CreditLineFreezeApi(APIView):
    """A bank approver freezes the line (CreditLines.freezeLine from the bank's account)."""

    permission_classes = [CanDecideLine]

    @extend_schema(request=None, responses={202: CreditLineChangeAcceptedSerializer})
    def post(self, request, pk: int):
        line = selectors.credit_line_get(user=request.user, pk=pk)
        change = services.credit_line_freeze(line=line, user=request.user)
        return _change_accepted(change, request.user)


class CreditLineUnfreezeApi(APIView):
    permission_classes = [CanDecideLine]

    @extend_schema(request=None, responses={202: CreditLineChangeAcceptedSerializer})
    def post(self, request, pk: int):
        line = selectors.credit_line_get(user=request.user, pk=pk)
        change = services.credit_line_unfreeze(line=line, user=request.user)
        return _change_accepted(change, request.user)


class CreditLineChangeListApi(ListAPIView):
    """The history of credit line changes: the bank's proposals and decisions; the core
    enterprise sees those that took effect."""

    permission_classes = [CanReadLines]
    serializer_class = CreditLineChangeOutputSerializer
    filterset_class = CreditLineChangeFilter

    def get_queryset(self):
        return selectors.credit_line_change_list(user=self.request.user)


class CreditLineChangeDetailApi(APIView):
    permission_classes = [CanReadLines]

    @extend_schema(responses=CreditLineChangeOutputSerializer)
    def get(self, request, pk: int):
        change = selectors.credit_line_change_get(user=request.user, pk=pk)
        return Response(CreditLineChangeOutputSerializer(change).data)


class CreditLineChangeCreateApi(APIView):
    """A bank operator proposes to grant a line to a core enterprise, or to adjust its limit and
    expiry; a different bank approver decides (maker-checker `credit_line.set`)."""

    permission_classes = [CanProposeLine]

    @extend_schema_serializer(component_name="CreditLineChangeCreateInput")
    class InputSerializer(serializers.Serializer):
        core_enterprise = IdField()
        limit_fen = FenField()
        expires_on = DateField()

    @extend_schema(request=InputSerializer, responses={201: CreditLineChangeOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        core = Organisation.objects.filter(pk=data["core_enterprise"]).first()
        if core is None:
            raise field_error("core_enterprise", "核心企业不存在 / No such core enterprise")
        change = services.credit_line_change_propose(
            user=request.user, core_enterprise=core, limit_fen=data["limit_fen"],
            expires_on=data["expires_on"])
        change = selectors.credit_line_change_get(user=request.user, pk=change.pk)
        return Response(CreditLineChangeOutputSerializer(change).data,
                        status=status.HTTP_201_CREATED)


class CreditLineChangeApproveApi(APIView):
    """A bank approver other than the proposer approves: setLine is sent from the bank's
    account. A limit below what is used is refused (409 CreditLinesLimitBelowUsed)."""

    permission_classes = [CanDecideLine]

    @extend_schema(request=None, responses={202: CreditLineChangeAcceptedSerializer})
    def post(self, request, pk: int):
        change = selectors.credit_line_change_get(user=request.user, pk=pk)
        change = services.credit_line_change_approve(change=change, user=request.user)
        return _change_accepted(change, request.user)


class CreditLineChangeRejectApi(APIView):
    permission_classes = [CanDecideLine]

    @extend_schema(request=ReasonInputSerializer, responses=CreditLineChangeOutputSerializer)
    def post(self, request, pk: int):
        change = selectors.credit_line_change_get(user=request.user, pk=pk)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.credit_line_change_reject(
            change=change, user=request.user, reason=serializer.validated_data["reason"])
        return Response(CreditLineChangeOutputSerializer(change).data)
