"""Shared by the banking API: permissions and the 202 body (fields and reference shapes are
scf/api's)."""

from rest_framework import serializers

from scf.accounts import permissions as perms
from scf.accounts.models import OrganisationKind, Role

# The 202 body below still names the shared shapes by banking's old names (branch `ops` replaces
# it with scf's one operation_accepted serializer; these two aliases go with it).
from scf.api.refs import ChainErrorSerializer as BankingOperationErrorSerializer
from scf.api.refs import OperationRefSerializer as BankingOperationRefSerializer
from scf.chain.models import ChainIntent

K = OrganisationKind
CanReadLines = perms.member_with(kinds=[K.BANK, K.CORE_ENTERPRISE, K.PLATFORM, K.REGULATOR])
CanProposeLine = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideLine = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanReadFinancing = perms.member_with(kinds=[K.SUPPLIER, K.BANK, K.PLATFORM, K.REGULATOR])
CanApply = perms.member_with(kinds=[K.SUPPLIER], roles=[Role.OPERATOR], write=True)
CanQuote = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideFinancing = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanDisburse = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR, Role.APPROVER],
                                write=True)
CanConfirmClearing = perms.member_with(kinds=[K.CORE_ENTERPRISE], roles=[Role.APPROVER],
                                       write=True)


def accepted(intent: ChainIntent, **domain) -> dict:
    """The 202 body: the operation (final in eager mode) plus the domain object."""
    intent.refresh_from_db()
    return {**BankingOperationRefSerializer(intent).data, **domain}


class BankingOperationAcceptedSerializer(serializers.Serializer):
    operation_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ChainIntent.Status.choices)
    operation_url = serializers.CharField()
    function = serializers.CharField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    error = BankingOperationErrorSerializer(allow_null=True)
