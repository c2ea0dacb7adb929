from django.urls import path

from scf.chain import apis

urlpatterns = [
    path("operations", apis.OperationListApi.as_view(), name="operation-list"),
    path("operations/<id:pk>", apis.OperationDetailApi.as_view(), name="operation-detail"),
]
