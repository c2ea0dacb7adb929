from django.conf import settings
from django.db import models


class ApprovalRequest(models.Model):
    """Maker-checker (经办/复核): an action proposed by one user of an organisation, executed only
    when another person (never another account of the proposer's person) with the action's
    checker role approves it: an approver of the same organisation, or for role grants an
    administrator of it or of the platform (scf/approvals/registry.py)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待复核 / proposed"
        APPROVED = "approved", "已复核 / approved"
        REJECTED = "rejected", "已驳回 / rejected"
        EXECUTED = "executed", "已执行 / executed"
        FAILED = "failed", "执行失败 / failed"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="approval_requests")
    action = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    summary = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    # What the handler returned, or {"error": ..., "code": ...} when it failed.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} [{self.status}] by {self.proposed_by_id}"
