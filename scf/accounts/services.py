"""Writes of organisations, users and tokens, and the member-registry intents that mirror an
organisation's standing on chain. Every service runs in one transaction and ends with an audit
entry."""

import hashlib
from datetime import date

from django.db import IntegrityError, transaction

from scf import clock
from scf.accounts import grants
from scf.accounts.credit_code import normalise_credit_code
from scf.accounts.models import Organisation, OrganisationKind, Role, User, UserRole
from scf.accounts.persons import person_hash
from scf.accounts.security import password_validate
from scf.accounts.validation import field_error, full_clean_or_raise
from scf.audit.services import audit_record
from scf.chain.models import ChainAccount, ChainIntent
from scf.chain.services import chain_account_create, intent_enqueue, operator_chain_account
from scf.errors import InvalidStateError

ORGANISATION_EDITABLE_FIELDS = frozenset({
    "name", "legal_representative", "registered_address",
    "bank_account_name", "bank_name", "bank_account_number",
})

# (status, action) -> new status
ORGANISATION_TRANSITIONS = {
    (Organisation.Status.ACTIVE, "suspend"): Organisation.Status.SUSPENDED,
    (Organisation.Status.SUSPENDED, "reinstate"): Organisation.Status.ACTIVE,
}

MEMBER_REGISTRY = "MemberRegistry"
MSG_PERSON_HAS_ACCOUNT = ("此人在本机构已有账户 / This person already has an account in this "
                          "organisation")


def organisation_summary(organisation: Organisation) -> dict:
    return {
        "kind": organisation.kind,
        "name": organisation.name,
        "credit_code": organisation.credit_code,
        "legal_representative": organisation.legal_representative,
        "registered_address": organisation.registered_address,
        "bank_account_name": organisation.bank_account_name,
        "bank_name": organisation.bank_name,
        "bank_account_number": organisation.bank_account_number,
        "status": organisation.status,
        "chain_address": organisation.chain_account.address if organisation.chain_account_id
        else "",
    }


def _transition(organisation: Organisation, action: str) -> str:
    new_status = ORGANISATION_TRANSITIONS.get((organisation.status, action))
    if new_status is None:
        raise InvalidStateError(
            f"机构状态为 {organisation.status}，不能执行 {action} / "
            f"Cannot {action} an organisation whose status is {organisation.status}",
            extra={"status": organisation.status, "action": action})
    return new_status


# --- organisations ------------------------------------------------------------------------------

@transaction.atomic
def organisation_create(*, actor: User | None, kind: str, name: str, credit_code: str,
                        legal_representative: str, registered_address: str,
                        bank_account_name: str = "", bank_name: str = "",
                        bank_account_number: str = "", admin_username: str = "",
                        admin_password: str = "", admin_email: str = "",
                        admin_person_id: str = "") -> Organisation:
    """A new organisation, optionally with its first administrator (whose role is a grant:
    scf/accounts/grants.py). The actor is the platform operator's administrator, or None when
    the platform bootstraps itself."""
    organisation = Organisation(
        kind=kind, name=name.strip(), credit_code=normalise_credit_code(credit_code),
        legal_representative=legal_representative.strip(),
        registered_address=registered_address.strip(), bank_account_name=bank_account_name,
        bank_name=bank_name, bank_account_number=bank_account_number)
    full_clean_or_raise(organisation, exclude=["chain_account"])
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # the same credit code registered concurrently
        raise field_error("credit_code", Organisation._meta.get_field("credit_code")
                          .error_messages["unique"]) from exc
    audit_record(actor=actor, organisation=organisation, action="organisation.create",
                 obj=organisation, before={}, after=organisation_summary(organisation))
    if admin_username:
        user_create(actor=actor, organisation=organisation, username=admin_username,
                    password=admin_password, email=admin_email, roles=[Role.ADMIN],
                    person_id=admin_person_id)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields) -> Organisation:
    """Change the organisation's descriptive fields. Kind and credit code never change: the
    chain reference hash is derived from the credit code."""
    unknown = set(fields) - ORGANISATION_EDITABLE_FIELDS
    if unknown:
        raise field_error(sorted(unknown)[0], "该字段不可修改 / This field cannot be changed")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation_summary(organisation)
    for field, value in fields.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    full_clean_or_raise(organisation, exclude=["chain_account", "credit_code"])
    organisation.save()
    audit_record(actor=actor, organisation=organisation, action="organisation.update",
                 obj=organisation, before=before, after=organisation_summary(organisation))
    return organisation


