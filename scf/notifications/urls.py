from django.urls import path

from scf.notifications import apis

urlpatterns = [
    path("notifications", apis.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/<id:pk>/read", apis.NotificationReadApi.as_view(),
         name="notification-read"),
]
