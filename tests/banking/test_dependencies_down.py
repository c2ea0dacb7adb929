"""A dependency down while a bank approves, each a real closed port. The broker (Redis): the
operation commits, the answer is the usual 202, and the outbox's resume task executes it once
the broker is back. The node: a 503 in the one shape, nothing done, and the same request goes
through once the node is back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banking.models import CreditLineChange
from scf.accounts.models import Role
from scf.chain.models import ChainIntent
from scf.chain.node import free_port
from scf.chain.outbox import intents_resume
from tests.banking.conftest import line_of
from tests.broker import broker_down

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_approval_with_the_broker_down_commits_answers_202_and_is_executed_later(
        world, settings, caplog):
    bank, core = world.bank2, world.core
    expires_on = timezone.localdate() + timedelta(days=365)
    change = world.client(bank, Role.OPERATOR).post(
        "/api/credit-line-changes/create",
        {"core_enterprise": core.pk, "limit_fen": 500_000_000, "expires_on": str(expires_on)},
        format="json").json()

    with broker_down(settings):
        response = world.client(bank, Role.APPROVER).post(
            f"/api/credit-line-changes/{change['id']}/approve")

        assert response.status_code == 202, response.content
        body = response.json()
        assert body["status"] == "pending" and body["final"] is False
        intent = ChainIntent.objects.get(pk=body["operation_id"])
        assert intent.status == ChainIntent.Status.PENDING  # committed, waiting for a worker
        assert "broker unreachable" in caplog.text
        assert line_of(bank, core)["limit"] == 0  # nothing on chain yet

    # the broker is back (eager here): the periodic resume task finds the intent and runs it
    assert intents_resume(older_than=timedelta(0)) >= 1
    intent.refresh_from_db()
    assert intent.status == ChainIntent.Status.CONFIRMED
    assert line_of(bank, core)["limit"] == 500_000_000
    assert CreditLineChange.objects.get(pk=change["id"]).status == "applied"


def test_an_approval_with_the_node_down_answers_in_the_one_shape_and_loses_nothing(
        world, settings):
    bank, core = world.bank2, world.core
    expires_on = timezone.localdate() + timedelta(days=365)
    change = world.client(bank, Role.OPERATOR).post(
        "/api/credit-line-changes/create",
        {"core_enterprise": core.pk, "limit_fen": 500_000_000, "expires_on": str(expires_on)},
        format="json").json()
    node = settings.SCF_CHAIN_RPC_URL
    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"

    approver = world.client(bank, Role.APPROVER)

    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")

    assert response.status_code == 503, response.content  # asked of the node before committing
    assert response.json()["code"] == "chain_unavailable"
    assert set(response.json()) == {"message", "code", "extra"}
    assert CreditLineChange.objects.get(pk=change["id"]).status == "proposed"  # nothing done
    settings.SCF_CHAIN_RPC_URL = node  # the node is back: the same request goes through
    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")
    assert response.status_code == 202 and response.json()["status"] == "confirmed"
    assert line_of(bank, core)["limit"] == 500_000_000
