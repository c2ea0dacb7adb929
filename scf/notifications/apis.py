import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts.permissions import IsMember
from scf.api.filters import BooleanFilter
from scf.notifications.models import Notification
from scf.notifications.selectors import notification_get, notification_list
from scf.notifications.services import notification_mark_read


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = django_filters.CharFilter()

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationListApi(ListAPIView):
    permission_classes = [IsMember]
    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notification_list(user=self.request.user)


class NotificationReadApi(APIView):
    """Mark one notification read (reading is not a change of the organisation's state, so
    even the regulator and viewers may do it)."""

    permission_classes = [IsMember]

    @extend_schema(request=None, responses=NotificationOutputSerializer)
    def post(self, request, pk: int):
        notification = notification_mark_read(
            notification=notification_get(user=request.user, pk=pk))
        return Response(NotificationOutputSerializer(notification).data)
