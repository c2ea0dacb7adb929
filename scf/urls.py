from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from scf.views import HealthApi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/health", HealthApi.as_view(), name="health"),
    path("api/", include("scf.accounts.urls")),
    path("api/", include("scf.kyc.urls")),
    path("api/", include("scf.approvals.urls")),
    path("api/", include("scf.audit.urls")),
    path("api/", include("scf.chain.urls")),
    path("api/", include("scf.notifications.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
