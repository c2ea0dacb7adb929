import uuid

from django.conf import settings
from django.db import models


class KycCase(models.Model):
    """An organisation's know-your-customer file: one per organisation, reviewed by the platform
    operator, resubmitted after a rejection or an expiry."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿 / draft"
        SUBMITTED = "submitted", "待审核 / submitted"
        APPROVED = "approved", "已通过 / approved"
        REJECTED = "rejected", "已驳回 / rejected"
        EXPIRED = "expired", "已过期 / expired"

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="kyc_case")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # Number of submissions so far: part of the chain idempotency key of each approval.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Valid through this date (local time); the chain's expiry is the following midnight.
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    rejection_reason = models.TextField(blank=True)
    # The last member-registry intent (registerMember or updateMember) of an approval.
    chain_intent = models.ForeignKey("chain.ChainIntent", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "KYC case"

    def __str__(self) -> str:
        return f"KYC {self.organisation_id} [{self.status}]"


def kyc_document_path(document: "KycDocument", filename: str) -> str:
    # Never the client's name: a fresh name with the extension of the detected type.
    extension = filename.rsplit(".", 1)[-1]
    return f"kyc/{document.case.organisation_id}/{document.case_id}/{uuid.uuid4().hex}.{extension}"


class KycDocument(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", "营业执照 / business licence"
        LEGAL_REPRESENTATIVE_ID = ("legal_representative_id",
                                   "法定代表人身份证件 / legal representative ID")
        AUTHORISATION_LETTER = "authorisation_letter", "授权委托书 / authorisation letter"
        BANK_ACCOUNT_PROOF = "bank_account_proof", "银行开户证明 / bank account proof"

    case = models.ForeignKey(KycCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    file = models.FileField(upload_to=kyc_document_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50, help_text="detected from the content")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # A newer upload of the same kind supersedes this one; old ones stay for the record.
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=models.Q(is_current=True),
                                    name="uniq_current_kyc_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"
