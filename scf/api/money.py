"""Amounts as Chinese bills write them (大写), for the pages that ask the user to confirm an
amount before it moves: one implementation (scf.money), read by the browser through here."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.api.fields import FenField, ListField
from scf.money import amount_in_capitals, format_yuan

MAX_AMOUNTS = 20
# 大写 has units up to 万亿: sixteen digits of yuan.
MAX_CAPITALS_FEN = 10**18 - 1


class AmountInWordsSerializer(serializers.Serializer):
    fen = serializers.IntegerField()
    yuan = serializers.CharField(help_text="1,234.50")
    capitals = serializers.CharField(help_text="人民币大写: 壹仟贰佰叁拾肆元伍角整")


class MoneyCapitalsOutputSerializer(serializers.Serializer):
    amounts = AmountInWordsSerializer(many=True)


class MoneyCapitalsApi(APIView):
    """Each `fen` given (repeat the parameter, at most 20), in yuan and in capitals (大写)."""

    permission_classes = [perms.IsMember]

    class InputSerializer(serializers.Serializer):
        fen = ListField(
            child=FenField(allow_zero=True, max_value=MAX_CAPITALS_FEN),
            min_length=1,
            max_length=MAX_AMOUNTS,
        )

    @extend_schema(
        parameters=[InputSerializer],
        responses=MoneyCapitalsOutputSerializer,
    )
    def get(self, request):
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return Response(
            {
                "amounts": [
                    {"fen": fen, "yuan": format_yuan(fen), "capitals": amount_in_capitals(fen)}
                    for fen in serializer.validated_data["fen"]
                ]
            }
        )
