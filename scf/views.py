from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.health import platform_health


class HealthApi(APIView):
    """Database, broker and chain status; 503 naming the part that is down."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: dict, 503: dict})
    def get(self, request):
        health = platform_health()
        return Response(health, status=200 if health["status"] == "ok" else 503)
