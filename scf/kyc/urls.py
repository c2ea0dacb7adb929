from django.urls import path

from scf.kyc import apis

urlpatterns = [
    path("kyc/cases", apis.KycCaseListApi.as_view(), name="kyc-case-list"),
    path("kyc/cases/create", apis.KycCaseCreateApi.as_view(), name="kyc-case-create"),
    path("kyc/cases/<id:pk>", apis.KycCaseDetailApi.as_view(), name="kyc-case-detail"),
    path("kyc/cases/<id:pk>/documents", apis.KycDocumentUploadApi.as_view(),
         name="kyc-document-upload"),
    path("kyc/cases/<id:pk>/submit", apis.KycCaseSubmitApi.as_view(), name="kyc-case-submit"),
    path("kyc/cases/<id:pk>/resubmit", apis.KycCaseResubmitApi.as_view(),
         name="kyc-case-resubmit"),
    path("kyc/cases/<id:pk>/approve", apis.KycCaseApproveApi.as_view(),
         name="kyc-case-approve"),
    path("kyc/cases/<id:pk>/reject", apis.KycCaseRejectApi.as_view(), name="kyc-case-reject"),
    path("kyc/review-queue", apis.KycReviewQueueApi.as_view(), name="kyc-review-queue"),
    path("kyc/documents/<id:pk>/download", apis.KycDocumentDownloadApi.as_view(),
         name="kyc-document-download"),
]
