"""The optional second factor (TOTP, RFC 6238, by django-otp) of the approvers of banks and core
enterprises, whose approvals move money. Once a device is confirmed, every sign-in of the user
(session or token) needs a valid code; django-otp refuses a code used before and slows down
guessing after each wrong one."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from scf.accounts.models import OrganisationKind, Role, User
from scf.audit.services import audit_record
from scf.errors import ApplicationError, ForbiddenError, InvalidStateError

TOTP_KINDS = frozenset({OrganisationKind.BANK, OrganisationKind.CORE_ENTERPRISE})
DEVICE_NAME = "scf"

MSG_NOT_ELIGIBLE = ("动态口令仅供银行和核心企业的复核人员使用 / A one-time password device is "
                    "for approvers of banks and core enterprises")
MSG_ALREADY_ENROLLED = "已启用动态口令 / A one-time password device is already active"
MSG_NO_ENROLMENT = "请先申请绑定动态口令 / Enrol a one-time password device first"
MSG_OTP_REQUIRED = "请输入动态口令 / Enter the one-time password"
MSG_OTP_INVALID = "动态口令不正确或已使用 / The one-time password is wrong or was used already"


def totp_eligible(user: User) -> bool:
    return bool(user.organisation_id and user.organisation.kind in TOTP_KINDS
                and user.has_role(Role.APPROVER))


def totp_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_enrol(*, user: User) -> TOTPDevice:
    """A new unconfirmed device (any earlier unconfirmed one is dropped). Its secret is shown to
    the user once, by the API; it never enters the audit log."""
    if not totp_eligible(user):
        raise ForbiddenError(MSG_NOT_ELIGIBLE)
    if totp_enrolled(user):
        raise InvalidStateError(MSG_ALREADY_ENROLLED)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    audit_record(actor=user, organisation=user.organisation, action="user.totp_enrol",
                 obj=user, before={}, after={"device": device.pk, "confirmed": False})
    return device


def totp_confirm(*, user: User, code: str) -> TOTPDevice:
    """Activate the enrolled device with a code it shows. Not one transaction: a wrong code's
    throttle increment must be kept."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise InvalidStateError(MSG_NO_ENROLMENT)
    if not device.verify_token(code):
        raise ApplicationError(MSG_OTP_INVALID, code="otp_invalid",
                               extra={"fields": {"otp": [MSG_OTP_INVALID]}})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, organisation=user.organisation, action="user.totp_confirm",
                     obj=user, before={"confirmed": False}, after={"device": device.pk,
                                                                    "confirmed": True})
    return device


def totp_check_sign_in(*, user: User, code: str | None) -> None:
    """Called after the password was accepted: nothing to do without a confirmed device."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return
    if not code:
        raise ApplicationError(MSG_OTP_REQUIRED, code="otp_required",
                               extra={"fields": {"otp": [MSG_OTP_REQUIRED]}})
    if not any(device.verify_token(code) for device in devices):
        raise ApplicationError(MSG_OTP_INVALID, code="otp_invalid",
                               extra={"fields": {"otp": [MSG_OTP_INVALID]}})
