"""Account security (OWASP ASVS L2): the password policy, sign-in lock-out, API tokens and an
administrator's controls over a user (deactivate, reactivate, reset the password, unlock).
Every write runs in one transaction and ends with an audit entry; no entry holds a secret."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from knox.models import AuthToken

from scf.accounts import permissions as perms
from scf.accounts.models import User
from scf.audit.models import AuditEntry
from scf.audit.services import audit_record
from scf.errors import ApplicationError, ForbiddenError, field_error, fields_error

logger = logging.getLogger(__name__)

MSG_LOCKED_OUT = ("登录失败次数过多，请稍后再试或联系管理员解锁 / Too many failed sign-ins: try "
                  "again later or ask an administrator to unlock the account")
MSG_THROTTLED = "请求过于频繁，请稍后再试 / Too many requests: please try again later"
MSG_WRONG_OLD_PASSWORD = "原密码不正确 / The current password is wrong"  # noqa: S105
MSG_SAME_PASSWORD = ("新密码不能与原密码相同 / The new password must differ from "  # noqa: S105
                     "the current one")
MSG_NOT_YOUR_USER = ("只能管理本机构的用户 / You can only administer users of your own "
                     "organisation")
MSG_NOT_YOURSELF = "不能对自己执行此操作 / You cannot do this to your own account"


class TooManyAttemptsError(ApplicationError):
    """429: a sign-in refused by the lock-out or a throttle. The same answer whether or not the
    username exists."""

    status_code = 429
    code = "too_many_attempts"


# --- the password policy --------------------------------------------------------------------

# Chinese for a validator whose translation Django lacks (5.2 changed the too-short message's
# msgid, and its zh-hans catalogue still has the old one).
PASSWORD_MESSAGES_ZH = {
    "password_too_short": "密码太短，至少需要 %(min_length)d 个字符",
    "password_too_similar": "密码与用户信息过于相似",
    "password_too_common": "密码过于常见",
    "password_entirely_numeric": "密码不能全是数字",
}


def _password_errors(password: str, user: User, language: str) -> list[DjangoValidationError]:
    with translation.override(language):
        try:
            validate_password(password, user=user)
        except DjangoValidationError as exc:
            return [DjangoValidationError(message, code=error.code, params=error.params)
                    for error in exc.error_list for message in error.messages]
    return []


def password_validate(*, password: str, user: User, field: str = "password") -> None:
    """AUTH_PASSWORD_VALIDATORS, each message given "中文 / English" under extra.fields.
    Django's validators translate when they raise, so they run once per language."""
    english = _password_errors(password, user, "en")
    if not english:
        return
    chinese = _password_errors(password, user, "zh-hans")
    messages = []
    for zh, en in zip(chinese, english, strict=True):
        zh_text, en_text = zh.messages[0], en.messages[0]
        if zh_text == en_text and en.code in PASSWORD_MESSAGES_ZH:
            zh_text = PASSWORD_MESSAGES_ZH[en.code] % (en.params or {})
        messages.append(en_text if zh_text == en_text else f"{zh_text} / {en_text}")
    raise fields_error({field: messages})


def _password_set(*, user: User, password: str, change_required: bool) -> None:
    password_validate(password=password, user=user)
    user.set_password(password)
    user.password_change_required = change_required
    user.save(update_fields=["password", "password_change_required"])


# --- tokens ------------------------------------------------------------------------------------

def _token_summary(token: AuthToken) -> dict:
    """What the audit log may know of a token: its public key prefix, never the token."""
    return {"token_key": token.token_key, "created": token.created, "expiry": token.expiry}


@transaction.atomic
def token_obtain(*, user: User) -> tuple[AuthToken, str]:
    """A new token for this sign-in (the string is shown once; only its hash is stored). A user
    holds at most SCF_TOKENS_PER_USER tokens: the oldest are revoked first."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    keep = max(settings.SCF_TOKENS_PER_USER - 1, 0)
    stale = list(AuthToken.objects.filter(user=user).order_by("-created")
                 .values_list("digest", flat=True)[keep:])
    AuthToken.objects.filter(digest__in=stale).delete()
    token, secret = AuthToken.objects.create(user=user)
    audit_record(actor=user, organisation=user.organisation, action="user.token_create",
                 obj=user, before={}, after={**_token_summary(token), "revoked": len(stale)})
    return token, secret


@transaction.atomic
def token_rotate(*, user: User, current: AuthToken | None) -> tuple[AuthToken, str]:
    """A new token replacing the one presented (a session caller's tokens are all replaced);
    the old one stops working at once."""
    old = AuthToken.objects.filter(user=user)
    if current is not None:
        old = old.filter(digest=current.digest)
    revoked = old.delete()[0]
    token, secret = AuthToken.objects.create(user=user)
    audit_record(actor=user, organisation=user.organisation, action="user.token_rotate",
                 obj=user, before={"revoked": revoked}, after=_token_summary(token))
    return token, secret


@transaction.atomic
def token_revoke(*, user: User, token: AuthToken) -> None:
    """Sign-out of a token client: the presented token only."""
    AuthToken.objects.filter(user=user, digest=token.digest).delete()
    audit_record(actor=user, organisation=user.organisation, action="user.token_revoke",
                 obj=user, before=_token_summary(token), after={})


def _tokens_delete(user: User, *, keep: AuthToken | None = None) -> int:
    tokens = AuthToken.objects.filter(user=user)
    if keep is not None:
        tokens = tokens.exclude(digest=keep.digest)
    return tokens.delete()[0]


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Every token of the user, this one included: each client must sign in again."""
    revoked = _tokens_delete(user)
    audit_record(actor=user, organisation=user.organisation, action="user.tokens_revoke",
                 obj=user, before={"tokens": revoked}, after={"tokens": 0})
    return revoked


# --- a user's own password -------------------------------------------------------------------

@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str,
                    current_token: AuthToken | None = None) -> User:
    """The user replaces their password (also the forced change of an administrator's one).
    Every other token is revoked; the caller's session is kept by the API view."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise field_error("old_password", MSG_WRONG_OLD_PASSWORD)
    if old_password == new_password:
        raise field_error("password", MSG_SAME_PASSWORD)
    was_required = user.password_change_required
    _password_set(user=user, password=new_password, change_required=False)
    revoked = _tokens_delete(user, keep=current_token)
    audit_record(actor=user, organisation=user.organisation, action="user.password_change",
                 obj=user, before={"password_change_required": was_required},
                 after={"password_change_required": False, "tokens_revoked": revoked})
    return user


# --- an administrator's controls ---------------------------------------------------------------

def _require_administers(actor: User, target: User, *, not_self: bool = False) -> None:
    """An organisation's administrator for its own users, the platform's for everyone's."""
    if not (perms.owns(actor, target.organisation_id) or perms.is_platform_operator(actor)):
        raise ForbiddenError(MSG_NOT_YOUR_USER)
    if not_self and actor.pk == target.pk:
        raise ForbiddenError(MSG_NOT_YOURSELF)


