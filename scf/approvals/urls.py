from django.urls import path

from scf.approvals import apis

urlpatterns = [
    path("approvals", apis.ApprovalRequestListApi.as_view(), name="approval-list"),
    path("approvals/propose", apis.ApprovalRequestProposeApi.as_view(), name="approval-propose"),
    path("approvals/<id:pk>", apis.ApprovalRequestDetailApi.as_view(), name="approval-detail"),
    path("approvals/<id:pk>/approve", apis.ApprovalRequestApproveApi.as_view(),
         name="approval-approve"),
    path("approvals/<id:pk>/reject", apis.ApprovalRequestRejectApi.as_view(),
         name="approval-reject"),
]
