from django.utils import timezone

from scf.notifications.models import Notification


def notification_send(*, organisation, kind: str, title: str, body: str = "", link: str = "",
                      user=None) -> Notification:
    return Notification.objects.create(organisation=organisation, user=user, kind=kind,
                                       title=title, body=body, link=link)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
