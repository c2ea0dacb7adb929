"""The public verification page a document's QR code opens, without a session: the document's
printed facts (kind, number, parties as printed, SHA-256) and the chain's anchor, 404 in the one
error shape for an unknown reference; the file check (genuine, and not genuine for one changed
byte); the printed link's origin (SCF_PUBLIC_URL, else the request's host); the rate limit."""

import hashlib
import uuid

import pytest
from rest_framework.test import APIClient

from tests.documents.conftest import needs_poppler, pdf_text
from tests.documents.test_certificate import FACE, verify
from tests.factories import api_client


def generate_certificate(api, cast, *, host: str | None = None) -> tuple[dict, bytes]:
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=FACE)
    holder = cast.tier1.users_by_role["operator"]
    client = api_client(holder)
    extra = {"HTTP_HOST": host} if host else {}
    with api.capture(execute=True):  # the generation task runs on commit
        response = client.post("/api/documents/generate", {
            "kind": "certificate", "subject_id": voucher["token_id"]}, format="json", **extra)
    assert response.status_code == 202, response.content
    document = api.ok(api.get(holder, f"/api/documents/{response.json()['id']}"))
    download = client.get(f"/api/documents/{document['id']}/download")
    return document, b"".join(download.streaming_content)


def public(reference) -> tuple[int, dict]:
    response = APIClient().get(f"/api/documents/public/{reference}")
    return response.status_code, response.json()


@pytest.fixture
def certificate(api, cast):
    return generate_certificate(api, cast)


def test_the_qr_page_shows_the_printed_facts_without_a_session(certificate, cast):
    document, content = certificate
    status, body = public(document["public_id"])
    assert status == 200, body
    assert body["genuine"] is True and body["code"] == "genuine", body
    assert body["sha256"] == hashlib.sha256(content).hexdigest() == document["sha256"]
    facts = body["document"]
    assert facts["reference"] == document["public_id"]
    assert facts["number"] == document["number"] and facts["kind"] == "certificate"
    assert facts["generated_at"] and facts["verification_code"] == document["verification_code"]
    roles = {party["role_en"]: party for party in facts["parties"]}
    assert list(roles) == ["Debtor (core enterprise)", "Holder", "Credit line bank"]
    for role, org in (("Debtor (core enterprise)", cast.core), ("Holder", cast.tier1),
                      ("Credit line bank", cast.bank)):
        assert roles[role]["name"] == org.name
        assert roles[role]["credit_code"] == org.credit_code
    assert body["anchor"]["tx_hash"] == document["tx_hash"]
    assert body["anchor"]["block_number"] == document["block_number"]
    # nothing the file does not show: no row or subject ids, no user
    assert set(facts) == {"reference", "number", "kind", "kind_label", "title", "generated_at",
                          "parties", "sha256", "verification_code"}
    assert set(body["anchor"]) == {"tx_hash", "block_number", "anchored_at"}
    assert cast.tier1.users_by_role["operator"].username not in str(body)


@needs_poppler
def test_the_parties_shown_are_those_the_file_prints(certificate, tmp_path):
    document, content = certificate
    text = pdf_text(content, tmp_path)
    _, body = public(document["public_id"])
    for party in body["document"]["parties"]:
        assert party["role_zh"] in text and party["name"] in text
        assert party["credit_code"] in text
    assert body["document"]["generated_at"] in text


def test_an_unknown_reference_is_404_in_the_one_error_shape(db):
    status, body = public(uuid.uuid4())
    assert status == 404
    assert set(body) == {"message", "code", "extra"} and body["code"] == "not_found"


def test_the_file_check_says_genuine_for_the_file_and_not_for_one_changed_byte(certificate):
    document, content = certificate
    genuine = verify(content)
    assert genuine["genuine"] is True and genuine["code"] == "genuine"
    assert genuine["document"]["reference"] == document["public_id"]
    changed = bytearray(content)
    changed[-100] ^= 0x01
    forged = verify(bytes(changed))
    assert forged["genuine"] is False and forged["code"] == "unknown"
    assert forged["document"] is None and forged["anchor"] is None


@needs_poppler
def test_the_printed_link_uses_the_request_host_when_no_public_url_is_set(
        api, cast, settings, tmp_path):
    settings.SCF_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "scf.internal"]
    document, content = generate_certificate(api, cast, host="scf.internal:9000")
    link = f"http://scf.internal:9000/verify?doc={document['public_id']}"
    assert document["verify_url"] == link
    assert link in pdf_text(content, tmp_path).replace("\n", "")


@needs_poppler
def test_the_printed_link_uses_scf_public_url_when_set(api, cast, settings, tmp_path):
    settings.SCF_PUBLIC_URL = "https://scf.example.com/"
    document, content = generate_certificate(api, cast)
    link = f"https://scf.example.com/verify?doc={document['public_id']}"
    assert document["verify_url"] == link
    assert link in pdf_text(content, tmp_path).replace("\n", "")
    assert ":8000" not in pdf_text(content, tmp_path)


def test_anonymous_verification_is_rate_limited_per_address(db, settings):
    settings.SCF_DOCUMENTS_VERIFY_RATE = "2/min"
    reference = uuid.uuid4()
    assert [public(reference)[0] for _ in range(2)] == [404, 404]
    status, body = public(reference)
    assert status == 429 and body["code"] == "throttled"
    assert body["extra"]["retry_after_seconds"] > 0
