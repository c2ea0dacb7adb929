from django.db import models


class ContractDeployment(models.Model):
    """Where a contract was deployed on a chain. One row per (chain, contract, init-code hash):
    the same code on the same chain is never deployed twice."""

    chain_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=100)
    code_hash = models.CharField(max_length=66, help_text="keccak256 of init code + arguments")
    address = models.CharField(max_length=42)
    tx_hash = models.CharField(max_length=66)
    block_number = models.PositiveBigIntegerField()
    deployed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain_id", "name", "code_hash"], name="uniq_deployment_per_chain_code"
            )
        ]
        ordering = ["chain_id", "name", "-deployed_at"]

    def __str__(self) -> str:
        return f"{self.name}@{self.address} (chain {self.chain_id})"


class ChainAccount(models.Model):
    """An EVM account the platform signs for: the operator's, and one per organisation, so that
    msg.sender on chain is the real actor. The private key is stored only encrypted."""

    address = models.CharField(max_length=42, unique=True)
    encrypted_key = models.TextField(editable=False)
    label = models.CharField(max_length=200, blank=True)
    # Next nonce to hand out; None until first use (then read from the node). Locked with
    # select_for_update so concurrent intents of one sender get distinct, gap-free nonces.
    next_nonce = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.label or 'account'} {self.address}"

    def __repr__(self) -> str:  # never show the key, even encrypted
        return f"<ChainAccount {self.address}>"


class ChainIntentQuerySet(models.QuerySet):
    def not_final(self):
        """Still on the way: not yet sent, sent, or mined but not final."""
        return self.exclude(status__in=ChainIntent.FINAL_STATUSES)


class ChainIntent(models.Model):
    """One chain transaction the platform means to send (the outbox). Written in the same
    database transaction as the business change; executed by a worker; retried without ever
    executing twice (the idempotency key is unique, the nonce is fixed once assigned)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待提交 / pending"
        SUBMITTED = "submitted", "已提交 / submitted"
        # In a block, not yet final: no business outcome is taken from it (it can vanish).
        MINED = "mined", "已打包 / mined"
        CONFIRMED = "confirmed", "已确认 / confirmed"
        FAILED = "failed", "失败 / failed"

    FINAL_STATUSES = (Status.CONFIRMED, Status.FAILED)

    idempotency_key = models.CharField(max_length=200, unique=True)
    # SHA-256 of what was asked (sender, contract, function, args): the same key with another
    # request is refused instead of replayed (scf.chain.services.intent_enqueue).
    request_hash = models.CharField(max_length=64, blank=True)
    sender = models.ForeignKey(ChainAccount, on_delete=models.PROTECT, related_name="intents")
    contract = models.CharField(max_length=100)
    function = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    nonce = models.PositiveBigIntegerField(null=True, blank=True)
    # The chain it was signed for: its block is "projected" once that chain's cursor reaches it.
    chain_id = models.PositiveBigIntegerField(null=True, blank=True)
    raw_transaction = models.TextField(blank=True, editable=False)
    tx_hash = models.CharField(max_length=66, blank=True, db_index=True)
    block_number = models.PositiveBigIntegerField(null=True, blank=True)
    # The block's hash: a different one at that height later means the block vanished.
    block_hash = models.CharField(max_length=66, blank=True)
    gas_used = models.PositiveBigIntegerField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error_name = models.CharField(max_length=100, blank=True)
    error_args = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # True once the domain's outcome handlers (scf.chain.hooks) have run for the final status.
    hooks_done = models.BooleanField(default=False)
    requested_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ChainIntentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "nonce"], name="uniq_intent_sender_nonce")
        ]

    def __str__(self) -> str:
        return f"{self.contract}.{self.function} [{self.status}] {self.idempotency_key}"

    @property
    def final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def error(self) -> dict | None:
        """The decoded chain error of a failed intent, else None."""
        if self.status != self.Status.FAILED:
            return None
        return {"name": self.error_name or "Failed", "args": self.error_args or {},
                "message": self.error_message}

    @property
    def projected(self) -> bool:
        """True once the business rows and the projection both show the outcome: final, the
        outcome hooks ran, and (confirmed) the indexer's cursor reached the intent's block."""
        if not (self.final and self.hooks_done):
            return False
        if self.status == self.Status.FAILED or self.block_number is None:
            return True
        cursors = ChainCursor.objects.filter(block_number__gte=self.block_number)
        if self.chain_id is not None:
            cursors = cursors.filter(chain_id=self.chain_id)
        return cursors.exists()


class ChainIntentAttempt(models.Model):
    """One step an intent took (simulate, sign, submit, receipt) and how it went: the trail an
    operator reads when an operation is stuck or failed. Never the raw transaction or a key."""

    class Step(models.TextChoices):
        SIMULATE = "simulate", "模拟 / simulate"
        SIGN = "sign", "签名 / sign"
        SUBMIT = "submit", "提交 / submit"
        RECEIPT = "receipt", "回执 / receipt"

    class Outcome(models.TextChoices):
        OK = "ok", "成功 / ok"
        FAILED = "failed", "失败 / failed"
        UNAVAILABLE = "unavailable", "节点不可用 / node unavailable"

    RESPONSE_LIMIT = 1000  # characters of the node's answer kept: bounded, whatever it said

    intent = models.ForeignKey(ChainIntent, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error = models.TextField(blank=True)
    response = models.CharField(max_length=RESPONSE_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.step} of intent {self.intent_id}: {self.outcome}"


# --- What the indexer read from the chain ---------------------------------------------------------
# The chain is authoritative; these rows are its projection, rebuilt from contract events and
# checked against the contracts' views by `manage.py reconcile`.


class ChainCursor(models.Model):
    """How far the indexer has read a chain: the last indexed block and its hash (a different
    hash at that height later means a re-organisation), and the chain's clock as last seen."""

    chain_id = models.PositiveBigIntegerField(unique=True)
    block_number = models.BigIntegerField(default=-1)
    block_hash = models.CharField(max_length=66, blank=True)
    clock_offset = models.BigIntegerField(
        null=True, blank=True,
        help_text="seconds the chain's clock (its next block's timestamp) runs ahead of this "
                  "server's; null until first read")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"chain {self.chain_id} indexed to block {self.block_number}"


