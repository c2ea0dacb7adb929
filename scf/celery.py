"""The Celery application. Settings come from Django's (namespace CELERY_); without
CELERY_BROKER_URL tasks run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scf.settings")

app = Celery("scf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# scf itself is the project package, not an installed app: name it so its tasks are found.
app.autodiscover_tasks(["scf"])
