"""Credit lines (授信) through the API, maker-checker, against the real CreditLines contract."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banking.models import CreditLine, CreditLineChange
from banking.services import credit_lines_expire_due
from scf import clock
from scf.accounts.models import Role
from scf.approvals.models import ApprovalRequest
from scf.chain.apis import OperationAcceptedSerializer
from scf.notifications.models import Notification
from tests.banking.conftest import DAY, issue, line_of
from tests.factories import api_client, user_factory

pytestmark = pytest.mark.django_db(transaction=True)


def propose(client, core, limit_fen, expires_on):
    return client.post("/api/credit-line-changes/create",
                       {"core_enterprise": core.pk, "limit_fen": limit_fen,
                        "expires_on": str(expires_on)}, format="json")


def test_grant_adjust_freeze_with_maker_checker_visible_to_bank_and_core(world):
    bank, core = world.bank2, world.core
    operator = world.client(bank, Role.OPERATOR)
    approver = world.client(bank, Role.APPROVER)
    expires_on = timezone.localdate() + timedelta(days=365)

    response = propose(operator, core, 500_000_000, expires_on)
    assert response.status_code == 201, response.json()
    change = response.json()
    assert change["status"] == "proposed" and change["line"] is None
    assert change["limit_yuan"] == "5,000,000.00"
    assert ApprovalRequest.objects.get(pk=change["approval"]["id"]).action == "credit_line.set"
    assert not CreditLine.objects.exists()  # nothing takes effect before the checker
    assert line_of(bank, core)["limit"] == 0

    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["error"] is None
    assert body["final"] is True
    assert set(OperationAcceptedSerializer().fields) <= set(body)  # the one 202 shape
    assert body["operation_url"] == f"/api/operations/{body['operation_id']}"
    assert body["function"] == "setLine"
    assert body["change"]["status"] == "applied"
    line_id = body["line"]["id"]
    assert line_of(bank, core) == {"limit": 500_000_000, "used": 0,
                                   "expiry": clock.end_of_day(expires_on), "frozen": False}

    # used grows with issuance; both sides see the same figures, equal to the chain's
    issue(core, bank, world.supplier, 120_000_000)
    for client in (operator, world.client(core, Role.VIEWER), world.client(bank, Role.VIEWER)):
        response = client.get("/api/credit-lines")
        assert response.status_code == 200
        [line] = response.json()["results"]
        chain = line_of(bank, core)
        assert line["id"] == line_id and line["status"] == "active"
        assert line["use"]["limit_fen"] == chain["limit"] == 500_000_000
        assert line["use"]["used_fen"] == chain["used"] == 120_000_000
        assert line["use"]["available_fen"] == 380_000_000
        assert line["use"]["available_yuan"] == "3,800,000.00"
        assert line["use"]["expiry"] == chain["expiry"]
    # another bank sees nothing of it
    assert world.client(world.bank).get(f"/api/credit-lines/{line_id}").status_code == 404
    assert world.client(world.bank).get("/api/credit-lines").json()["count"] == 0

    # adjust: raise the limit, later expiry
    later = expires_on + timedelta(days=90)
    change = propose(operator, core, 800_000_000, later).json()
    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")
    assert response.status_code == 202 and response.json()["status"] == "confirmed"
    assert line_of(bank, core)["limit"] == 800_000_000
    assert line_of(bank, core)["expiry"] == clock.end_of_day(later)
    line = CreditLine.objects.get(pk=line_id)
    assert (line.limit_fen, line.expires_on) == (800_000_000, later)

    # freeze and unfreeze: the approver alone
    assert world.client(bank, Role.OPERATOR).post(
        f"/api/credit-lines/{line_id}/freeze").status_code == 403
    response = approver.post(f"/api/credit-lines/{line_id}/freeze")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "confirmed"
    assert response.json()["line"]["status"] == "frozen"
    assert response.json()["line"]["use"]["available_fen"] == 0
    assert line_of(bank, core)["frozen"] is True
    assert approver.post(f"/api/credit-lines/{line_id}/freeze").status_code == 409
    response = approver.post(f"/api/credit-lines/{line_id}/unfreeze")
    assert response.status_code == 202 and response.json()["line"]["status"] == "active"
    assert line_of(bank, core)["frozen"] is False

    # the history, for the bank; what took effect, for the core enterprise
    history = operator.get(f"/api/credit-line-changes?line={line_id}").json()["results"]
    assert [(c["kind"], c["status"]) for c in history] == [
        ("unfreeze", "applied"), ("freeze", "applied"), ("set", "applied"), ("set", "applied")]
    core_view = world.client(core, Role.VIEWER).get("/api/credit-line-changes").json()
    assert core_view["count"] == 4
    assert Notification.objects.filter(organisation=core, kind="credit_line.changed").count() == 4


def test_lowering_below_used_is_refused_with_the_decoded_error(world):
    bank, core = world.bank2, world.core
    operator, approver = world.client(bank, Role.OPERATOR), world.client(bank, Role.APPROVER)
    expires_on = timezone.localdate() + timedelta(days=365)
    change = propose(operator, core, 500_000_000, expires_on).json()
    approver.post(f"/api/credit-line-changes/{change['id']}/approve")
    issue(core, bank, world.supplier, 300_000_000)

    response = propose(operator, core, 100_000_000, expires_on)

    assert response.status_code == 409
    body = response.json()
    assert body["extra"]["error"] == "CreditLinesLimitBelowUsed"
    assert body["extra"]["args"]["used"] == 300_000_000
    assert body["extra"]["args"]["limit"] == 100_000_000
    assert CreditLineChange.objects.count() == 1

    # still fine at proposal, no longer at approval: refused, and the proposal stays proposed
    change = propose(operator, core, 400_000_000, expires_on).json()
    issue(core, bank, world.supplier, 150_000_000)
    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")
    assert response.status_code == 409
    assert response.json()["extra"]["error"] == "CreditLinesLimitBelowUsed"
    assert CreditLineChange.objects.get(pk=change["id"]).status == "proposed"
    assert ApprovalRequest.objects.get(pk=change["approval"]["id"]).status == "proposed"
    assert line_of(bank, core)["limit"] == 500_000_000


def test_the_proposer_cannot_approve_and_rejection_changes_nothing(world):
    bank, core = world.bank2, world.core
    both = user_factory(bank, Role.OPERATOR, Role.APPROVER)
    change = propose(api_client(both), core, 100_000_000,
                     timezone.localdate() + timedelta(days=30)).json()

    response = api_client(both).post(f"/api/credit-line-changes/{change['id']}/approve")
    assert response.status_code == 403
    assert "经办人不能复核自己的请求" in response.json()["message"]

    response = world.client(bank, Role.APPROVER).post(
        f"/api/credit-line-changes/{change['id']}/reject", {"reason": "额度过高"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert world.client(bank, Role.APPROVER).post(
        f"/api/credit-line-changes/{change['id']}/approve").status_code == 409
    assert not CreditLine.objects.exists() and line_of(bank, core)["limit"] == 0


def test_a_failed_set_line_leaves_the_line_as_it_was(world, travel):
    """The chain refuses (here: the bank's membership expired on chain, which the database did
    not know): 202 with the decoded error, the change failed, the line untouched."""
    bank, core = world.bank2, world.core
    operator, approver = world.client(bank, Role.OPERATOR), world.client(bank, Role.APPROVER)
    change = propose(operator, core, 100_000_000,
                     timezone.localdate() + timedelta(days=800)).json()
    travel(400 * DAY)  # past the members' KYC expiry on chain

    response = approver.post(f"/api/credit-line-changes/{change['id']}/approve")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "failed"
    assert body["error"]["name"] == "CreditLinesNotMember"
    assert body["change"]["status"] == "failed"
    assert body["change"]["error"]["name"] == "CreditLinesNotMember"
    assert body["line"] is None and not CreditLine.objects.exists()


def test_expired_lines_are_marked_by_the_periodic_task(world):
    bank, core = world.bank2, world.core
    expires_on = timezone.localdate() + timedelta(days=10)
    change = propose(world.client(bank), core, 100_000_000, expires_on).json()
    world.client(bank, Role.APPROVER).post(f"/api/credit-line-changes/{change['id']}/approve")

    assert credit_lines_expire_due(today=expires_on) == []
    [line_id] = credit_lines_expire_due(today=expires_on + timedelta(days=1))

    line = CreditLine.objects.get(pk=line_id)
    assert line.status == "expired"
    assert line.changes.filter(kind="expire", status="applied").exists()
    assert Notification.objects.filter(kind="credit_line.expired").count() == 2
