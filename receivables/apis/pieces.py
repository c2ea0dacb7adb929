"""Pieces over HTTP: list, read, lineage, transfer, split, freeze, holdings."""


from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from receivables import selectors, services
from receivables.filters import (
    HoldingFilter,
    PieceFilter,
)
from scf.accounts import permissions as perms
from scf.api.fields import (
    COMMON_ERRORS,
    BoundedListField,
    FenField,
    IdField,
    ReasonInputSerializer,
    TextField,
    YuanField,
    yuan,
)
from scf.api.pagination import Pagination
from scf.api.refs import (
    ChainErrorSerializer,
    ChainPartySerializer,
    OperationRefSerializer,
    OrganisationRefSerializer,
    chain_party,
    error_of,
    operation_ref,
)
from scf.chain.models import PieceState
from scf.clock import date_of
from scf.money import format_yuan
from scf.pieces.claims import piece_claims, pieces_claims

from .common import (
    CanFreeze,
    CanMovePieces,
    PieceOperationAcceptedSerializer,
    organisation_field,
    piece_operation_accepted,
)
from .trade import TradeRefSerializer
from .vouchers import VoucherInvoiceSerializer


@extend_schema_serializer(component_name="PieceReservation")
class PieceReservationSerializer(serializers.Serializer):
    """What the platform holds the piece for, though the chain does not know it yet."""

    code = serializers.CharField(help_text="piece_reserved or operation_in_flight: the error "
                                           "code a movement of the piece would get")
    kind = serializers.CharField(help_text="financing_application or piece_operation")
    id = serializers.IntegerField()
    amount_fen = serializers.IntegerField(allow_null=True,
                                          help_text="the part held; null: the whole piece")
    label = serializers.CharField()


@extend_schema_serializer(component_name="PieceMovementBlock")
class PieceMovementBlockSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


def _reservation(claim) -> dict:
    kind, pk = claim.holder
    return {"code": claim.kind, "kind": kind, "id": pk, "amount_fen": claim.amount_fen,
            "label": claim.message}


class PieceOutputSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    holder = serializers.SerializerMethodField()
    balance_fen = serializers.IntegerField(source="balance")
    balance_yuan = YuanField(source="balance")
    status = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display")
    frozen = serializers.BooleanField()
    locked_for = serializers.SerializerMethodField()
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.SerializerMethodField()
    face_value_fen = serializers.IntegerField(source="face_value", allow_null=True)
    face_value_yuan = serializers.SerializerMethodField()
    voucher_id = serializers.IntegerField(allow_null=True)
    held_by_me = serializers.SerializerMethodField()
    reserved_by = serializers.SerializerMethodField()
    blocked = serializers.SerializerMethodField()

    def _claims(self, piece) -> list:
        """The piece's claims: the list view reads them for its whole page at once."""
        by_piece = self.context.get("claims")
        if by_piece is not None and piece.token_id in by_piece:
            return by_piece[piece.token_id]
        return piece_claims(piece.token_id)

    @extend_schema_field(PieceReservationSerializer(allow_null=True))
    def get_reserved_by(self, piece):
        claims = self._claims(piece)
        return _reservation(claims[0]) if claims else None

    @extend_schema_field(PieceMovementBlockSerializer(allow_null=True))
    def get_blocked(self, piece):
        """Why no transfer, split or financing of it can succeed now (null: it can move)."""
        block = selectors.piece_movement_block(piece, self._claims(piece))
        return None if block is None else {"code": block.code, "message": block.message}

    def get_face_value_yuan(self, piece) -> str | None:
        return yuan(piece.face_value)

    def get_status(self, piece) -> str:
        return PieceState.Status(piece.status).name.lower()

    @extend_schema_field(ChainPartySerializer)
    def get_holder(self, piece):
        return chain_party(piece.owner, piece.holder_id, piece.holder_name)

    @extend_schema_field(ChainPartySerializer(allow_null=True))
    def get_locked_for(self, piece):
        return chain_party(piece.lock_bank, None, piece.lock_bank_name)

    @extend_schema_field(ChainPartySerializer(allow_null=True))
    def get_debtor(self, piece):
        return chain_party(piece.debtor_address, piece.debtor_id, piece.debtor_name)

    def get_maturity_date(self, piece) -> str | None:
        maturity = date_of(piece.maturity)
        return maturity.isoformat() if maturity else None

    def get_held_by_me(self, piece) -> bool:
        return selectors.piece_is_held_by(piece, self.context["request"].user)


@extend_schema_serializer(component_name="PieceVoucher")
class PieceVoucherSerializer(serializers.Serializer):
    """The root voucher's business data."""

    id = serializers.IntegerField()
    token_id = serializers.IntegerField()
    debtor = OrganisationRefSerializer()
    supplier = OrganisationRefSerializer()
    bank = OrganisationRefSerializer()
    trade_contract = TradeRefSerializer()
    invoices = VoucherInvoiceSerializer(source="invoice_links.all", many=True)
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    maturity_date = serializers.DateField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)


