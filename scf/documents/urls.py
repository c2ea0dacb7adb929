from django.urls import path

from scf.documents import apis

urlpatterns = [
    path("documents", apis.DocumentListApi.as_view(), name="document-list"),
    path("documents/generate", apis.DocumentGenerateApi.as_view(), name="document-generate"),
    path("documents/verify", apis.DocumentVerifyApi.as_view(), name="document-verify"),
    path("documents/public/<uuid:public_id>", apis.DocumentPublicApi.as_view(),
         name="document-public"),
    path("documents/<id:pk>", apis.DocumentDetailApi.as_view(), name="document-detail"),
    path("documents/<id:pk>/download", apis.DocumentDownloadApi.as_view(),
         name="document-download"),
]
