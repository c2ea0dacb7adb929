"""Piece operations and debtor notices (债权转让通知) over HTTP."""


from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables import selectors
from receivables.filters import (
    DebtorNoticeFilter,
    PieceOperationFilter,
)
from receivables.models import DebtorNotice
from scf.accounts import permissions as perms
from scf.api.fields import YuanField
from scf.api.refs import OrganisationRefSerializer
from scf.money import amount_in_capitals, format_yuan

from .pieces import PieceOperationOutputSerializer


def debtor_notice_text(notice: DebtorNotice) -> str:
    """The notice as a document (民法典第五百四十六条，原《合同法》第八十条)."""
    amount = f"人民币{amount_in_capitals(notice.amount_fen)}（¥{format_yuan(notice.amount_fen)}）"
    maturity = notice.maturity_date.isoformat() if notice.maturity_date else "—"
    source = f"{notice.from_organisation.name} 已将其持有的贵司电子债权凭证 #{notice.from_token_id}"
    if notice.kind == DebtorNotice.Kind.SPLIT:
        body = f"{source}拆分，其中 {amount} 形成新凭证 #{notice.to_token_id}，持有人不变。"
    else:
        body = (f"{source}项下 {amount} 的债权转让给 {notice.to_organisation.name}"
                f"（现为凭证 #{notice.to_token_id}）。")
    return (f"债权转让通知书\n致：{notice.debtor.name}\n"
            f"根据《中华人民共和国民法典》第五百四十六条（原《合同法》第八十条），特此通知：{body}"
            f"该凭证源自根凭证 #{notice.root_id}，到期日 {maturity}，"
            f"请于到期日向届时的持有人付款。\n"
            f"链上交易 {notice.tx_hash}，区块 {notice.block_number}。")


class DebtorNoticeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    debtor = OrganisationRefSerializer()
    from_organisation = OrganisationRefSerializer()
    to_organisation = OrganisationRefSerializer()
    voucher_id = serializers.IntegerField(allow_null=True)
    root_id = serializers.IntegerField()
    from_token_id = serializers.IntegerField()
    to_token_id = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    amount_yuan = YuanField(source="amount_fen")
    amount_in_capitals = serializers.SerializerMethodField()
    maturity_date = serializers.DateField(allow_null=True)
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_amount_in_capitals(self, notice) -> str:
        return amount_in_capitals(notice.amount_fen)

    def get_text(self, notice) -> str:
        return debtor_notice_text(notice)




# --- operations on pieces, debtor notices -------------------------------------------------------

class PieceOperationListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = PieceOperationOutputSerializer
    filterset_class = PieceOperationFilter

    def get_queryset(self):
        return selectors.piece_operation_list(user=self.request.user)


class PieceOperationDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=PieceOperationOutputSerializer)
    def get(self, request, pk: int):
        return Response(PieceOperationOutputSerializer(
            selectors.piece_operation_get(user=request.user, pk=pk)).data)


class DebtorNoticeListApi(ListAPIView):
    """债权转让通知: for the debtor (the core enterprise), and both parties of each transfer."""

    permission_classes = [perms.IsMember]
    serializer_class = DebtorNoticeOutputSerializer
    filterset_class = DebtorNoticeFilter

    def get_queryset(self):
        return selectors.debtor_notice_list(user=self.request.user)


class DebtorNoticeDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=DebtorNoticeOutputSerializer)
    def get(self, request, pk: int):
        return Response(DebtorNoticeOutputSerializer(
            selectors.debtor_notice_get(user=request.user, pk=pk)).data)