class PieceDetailOutputSerializer(PieceOutputSerializer):
    voucher = serializers.SerializerMethodField()

    @extend_schema_field(PieceVoucherSerializer(allow_null=True))
    def get_voucher(self, piece):
        voucher = selectors.piece_voucher(piece)
        return PieceVoucherSerializer(voucher).data if voucher else None


@extend_schema_serializer(component_name="LineageNode")
class LineageNodeSerializer(serializers.Serializer):
    token_id = serializers.IntegerField()
    parent_id = serializers.IntegerField()
    depth = serializers.IntegerField()
    holder = serializers.SerializerMethodField()
    balance_fen = serializers.IntegerField(source="balance")
    balance_yuan = YuanField(source="balance")
    status = serializers.SerializerMethodField()
    frozen = serializers.BooleanField()
    locked_for = serializers.CharField(source="lock_bank")
    created_tx_hash = serializers.CharField()
    created_block = serializers.IntegerField(allow_null=True)

    @extend_schema_field(ChainPartySerializer)
    def get_holder(self, node):
        holder = node.holder
        return chain_party(node.owner, holder.pk if holder else None,
                           holder.name if holder else None)

    def get_status(self, node) -> str:
        return PieceState.Status(node.status).name.lower()


class LineageOutputSerializer(serializers.Serializer):
    token_id = serializers.IntegerField(source="piece.token_id")
    root_id = serializers.IntegerField()
    debtor = OrganisationRefSerializer(allow_null=True)
    maturity_date = serializers.DateField(allow_null=True)
    face_value_fen = serializers.IntegerField()
    face_value_yuan = YuanField(source="face_value_fen")
    outstanding_fen = serializers.IntegerField(help_text="sum of the live pieces' balances")
    outstanding_yuan = YuanField(source="outstanding_fen")
    settled_fen = serializers.IntegerField()
    settled_yuan = YuanField(source="settled_fen")
    conserved = serializers.BooleanField(help_text="outstanding + settled = face value")
    ancestry = LineageNodeSerializer(many=True, help_text="from the root down to this piece")
    tree_visible = serializers.SerializerMethodField()
    tree = serializers.SerializerMethodField()

    def get_tree_visible(self, lineage) -> bool:
        return lineage.tree is not None

    @extend_schema_field(LineageNodeSerializer(many=True, allow_null=True))
    def get_tree(self, lineage):
        if lineage.tree is None:
            return None
        return LineageNodeSerializer(lineage.tree, many=True).data


class HoldingGroupOutputSerializer(serializers.Serializer):
    debtor = serializers.SerializerMethodField()
    maturity_date = serializers.DateField(allow_null=True)
    pieces = serializers.IntegerField()
    total_fen = serializers.IntegerField()
    total_yuan = YuanField(source="total_fen")
    token_ids = serializers.ListField(child=serializers.IntegerField())

    @extend_schema_field(ChainPartySerializer)
    def get_debtor(self, group):
        debtor = group.debtor
        return chain_party(group.debtor_address, debtor.pk if debtor else None,
                           debtor.name if debtor else None)




class PieceOperationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    token_id = serializers.IntegerField()
    root_id = serializers.IntegerField()
    voucher_id = serializers.IntegerField(allow_null=True)
    organisation = OrganisationRefSerializer()
    holder = OrganisationRefSerializer(allow_null=True)
    to_organisation = OrganisationRefSerializer(allow_null=True)
    amount_fen = serializers.IntegerField(allow_null=True)
    amount_yuan = serializers.SerializerMethodField()
    amounts_fen = serializers.ListField(child=serializers.IntegerField())
    amounts_yuan = serializers.SerializerMethodField()
    whole_piece = serializers.BooleanField()
    reason = serializers.CharField()
    reason_hash = serializers.CharField()
    new_token_ids = serializers.ListField(child=serializers.IntegerField())
    operation = serializers.SerializerMethodField()
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    error = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username")
    created_at = serializers.DateTimeField()

    def get_amount_yuan(self, operation) -> str | None:
        return yuan(operation.amount_fen)

    def get_amounts_yuan(self, operation) -> list[str]:
        return [format_yuan(amount) for amount in operation.amounts_fen]

    @extend_schema_field(OperationRefSerializer(allow_null=True))
    def get_operation(self, operation):
        return operation_ref(operation.intent)

    @extend_schema_field(ChainErrorSerializer(allow_null=True))
    def get_error(self, operation):
        return error_of(operation)




# --- pieces -------------------------------------------------------------------------------------

class PieceListApi(ListAPIView):
    """Pieces I hold, and every piece of the vouchers I am the debtor of (all, for the platform
    operator and the regulator)."""

    permission_classes = [perms.IsMember]
    serializer_class = PieceOutputSerializer
    filterset_class = PieceFilter

    def get_queryset(self):
        return selectors.piece_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        context = {**self.get_serializer_context(),
                   "claims": pieces_claims(piece.token_id for piece in page)}
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context=context).data)


class PieceDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=PieceDetailOutputSerializer)
    def get(self, request, token_id: int):
        piece = selectors.piece_get(user=request.user, token_id=token_id)
        return Response(PieceDetailOutputSerializer(piece, context={"request": request}).data)


