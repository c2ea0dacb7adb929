from django.conf import settings
from django.db import models

from scf.errors import ApplicationError

GENESIS_HASH = "0" * 64
# How an entry's hash is made: 1 = SHA-256 of the canonical fields (the first platform's entries),
# 2 = HMAC-SHA256 keyed with SCF_AUDIT_HMAC_KEY, a secret kept outside the database, over the
# canonical fields including the chain address and block. Version 1 may only precede version 2.
HASH_LEGACY, HASH_KEYED = 1, 2


class AuditAppendOnlyError(ApplicationError):
    status_code = 409
    code = "audit_append_only"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditAppendOnlyError("审计记录只能追加 / Audit entries are append-only")

    def delete(self):
        raise AuditAppendOnlyError("审计记录只能追加 / Audit entries are append-only")


class AuditEntry(models.Model):
    """One state change, hash-chained to the previous entry. Written only by
    scf.audit.services.audit_record; existing rows are never saved or deleted again."""

    sequence = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    # No foreign key constraints in the database (db_constraint=False): checking one at commit
    # takes a key-share lock on the user's or the organisation's row while the audit head is
    # locked, and a service that locked that row first and waits for the head deadlocks with
    # it. The log is append-only and keeps the username besides; PROTECT still holds in Django.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_constraint=False)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="audit_entries",
                                     db_constraint=False)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    tx_hash = models.CharField(max_length=66, blank=True)
    # The acting organisation's chain address, and the block of tx_hash when it is known.
    chain_address = models.CharField(max_length=42, blank=True)
    block_number = models.PositiveBigIntegerField(null=True, blank=True)
    hash_version = models.PositiveSmallIntegerField(default=HASH_KEYED)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditAppendOnlyError("审计记录只能追加 / Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditAppendOnlyError("审计记录只能追加 / Audit entries are append-only")


class AuditHead(models.Model):
    """The single row (pk=1) locked by every append, so two writers never share a prev hash."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"


class AuditAnchor(models.Model):
    """The audit log's head hash after entry `sequence`, anchored on chain (AuditAnchor.anchor)
    by the platform operator. A rewritten log no longer reaches an anchored head."""

    sequence = models.PositiveBigIntegerField(unique=True)
    head_hash = models.CharField(max_length=64)
    intent = models.OneToOneField("chain.ChainIntent", on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"audit anchor #{self.sequence} {self.head_hash[:12]}"