class ChainEvent(models.Model):
    """A decoded event of a platform contract, stored once (replaying a range adds nothing)."""

    chain_id = models.PositiveBigIntegerField()
    block_number = models.PositiveBigIntegerField(db_index=True)
    block_hash = models.CharField(max_length=66)
    tx_hash = models.CharField(max_length=66, db_index=True)
    log_index = models.PositiveIntegerField()
    contract = models.CharField(max_length=100)
    name = models.CharField(max_length=100, db_index=True)
    args = models.JSONField(default=dict)

    class Meta:
        ordering = ["block_number", "log_index"]
        constraints = [models.UniqueConstraint(fields=["chain_id", "block_hash", "log_index"],
                                               name="uniq_event_per_block_log")]

    def __str__(self) -> str:
        return f"{self.contract}.{self.name} @{self.block_number}:{self.log_index}"


class MemberState(models.Model):
    address = models.CharField(max_length=42, unique=True)
    roles = models.PositiveSmallIntegerField(default=0)
    kyc_expiry = models.PositiveBigIntegerField(default=0, help_text="unix seconds")
    suspended = models.BooleanField(default=False)
    ref = models.CharField(max_length=66, blank=True)
    updated_block = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"member {self.address} roles={self.roles}"


class CreditLineState(models.Model):
    bank = models.CharField(max_length=42)
    debtor = models.CharField(max_length=42)
    limit = models.PositiveBigIntegerField(default=0, help_text="fen")
    used = models.PositiveBigIntegerField(default=0, help_text="fen")
    expiry = models.PositiveBigIntegerField(default=0, help_text="unix seconds")
    frozen = models.BooleanField(default=False)
    updated_block = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bank", "debtor"], name="uniq_line")]

    def __str__(self) -> str:
        return f"line {self.bank}->{self.debtor} {self.used}/{self.limit}"


class SlotState(models.Model):
    """One root voucher (an ERC-3525 slot): same debtor, same maturity."""

    root_id = models.PositiveBigIntegerField(unique=True)
    debtor = models.CharField(max_length=42, db_index=True)
    bank = models.CharField(max_length=42)
    maturity = models.PositiveBigIntegerField(help_text="unix seconds")
    face_value = models.PositiveBigIntegerField(help_text="fen")
    settled_amount = models.PositiveBigIntegerField(default=0, help_text="fen")
    updated_block = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"voucher {self.root_id} of {self.debtor}"


class PieceState(models.Model):
    """One token id: a piece of a root voucher, with its holder and value."""

    class Status(models.IntegerChoices):
        NONE = 0, "不存在 / none"
        PENDING = 1, "待签收 / pending acceptance"
        ACTIVE = 2, "有效 / active"
        LOCKED = 3, "融资锁定 / locked for financing"
        SETTLED = 4, "已清分 / settled"
        CANCELLED = 5, "已作废 / cancelled"
        OVERDUE = 6, "逾期 / overdue"

    token_id = models.PositiveBigIntegerField(unique=True)
    root_id = models.PositiveBigIntegerField(db_index=True)
    parent_id = models.PositiveBigIntegerField(default=0)
    owner = models.CharField(max_length=42, db_index=True)
    balance = models.PositiveBigIntegerField(help_text="fen")
    status = models.PositiveSmallIntegerField(choices=Status.choices)
    lock_bank = models.CharField(max_length=42, blank=True)
    frozen = models.BooleanField(default=False)
    updated_block = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"piece {self.token_id} of {self.root_id}: {self.balance} fen"


class ReconcileRun(models.Model):
    """One run of the reconciler (`manage.py reconcile`, or the periodic task): when, up to which
    block, how many differences it found and the first FINDINGS_LIMIT of them. /api/health
    reads the last one; the next incremental run starts from the last clean one."""

    FINDINGS_LIMIT = 200  # findings kept per run: bounded, however far the two have drifted

    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    full = models.BooleanField(default=False, help_text="every row, not only recent ones")
    block = models.BigIntegerField(null=True, blank=True, help_text="the node's head at start")
    drift_count = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    # Why the run could not finish (the node away): then drift_count says nothing.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"reconcile run {self.pk}: {self.drift_count} difference(s)"

    @property
    def clean(self) -> bool:
        return self.finished_at is not None and not self.error and self.drift_count == 0
