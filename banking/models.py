"""Bank financing: credit lines (授信), financing applications (融资申请) with quotes, and maturity
clearing (到期清分).

The chain is authoritative for limits, balances, holders and statuses; these rows are the
business records around it (who proposed, who approved, pricing, payment references) and the
link to each chain operation (scf.chain.ChainIntent). A business row moves to its next state
only when the chain confirms (scf.chain.hooks), so a refused transaction leaves it as it was."""

from django.conf import settings
from django.db import models

from scf.chain.models import ChainIntent
from scf.chain.operations import ChainOperation, intent_error


class CreditLine(models.Model):
    """A bank's credit line for a core enterprise, as confirmed on chain (CreditLines.setLine).
    The row exists from the first confirmed grant; its use (used / available) is read from the
    chain's projection (scf.chain.CreditLineState)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "有效 / active"
        FROZEN = "frozen", "已冻结 / frozen"
        EXPIRED = "expired", "已到期 / expired"

    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                             related_name="credit_lines_granted")
    core_enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="credit_lines")
    limit_fen = models.PositiveBigIntegerField()
    # Valid through this date (local time); the chain's expiry is the following midnight.
    expires_on = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["bank", "core_enterprise"],
                                               name="uniq_credit_line_per_pair")]

    def __str__(self) -> str:
        return f"line {self.bank_id}->{self.core_enterprise_id} {self.limit_fen} [{self.status}]"


class CreditLineChange(ChainOperation):
    """One change of a credit line, its history: a grant or adjustment (maker-checker action
    `credit_line.set`), a freeze or unfreeze (a bank approver), or the expiry (the periodic
    task). Grants and adjustments are proposed before any line row exists."""

    class Kind(models.TextChoices):
        SET = "set", "授信/调整 / grant or adjust"
        FREEZE = "freeze", "冻结 / freeze"
        UNFREEZE = "unfreeze", "解冻 / unfreeze"
        EXPIRE = "expire", "到期 / expire"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待复核 / proposed"
        REJECTED = "rejected", "已驳回 / rejected"
        SUBMITTED = "submitted", "上链中 / submitted"
        APPLIED = "applied", "已生效 / applied"
        FAILED = "failed", "上链失败 / failed"

    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    core_enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    line = models.ForeignKey(CreditLine, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    limit_fen = models.PositiveBigIntegerField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    previous_limit_fen = models.PositiveBigIntegerField(null=True, blank=True)
    previous_expires_on = models.DateField(null=True, blank=True)
    previous_status = models.CharField(max_length=20, blank=True)
    approval = models.OneToOneField("approvals.ApprovalRequest", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="credit_line_change")
    intent = models.OneToOneField("chain.ChainIntent", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="credit_line_change")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.bank_id}->{self.core_enterprise_id} [{self.status}]"

    @property
    def error(self) -> dict:
        """The failed intent's error (with its operation_id), or the failed approval's result;
        {} when nothing failed."""
        from scf.approvals.models import ApprovalRequest

        error = intent_error(self.intent)
        if error is not None:
            return error
        approval = self.approval
        if approval is not None and approval.status == ApprovalRequest.Status.FAILED:
            return approval.result or {}
        return {}


class FinancingApplication(models.Model):
    """A supplier's application to discount a piece, or a part of it, with one bank or several.

    One bank: the part is locked for that bank on chain at once (lockForFinancing splits it off
    first when it is less than the piece). Several banks: no chain lock while they quote (the
    piece is reserved here: one live application per piece); the chosen bank's lock comes when
    the supplier accepts its quote."""

    class Status(models.TextChoices):
        LOCKING = "locking", "锁定中 / locking"
        SUBMITTED = "submitted", "待审批 / submitted"
        ACCEPTING = "accepting", "接受报价中 / accepting"
        APPROVING = "approving", "放款审批上链中 / approving"
        DECLINING = "declining", "拒绝上链中 / declining"
        WITHDRAWING = "withdrawing", "撤回上链中 / withdrawing"
        FINANCED = "financed", "已融资 / financed"
        DISBURSED = "disbursed", "已放款 / disbursed"
        DECLINED = "declined", "已拒绝 / declined"
        WITHDRAWN = "withdrawn", "已撤回 / withdrawn"
        FAILED = "failed", "锁定失败 / failed"

    LIVE_STATUSES = (Status.LOCKING, Status.SUBMITTED, Status.ACCEPTING, Status.APPROVING,
                     Status.DECLINING, Status.WITHDRAWING)

    applicant = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                  related_name="financing_applications")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    banks = models.ManyToManyField("accounts.Organisation", through="FinancingAddressee",
                                   related_name="financing_requests")
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    multi_bank = models.BooleanField(default=False, help_text="addressed to several banks")
    token_id = models.PositiveBigIntegerField(db_index=True, help_text="the piece applied for")
    root_id = models.PositiveBigIntegerField(db_index=True)
    amount_fen = models.PositiveBigIntegerField()
    maturity = models.PositiveBigIntegerField(help_text="unix seconds, of the root voucher")
    maturity_date = models.DateField(db_index=True)
    # The piece locked on chain (the applied piece itself, or the part split off it) and the
    # bank it is locked for; empty while nothing is locked.
    locked_token_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    lock_bank = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    accepted_quote = models.OneToOneField("FinancingQuote", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    # Trade background: receivables/ owns trades and invoices; referenced here by number.
    invoice_numbers = models.JSONField(default=list)
    trade_reference = models.CharField(max_length=100, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    disbursed_on = models.DateField(null=True, blank=True)
    disbursed_amount_fen = models.PositiveBigIntegerField(null=True, blank=True)
    disbursed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_id"], name="uniq_live_financing_per_piece",
                condition=models.Q(status__in=["locking", "submitted", "accepting", "approving",
                                               "declining", "withdrawing"])),
        ]

    def __str__(self) -> str:
        return f"financing {self.pk} of piece {self.token_id} [{self.status}]"

    @property
    def last_error(self) -> dict:
        """The decoded error of the last chain step that failed ({} if none did)."""
        failed = (self.operations.select_related("intent")
                  .filter(intent__status=ChainIntent.Status.FAILED).order_by("pk").last())
        return intent_error(failed.intent) if failed else {}



class FinancingAddressee(models.Model):
    """A bank an application is addressed to, and where that bank stands."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理 / open"
        SELECTED = "selected", "已选定 / selected"
        DECLINED = "declined", "已拒绝 / declined"
        LAPSED = "lapsed", "已失效 / lapsed"

    application = models.ForeignKey(FinancingApplication, on_delete=models.CASCADE,
                                    related_name="addressees")
    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "bank"],
                                               name="uniq_financing_addressee")]

    def __str__(self) -> str:
        return f"application {self.application_id} -> bank {self.bank_id} [{self.status}]"


