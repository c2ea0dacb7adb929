from django.urls import path

from scf.audit import apis

urlpatterns = [
    path("audit/entries", apis.AuditEntryListApi.as_view(), name="audit-entry-list"),
    path("audit/verify", apis.AuditChainVerifyApi.as_view(), name="audit-chain-verify"),
]
