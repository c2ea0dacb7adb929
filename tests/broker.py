"""The broker down for real: Celery pointed at a port nobody listens on, not eager."""

from contextlib import contextmanager

from scf.celery import app
from scf.chain.node import free_port


@contextmanager
def broker_down(settings):
    """`settings` is pytest-django's fixture. The producer pool is per broker URL and cached by
    the app: dropped on the way in and out."""
    eager, url = settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    app.amqp._producer_pool = app._pool = None
    try:
        yield
    finally:
        settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = eager, url
        app.amqp._producer_pool = app._pool = None
