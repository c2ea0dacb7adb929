"""A generated document: what it is about, its file and SHA-256, and its anchor on chain."""

import uuid

from django.conf import settings
from django.db import models


def document_path(document: "Document", filename: str) -> str:
    return f"documents/{document.kind}/{document.public_id.hex}.pdf"


class Document(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", "电子债权凭证 / voucher certificate"
        DEBTOR_NOTICE = "debtor_notice", "债权转让通知书 / debtor notice of transfer"
        FINANCING = "financing", "融资协议摘要 / financing agreement summary"
        SETTLEMENT = "settlement", "到期清分结算单 / settlement statement"
        EVIDENCE = "evidence", "一户一档证据包 / evidence package"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中 / queued"
        GENERATING = "generating", "生成中 / generating"
        ANCHORING = "anchoring", "上链存证中 / anchoring on chain"
        ANCHORED = "anchored", "已上链存证 / anchored"
        STORED = "stored", "已生成(无可锚定凭证) / stored, nothing to anchor against"
        FAILED = "failed", "失败 / failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("文件编号 / document number", max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # The subject's id in its own table: piece token id, DebtorNotice pk, FinancingApplication
    # pk, root token id, Organisation pk.
    subject_id = models.PositiveBigIntegerField(db_index=True)
    # kind:subject:content version: the same document asked for twice is generated once.
    unique_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=document_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    verification_code = models.CharField(max_length=64, blank=True)
    # The origin of the verification link printed in the QR code (SCF_PUBLIC_URL, else the
    # address the requester reached the platform on), fixed when the document is asked for so
    # that the API shows the very link the file carries.
    verify_base = models.CharField(max_length=200, blank=True)
    # What the file prints that the public verification page may repeat: its generation time
    # and its parties as printed ({"generated_at", "parties": [{role_zh, role_en, name,
    # credit_code, address}]}), kept as printed even if an organisation is renamed later.
    printed = models.JSONField(default=dict, blank=True)
    # The piece the hash is anchored against (anchorDocument(tokenId, sha256, kind)).
    token_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    root_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # Organisations allowed to read it besides the platform operator and the regulator.
    parties = models.ManyToManyField("accounts.Organisation", related_name="documents",
                                     blank=True)
    # Set when the document shows one organisation's part only (a holder's settlement
    # statement); empty when it shows everything its subject holds.
    audience = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    anchor_intent = models.OneToOneField("chain.ChainIntent", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="document")
    tx_hash = models.CharField(max_length=66, blank=True)
    block_number = models.PositiveBigIntegerField(null=True, blank=True)
    anchored_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} [{self.status}]"
