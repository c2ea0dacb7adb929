"""Issue 11, defect 4: lock-out and throttles, the password policy, expiring per-sign-in tokens,
the forced change of an administrator's password, deactivation and reset by an administrator."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from scf.accounts.models import OrganisationKind, Role, User
from scf.audit.models import AuditEntry
from tests.factories import PASSWORD, api_client, member_factory, user_factory

pytestmark = pytest.mark.django_db

LOCKED = ("登录失败次数过多，请稍后再试或联系管理员解锁 / Too many failed sign-ins: try again "
          "later or ask an administrator to unlock the account")


@pytest.fixture
def generous_throttles(settings):
    """Isolate the lock-out from the per-address and per-username rate limits."""
    settings.SCF_AUTH_THROTTLE_RATES = {"auth_ip": "1000/min", "auth_username": "1000/min"}


_persons = itertools.count(1)


def _person_id() -> str:
    """A mobile number: user creation records the natural person (issue 11, defect 3)."""
    return f"139{next(_persons):08d}"


def _sign_in(username: str, password: str, path: str = "/api/auth/token", **extra):
    return APIClient().post(path, {"username": username, "password": password, **extra},
                            format="json")


def _token(user: User, password: str = PASSWORD) -> str:
    response = _sign_in(user.username, password)
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- lock-out and throttles ----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/auth/token", "/api/auth/login"])
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
        supplier_operator, generous_throttles, path):
    answers = [_sign_in(supplier_operator.username, f"wrong-{n}", path) for n in range(30)]

    assert [a.status_code for a in answers[:4]] == [400] * 4
    assert {a.status_code for a in answers[5:]} == {429}
    assert answers[-1].json() == {"message": LOCKED, "code": "account_locked", "extra": {}}
    refused = _sign_in(supplier_operator.username, PASSWORD, path)
    assert refused.status_code == 429 and refused.json()["code"] == "account_locked"
    entries = AuditEntry.objects.filter(action="user.locked_out")
    assert entries.count() == 1  # one per lock-out, not one per refused attempt
    assert entries.get().object_id == str(supplier_operator.pk)
    assert entries.get().after["username"] == supplier_operator.username


def test_a_lock_out_does_not_reveal_whether_the_username_exists(supplier_operator,
                                                                generous_throttles):
    for username in (supplier_operator.username, "nobody-by-that-name"):
        answers = [_sign_in(username, "wrong") for _ in range(6)]
        assert [a.status_code for a in answers] == [400] * 4 + [429] * 2
        assert answers[0].json()["code"] == "invalid_credentials"
        assert answers[-1].json() == {"message": LOCKED, "code": "account_locked", "extra": {}}


def test_an_administrator_unlocks_a_locked_user(supplier_admin, supplier_operator,
                                                generous_throttles):
    for _ in range(5):
        _sign_in(supplier_operator.username, "wrong")
    assert _sign_in(supplier_operator.username, PASSWORD).status_code == 429

    response = api_client(supplier_admin).post(f"/api/users/{supplier_operator.pk}/unlock")

    assert response.status_code == 200
    assert _sign_in(supplier_operator.username, PASSWORD).status_code == 200
    assert AuditEntry.objects.filter(action="user.unlock",
                                     object_id=str(supplier_operator.pk)).exists()


def test_a_successful_sign_in_clears_the_failures(supplier_operator, generous_throttles):
    for _ in range(4):
        _sign_in(supplier_operator.username, "wrong")
    assert _sign_in(supplier_operator.username, PASSWORD).status_code == 200
    for _ in range(4):
        assert _sign_in(supplier_operator.username, "wrong").status_code == 400


def test_sign_ins_are_throttled_per_username_whatever_the_address(supplier_operator, settings):
    settings.SCF_AUTH_THROTTLE_RATES = {"auth_ip": "1000/min", "auth_username": "3/min"}
    answers = [APIClient(REMOTE_ADDR=f"10.0.0.{n}").post(
        "/api/auth/token", {"username": supplier_operator.username, "password": PASSWORD},
        format="json") for n in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "too_many_attempts"
    assert " / " in answers[-1].json()["message"]


def test_sign_ins_are_throttled_per_address_and_forwarded_for_is_not_believed(db, settings):
    settings.SCF_AUTH_THROTTLE_RATES = {"auth_ip": "3/min", "auth_username": "1000/min"}
    answers = [APIClient().post("/api/auth/token", {"username": f"user{n}", "password": "x"},
                                format="json", HTTP_X_FORWARDED_FOR=f"10.1.0.{n}")
               for n in range(4)]

    assert [a.status_code for a in answers] == [400, 400, 400, 429]


# --- the password policy -------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "fragment"), [
    ("qwertyuiop", "too common"),
    ("8274019365", "entirely numeric"),
    ("short-pw", "密码太短，至少需要 10 个字符 / This password is too short"),
])
def test_weak_passwords_are_refused_with_bilingual_messages(supplier_admin, password, fragment):
    response = api_client(supplier_admin).post(
        "/api/users/create", {"username": "li.si", "password": password, "roles": ["viewer"],
                              "person_id": _person_id()},
        format="json")

    assert response.status_code == 400
    messages = response.json()["extra"]["fields"]["password"]
    assert any(fragment in message for message in messages), messages
    assert all(" / " in message for message in messages), messages
    assert not User.objects.filter(username="li.si").exists()


def test_a_password_like_the_username_is_refused(supplier_admin):
    response = api_client(supplier_admin).post(
        "/api/users/create", {"username": "zhang.wei.2026", "password": "zhang.wei.2026",
                              "roles": ["viewer"], "person_id": _person_id()}, format="json")

    assert response.status_code == 400
    assert "too similar to the username" in " ".join(
        response.json()["extra"]["fields"]["password"])


# --- tokens ----------------------------------------------------------------------------------

def test_each_sign_in_gets_its_own_token_hashed_at_rest(supplier_operator):
    first, second = _token(supplier_operator), _token(supplier_operator)

    assert first != second
    assert _client(first).get("/api/auth/me").status_code == 200
    assert _client(second).get("/api/auth/me").status_code == 200
    stored = AuthToken.objects.filter(user=supplier_operator)
    assert stored.count() == 2
    assert not any(first in (t.digest, t.token_key) or second in (t.digest, t.token_key)
                   for t in stored)


def test_logout_revokes_the_presented_token_only(supplier_operator):
    first, second = _token(supplier_operator), _token(supplier_operator)

    assert _client(first).post("/api/auth/logout").status_code == 204

    assert _client(first).get("/api/auth/me").status_code == 401
    assert _client(second).get("/api/auth/me").status_code == 200


def test_rotate_issues_a_new_token_and_revokes_the_presented_one(supplier_operator):
    first, other = _token(supplier_operator), _token(supplier_operator)

    rotated = _client(first).post("/api/auth/token/rotate")

    assert rotated.status_code == 200
    new = rotated.json()["token"]
    assert new not in (first, other) and rotated.json()["expiry"]
    assert _client(first).get("/api/auth/me").status_code == 401
    assert _client(new).get("/api/auth/me").status_code == 200
    assert _client(other).get("/api/auth/me").status_code == 200


def test_revoke_all_tokens(supplier_operator):
    tokens = [_token(supplier_operator) for _ in range(3)]

    assert _client(tokens[0]).post("/api/auth/tokens/revoke").status_code == 204

    assert all(_client(t).get("/api/auth/me").status_code == 401 for t in tokens)
    assert AuditEntry.objects.filter(action="user.tokens_revoke").count() == 1


def test_an_idle_token_expires(supplier_operator):
    token = _token(supplier_operator)
    AuthToken.objects.filter(user=supplier_operator).update(
        expiry=timezone.now() - timedelta(seconds=1))

    response = _client(token).get("/api/auth/me")

    assert response.status_code == 401
    assert response.json()["message"] == (
        "令牌无效或已过期，请重新登录 / The token is invalid or has expired: sign in again")
    assert not AuthToken.objects.filter(user=supplier_operator).exists()


def test_use_extends_a_token_but_never_past_its_absolute_lifetime(supplier_operator, settings):
    token = _token(supplier_operator)
    stored = AuthToken.objects.get(user=supplier_operator)
    assert abs(stored.expiry - stored.created - timedelta(hours=8)) < timedelta(seconds=5)
    # Issued 23 hours ago and used since: the idle window would reach past 24 hours.
    AuthToken.objects.filter(pk=stored.pk).update(created=timezone.now() - timedelta(hours=23),
                                                  expiry=timezone.now() + timedelta(minutes=5))

    assert _client(token).get("/api/auth/me").status_code == 200

    stored.refresh_from_db()
    assert stored.expiry == stored.created + timedelta(hours=24)


def test_a_user_holds_a_bounded_number_of_tokens(supplier_operator, settings):
    settings.SCF_TOKENS_PER_USER = 3
    tokens = [_token(supplier_operator) for _ in range(4)]

    assert AuthToken.objects.filter(user=supplier_operator).count() == 3
    assert _client(tokens[0]).get("/api/auth/me").status_code == 401
    assert _client(tokens[-1]).get("/api/auth/me").status_code == 200


# --- forced change of an administrator's password ---------------------------------------------

def _created_by_admin(admin: User, username: str = "zhao.liu") -> User:
    response = api_client(admin).post(
        "/api/users/create", {"username": username, "password": "temporary-pass-42",
                              "roles": ["operator"], "person_id": _person_id()}, format="json")
    assert response.status_code == 201, response.json()
    return User.objects.get(username=username)


def test_a_user_created_by_an_admin_must_change_the_password_first(supplier_admin):
    _created_by_admin(supplier_admin)
    signed_in = _sign_in("zhao.liu", "temporary-pass-42")
    assert signed_in.json()["password_change_required"] is True
    client = _client(signed_in.json()["token"])

    me = client.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["password_change_required"] is True
    refused = client.get("/api/organisations")
    assert refused.status_code == 403
    assert refused.json()["code"] == "password_change_required"
    assert " / " in refused.json()["message"]
    weak = client.post("/api/auth/password", {"old_password": "temporary-pass-42",
                                              "password": "1234567890"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()["extra"]["fields"]
    wrong = client.post("/api/auth/password", {"old_password": "not-it-at-all",
                                               "password": "my-own-secret-77"}, format="json")
    assert wrong.status_code == 400 and "old_password" in wrong.json()["extra"]["fields"]

    changed = client.post("/api/auth/password", {"old_password": "temporary-pass-42",
                                                 "password": "my-own-secret-77"}, format="json")

    assert changed.status_code == 200 and changed.json()["password_change_required"] is False
    assert client.get("/api/organisations").status_code == 200
    assert AuditEntry.objects.filter(action="user.password_change").exists()


def test_the_session_path_is_gated_too_and_keeps_its_session_after_the_change(supplier_admin):
    _created_by_admin(supplier_admin)
    client = APIClient()
    assert client.post("/api/auth/login", {"username": "zhao.liu",
                                           "password": "temporary-pass-42"},
                       format="json").json()["password_change_required"] is True
    assert client.get("/api/users").json()["code"] == "password_change_required"

    client.post("/api/auth/password", {"old_password": "temporary-pass-42",
                                       "password": "my-own-secret-77"}, format="json")

    assert client.get("/api/users").status_code == 200


def test_the_platform_bootstrap_admin_is_not_forced(db):
    from scf.accounts.services import organisation_create
    from tests.factories import credit_code

    organisation_create(actor=None, kind=OrganisationKind.PLATFORM, name="平台",
                        credit_code=credit_code(), legal_representative="张三",
                        registered_address="苏州", admin_username="root-admin",
                        admin_password="a-long-bootstrap-secret", admin_person_id="13900000001")

    assert User.objects.get(username="root-admin").password_change_required is False


# --- an administrator's controls ---------------------------------------------------------------

def test_deactivation_kills_sessions_and_tokens_at_once(supplier_admin, supplier_operator):
    token = _token(supplier_operator)
    session = api_client(supplier_operator)

    response = api_client(supplier_admin).post(f"/api/users/{supplier_operator.pk}/deactivate")

    assert response.status_code == 200 and response.json()["is_active"] is False
    assert _client(token).get("/api/auth/me").status_code == 401
    assert session.get("/api/auth/me").status_code == 401
    assert _sign_in(supplier_operator.username, PASSWORD).json()["code"] == "invalid_credentials"
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.actor_id == supplier_admin.pk and entry.after["tokens_revoked"] == 1

    assert api_client(supplier_admin).post(
        f"/api/users/{supplier_operator.pk}/reactivate").status_code == 200
    assert _sign_in(supplier_operator.username, PASSWORD).status_code == 200
    assert AuditEntry.objects.filter(action="user.reactivate").exists()


def test_only_admins_of_the_users_organisation_or_the_platform_deactivate(
        supplier_admin, supplier_operator, platform_admin):
    other_admin = member_factory(OrganisationKind.SUPPLIER, Role.ADMIN)
    operator = user_factory(supplier_operator.organisation, Role.OPERATOR)

    assert api_client(other_admin).post(
        f"/api/users/{supplier_operator.pk}/deactivate").status_code == 404
    assert api_client(operator).post(
        f"/api/users/{supplier_operator.pk}/deactivate").status_code == 403
    assert api_client(supplier_admin).post(
        f"/api/users/{supplier_admin.pk}/deactivate").status_code == 403
    assert api_client(platform_admin).post(
        f"/api/users/{supplier_operator.pk}/deactivate").status_code == 200


def test_an_admin_resets_a_password_and_the_user_must_change_it(supplier_admin,
                                                               supplier_operator):
    token = _token(supplier_operator)
    client = api_client(supplier_admin)

    weak = client.post(f"/api/users/{supplier_operator.pk}/reset-password",
                       {"password": "password12"}, format="json")
    assert weak.status_code == 400 and " / " in weak.json()["extra"]["fields"]["password"][0]
    reset = client.post(f"/api/users/{supplier_operator.pk}/reset-password",
                        {"password": "temporary-pass-43"}, format="json")

    assert reset.status_code == 200
    assert _client(token).get("/api/auth/me").status_code == 401
    assert _sign_in(supplier_operator.username, PASSWORD).status_code == 400
    again = _sign_in(supplier_operator.username, "temporary-pass-43").json()
    assert again["password_change_required"] is True
    assert _client(again["token"]).get("/api/users").status_code == 403
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert "temporary-pass-43" not in str(entry.after) + str(entry.before)


def test_a_session_ends_twelve_hours_after_sign_in(supplier_operator):
    client = APIClient()
    client.post("/api/auth/login", {"username": supplier_operator.username,
                                    "password": PASSWORD}, format="json")

    assert client.session.get_expiry_age() == 12 * 3600
