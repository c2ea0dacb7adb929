"""The live OpenAPI schema (`/api/schema`) fuzzed by Schemathesis with every built-in check, as
each role and anonymously: no request may make the server fail (5xx), and every answer must be
one the schema promises (status, content type, headers, body).

In process, through the WSGI application, against the session's anvil: a small seeded cast (a
core enterprise with a bank's credit line, a supplier holding one accepted voucher, a regulator
and the platform) so that lists and details have something real to show. Examples per operation
are few and derandomized, so CI sees the same cases on every run and the whole test stays
within a few minutes on two cores."""

import os
import time
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from scf.wsgi import application
from tests.factories import PASSWORD, fast_password_hasher  # noqa: F401  (autouse fixture)

MAX_EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}

# Operations that cannot be fuzzed meaningfully with the very token that authenticates the run:
# logging out or rotating would revoke that token, and every later case would only see 401.
EXCLUDED = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/token/rotate"),
}

# Schema-valid input these operations refuse with 400 by a rule no JSON Schema can state (the
# API's field errors, STYLE.md): positive_data_acceptance would call each such 400 a failure.
# Every other check still runs on them, and a 5xx or an undocumented answer still fails.
BUSINESS_RULES = {
    ("POST", "/api/auth/token"): "the credentials must be a user's",
    ("POST", "/api/auth/login"): "the credentials must be a user's",
    ("POST", "/api/users/create"): "a username not taken, Django's password validators",
    ("POST", "/api/users/{id}/roles"): "an administrator cannot remove their own admin role",
    ("POST", "/api/organisations/create"): "a credit code's check character (GB 32100)",
    ("POST", "/api/approvals/propose"): "the action must be one registered for approval",
    ("POST", "/api/invoices/create"): "the trade contract must exist and be the caller's",
    ("POST", "/api/trade-contracts/create"): "the supplier must be an onboarded organisation",
    ("POST", "/api/vouchers/issue"): "the contract, bank and invoices must exist and match",
    ("POST", "/api/credit-line-changes/create"): "the core enterprise must exist",
    ("POST", "/api/financing/applications/create"): "the piece, banks and invoices must exist",
    ("POST", "/api/documents/generate"): "the subject must exist and be visible",
    ("POST", "/api/documents/verify"): "the file must be a PDF",
    ("POST", "/api/pieces/{token_id}/transfer"): "a receiving organisation or address",
    ("POST", "/api/auth/password"): "the current password must be the user's, the new one pass "
                                    "Django's password validators",
    ("POST", "/api/users/{id}/reset-password"): "Django's password validators",
    ("POST", "/api/auth/totp/confirm"): "the code must be the enrolled device's current one",
}


@pytest.fixture
def wsgi_requests_in_the_test_transaction(identities):
    """Django's test client does the same: a request must not close the connection that holds
    the test's transaction (the WSGI handler does so at its start and end). After the
    identities: each test-client request connects the handlers again when it ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def identities(cast, api):
    """A token per role (obtained through the API, as a client does) and anonymous."""
    api.issue(cast.core, cast.tier1, cast.bank)
    users = {
        "platform admin": cast.platform.users_by_role["admin"],
        "core operator": cast.core.users_by_role["operator"],
        "core approver": cast.core.users_by_role["approver"],
        "bank operator": cast.bank.users_by_role["operator"],
        "supplier operator": cast.tier1.users_by_role["operator"],
        "regulator viewer": cast.regulator.users_by_role["viewer"],
    }
    headers = {}
    for name, user in users.items():
        response = APIClient().post("/api/auth/token", {"username": user.username,
                                                        "password": PASSWORD}, format="json")
        assert response.status_code == 200, response.content
        headers[name] = {"Authorization": f"Token {response.json()['token']}"}
    headers["anonymous"] = {}
    return headers


def fuzz(operation, mode: GenerationMode, headers: dict, failures: list) -> int:
    """Run the operation's cases and record each failing one (no shrinking: the report shows
    the case as sent)."""
    cases = 0
    excluded = ([positive_data_acceptance]
                if (operation.method.upper(), operation.path) in BUSINESS_RULES else [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES[mode], derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        nonlocal cases
        cases += 1
        # Each case from the same state: a savepoint rolled back after it (on PostgreSQL a
        # failed statement would otherwise abort the test's transaction for every later case).
        savepoint = transaction.savepoint()
        try:
            case.call_and_validate(headers=headers, excluded_checks=excluded)
        except FailureGroup as group:
            titles = sorted({failure.title for failure in group.exceptions})
            failures.append(f"{operation.method.upper()} {operation.path} ({mode}) "
                            f"{titles}: {group.message}")
        finally:
            transaction.savepoint_rollback(savepoint)

    try:
        run()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE and not cases  # nothing in it can be made invalid
    return cases


def test_the_live_schema_holds_for_every_role_and_anonymously(
        wsgi_requests_in_the_test_transaction, identities):
    schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if (op.method.upper(), op.path) not in EXCLUDED]
    started = time.monotonic()
    report, cases = defaultdict(list), Counter()
    for identity, headers in identities.items():
        for operation in operations:
            for mode in MAX_EXAMPLES:
                cases[identity] += fuzz(operation, mode, headers, report[identity])
    elapsed = time.monotonic() - started
    summary = "\n".join(f"{identity}: {cases[identity]} cases, {len(report[identity])} failures"
                        for identity in identities)
    print(f"{len(operations)} operations, {sum(cases.values())} cases in {elapsed:.0f} s\n"
          f"{summary}")
    failures = [failure for identity in identities for failure in report[identity]]
    if os.environ.get("SCF_SCHEMATHESIS_REPORT"):  # the whole report, for whoever fixes them
        with open(os.environ["SCF_SCHEMATHESIS_REPORT"], "w") as report_file:
            report_file.write("\n".join(failures))
    kinds = Counter(failure.split(": ", 1)[0] for failure in failures)
    assert not failures, (f"{summary}\n\n" + "\n".join(f"{n} x {kind}" for kind, n in
                                                        kinds.most_common()) + "\n\n"
                          + "\n".join(failures[:30]))
