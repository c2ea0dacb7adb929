"""How the OpenAPI schema describes the API's two authentication classes (drf-spectacular
matches extensions by class, and ours subclass knox's and DRF's)."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "scf.accounts.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization",
                                                   token_prefix="Token")  # noqa: S106


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "scf.accounts.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