class FinancingQuote(models.Model):
    """A bank's discount pricing of an application (banking.pricing.discount_quote), proposed by
    an operator and approved by a different approver (maker-checker action `financing.quote`)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待复核 / proposed"
        OFFERED = "offered", "已报价 / offered"
        ACCEPTED = "accepted", "已接受 / accepted"
        FINANCED = "financed", "已融资 / financed"
        REJECTED = "rejected", "已拒绝 / rejected"
        LAPSED = "lapsed", "已失效 / lapsed"
        FAILED = "failed", "上链失败 / failed"

    LIVE_STATUSES = (Status.PROPOSED, Status.OFFERED, Status.ACCEPTED)

    application = models.ForeignKey(FinancingApplication, on_delete=models.PROTECT,
                                    related_name="quotes")
    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices,
                              default=Status.PROPOSED, db_index=True)
    face_fen = models.PositiveBigIntegerField()
    annual_rate = models.DecimalField(max_digits=9, decimal_places=6)
    value_date = models.DateField()
    maturity_date = models.DateField()
    days = models.PositiveIntegerField()
    interest_fen = models.PositiveBigIntegerField()
    fees_fen = models.PositiveBigIntegerField()
    net_proceeds_fen = models.PositiveBigIntegerField()
    formula = models.TextField()
    terms = models.JSONField(default=dict, help_text="DiscountQuote.as_dict()")
    approval = models.OneToOneField("approvals.ApprovalRequest", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="financing_quote")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"quote {self.pk} by bank {self.bank_id} [{self.status}]"


class FinancingOperation(ChainOperation):
    """One chain step of an application: every attempt is a row with its intent, so a retry
    reuses it and the outcome hook finds what it belongs to."""

    class Kind(models.TextChoices):
        LOCK = "lock", "锁定 / lockForFinancing"
        APPROVE = "approve", "批准 / approveFinancing"
        DECLINE = "decline", "拒绝 / declineFinancing"
        WITHDRAW = "withdraw", "撤回 / withdrawFinancing"

    application = models.ForeignKey(FinancingApplication, on_delete=models.PROTECT,
                                    related_name="operations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    bank = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(FinancingQuote, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="operations")
    intent = models.OneToOneField("chain.ChainIntent", on_delete=models.PROTECT,
                                  related_name="financing_operation")
    reason = models.TextField(blank=True)
    handled = models.BooleanField(default=False, help_text="its outcome has been applied")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} of application {self.application_id}"


class ClearingBatch(models.Model):
    """Maturity clearing (到期清分) of a core enterprise's vouchers due: every live piece and its
    holder, read from the chain; the core enterprise confirms it has paid them (the platform
    moves no money) and the settlement is recorded on chain in batches of at most 50 pieces."""

    class Status(models.TextChoices):
        AWAITING_FUNDING = "awaiting_funding", "待付款确认 / awaiting funding"
        SETTLING = "settling", "清分上链中 / settling"
        PARTIALLY_SETTLED = "partially_settled", "部分清分 / partially settled"
        SETTLED = "settled", "已清分 / settled"

    core_enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                        related_name="clearing_batches")
    status = models.CharField(max_length=20, choices=Status.choices,
                              default=Status.AWAITING_FUNDING, db_index=True)
    root_ids = models.JSONField(default=list)
    total_fen = models.PositiveBigIntegerField(default=0)
    chain_time = models.PositiveBigIntegerField(help_text="chain time of the computation")
    payment_reference = models.CharField(max_length=100, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "clearing batches"

    def __str__(self) -> str:
        return f"clearing {self.pk} of {self.core_enterprise_id} [{self.status}]"


class ClearingOperation(ChainOperation):
    """One bounded chain call of the clearing: `settle` (from the core enterprise's account) or
    `markOverdue` (from the platform operator's), for at most 50 pieces."""

    class Kind(models.TextChoices):
        SETTLE = "settle", "清分 / settle"
        MARK_OVERDUE = "mark_overdue", "逾期 / markOverdue"

    batch = models.ForeignKey(ClearingBatch, on_delete=models.PROTECT, related_name="operations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField()
    token_ids = models.JSONField(default=list)
    intent = models.OneToOneField("chain.ChainIntent", on_delete=models.PROTECT,
                                  related_name="clearing_operation")
    handled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "kind", "sequence"],
                                               name="uniq_clearing_operation_sequence")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.sequence} of batch {self.batch_id}"


