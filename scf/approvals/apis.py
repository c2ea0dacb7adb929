"""Maker-checker over HTTP: list, propose (for actions that validate their own payload),
approve, reject."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts.models import Role
from scf.accounts.validation import field_error
from scf.api.fields import ReasonField, TextField
from scf.approvals.filters import ApprovalRequestFilter
from scf.approvals.registry import get_action
from scf.approvals.selectors import approval_request_get, approval_request_list
from scf.approvals.services import approval_approve, approval_propose, approval_reject

CanPropose = perms.member_with(roles=[Role.OPERATOR], write=True)
CanDecide = perms.member_with(roles=[Role.APPROVER], write=True)


class ApprovalRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    action = serializers.CharField()
    payload = serializers.JSONField()
    summary = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    proposed_by = serializers.CharField(source="proposed_by.username")
    proposed_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    decided_at = serializers.DateTimeField()
    rejection_reason = serializers.CharField()
    executed_at = serializers.DateTimeField()
    result = serializers.JSONField()


class ApprovalRequestListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = ApprovalRequestOutputSerializer
    filterset_class = ApprovalRequestFilter

    def get_queryset(self):
        return approval_request_list(user=self.request.user)


class ApprovalRequestDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=ApprovalRequestOutputSerializer)
    def get(self, request, pk: int):
        approval = approval_request_get(user=request.user, pk=pk)
        return Response(ApprovalRequestOutputSerializer(approval).data)


class ApprovalRequestProposeApi(APIView):
    """Propose an action whose registration validates its payload (others are proposed through
    their own domain endpoint)."""

    permission_classes = [CanPropose]

    @extend_schema_serializer(component_name="ApprovalRequestProposeInput")
    class InputSerializer(serializers.Serializer):
        action = TextField(max_length=100)
        payload = serializers.JSONField()
        summary = TextField(max_length=500)

    @extend_schema(request=InputSerializer, responses={201: ApprovalRequestOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        definition = get_action(data["action"])
        if definition.input_serializer is None:
            raise field_error("action", "该操作不能直接提交 / This action cannot be proposed "
                                        "directly")
        payload = definition.input_serializer(data=data["payload"])
        if not payload.is_valid():
            raise serializers.ValidationError({"payload": payload.errors})
        approval = approval_propose(user=request.user, action=data["action"],
                                    payload=payload.validated_data, summary=data["summary"])
        return Response(ApprovalRequestOutputSerializer(approval).data,
                        status=status.HTTP_201_CREATED)


class ApprovalRequestApproveApi(APIView):
    """Approve and execute: a different user of the same organisation with the approver role."""

    permission_classes = [CanDecide]

    @extend_schema(request=None, responses=ApprovalRequestOutputSerializer)
    def post(self, request, pk: int):
        approval = approval_request_get(user=request.user, pk=pk)
        approval = approval_approve(request=approval, user=request.user)
        return Response(ApprovalRequestOutputSerializer(approval).data)


class ApprovalRequestRejectApi(APIView):
    permission_classes = [CanDecide]

    @extend_schema_serializer(component_name="ApprovalRequestRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = ReasonField()

    @extend_schema(request=InputSerializer, responses=ApprovalRequestOutputSerializer)
    def post(self, request, pk: int):
        approval = approval_request_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = approval_reject(request=approval, user=request.user,
                                   reason=serializer.validated_data["reason"])
        return Response(ApprovalRequestOutputSerializer(approval).data)
