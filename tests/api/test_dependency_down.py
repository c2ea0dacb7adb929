"""The database down: every /api/ answer is a 503 in the one JSON shape, never a 500 or an HTML
page, and /api/health still answers (503, down). The database is made unreachable for real: the
test's connection is swapped for one to a port nobody listens on (PostgreSQL) or to a file that
cannot be opened (SQLite), then put back."""

import json
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connections
from knox.models import AuthToken
from kombu.exceptions import OperationalError as BrokerConnectionError
from rest_framework.test import APIClient

from scf.accounts.models import OrganisationKind, Role
from scf.api.server_error import MSG_SERVER_ERROR, api_server_error
from scf.chain.node import free_port
from scf.errors import MSG_DATABASE_UNAVAILABLE, api_exception_handler
from scf.health import platform_health
from tests.factories import api_client, member_factory

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(tmp_path):
    original = connections["default"]
    settings_dict = {**original.settings_dict}
    if original.vendor == "postgresql":
        settings_dict |= {"HOST": "127.0.0.1", "PORT": str(free_port())}
    else:
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    broken = type(original)(settings_dict, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        connections["default"] = original
        broken.close()


def assert_unavailable(response, code="database_unavailable"):
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": MSG_DATABASE_UNAVAILABLE, "code": code, "extra": {}}


@pytest.fixture
def operator():
    return member_factory(OrganisationKind.PLATFORM, Role.OPERATOR)


def test_health_answers_503_json_while_the_database_is_down(operator, platform_chain, tmp_path):
    client = api_client(operator)  # a session: looked up in the database that is down
    with database_down(tmp_path):
        response = client.get("/api/health")
        health = platform_health()

    assert response.status_code == 503
    assert response.json() == {"status": "down"}  # anonymous: nobody can be signed in now
    assert health["down"] == ["database"]  # the node is up; what is down is the database
    assert health["checks"]["database"]["ok"] is False


def test_an_endpoint_answers_503_json_with_a_session_or_a_token(operator, tmp_path):
    session = api_client(operator)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(operator)[1]}")
    with database_down(tmp_path):
        for client in (session, token):
            # authentication reads the database before the view runs: DRF's `initial`
            assert_unavailable(client.get("/api/organisations"))
            assert_unavailable(client.post("/api/credit-line-changes/create", {}, format="json"))


def test_a_session_the_middleware_cannot_save_answers_503_json(operator, settings, tmp_path):
    """Outside DRF: the session middleware saves the session after the view answered."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client = api_client(operator)
    client.raise_request_exception = False  # the server's answer, as a browser gets it
    with database_down(tmp_path):
        assert_unavailable(client.get("/api/no-such-endpoint"))


@pytest.mark.parametrize(("exc", "code"), [
    (OperationalError("connection to server at 127.0.0.1 failed"), "database_unavailable"),
    (InterfaceError("connection already closed"), "database_unavailable"),
    (BrokerConnectionError("Error 111 connecting to 127.0.0.1:6379"), "broker_unavailable"),
])
def test_a_dependency_error_is_a_503_that_does_not_show_its_detail(exc, code):
    response = api_exception_handler(exc, {})
    assert response.status_code == 503 and response.data["code"] == code
    assert str(exc) not in response.data["message"]  # hosts and ports are for the log


def test_other_database_errors_stay_unexpected():
    assert api_exception_handler(IntegrityError("duplicate key"), {}) is None  # 500, logged


def test_an_unexpected_error_under_api_is_a_json_500_and_elsewhere_djangos_page(rf):
    """handler500, called by Django while it handles the exception."""
    try:
        raise RuntimeError("a bug, with details for the log only")
    except RuntimeError:
        api = api_server_error(rf.get("/api/pieces"))
        page = api_server_error(rf.get("/pieces"))

    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert json.loads(api.content) == {"message": MSG_SERVER_ERROR, "code": "server_error",
                                       "extra": {}}
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
