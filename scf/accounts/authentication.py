"""The API's two ways in: expiring tokens (django-rest-knox) for API clients, the session for
the web front end. Both refuse a user who must still replace an administrator's password,
except on the views that let them do so."""

from knox.auth import TokenAuthentication
from rest_framework import authentication, exceptions
from rest_framework.permissions import AllowAny

# Messages, not secrets (ruff's S105 reads "TOKEN" and "PASSWORD" in their names).
MSG_TOKEN_INVALID = ("令牌无效或已过期，请重新登录 / The token is invalid or has expired: "  # noqa: S105
                     "sign in again")
MSG_PASSWORD_CHANGE_REQUIRED = ("请先修改管理员设置的初始密码 / Change the "  # noqa: S105
                                "password an administrator set before doing anything else")


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_detail = MSG_PASSWORD_CHANGE_REQUIRED
    default_code = "password_change_required"


def password_change_gate(request, user) -> None:
    """403 password_change_required, unless the view says `password_change_allowed = True`
    (auth/me, auth/password, auth/logout) or is open to anyone anyway."""
    if not getattr(user, "password_change_required", False):
        return
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(view, "password_change_allowed", False):
        return
    if view is not None and all(permission is AllowAny
                                for permission in getattr(view, "permission_classes", [])):
        return
    raise PasswordChangeRequired()


class ExpiringTokenAuthentication(TokenAuthentication):
    """knox's hashed per-sign-in tokens, idle and absolute expiry in REST_KNOX; a deactivated
    user's token fails at once. Failures answer in both languages."""

    def authenticate(self, request):
        try:
            result = super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            raise exceptions.AuthenticationFailed(MSG_TOKEN_INVALID) from exc
        if result is not None:
            password_change_gate(request, result[0])
        return result


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            password_change_gate(request, result[0])
        return result
