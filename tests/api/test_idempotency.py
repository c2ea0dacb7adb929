"""Idempotency-Key through the public API on a real anvil node: a bank's system that retries a
timed-out transfer with the same key moves money once and gets the first answer back; the key
is the user's own; a reused key with another request, a malformed key or one still being
processed is refused in the one error shape; records expire and are purged."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test.client import encode_multipart
from django.utils import timezone

from receivables.models import PieceOperation
from scf.accounts.models import IdempotencyRecord
from scf.accounts.tasks import idempotency_purge
from scf.chain.contracts import platform_contract
from scf.chain.models import ChainIntent
from scf.chain.outbox import intent_execute
from scf.kyc.models import KycCase, KycDocument
from tests.factories import api_client
from tests.kyc.documents import pdf_bytes
from tests.receivables.helpers import Api

pytestmark = pytest.mark.django_db

YUAN = 100  # fen


def post(api, user, path: str, data=None, *, key: str | None = None, fmt: str = "json"):
    """One committed request, as Api.post, with the header when a key is given."""
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    with api.capture(execute=True):
        return api_client(user).post(path, data, format=fmt, **headers)


def balance(token_id: int) -> int:
    return platform_contract("VoucherLedger").functions.balanceOf(token_id).call()


@pytest.fixture
def root(cast, api) -> int:
    """A ¥10,000.00 voucher held by tier 1."""
    return api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=10_000 * YUAN)["token_id"]


def test_a_retried_transfer_moves_money_once_and_replays_the_first_answer(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    body = {"to_organisation": cast.tier2.pk, "amount_fen": 1_000 * YUAN}
    intents, operations = ChainIntent.objects.count(), PieceOperation.objects.count()

    first = post(api, t1, f"/api/pieces/{root}/transfer", body, key="bank-tx-0001")
    assert first.status_code == 202, first.json()
    assert "Idempotent-Replayed" not in first
    # the same request again, keys of the body in another order: the same request
    again = post(api, t1, f"/api/pieces/{root}/transfer",
                 {"amount_fen": 1_000 * YUAN, "to_organisation": cast.tier2.pk},
                 key="bank-tx-0001")
    assert again.status_code == 202
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # the same operation id
    assert ChainIntent.objects.count() == intents + 1
    assert PieceOperation.objects.count() == operations + 1
    assert balance(root) == 9_000 * YUAN
    assert api.operation(t1, first.json()["operation_id"])["status"] == "confirmed"


def test_the_same_key_with_another_request_is_refused(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    path = f"/api/pieces/{root}/transfer"
    assert post(api, t1, path, {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN},
                key="k-1").status_code == 202
    intents = ChainIntent.objects.count()

    other_amount = post(api, t1, path, {"to_organisation": cast.tier2.pk,
                                        "amount_fen": 200 * YUAN}, key="k-1")
    other_path = post(api, t1, f"/api/pieces/{root}/split",
                      {"amounts_fen": [100 * YUAN, 9_800 * YUAN]}, key="k-1")
    for response in (other_amount, other_path):
        assert response.status_code == 409
        assert response.json() == {
            "message": "该幂等键已用于另一请求 / This Idempotency-Key was used for a different "
                       "request",
            "code": "idempotency_key_reused", "extra": {"header": "Idempotency-Key"}}
    assert ChainIntent.objects.count() == intents
    assert balance(root) == 9_900 * YUAN


def test_a_key_belongs_to_its_user(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    t1_approver = cast.tier1.users_by_role["approver"]  # same organisation, another user
    t2 = cast.tier2.users_by_role["operator"]
    first = post(api, t1, f"/api/pieces/{root}/transfer",
                 {"to_organisation": cast.tier2.pk, "amount_fen": 1_000 * YUAN}, key="shared")
    piece = api.ok(api.get(t1, f"/api/piece-operations/{first.json()['piece_operation_id']}"))[
        "new_token_ids"][0]

    # tier 2 passes its new piece on with the same key: its own request, run and answered
    onward = post(api, t2, f"/api/pieces/{piece}/transfer",
                  {"to_organisation": cast.tier3.pk, "amount_fen": 400 * YUAN}, key="shared")
    assert onward.status_code == 202 and "Idempotent-Replayed" not in onward
    assert onward.json()["operation_id"] != first.json()["operation_id"]
    # a colleague of the first user with the same key: not a replay of their request either
    refused = post(api, t1_approver, f"/api/pieces/{root}/transfer",
                   {"to_organisation": cast.tier2.pk, "amount_fen": 1_000 * YUAN}, key="shared")
    assert refused.status_code == 403 and "Idempotent-Replayed" not in refused  # its own answer
    assert balance(root) == 9_000 * YUAN and balance(piece) == 600 * YUAN


def test_without_a_key_every_request_acts_as_before(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    body = {"to_organisation": cast.tier2.pk, "amount_fen": 1_000 * YUAN}
    first = post(api, t1, f"/api/pieces/{root}/transfer", body)
    second = post(api, t1, f"/api/pieces/{root}/transfer", body)
    assert first.status_code == second.status_code == 202
    assert first.json()["operation_id"] != second.json()["operation_id"]
    assert balance(root) == 8_000 * YUAN
    assert not IdempotencyRecord.objects.exists()


def test_a_refusal_is_replayed_and_a_transient_answer_is_not_kept(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    path = f"/api/pieces/{root}/transfer"
    too_much = {"to_organisation": cast.tier2.pk, "amount_fen": 20_000 * YUAN}
    first = post(api, t1, path, too_much, key="k-400")
    assert first.status_code == 400
    again = post(api, t1, path, too_much, key="k-400")
    assert again.status_code == 400 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


@pytest.mark.parametrize("key", ["", " ", "x" * 201, "请求-1", "a\tb", " leading"])
def test_a_malformed_key_is_refused(cast, api, root, key):
    t1 = cast.tier1.users_by_role["operator"]
    response = post(api, t1, f"/api/pieces/{root}/transfer",
                    {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN}, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert " / " in response.json()["message"]
    assert balance(root) == 10_000 * YUAN


def test_the_longest_key_is_accepted(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    key = "~ !" + "k" * 197
    response = post(api, t1, f"/api/pieces/{root}/transfer",
                    {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN}, key=key)
    assert response.status_code == 202
    assert IdempotencyRecord.objects.get(key=key).status_code == 202


def test_a_duplicate_while_the_first_is_processed_is_told_to_wait(cast, api, root):
    t1 = cast.tier1.users_by_role["operator"]
    path = f"/api/pieces/{root}/transfer"
    body = {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN}
    assert post(api, t1, path, body, key="slow").status_code == 202
    # as the row stands while the first request is still in its view
    IdempotencyRecord.objects.filter(key="slow").update(status_code=None, response_body=None)
    response = post(api, t1, path, body, key="slow")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert response.json()["message"].startswith("请求正在处理中，请稍后重试 / ")
    assert balance(root) == 9_900 * YUAN


def test_anonymous_requests_pass_through_and_keep_nothing(cast):
    user = cast.tier1.users_by_role["operator"]
    user.set_password("Correct-horse-9")
    user.save()
    client = api_client()
    for _ in range(2):
        response = client.post("/api/auth/token", {"username": user.username,
                                                   "password": "Correct-horse-9"},
                               format="json", HTTP_IDEMPOTENCY_KEY="sign-in")
        assert response.status_code == 200 and "Idempotent-Replayed" not in response
    assert not IdempotencyRecord.objects.exists()


def test_a_token_client_is_scoped_like_a_session(cast, api, root):
    user = cast.tier1.users_by_role["operator"]
    user.set_password("Correct-horse-9")
    user.save()
    token = api_client().post("/api/auth/token", {"username": user.username,
                                                  "password": "Correct-horse-9"},
                              format="json").json()["token"]
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN}
    answers = []
    for _ in range(2):
        with api.capture(execute=True):
            answers.append(client.post(f"/api/pieces/{root}/transfer", body, format="json",
                                       HTTP_IDEMPOTENCY_KEY="tok-1"))
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get(key="tok-1").user == user
    assert balance(root) == 9_900 * YUAN


def test_expired_records_are_purged_and_not_replayed(cast, api, root, settings):
    t1 = cast.tier1.users_by_role["operator"]
    path = f"/api/pieces/{root}/transfer"
    body = {"to_organisation": cast.tier2.pk, "amount_fen": 100 * YUAN}
    for key in ("old", "new"):
        assert post(api, t1, path, body, key=key).status_code == 202
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=settings.SCF_IDEMPOTENCY_TTL_HOURS, minutes=1))

    assert idempotency_purge.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    # past its time a key is new again (the purge may not have run yet)
    IdempotencyRecord.objects.filter(key="new").update(
        created_at=timezone.now() - timedelta(hours=25))
    again = post(api, t1, path, body, key="new")
    assert again.status_code == 202 and "Idempotent-Replayed" not in again
    assert balance(root) == 9_700 * YUAN


def test_a_retried_upload_is_the_same_request_whatever_its_boundary(supplier_operator):
    """Each attempt of a multipart request draws a new boundary: the body without it counts.
    The file is larger than the in-memory bound (SCF_MAX_REQUEST_BYTES): hashed as a stream."""
    client = api_client(supplier_operator)
    case = client.post("/api/kyc/cases/create").json()["id"]
    # A comment before startxref: the offsets it names stay right.
    padded = pdf_bytes().replace(b"startxref", b"%" + b"x" * (2 * 1024 * 1024) + b"\nstartxref")
    upload = SimpleUploadedFile("licence.pdf", padded, "application/pdf")

    def attempt(boundary: str, kind: str = "business_licence"):
        upload.seek(0)
        body = encode_multipart(boundary, {"kind": kind, "file": upload})
        return client.post(f"/api/kyc/cases/{case}/documents", body,
                           content_type=f"multipart/form-data; boundary={boundary}",
                           HTTP_IDEMPOTENCY_KEY="upload-1")

    first = attempt("----first7MA4YWxkTrZu0gW")
    assert first.status_code == 201, first.json()
    again = attempt("----second9XyzPq3")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert KycDocument.objects.filter(case_id=case).count() == 1
    other = attempt("----third", kind="legal_representative_id")
    assert other.json()["code"] == "idempotency_key_reused"


def test_an_answer_that_holds_a_secret_is_never_kept(cast):
    """A rotated token's secret is stored hashed (knox): a kept answer would hold it in clear."""
    user = cast.tier1.users_by_role["operator"]
    client = api_client(user)
    first = client.post("/api/auth/token/rotate", HTTP_IDEMPOTENCY_KEY="rotate-1")
    assert first.status_code == 200 and first.json()["token"]
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_sent_while_the_first_runs_waits_for_its_answer(supplier_operator,
                                                                     monkeypatch):
    """Two connections: the key is reserved (committed) before the view runs, so a duplicate
    that arrives while the first request is inside its view is told to retry, not run."""
    from scf.kyc import apis as kyc_apis

    entered, release, answers, errors = threading.Event(), threading.Event(), [], []
    create = kyc_apis.kyc_case_create

    def slow_create(**kwargs):
        entered.set()
        assert release.wait(20)
        return create(**kwargs)

    monkeypatch.setattr(kyc_apis, "kyc_case_create", slow_create)

    def first():
        try:
            answers.append(api_client(supplier_operator).post(
                "/api/kyc/cases/create", HTTP_IDEMPOTENCY_KEY="race"))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(20)
    duplicate = api_client(supplier_operator).post("/api/kyc/cases/create",
                                                   HTTP_IDEMPOTENCY_KEY="race")
    release.set()
    thread.join(30)
    assert not errors, errors
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_key_in_progress"
    assert answers[0].status_code == 201
    retry = api_client(supplier_operator).post("/api/kyc/cases/create",
                                               HTTP_IDEMPOTENCY_KEY="race")
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json() == answers[0].json()
    assert KycCase.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_broker_is_down_replays_the_committed_answer(cast, settings):
    """The transfer's intent is committed and the broker is down for real: the answer is still
    the 202 (the resume task sends it later: scf.tasks.enqueue_after_commit), and a retry with
    the key replays that 202 and records no second intent; the one intent is sent once."""
    from rest_framework.test import APIClient

    from tests.broker import broker_down

    # Every request commits for real here: its on-commit work runs inside it, as in production.
    root = Api(lambda **_: contextlib.nullcontext()).issue(cast.core, cast.tier1, cast.bank,
                                          face_value_fen=10_000 * YUAN)["token_id"]
    t1 = cast.tier1.users_by_role["operator"]
    client = APIClient(raise_request_exception=False)
    client.force_login(t1)
    path, body = f"/api/pieces/{root}/transfer", {"to_organisation": cast.tier2.pk,
                                                  "amount_fen": 1_000 * YUAN}
    intents = ChainIntent.objects.count()
    with broker_down(settings):
        first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="k-down")
        assert first.status_code == 202, first.json()
        assert first.json()["status"] == "pending"
        retry = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="k-down")
    assert retry.status_code == 202 and retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert ChainIntent.objects.count() == intents + 1  # committed, not yet sent
    assert balance(root) == 10_000 * YUAN
    # what chain.intents_resume does once the broker is back: the one intent is sent, once
    assert intent_execute(intent_id=ChainIntent.objects.latest("pk").pk) == "confirmed"
    assert balance(root) == 9_000 * YUAN
