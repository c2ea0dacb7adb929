from django.contrib.auth.models import AbstractUser
from django.db import models

from scf.accounts.credit_code import validate_credit_code


class OrganisationKind(models.TextChoices):
    PLATFORM = "platform", "平台运营方 / platform operator"
    CORE_ENTERPRISE = "core_enterprise", "核心企业 / core enterprise"
    SUPPLIER = "supplier", "供应商 / supplier"
    BANK = "bank", "银行 / bank"
    REGULATOR = "regulator", "监管 / regulator"


class Role(models.TextChoices):
    """A user's roles within their organisation; a user may hold several."""

    OPERATOR = "operator", "经办 / operator"
    APPROVER = "approver", "复核 / approver"
    ADMIN = "admin", "管理员 / administrator"
    VIEWER = "viewer", "查看 / viewer"


class ChainRole:
    """Bits of the member registry's role mask (contracts_sol/lib/MemberRoles.sol)."""

    CORE_ENTERPRISE = 1
    SUPPLIER = 2
    BANK = 4
    REGULATOR = 8
    OPERATOR = 16


CHAIN_ROLES_BY_KIND = {
    OrganisationKind.PLATFORM: ChainRole.OPERATOR,
    OrganisationKind.CORE_ENTERPRISE: ChainRole.CORE_ENTERPRISE,
    OrganisationKind.SUPPLIER: ChainRole.SUPPLIER,
    OrganisationKind.BANK: ChainRole.BANK,
    OrganisationKind.REGULATOR: ChainRole.REGULATOR,
}


class Organisation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "正常 / active"
        SUSPENDED = "suspended", "已暂停 / suspended"

    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(max_length=200)
    credit_code = models.CharField(
        "统一社会信用代码 / unified social credit code", max_length=18, unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已登记 / An organisation with this unified "
                                  "social credit code already exists"})
    legal_representative = models.CharField(max_length=100)
    registered_address = models.CharField(max_length=300)
    bank_account_name = models.CharField(max_length=200, blank=True)
    bank_name = models.CharField(max_length=200, blank=True)
    bank_account_number = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    suspension_reason = models.CharField(max_length=2000, blank=True)
    # Incremented on every suspension or reinstatement: part of the chain idempotency key.
    status_version = models.PositiveIntegerField(default=0)
    # Set when KYC is first approved; its key exists only encrypted in scf.chain.
    chain_account = models.OneToOneField("chain.ChainAccount", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="organisation")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def chain_roles(self) -> int:
        return CHAIN_ROLES_BY_KIND[self.kind]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class User(AbstractUser):
    """A person who signs in, member of one organisation, with roles within it. Superusers made
    with createsuperuser may have no organisation: the API refuses them."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    display_name = models.CharField(max_length=100, blank=True)
    # Set when an administrator chose the password (a new user, a reset): until the user picks
    # their own, the API answers only auth/me, auth/password and auth/logout.
    password_change_required = models.BooleanField(default=False)
    # The natural person (scf/accounts/persons.py): a keyed hash of their mobile or ID number,
    # never the number. Empty for accounts made before it was recorded.
    person_hash = models.CharField(max_length=64, blank=True, default="", db_index=True,
                                   editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person_hash"],
                                    condition=~models.Q(person_hash=""),
                                    name="uniq_person_per_organisation"),
        ]

    @property
    def role_names(self) -> set[str]:
        """The user's roles, read once per instance (one query)."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = {grant.role for grant in self.role_grants.all()} if self.pk else set()
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role"),
        ]
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class IdempotencyRecord(models.Model):
    """A state-changing API request made with an Idempotency-Key (scf.api.idempotency): the
    request's hash and, once it is answered, the answer, so a retry gets the same answer instead
    of acting again. `status_code` is null while the first request is still being processed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} [{self.status_code or 'in progress'}]"