class ClearingItem(models.Model):
    """One piece of a clearing batch: its holder and value as the chain reported them."""

    class Status(models.TextChoices):
        PENDING = "pending", "待清分 / pending"
        BLOCKED = "blocked", "暂不可清分 / blocked"
        SETTLING = "settling", "清分上链中 / settling"
        SETTLED = "settled", "已清分 / settled"
        FAILED = "failed", "上链失败 / failed"

    batch = models.ForeignKey(ClearingBatch, on_delete=models.PROTECT, related_name="items")
    root_id = models.PositiveBigIntegerField(db_index=True)
    token_id = models.PositiveBigIntegerField(unique=True)
    maturity = models.PositiveBigIntegerField(help_text="unix seconds")
    holder_address = models.CharField(max_length=42)
    holder = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="clearing_items")
    amount_fen = models.PositiveBigIntegerField()
    chain_status = models.PositiveSmallIntegerField(help_text="PieceState.Status on chain")
    frozen = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    blocked_reason = models.CharField(max_length=200, blank=True)
    operation = models.ForeignKey(ClearingOperation, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="items")
    overdue_operation = models.ForeignKey(ClearingOperation, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["root_id", "token_id"]

    def __str__(self) -> str:
        return f"piece {self.token_id} of batch {self.batch_id} [{self.status}]"

    @property
    def error(self) -> dict:
        """The failed settlement's error; {} once another settlement is under way."""
        if self.operation_id is None:
            return {}
        return intent_error(self.operation.intent) or {}