class PieceLineageApi(APIView):
    """穿透: the piece's ancestry to its root, and (for the debtor, the platform operator and the
    regulator) the root's whole tree with holders, amounts, statuses and creating transactions."""

    permission_classes = [perms.IsMember]

    @extend_schema(responses=LineageOutputSerializer)
    def get(self, request, token_id: int):
        lineage = selectors.piece_lineage(user=request.user, token_id=token_id)
        return Response(LineageOutputSerializer(lineage).data)


def _own_piece(request, token_id: int) -> PieceState:
    """404 if I cannot see the piece, 403 if I can but do not hold it."""
    piece = selectors.piece_get(user=request.user, token_id=token_id)
    if not selectors.piece_is_held_by(piece, request.user):
        raise perms.ForbiddenError(perms.MSG_NOT_OWN)
    return piece


class PieceTransferApi(APIView):
    """Send an amount of a piece I hold to another member (转让): the whole balance hands the
    piece over, a part derives a new piece for the receiver. The debtor gets a notice."""

    permission_classes = [CanMovePieces]

    @extend_schema_serializer(component_name="PieceTransferInput")
    class InputSerializer(serializers.Serializer):
        to_organisation = IdField(required=False, help_text="the receiver's id")
        to_credit_code = TextField(required=False, max_length=18,
                                    help_text="or its unified social credit code")
        amount_fen = FenField()

        def validate(self, attrs):
            if "to_organisation" not in attrs and not attrs.get("to_credit_code"):
                raise serializers.ValidationError({"to_organisation": [
                    "请指定受让方 / Name the receiving organisation"]})
            return attrs

    @extend_schema(request=InputSerializer, responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        _own_piece(request, token_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receiver = organisation_field("to_organisation", data.get("to_organisation"),
                                       data.get("to_credit_code", ""))
        operation = services.piece_transfer(user=request.user, token_id=token_id,
                                            to_organisation=receiver,
                                            amount_fen=data["amount_fen"])
        return piece_operation_accepted(operation)


class PieceSplitApi(APIView):
    """Split a piece I hold into parts (拆分) that add up to its balance: the last part stays on
    the piece itself, the others become new pieces, in the order given."""

    permission_classes = [CanMovePieces]

    @extend_schema_serializer(component_name="PieceSplitInput")
    class InputSerializer(serializers.Serializer):
        amounts_fen = BoundedListField(
            child=FenField(), min_length=2, most=services.max_split_parts,
            too_long=lambda most: f"最多拆分为 {most} 份 / Split into at most {most} parts",
            error_messages={
                **COMMON_ERRORS,
                "not_a_list": "须为金额列表（分）/ A list of amounts in fen is required",
                "min_length": "至少拆分为 2 份 / Split into at least 2 parts"})

    @extend_schema(request=InputSerializer, responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        _own_piece(request, token_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_split(user=request.user, token_id=token_id,
                                         amounts_fen=serializer.validated_data["amounts_fen"])
        return piece_operation_accepted(operation)


class PieceFreezeApi(APIView):
    """A judicial freeze (司法冻结) by the regulator: the piece cannot move, change status or be
    settled until unfrozen. The reason stays here; its SHA-256 goes on chain."""

    permission_classes = [CanFreeze]

    @extend_schema(request=ReasonInputSerializer,
                   responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        selectors.piece_get(user=request.user, token_id=token_id)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_freeze(user=request.user, token_id=token_id,
                                          reason=serializer.validated_data["reason"])
        return piece_operation_accepted(operation)


class PieceUnfreezeApi(APIView):
    permission_classes = [CanFreeze]

    @extend_schema(request=ReasonInputSerializer,
                   responses={202: PieceOperationAcceptedSerializer})
    def post(self, request, token_id: int):
        selectors.piece_get(user=request.user, token_id=token_id)
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = services.piece_unfreeze(user=request.user, token_id=token_id,
                                            reason=serializer.validated_data["reason"])
        return piece_operation_accepted(operation)


class HoldingsPagination(Pagination):
    """The global page size, plus the totals over every page."""

    totals: dict = {}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data.update(self.totals)
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"].update({
            "total_fen": {"type": "integer"}, "total_yuan": {"type": "string"},
            "total_pieces": {"type": "integer"}})
        return paginated


class HoldingsApi(ListAPIView):
    """What my organisation holds (accepted, live pieces), grouped by debtor and maturity, with
    the totals of every group and of everything."""

    permission_classes = [perms.IsMember]
    serializer_class = HoldingGroupOutputSerializer
    filterset_class = HoldingFilter
    pagination_class = HoldingsPagination

    def get_queryset(self):
        return selectors.holding_pieces(user=self.request.user)

    def list(self, request, *args, **kwargs):
        groups = selectors.holdings(pieces=self.filter_queryset(self.get_queryset()))
        total = sum(group.total_fen for group in groups)
        page = self.paginate_queryset(groups)
        self.paginator.totals = {"total_fen": total, "total_yuan": format_yuan(total),
                                 "total_pieces": sum(group.pieces for group in groups)}
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
