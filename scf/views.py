from django.contrib.auth.models import AnonymousUser
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.errors import DATABASE_DOWN
from scf.health import health_visible_to, platform_health


class HealthApi(APIView):
    """Database, broker and chain status, 503 when a part is down. The platform operator's users
    see each part's details; everyone else sees only `status`."""
    # `degraded` (operations stuck, indexer lagging, drift found by the last reconcile run:
    # scf.health.check_gateway) answers 200: the platform still serves. (A comment, not the
    # docstring: the docstring is the OpenAPI text.)

    permission_classes = [AllowAny]

    def perform_authentication(self, request):
        # The session or the token is looked up in the database: while it is down the caller is
        # anonymous here (and sees the bare status), so that health can say it is down.
        try:
            request.user  # noqa: B018 - DRF authenticates on first access
        except DATABASE_DOWN:
            request.user, request.auth = AnonymousUser(), None

    @extend_schema(responses={200: dict, 503: dict})
    def get(self, request):
        health = platform_health()
        return Response(health_visible_to(request.user, health),
                        status=503 if health["status"] == "down" else 200)
