"""Role grants over HTTP: an administrator of the grantee's organisation (not the proposer's
person, not the grantee's) or of the platform approves or rejects a pending grant of the
approver or administrator role (scf/accounts/grants.py). Grants are listed with the other
requests: GET /api/approvals?action=user.role_grant."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts.grants import ROLE_GRANT_ACTION
from scf.api.fields import ReasonField
from scf.approvals.apis import ApprovalRequestOutputSerializer
from scf.approvals.selectors import approval_request_list
from scf.approvals.services import approval_approve, approval_reject


def role_grant_get(*, user, pk: int):
    return get_object_or_404(approval_request_list(user=user).filter(action=ROLE_GRANT_ACTION),
                             pk=pk)


class RoleGrantApproveApi(APIView):
    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema(request=None, responses=ApprovalRequestOutputSerializer)
    def post(self, request, pk: int):
        grant = role_grant_get(user=request.user, pk=pk)
        grant = approval_approve(request=grant, user=request.user)
        return Response(ApprovalRequestOutputSerializer(grant).data)


class RoleGrantRejectApi(APIView):
    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema_serializer(component_name="RoleGrantRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = ReasonField()

    @extend_schema(request=InputSerializer, responses=ApprovalRequestOutputSerializer)
    def post(self, request, pk: int):
        grant = role_grant_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = approval_reject(request=grant, user=request.user,
                                reason=serializer.validated_data["reason"])
        return Response(ApprovalRequestOutputSerializer(grant).data)