def administered_user_get(*, actor: User, pk: int) -> User:
    """The user an administrator may act on: one of their organisation, or anyone's for the
    platform operator's. Any other id answers 404, as if it did not exist."""
    users = User.objects.filter(organisation__isnull=False).select_related("organisation")
    if not perms.is_platform_operator(actor):
        users = users.filter(organisation_id=actor.organisation_id)
    return get_object_or_404(users, pk=pk)


def _state(user: User) -> dict:
    return {"is_active": user.is_active,
            "password_change_required": user.password_change_required}


@transaction.atomic
def user_deactivate(*, target: User, actor: User) -> User:
    """The user can no longer sign in; their sessions fail at once (is_active is checked on
    every request) and their tokens are deleted."""
    _require_administers(actor, target, not_self=True)
    target = User.objects.select_for_update().get(pk=target.pk)
    before = _state(target)
    target.is_active = False
    target.save(update_fields=["is_active"])
    revoked = _tokens_delete(target)
    audit_record(actor=actor, organisation=target.organisation, action="user.deactivate",
                 obj=target, before=before, after={**_state(target), "tokens_revoked": revoked})
    return target


@transaction.atomic
def user_reactivate(*, target: User, actor: User) -> User:
    _require_administers(actor, target, not_self=True)
    target = User.objects.select_for_update().get(pk=target.pk)
    before = _state(target)
    target.is_active = True
    target.save(update_fields=["is_active"])
    audit_record(actor=actor, organisation=target.organisation, action="user.reactivate",
                 obj=target, before=before, after=_state(target))
    return target


@transaction.atomic
def user_password_reset(*, target: User, actor: User, password: str) -> User:
    """An administrator sets a temporary password: the user must change it at next sign-in,
    every token of theirs is revoked and any lock-out is lifted."""
    _require_administers(actor, target, not_self=True)
    target = User.objects.select_for_update().get(pk=target.pk)
    before = _state(target)
    _password_set(user=target, password=password, change_required=True)
    revoked = _tokens_delete(target)
    unlocked = axes_reset(username=target.username)
    audit_record(actor=actor, organisation=target.organisation, action="user.password_reset",
                 obj=target, before=before,
                 after={**_state(target), "tokens_revoked": revoked, "lockouts_cleared": unlocked})
    return target


@transaction.atomic
def user_unlock(*, target: User, actor: User) -> int:
    """Lift the sign-in lock-out of the user (every address) before its cool-off ends."""
    _require_administers(actor, target)
    cleared = axes_reset(username=target.username)
    audit_record(actor=actor, organisation=target.organisation, action="user.unlock",
                 obj=target, before={"lockouts": cleared}, after={"lockouts": 0})
    return cleared


# --- the lock-out (django-axes) ----------------------------------------------------------------

def lockout_response(request, original_response=None, credentials=None) -> JsonResponse:
    """AXES_LOCKOUT_CALLABLE: the one error shape, the same for a username that does not exist."""
    return JsonResponse({"message": MSG_LOCKED_OUT, "code": "account_locked", "extra": {}},
                        status=429)


def lockout_audit(sender, request, username: str, ip_address: str, **kwargs) -> None:
    """Receiver of axes' user_locked_out: one audit entry per lock-out (axes signals every
    refused attempt while it lasts; those are logged only)."""
    username = (username or "")[:150]
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if AuditEntry.objects.filter(action="user.locked_out", created_at__gte=since,
                                 after__username=username,
                                 after__ip_address=ip_address).exists():
        logger.warning("sign-in refused while locked out: %r from %s", username, ip_address)
        return
    user = User.objects.filter(username=username).select_related("organisation").first()
    obj = user or AccessAttempt.objects.filter(username=username,
                                               ip_address=ip_address).first()
    if obj is None:
        return
    audit_record(actor=None, organisation=user.organisation if user else None,
                 action="user.locked_out", obj=obj, before={},
                 after={"username": username, "ip_address": ip_address,
                        "failure_limit": settings.AXES_FAILURE_LIMIT,
                        "cool_off_minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60})
