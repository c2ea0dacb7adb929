"""Issue 11, defect 4: the optional TOTP second factor of bank and core-enterprise approvers."""

import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from scf.accounts.models import OrganisationKind, Role
from scf.audit.models import AuditEntry
from tests.factories import PASSWORD, api_client, member_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_approver(db):
    return member_factory(OrganisationKind.BANK, Role.APPROVER)


class Clock:
    """django-otp reads time.time() in its model module: step it forward, one TOTP period at a
    time, so that each code of a test is a fresh one (a code is never accepted twice)."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def step(self):
        self.now += 30


@pytest.fixture
def otp_clock(monkeypatch):
    import django_otp.plugins.otp_totp.models as totp_models

    clock = Clock()
    monkeypatch.setattr(totp_models, "time", clock)
    return clock


def _code(secret: str, clock: Clock) -> str:
    totp = TOTP(b32decode(secret), step=30, t0=0, digits=6)
    totp.time = clock.now
    return f"{totp.token():06d}"


def _enrol(user, clock: Clock) -> str:
    client = api_client(user)
    enrolled = client.post("/api/auth/totp/enrol")
    assert enrolled.status_code == 201, enrolled.json()
    body = enrolled.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/")
    assert body["secret"] in body["otpauth_uri"]
    confirmed = client.post("/api/auth/totp/confirm", {"otp": _code(body["secret"], clock)},
                            format="json")
    assert confirmed.status_code == 200 and confirmed.json()["totp_enrolled"] is True
    return body["secret"]


def _token_sign_in(user, **extra):
    return APIClient().post("/api/auth/token", {"username": user.username,
                                                "password": PASSWORD, **extra}, format="json")


def test_once_enrolled_sign_in_needs_a_valid_code(bank_approver, otp_clock):
    assert _token_sign_in(bank_approver).status_code == 200  # not enrolled yet
    secret = _enrol(bank_approver, otp_clock)
    otp_clock.step()

    missing = _token_sign_in(bank_approver)
    wrong = _token_sign_in(bank_approver, otp="000000" if _code(secret, otp_clock) != "000000"
                           else "111111")
    # django-otp refuses any code for a while after a wrong one (it reads the real clock).
    slowed = _token_sign_in(bank_approver, otp=_code(secret, otp_clock))
    TOTPDevice.objects.filter(user=bank_approver).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))
    otp_clock.step()
    good = _token_sign_in(bank_approver, otp=_code(secret, otp_clock))
    replayed = _token_sign_in(bank_approver, otp=_code(secret, otp_clock))

    assert missing.status_code == 400 and missing.json()["code"] == "otp_required"
    assert " / " in missing.json()["message"]
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    assert slowed.status_code == 400
    assert good.status_code == 200, good.json()
    assert replayed.status_code == 400 and replayed.json()["code"] == "otp_invalid"
    assert AuditEntry.objects.filter(action="user.totp_confirm").exists()
    assert not AuditEntry.objects.filter(after__icontains=secret).exists()


def test_the_session_sign_in_needs_the_code_too(bank_approver, otp_clock):
    secret = _enrol(bank_approver, otp_clock)
    otp_clock.step()
    client = APIClient()

    refused = client.post("/api/auth/login", {"username": bank_approver.username,
                                              "password": PASSWORD}, format="json")
    signed_in = client.post("/api/auth/login", {"username": bank_approver.username,
                                                "password": PASSWORD,
                                                "otp": _code(secret, otp_clock)}, format="json")

    assert refused.status_code == 400 and refused.json()["code"] == "otp_required"
    assert signed_in.status_code == 200 and signed_in.json()["totp_enrolled"] is True


def test_an_unconfirmed_enrolment_changes_nothing(bank_approver, otp_clock):
    api_client(bank_approver).post("/api/auth/totp/enrol")

    assert _token_sign_in(bank_approver).status_code == 200
    assert TOTPDevice.objects.filter(user=bank_approver, confirmed=False).count() == 1


def test_a_wrong_confirmation_code_does_not_activate(bank_approver, otp_clock):
    client = api_client(bank_approver)
    client.post("/api/auth/totp/enrol")

    response = client.post("/api/auth/totp/confirm", {"otp": "abcdef"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "otp_invalid"
    assert not TOTPDevice.objects.filter(user=bank_approver, confirmed=True).exists()


def test_only_approvers_of_banks_and_core_enterprises_enrol(db):
    supplier_approver = member_factory(OrganisationKind.SUPPLIER, Role.APPROVER)
    bank_operator = member_factory(OrganisationKind.BANK, Role.OPERATOR)
    core_approver = member_factory(OrganisationKind.CORE_ENTERPRISE, Role.APPROVER)

    assert api_client(supplier_approver).post("/api/auth/totp/enrol").status_code == 403
    assert api_client(bank_operator).post("/api/auth/totp/enrol").status_code == 403
    assert api_client(core_approver).post("/api/auth/totp/enrol").status_code == 201


def test_enrolling_twice_is_refused(bank_approver, otp_clock):
    _enrol(bank_approver, otp_clock)

    response = api_client(bank_approver).post("/api/auth/totp/enrol")

    assert response.status_code == 409


def test_wrong_codes_count_towards_the_lock_out(bank_approver, otp_clock, settings):
    settings.SCF_AUTH_THROTTLE_RATES = {"auth_ip": "1000/min", "auth_username": "1000/min"}
    secret = _enrol(bank_approver, otp_clock)
    answers = []
    for _ in range(6):
        otp_clock.step()
        TOTPDevice.objects.filter(user=bank_approver).update(throttling_failure_count=0)
        wrong = "000000" if _code(secret, otp_clock) != "000000" else "111111"
        answers.append(_token_sign_in(bank_approver, otp=wrong).status_code)
    otp_clock.step()
    TOTPDevice.objects.filter(user=bank_approver).update(throttling_failure_count=0)

    right = _token_sign_in(bank_approver, otp=_code(secret, otp_clock))

    assert answers == [400] * 4 + [429] * 2  # the fifth failure locks, as with passwords
    assert right.status_code == 429 and right.json()["code"] == "account_locked"