@transaction.atomic
def organisation_suspend(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Suspend an organisation: its users may only read, and if it is a member on chain the
    member registry suspends it too (the reason stays here; only its hash goes on chain)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation_summary(organisation)
    organisation.status = _transition(organisation, "suspend")
    organisation.suspension_reason = reason
    organisation.status_version += 1
    organisation.save(update_fields=["status", "suspension_reason", "status_version",
                                     "updated_at"])
    intent = None
    if member_is_registered(organisation=organisation):
        reason_hash = "0x" + hashlib.sha256(
            f"scf-suspension:{organisation.pk}:{organisation.status_version}:{reason}".encode()
        ).hexdigest()
        intent = intent_enqueue(
            sender=operator_chain_account(), contract=MEMBER_REGISTRY, function="suspendMember",
            args=[organisation.chain_account.address, reason_hash],
            idempotency_key=f"member-suspend:{organisation.pk}:{organisation.status_version}",
            requested_by=actor)
    audit_record(actor=actor, organisation=organisation, action="organisation.suspend",
                 obj=organisation, before=before,
                 after={**organisation_summary(organisation), "reason": reason,
                        "chain_intent": intent.pk if intent else None})
    return organisation


@transaction.atomic
def organisation_reinstate(*, organisation: Organisation, actor: User) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = organisation_summary(organisation)
    organisation.status = _transition(organisation, "reinstate")
    organisation.suspension_reason = ""
    organisation.status_version += 1
    organisation.save(update_fields=["status", "suspension_reason", "status_version",
                                     "updated_at"])
    intent = None
    if member_is_registered(organisation=organisation):
        intent = intent_enqueue(
            sender=operator_chain_account(), contract=MEMBER_REGISTRY, function="reinstateMember",
            args=[organisation.chain_account.address],
            idempotency_key=f"member-reinstate:{organisation.pk}:{organisation.status_version}",
            requested_by=actor)
    audit_record(actor=actor, organisation=organisation, action="organisation.reinstate",
                 obj=organisation, before=before,
                 after={**organisation_summary(organisation),
                        "chain_intent": intent.pk if intent else None})
    return organisation


# --- the member registry on chain ----------------------------------------------------------------

def member_ref_hash(organisation: Organisation) -> str:
    """An opaque reference for the chain: never a name or any personal data."""
    digest = hashlib.sha256(f"scf-org:{organisation.pk}:{organisation.credit_code}".encode())
    return "0x" + digest.hexdigest()


def member_kyc_expiry_seconds(expires_on: date) -> int:
    """KYC is valid through `expires_on` (a business date): the chain's expiry is the next
    midnight in the business time zone."""
    return clock.end_of_day(expires_on)


def member_is_registered(*, organisation: Organisation) -> bool:
    """Whether a registerMember intent for the organisation exists and has not failed."""
    if not organisation.chain_account_id:
        return False
    return (ChainIntent.objects
            .filter(idempotency_key__startswith=f"member-register:{organisation.pk}:")
            .exclude(status=ChainIntent.Status.FAILED).exists())


def organisation_chain_account_ensure(*, organisation: Organisation) -> ChainAccount:
    """The organisation's own chain account, created (key encrypted at rest) on first use. The
    platform operator's organisation uses the operator account that administers the registry.
    The caller holds the organisation's row lock."""
    if organisation.chain_account_id:
        return organisation.chain_account
    account = None
    if organisation.kind == OrganisationKind.PLATFORM:
        operator = operator_chain_account()
        if not Organisation.objects.filter(chain_account=operator).exists():
            account = operator
    if account is None:
        account = chain_account_create(label=f"organisation {organisation.pk}")
    organisation.chain_account = account
    organisation.save(update_fields=["chain_account", "updated_at"])
    return account


def member_register_or_update(*, organisation: Organisation, expires_on: date, requested_by: User,
                              case_pk: int, revision: int) -> ChainIntent:
    """Enqueue registerMember for an organisation not yet registered, updateMember otherwise.
    Runs in the caller's transaction (the KYC approval)."""
    registered = member_is_registered(organisation=organisation)
    account = organisation_chain_account_ensure(organisation=organisation)
    args = [account.address, organisation.chain_roles, member_kyc_expiry_seconds(expires_on),
            member_ref_hash(organisation)]
    if registered:
        function = "updateMember"
        key = f"member-update:{organisation.pk}:{case_pk}:{revision}"
    else:
        function = "registerMember"
        key = f"member-register:{organisation.pk}:{case_pk}"
        if ChainIntent.objects.filter(idempotency_key=key).exists():  # the first one failed
            key = f"{key}:{revision}"
    return intent_enqueue(sender=operator_chain_account(), contract=MEMBER_REGISTRY,
                          function=function, args=args, idempotency_key=key,
                          requested_by=requested_by)


# --- users and tokens ---------------------------------------------------------------------------

def _clean_roles(roles: list[str]) -> list[str]:
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise field_error("roles", f"未知角色 {unknown[0]} / Unknown role {unknown[0]}")
    if not roles:
        raise field_error("roles", "至少需要一个角色 / At least one role is required")
    return sorted(set(roles))


def user_summary(user: User) -> dict:
    return {"username": user.username, "email": user.email, "display_name": user.display_name,
            "organisation": user.organisation_id, "roles": sorted(user.role_names),
            "is_active": user.is_active}


def _person_hash_for(person_id: str, organisation: Organisation) -> str:
    try:
        digest = person_hash(person_id)
    except ValueError as exc:
        raise field_error("person_id", str(exc)) from None
    if User.objects.filter(organisation=organisation, person_hash=digest).exists():
        raise field_error("person_id", MSG_PERSON_HAS_ACCOUNT, code="same_person")
    return digest


@transaction.atomic
def user_create(*, actor: User | None, organisation: Organisation, username: str, password: str,
                roles: list[str], person_id: str, email: str = "",
                display_name: str = "") -> User:
    """A new user of `organisation`, the natural person behind it recorded by `person_id` (a
    mobile or resident ID number; only its keyed hash is kept). Approver and administrator roles
    are granted through maker-checker (scf/accounts/grants.py) unless the actor may grant them
    at once; `user.pending_grant` is the request then."""
    roles = _clean_roles(roles)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise field_error("username", "用户名已存在 / This username is taken")
    # A password an administrator chose must be replaced at first sign-in; the platform's own
    # bootstrap (no actor) chose its own.
    user = User(username=username, email=email, display_name=display_name,
                organisation=organisation, password_change_required=actor is not None,
                person_hash=_person_hash_for(person_id, organisation))
    password_validate(password=password, user=user)
    user.set_password(password)
    full_clean_or_raise(user, exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same person added concurrently
        raise field_error("person_id", MSG_PERSON_HAS_ACCOUNT, code="same_person") from exc
    pending = [] if grants.grant_is_immediate(actor=actor) else grants.privileged_roles(roles)
    granted = sorted(set(roles) - set(pending))
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in granted])
    user._role_names = set(granted)
    audit_record(actor=actor, organisation=organisation, action="user.create", obj=user,
                 before={}, after=user_summary(user))
    user.pending_grant = (grants.role_grant_propose(actor=actor, target=user, roles=pending)
                          if pending else None)
    return user


@transaction.atomic
def user_roles_set(*, target: User, actor: User, roles: list[str]) -> User:
    """Set the user's roles: removals and operator/viewer grants at once, approver and
    administrator grants through maker-checker (`target.pending_grant`)."""
    roles = _clean_roles(roles)
    target = User.objects.select_for_update().get(pk=target.pk)
    before = user_summary(target)
    if target.pk == actor.pk and Role.ADMIN not in roles:
        raise field_error("roles", "不能撤销自己的管理员角色 / You cannot remove your own "
                                   "administrator role")
    UserRole.objects.filter(user=target).exclude(role__in=roles).delete()
    existing = set(UserRole.objects.filter(user=target).values_list("role", flat=True))
    added = set(roles) - existing
    pending = [] if grants.grant_is_immediate(actor=actor) else grants.privileged_roles(added)
    UserRole.objects.bulk_create([UserRole(user=target, role=role) for role in sorted(added)
                                  if role not in pending])
    target._role_names = set(roles) - set(pending)
    audit_record(actor=actor, organisation=target.organisation, action="user.roles_set",
                 obj=target, before=before, after=user_summary(target))
    target.pending_grant = (grants.role_grant_propose(actor=actor, target=target, roles=pending)
                            if pending else None)
    return target
