from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from scf.api.converters import IdConverter
from scf.api.money import MoneyCapitalsApi
from scf.api.not_found import api_not_found
from scf.spa import spa_asset, spa_index, static_file
from scf.views import HealthApi

# `<id:pk>` in every app's paths: before the includes below import them.
register_converter(IdConverter, "id")

urlpatterns = [
    path("api/health", HealthApi.as_view(), name="health"),
    path("api/money/capitals", MoneyCapitalsApi.as_view(), name="money-capitals"),
    path("api/", include("scf.accounts.urls")),
    path("api/", include("scf.kyc.urls")),
    path("api/", include("scf.approvals.urls")),
    path("api/", include("scf.audit.urls")),
    path("api/", include("scf.chain.urls")),
    path("api/", include("scf.notifications.urls")),
    path("api/", include("banking.urls")),
    path("api/", include("receivables.urls")),
    path("api/", include("scf.documents.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Last of the API: any other /api/ path (an unknown endpoint, an id that is not a number).
    re_path(r"^api/(?P<path>[\s\S]*)$", api_not_found, name="api-not-found"),
]

# Static files on the run command's server (debug only): see scf.spa.static_file.
if settings.DEBUG:
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", static_file, name="static"))

# Django's admin only when SCF_ADMIN_ENABLED asks for it.
if settings.SCF_ADMIN_ENABLED:
    urlpatterns.insert(0, path("admin/", admin.site.urls))

# An exception no DRF view handled: JSON under /api/, 503 when a dependency is down.
handler500 = "scf.api.server_error.api_server_error"

# The single-page application, last: every path that is not the API, the admin or static files.
urlpatterns += [
    re_path(r"^assets/(?P<path>.+)$", spa_asset, name="spa-asset"),
    re_path(r"^(?!api(?:/|$)|admin(?:/|$)|static/|media/)(?P<path>.*)$", spa_index, name="spa"),
]
