from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "scf.notifications"
    label = "notifications"
