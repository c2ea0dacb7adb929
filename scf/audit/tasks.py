"""Celery tasks of the audit log."""

from celery import shared_task

from scf.audit.anchoring import audit_anchor_head


@shared_task(name="audit.anchor_head")
def audit_anchor_head_task() -> int | None:
    anchor = audit_anchor_head()
    return anchor.sequence if anchor else None
