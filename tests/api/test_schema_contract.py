"""What the OpenAPI schema promises and the server does, found by the schemathesis run
(tests/api/test_schemathesis.py) and pinned here one by one: every operation documents the one
error shape, a request field shows the bounds and refusals DRF applies, an unknown /api/ path
answers that shape as JSON, and a filter given a value it cannot read answers 400."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from scf.api.fields import ID_MAX
from scf.api.schema import ERROR_STATUSES
from scf.errors import MSG_NOT_FOUND

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    import json

    target = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def request_schema(schema, path: str) -> dict:
    body = schema["paths"][path]["post"]["requestBody"]["content"]
    ref = next(iter(body.values()))["schema"]["$ref"].rsplit("/", 1)[1]
    return schema["components"]["schemas"][ref]["properties"]


def test_every_operation_documents_the_error_shape(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["message", "code", "extra"]
    missing = [(name, status) for name, operation in operations(schema)
               for status in ERROR_STATUSES if status not in operation["responses"]]
    assert not missing


def test_ids_and_amounts_show_their_bounds(schema):
    issue = request_schema(schema, "/api/vouchers/issue")
    assert (issue["bank"]["type"], issue["bank"]["minimum"], issue["bank"]["maximum"]) == (
        "integer", 1, ID_MAX)
    assert issue["face_value_fen"]["minimum"] == 1 and issue["face_value_fen"]["maximum"] > 0
    assert issue["invoices"]["items"]["minimum"] == 1
    [proposed_by] = [p for p in schema["paths"]["/api/approvals"]["get"]["parameters"]
                     if p["name"] == "proposed_by"]
    assert proposed_by["schema"] == {"type": "integer", "minimum": 0, "maximum": ID_MAX}


def test_request_fields_show_what_drf_refuses(schema):
    application = request_schema(schema, "/api/financing/applications/create")
    assert application["invoice_numbers"]["items"]["minLength"] == 1  # "" is blank
    assert application["invoice_numbers"]["items"]["pattern"] == r"\S"  # so is "   "
    assert request_schema(schema, "/api/users/create")["roles"]["minItems"] == 1
    assert request_schema(schema, "/api/documents/verify")["file"]["format"] == "binary"


def test_fields_that_can_be_null_say_so(schema):
    components = schema["components"]["schemas"]
    assert components["UserOutput"]["properties"]["last_login"]["nullable"] is True
    assert components["KycCaseOutput"]["properties"]["reviewed_at"]["nullable"] is True
    assert components["TradeContractDetailOutput"]["properties"]["invoice_count"]["nullable"]


@pytest.mark.parametrize("path", ["/api/no-such-endpoint", "/api/vouchers/%0A/reject",
                                  "/api/approvals/abc", "/api/pieces/-1"])
def test_an_unknown_api_path_answers_the_error_shape_as_json(path):
    for method in ("get", "post"):
        response = getattr(APIClient(enforce_csrf_checks=True), method)(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"message": MSG_NOT_FOUND, "code": "not_found", "extra": {}}


@pytest.mark.parametrize("query", ["unread=null", "unread=maybe", "unread="])
def test_a_boolean_filter_it_cannot_read_is_refused(cast, query):
    client = APIClient()
    client.force_authenticate(cast.tier1.users_by_role["operator"])
    response = client.get(f"/api/notifications?{query}")
    assert response.status_code == 400, response.content
    assert set(response.json()["extra"]["fields"]) == {"unread"}
    assert client.get("/api/notifications?unread=true").status_code == 200
    assert client.get("/api/notifications?unread=0").status_code == 200


def test_a_choice_filter_given_no_value_is_refused_but_text_may_be_empty(cast):
    client = APIClient()
    client.force_authenticate(cast.core.users_by_role["approver"])
    response = client.get("/api/approvals?status=")
    assert response.status_code == 400, response.content
    [message] = response.json()["extra"]["fields"]["status"]
    assert " / " in message
    assert client.get("/api/approvals?action=").status_code == 200
    assert client.get("/api/approvals").status_code == 200


def test_an_empty_page_is_refused_not_read_as_the_first(cast):
    client = APIClient()
    client.force_authenticate(cast.core.users_by_role["operator"])
    for path in ("/api/operations?page=", "/api/holdings?page="):
        response = client.get(path)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["code"] == "not_found"
    assert client.get("/api/operations?page=1").status_code == 200


@pytest.mark.parametrize("moment", ["2026-01-15T22:17:01+18:32", "1335-01-15T22:17:01+18:32",
                                    "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_an_audit_time_filter_with_any_offset_or_year_answers(cast, moment):
    """PostgreSQL refused offsets beyond ±15:59 (a 500); far years overflowed moving to UTC."""
    from urllib.parse import quote

    from scf.audit.services import audit_record

    admin = cast.platform.users_by_role["admin"]
    audit_record(actor=admin, organisation=cast.platform, action="test.fuzzed", obj=admin)
    client = APIClient()
    client.force_authenticate(admin)
    for name in ("since", "until"):
        response = client.get(f"/api/audit/entries?{name}={quote(moment)}")
        assert response.status_code == 200, (name, moment, response.content)
    everything = client.get("/api/audit/entries").json()["count"]
    assert everything > 0
    since = client.get(f"/api/audit/entries?since={quote(moment)}").json()["count"]
    until = client.get(f"/api/audit/entries?until={quote(moment)}").json()["count"]
    if moment < "2000":
        assert (since, until) == (everything, 0)
    elif moment > "9000":
        assert (since, until) == (0, everything)
