"""Signing in and out, tokens, one's own password and second factor, and an administrator's
controls over a user's account. One view per operation, one service call each."""

from base64 import b32encode

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_logged_in, user_login_failed
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts import security, totp
from scf.accounts.apis import MSG_BAD_CREDENTIALS, MeOutputSerializer, UserOutputSerializer, _me
from scf.accounts.models import User
from scf.accounts.throttles import AUTH_THROTTLES
from scf.errors import ApplicationError

PASSWORD_STYLE = {"input_type": "password"}


def _password_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(style=PASSWORD_STYLE, trim_whitespace=False, write_only=True,
                                 max_length=128, **kwargs)


class CredentialsInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = _password_field()
    otp = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                help_text="动态口令（已启用时必填）/ One-time password, once "
                                          "enrolled")


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    password_change_required = serializers.BooleanField()


def _token_output(token: AuthToken, secret: str, user: User) -> dict:
    return TokenOutputSerializer({"token": secret, "created": token.created,
                                  "expiry": token.expiry,
                                  "password_change_required": user.password_change_required}
                                 ).data


def _presented_token(request) -> AuthToken | None:
    return request.auth if isinstance(request.auth, AuthToken) else None


class SignInApi(APIView):
    """Anonymous sign-in endpoints: throttled per address and per username, locked out by
    django-axes after repeated failures (429 either way, whether or not the user exists)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = AUTH_THROTTLES

    def throttled(self, request, wait):
        raise security.TooManyAttemptsError(
            security.MSG_THROTTLED,
            extra={"retry_after_seconds": int(wait) + 1 if wait is not None else None})

    def authenticate_member(self, request) -> User:
        serializer = CredentialsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request  # django-axes keeps its marks on Django's request
        user = authenticate(django_request, username=data["username"],
                            password=data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                raise security.TooManyAttemptsError(security.MSG_LOCKED_OUT,
                                                    code="account_locked")
            raise ApplicationError(MSG_BAD_CREDENTIALS, code="invalid_credentials")
        if not user.organisation_id:
            raise ApplicationError(perms.MSG_NO_ORGANISATION, code="no_organisation")
        try:
            totp.totp_check_sign_in(user=user, code=data.get("otp"))
        except ApplicationError as exc:
            if exc.code == "otp_invalid":  # a wrong code counts towards the lock-out too
                user_login_failed.send(sender=__name__, request=django_request,
                                       credentials={"username": data["username"]})
            raise
        return user


class AuthLoginApi(SignInApi):
    """Session sign-in for the web front end (CSRF-protected like every session write)."""

    @extend_schema(request=CredentialsInputSerializer, responses=MeOutputSerializer)
    def post(self, request):
        SessionAuthentication().enforce_csrf(request)
        user = self.authenticate_member(request)
        login(request, user)
        return Response(_me(user))


class AuthTokenObtainApi(SignInApi):
    """A new API token for each sign-in, shown once; it expires after SCF_TOKEN_IDLE_MINUTES
    unused and SCF_TOKEN_MAX_MINUTES after it was issued."""

    @extend_schema(request=CredentialsInputSerializer, responses=TokenOutputSerializer)
    def post(self, request):
        user = self.authenticate_member(request)
        token, secret = security.token_obtain(user=user)
        # As a session sign-in does: last_login, and django-axes clears the failures.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(_token_output(token, secret, user))


class AuthLogoutApi(APIView):
    """Ends the session, and revokes the token the request was made with."""

    permission_classes = [AllowAny]
    password_change_allowed = True

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        token = _presented_token(request)
        if token is not None:
            security.token_revoke(user=request.user, token=token)
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthTokenRotateApi(APIView):
    """A new token replacing the presented one (a session replaces all of the user's)."""

    permission_classes = [perms.IsMember]
    idempotency_keeps_answer = False  # the new token's secret (scf.api.idempotency)

    @extend_schema(request=None, responses=TokenOutputSerializer)
    def post(self, request):
        token, secret = security.token_rotate(user=request.user,
                                              current=_presented_token(request))
        return Response(_token_output(token, secret, request.user))


class AuthTokensRevokeApi(APIView):
    """Revoke every token of the signed-in user (a lost laptop, a leaked script)."""

    permission_classes = [perms.IsMember]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        security.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuthPasswordChangeApi(APIView):
    """Change one's own password with the current one; clears a forced change."""

    permission_classes = [perms.IsMember]
    password_change_allowed = True

    @extend_schema_serializer(component_name="PasswordChangeInput")
    class InputSerializer(serializers.Serializer):
        old_password = _password_field()
        password = _password_field()

    @extend_schema(request=InputSerializer, responses=MeOutputSerializer)
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = security.password_change(
            user=request.user, old_password=serializer.validated_data["old_password"],
            new_password=serializer.validated_data["password"],
            current_token=_presented_token(request))
        if request.auth is None:  # the session: keep this one, the others end
            update_session_auth_hash(request._request, user)
        return Response(_me(user))


class TotpEnrolOutputSerializer(serializers.Serializer):
    otpauth_uri = serializers.CharField()
    secret = serializers.CharField(help_text="Base32, shown once / 仅显示一次")


class AuthTotpEnrolApi(APIView):
    """Start enrolling a TOTP device; the secret is shown this once."""

    permission_classes = [perms.IsMember]
    idempotency_keeps_answer = False  # the secret (scf.api.idempotency)

    @extend_schema(request=None, responses={201: TotpEnrolOutputSerializer})
    def post(self, request):
        device = totp.totp_enrol(user=request.user)
        output = {"otpauth_uri": device.config_url, "secret": b32encode(device.bin_key).decode()}
        return Response(TotpEnrolOutputSerializer(output).data,
                        status=status.HTTP_201_CREATED)


class AuthTotpConfirmApi(APIView):
    """Activate the enrolled device with a code from it: sign-ins then need a code."""

    permission_classes = [perms.IsMember]

    @extend_schema_serializer(component_name="TotpConfirmInput")
    class InputSerializer(serializers.Serializer):
        otp = serializers.CharField(max_length=10)

    @extend_schema(request=InputSerializer, responses=MeOutputSerializer)
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        totp.totp_confirm(user=request.user, code=serializer.validated_data["otp"])
        return Response(_me(request.user))


# --- an administrator's controls over a user ----------------------------------------------------

class UserDeactivateApi(APIView):
    """The user can no longer sign in; their sessions and tokens stop working at once."""

    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema(request=None, responses=UserOutputSerializer)
    def post(self, request, pk: int):
        target = security.administered_user_get(actor=request.user, pk=pk)
        target = security.user_deactivate(target=target, actor=request.user)
        return Response(UserOutputSerializer(target).data)


class UserReactivateApi(APIView):
    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema(request=None, responses=UserOutputSerializer)
    def post(self, request, pk: int):
        target = security.administered_user_get(actor=request.user, pk=pk)
        target = security.user_reactivate(target=target, actor=request.user)
        return Response(UserOutputSerializer(target).data)


class UserPasswordResetApi(APIView):
    """Set a temporary password: the user must replace it at next sign-in."""

    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema_serializer(component_name="UserPasswordResetInput")
    class InputSerializer(serializers.Serializer):
        password = _password_field()

    @extend_schema(request=InputSerializer, responses=UserOutputSerializer)
    def post(self, request, pk: int):
        target = security.administered_user_get(actor=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = security.user_password_reset(target=target, actor=request.user,
                                              password=serializer.validated_data["password"])
        return Response(UserOutputSerializer(target).data)


class UserUnlockApi(APIView):
    """Lift a sign-in lock-out before its cool-off ends."""

    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema(request=None, responses=UserOutputSerializer)
    def post(self, request, pk: int):
        target = security.administered_user_get(actor=request.user, pk=pk)
        security.user_unlock(target=target, actor=request.user)
        return Response(UserOutputSerializer(target).data)
