"""Trade background (trade contracts, invoices), root vouchers as business records, the
operations on their pieces, and the debtor notices (债权转让通知) transfers produce.

The chain is authoritative for pieces, balances and statuses (scf.chain.models.PieceState and
SlotState are their projection); these rows hold what is not on chain: who asked for what, the
documents, the reasons, and the link from a chain transaction back to the request."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from scf.chain.operations import ChainOperation


def trade_document_path(instance: models.Model, filename: str) -> str:
    # Never the client's name: a fresh name with the extension of the detected type.
    extension = filename.rsplit(".", 1)[-1]
    return f"trade/{instance.debtor_id_for_path}/{uuid.uuid4().hex}.{extension}"


class DocumentFields(models.Model):
    """An optional uploaded document (PDF/JPEG/PNG judged by content) and its SHA-256."""

    file = models.FileField(upload_to=trade_document_path, max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    file_content_type = models.CharField(max_length=50, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_original_name = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class TradeContract(DocumentFields):
    """The trade a voucher pays for: the core enterprise (debtor, buyer) owes the supplier."""

    debtor = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                               related_name="trade_contracts_as_debtor")
    supplier = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                 related_name="trade_contracts_as_supplier")
    number = models.CharField("合同编号 / contract number", max_length=100)
    title = models.CharField(max_length=200)
    amount_fen = models.PositiveBigIntegerField()
    signed_on = models.DateField()
    # What the chain cites (issue's tradeHash): SHA-256 over the canonical record, see
    # services.trade_contract_hash.
    chain_hash = models.CharField(max_length=66, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["debtor", "number"],
                                    name="uniq_trade_contract_number_per_debtor"),
        ]

    def __str__(self) -> str:
        return f"trade contract {self.number}"

    @property
    def debtor_id_for_path(self) -> int:
        return self.debtor_id


class Invoice(DocumentFields):
    """A VAT invoice of a trade. Its identity is its number (and code, for older invoices): the
    same invoice scanned twice is still one invoice with one chain hash."""

    trade_contract = models.ForeignKey(TradeContract, on_delete=models.PROTECT,
                                       related_name="invoices")
    number = models.CharField("发票号码 / invoice number", max_length=20)
    code = models.CharField("发票代码 / invoice code", max_length=12, blank=True)
    amount_fen = models.PositiveBigIntegerField()
    issued_on = models.DateField()
    # "0x" + sha256("scf-invoice:" + InvoiceNumber.key): registered on chain by the issuance.
    chain_hash = models.CharField(max_length=66, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"invoice {self.code + ':' if self.code else ''}{self.number}"

    @property
    def debtor_id_for_path(self) -> int:
        return self.trade_contract.debtor_id


class Voucher(ChainOperation):
    """A root voucher (开立) as the business knows it: proposed by the core enterprise's operator,
    approved by its approver (maker-checker), issued on chain, accepted or rejected by the
    supplier. Its pieces, after acceptance, live on chain (PieceState with root_id=token_id)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待复核 / awaiting approval"
        DECLINED = "declined", "复核驳回 / declined by the approver"
        ISSUING = "issuing", "上链中 / issuing on chain"
        FAILED = "failed", "开立失败 / issue failed"
        PENDING = "pending", "待签收 / awaiting acceptance"
        ACCEPTING = "accepting", "签收中 / acceptance on chain"
        ACCEPTED = "accepted", "已签收 / accepted"
        REJECTING = "rejecting", "拒签中 / rejection on chain"
        REJECTED = "rejected", "已拒签 / rejected"

    debtor = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                               related_name="vouchers_as_debtor")
    supplier = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                 related_name="vouchers_as_supplier")
    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                             related_name="vouchers_as_bank")
    trade_contract = models.ForeignKey(TradeContract, on_delete=models.PROTECT,
                                       related_name="vouchers")
    invoices = models.ManyToManyField(Invoice, through="VoucherInvoice", related_name="vouchers")
    face_value_fen = models.PositiveBigIntegerField()
    maturity_date = models.DateField(db_index=True)
    # The chain's maturity: 00:00 of maturity_date in Asia/Shanghai (scf.clock.start_of_day).
    maturity_at = models.PositiveBigIntegerField(help_text="unix seconds")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    approval = models.OneToOneField("approvals.ApprovalRequest", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="voucher")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    issue_intent = models.OneToOneField("chain.ChainIntent", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    token_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    # The supplier's answer (accept or reject) and its chain intent.
    response_intent = models.OneToOneField("chain.ChainIntent", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    rejection_reason_hash = models.CharField(max_length=66, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["maturity_date", "pk"]

    def __str__(self) -> str:
        return f"voucher {self.pk} [{self.status}] token {self.token_id}"

    @property
    def chain_intent(self):
        """tx_hash and block_number are the issue's."""
        return self.issue_intent

    @property
    def error(self) -> dict | None:
        """Why the last step failed: the supplier's answer or the issue on chain (decoded), the
        approver's reason for declining, or the approval's failed execution."""
        for intent in (self.response_intent, self.issue_intent):
            if intent is not None and intent.error is not None:
                return intent.error
        approval = self.approval  # no query when there is none
        if self.status == self.Status.DECLINED and approval is not None:
            reason = approval.rejection_reason
            return {"name": "", "args": {}, "message": reason} if reason else None
        if self.status == self.Status.FAILED and approval is not None:
            result = approval.result or {}
            return {"name": str(result.get("code", ""))[:100], "args": result.get("extra") or {},
                    "message": str(result.get("error", ""))}
        return None


class VoucherInvoice(models.Model):
    """An invoice cited by a voucher. While not released, the invoice backs that voucher and no
    other (a partial unique index); a declined, failed or rejected voucher releases it."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="invoice_links")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="voucher_links")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "invoice"],
                                    name="uniq_invoice_once_per_voucher"),
            models.UniqueConstraint(fields=["invoice"], condition=Q(released_at__isnull=True),
                                    name="uniq_invoice_backs_one_live_voucher"),
        ]

    def __str__(self) -> str:
        return f"invoice {self.invoice_id} backs voucher {self.voucher_id}"


class PieceOperation(ChainOperation):
    """One chain-backed action on a piece: a transfer (转让), a split (拆分), a judicial freeze
    or unfreeze (司法冻结/解冻). The API answers 202 with this row's id and its operation."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "转让 / transfer"
        SPLIT = "split", "拆分 / split"
        FREEZE = "freeze", "冻结 / freeze"
        UNFREEZE = "unfreeze", "解冻 / unfreeze"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交 / submitted"
        CONFIRMED = "confirmed", "已确认 / confirmed"
        FAILED = "failed", "失败 / failed"

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    token_id = models.PositiveBigIntegerField(db_index=True)
    root_id = models.PositiveBigIntegerField(db_index=True)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="piece_operations")
    debtor = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # Who acted, who held the piece then, and (transfers) who receives.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="piece_operations")
    holder = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    amount_fen = models.PositiveBigIntegerField(null=True, blank=True)
    # Split: the parts as the user gave them; the last one stays on the piece itself.
    amounts_fen = models.JSONField(default=list, blank=True)
    whole_piece = models.BooleanField(default=False, help_text="transferPiece, not transferValue")
    reason = models.TextField(blank=True)
    reason_hash = models.CharField(max_length=66, blank=True)
    intent = models.OneToOneField("chain.ChainIntent", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    new_token_ids = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} of piece {self.token_id} [{self.status}]"


class DebtorNotice(models.Model):
    """债权转让通知 (Contract Law art. 80 / Civil Code art. 546): the debtor is told that value of
    its voucher passed from one holder to another, or was divided. One row per new holding."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "转让 / transfer"
        SPLIT = "split", "拆分 / split"
        FINANCING = "financing", "融资转让 / transfer on financing"

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    debtor = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                               related_name="debtor_notices")
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                          related_name="+")
    to_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="debtor_notices")
    root_id = models.PositiveBigIntegerField(db_index=True)
    from_token_id = models.PositiveBigIntegerField()
    to_token_id = models.PositiveBigIntegerField()
    amount_fen = models.PositiveBigIntegerField()
    maturity_date = models.DateField(null=True, blank=True)
    tx_hash = models.CharField(max_length=66)
    block_number = models.PositiveBigIntegerField()
    intent = models.ForeignKey("chain.ChainIntent", on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey(PieceOperation, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="debtor_notices")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Outcome hooks may run again after a crash: one notice per new holding per tx.
            models.UniqueConstraint(fields=["intent", "to_token_id"],
                                    name="uniq_debtor_notice_per_intent_piece"),
        ]

    def __str__(self) -> str:
        return f"debtor notice {self.pk}: {self.amount_fen} fen of {self.root_id}"
