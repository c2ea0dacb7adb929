import pytest
from rest_framework.test import APIClient

from scf.accounts.models import OrganisationKind, Role
from scf.audit.models import AuditEntry
from tests.factories import PASSWORD, member_factory, user_factory

pytestmark = pytest.mark.django_db


def test_login_sets_a_session_and_me_returns_user_organisation_and_roles(supplier_operator):
    client = APIClient()

    response = client.post("/api/auth/login",
                           {"username": supplier_operator.username, "password": PASSWORD},
                           format="json")

    assert response.status_code == 200
    me = client.get("/api/auth/me").json()
    assert me["user"]["username"] == supplier_operator.username
    assert me["organisation"]["id"] == supplier_operator.organisation_id
    assert me["organisation"]["kind"] == "supplier"
    assert me["roles"] == ["operator"]
    assert me["access"] == {"can_write": True, "can_freeze": False,
                            "is_platform_operator": False, "is_regulator": False,
                            "reads_all_organisations": False}


def test_wrong_password_is_a_bilingual_400(supplier_operator):
    response = APIClient().post("/api/auth/login", {"username": supplier_operator.username,
                                                    "password": "nope"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"message": "用户名或密码错误 / Wrong username or password",
                               "code": "invalid_credentials", "extra": {}}


def test_anonymous_gets_401_with_the_one_error_shape(db):
    response = APIClient().get("/api/auth/me")

    assert response.status_code == 401
    assert set(response.json()) == {"message", "code", "extra"}
    assert response["WWW-Authenticate"] == "Token"


def test_session_writes_need_the_csrf_token(supplier_operator):
    client = APIClient(enforce_csrf_checks=True)
    csrf = client.get("/api/auth/csrf").json()["csrf_token"]

    refused = client.post("/api/auth/login", {"username": supplier_operator.username,
                                              "password": PASSWORD}, format="json")
    assert refused.status_code == 403

    ok = client.post("/api/auth/login", {"username": supplier_operator.username,
                                         "password": PASSWORD}, format="json",
                     HTTP_X_CSRFTOKEN=csrf)
    assert ok.status_code == 200
    # Login rotates the CSRF token: the SPA reads the new cookie.
    csrf = client.cookies["csrftoken"].value
    assert client.post("/api/auth/token/rotate").status_code == 403
    assert client.post("/api/auth/token/rotate", HTTP_X_CSRFTOKEN=csrf).status_code == 200


def test_logout_ends_the_session(supplier_operator):
    client = APIClient()
    client.post("/api/auth/login", {"username": supplier_operator.username,
                                    "password": PASSWORD}, format="json")

    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_api_client_obtains_a_token_and_rotation_revokes_the_old_one(supplier_operator):
    anonymous = APIClient()
    first = anonymous.post("/api/auth/token", {"username": supplier_operator.username,
                                               "password": PASSWORD}, format="json").json()
    again = anonymous.post("/api/auth/token", {"username": supplier_operator.username,
                                               "password": PASSWORD}, format="json").json()
    # One token per sign-in (issue 11): both clients stay signed in, each with its own.
    assert first["token"] != again["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert client.get("/api/auth/me").json()["user"]["username"] == supplier_operator.username

    rotated = client.post("/api/auth/token/rotate").json()["token"]  # no CSRF for tokens
    assert rotated != first["token"]
    assert client.get("/api/auth/me").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert client.get("/api/auth/me").status_code == 200
    assert AuditEntry.objects.filter(action="user.token_rotate",
                                     object_id=str(supplier_operator.pk)).exists()
    assert not AuditEntry.objects.filter(after__icontains=rotated).exists()


def test_a_user_without_organisation_cannot_sign_in_to_the_api(django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)

    response = APIClient().post("/api/auth/login", {"username": "root", "password": PASSWORD},
                                format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "no_organisation"


def test_regulator_access_flags(db):
    regulator = member_factory(OrganisationKind.REGULATOR, Role.OPERATOR)
    client = APIClient()
    client.force_login(regulator)

    access = client.get("/api/auth/me").json()["access"]

    assert access == {"can_write": False, "can_freeze": True, "is_platform_operator": False,
                      "is_regulator": True, "reads_all_organisations": True}


def test_suspended_organisation_users_read_but_cannot_write(supplier_org):
    admin = user_factory(supplier_org, Role.ADMIN)
    supplier_org.status = "suspended"
    supplier_org.save()
    client = APIClient()
    client.force_login(admin)

    assert client.get("/api/auth/me").json()["access"]["can_write"] is False
    response = client.post("/api/users/create", {"username": "new", "password": "x" * 10,
                                                 "roles": ["viewer"]}, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "机构已暂停，只能查看 / The organisation is suspended: read only")
