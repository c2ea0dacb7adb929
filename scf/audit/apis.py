from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts.models import OrganisationKind
from scf.audit.filters import AuditEntryFilter
from scf.audit.selectors import audit_chain_anchor, audit_chain_verify, audit_entry_list

ReadsAll = perms.member_with(kinds=[OrganisationKind.PLATFORM, OrganisationKind.REGULATOR])


class AuditEntryOutputSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_username = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    tx_hash = serializers.CharField()
    chain_address = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    hash_version = serializers.IntegerField()
    prev_hash = serializers.CharField()
    entry_hash = serializers.CharField()


class AuditEntryListApi(ListAPIView):
    """The regulator and the platform operator read every entry; others their organisation's."""

    permission_classes = [perms.IsMember]
    serializer_class = AuditEntryOutputSerializer
    filterset_class = AuditEntryFilter

    def get_queryset(self):
        return audit_entry_list(user=self.request.user)


class AuditChainVerifyApi(APIView):
    """Recompute the hash chain and compare it with the head anchored on chain (regulator and
    platform operator). `chain` says whether the chain's anchor was checked."""

    permission_classes = [ReadsAll]

    @extend_schema(responses=inline_serializer("AuditChainVerifyOutput", {
        "intact": serializers.BooleanField(),
        "checked": serializers.IntegerField(),
        "first_broken_sequence": serializers.IntegerField(allow_null=True),
        "problem": serializers.CharField(allow_null=True),
        "chain": serializers.ChoiceField(choices=["anchored", "no_anchor", "unavailable"]),
        "anchored_sequence": serializers.IntegerField(allow_null=True),
    }))
    def get(self, request):
        anchor, chain = audit_chain_anchor()
        checked, broken = audit_chain_verify(anchor=anchor)
        return Response({
            "intact": broken is None,
            "checked": checked,
            "first_broken_sequence": broken.sequence if broken else None,
            "problem": broken.problem if broken else None,
            "chain": chain,
            "anchored_sequence": anchor.sequence if anchor else None,
        })
