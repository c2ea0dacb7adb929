from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.permissions import is_member
from scf.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications and those addressed to their whole organisation."""
    if not is_member(user):
        return Notification.objects.none()
    return Notification.objects.filter(Q(user=user) | Q(user__isnull=True),
                                       organisation_id=user.organisation_id)


def notification_get(*, user, pk: int) -> Notification:
    return get_object_or_404(notification_list(user=user), pk=pk)
