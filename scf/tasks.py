"""Cross-cutting tasks."""

import socket

from celery import shared_task


@shared_task(name="scf.ping")
def ping(payload: str = "") -> dict:
    """Round-trip probe: proves a worker consumes from the broker and results come back."""
    return {"pong": payload, "worker": socket.gethostname()}
