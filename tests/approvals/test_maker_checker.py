import pytest
from rest_framework import serializers

from scf.accounts.models import OrganisationKind, Role
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import register_action, unregister_action
from scf.approvals.services import approval_approve, approval_propose, approval_reject
from scf.audit.models import AuditEntry
from scf.errors import ApplicationError
from tests.factories import api_client, user_factory

pytestmark = pytest.mark.django_db

handled = []


class GreetingInput(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1)
    note = serializers.CharField()


def greet(*, payload, approver):
    handled.append((payload, approver.username))
    return {"greeted": payload["note"], "by": approver.username}


def explode(*, payload, approver, approval):
    # Something the handler wrote must not survive its failure.
    approval.organisation.__class__.objects.filter(pk=approval.organisation_id).update(
        name="written by a failing handler")
    raise ApplicationError("额度不足 / Credit line exhausted", code="credit_exhausted",
                           extra={"needed": 5})


@pytest.fixture(autouse=True)
def dummy_actions():
    handled.clear()
    register_action("test.greet", greet, input_serializer=GreetingInput)
    register_action("test.explode", explode)
    register_action("test.banks_only", greet, organisation_kinds=[OrganisationKind.BANK])
    yield
    for name in ("test.greet", "test.explode", "test.banks_only"):
        unregister_action(name)


@pytest.fixture
def proposal(supplier_operator):
    return approval_propose(user=supplier_operator, action="test.greet",
                            payload={"amount_fen": 100, "note": "hello"}, summary="问候 100 分")


def test_a_different_approver_of_the_same_organisation_executes_the_action(
        proposal, supplier_operator, supplier_approver):
    response = api_client(supplier_approver).post(f"/api/approvals/{proposal.pk}/approve")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "executed"
    assert body["proposed_by"] == supplier_operator.username
    assert body["decided_by"] == supplier_approver.username
    assert body["result"] == {"greeted": "hello", "by": supplier_approver.username}
    assert handled == [({"amount_fen": 100, "note": "hello"}, supplier_approver.username)]
    assert list(AuditEntry.objects.order_by("sequence").values_list("action", "actor")) == [
        ("approval.propose", supplier_operator.pk), ("approval.approve", supplier_approver.pk)]


def test_the_proposer_cannot_approve_their_own_request(proposal, supplier_org):
    proposer = proposal.proposed_by
    from scf.accounts.models import UserRole

    UserRole.objects.create(user=proposer, role=Role.APPROVER)  # even holding both roles

    response = api_client(proposer).post(f"/api/approvals/{proposal.pk}/approve")

    assert response.status_code == 403
    assert "经办人不能复核自己的请求" in response.json()["message"]
    assert ApprovalRequest.objects.get().status == "proposed" and handled == []


def test_a_user_of_another_organisation_cannot_approve(proposal, other_supplier_operator):
    response = api_client(other_supplier_operator).post(f"/api/approvals/{proposal.pk}/approve")

    assert response.status_code == 404  # does not even see it
    with pytest.raises(ApplicationError) as excinfo:
        approval_approve(request=proposal, user=other_supplier_operator)
    assert excinfo.value.status_code == 403
    assert handled == []


def test_a_non_approver_cannot_approve(proposal, supplier_org, supplier_admin):
    operator = user_factory(supplier_org, Role.OPERATOR)

    assert api_client(operator).post(f"/api/approvals/{proposal.pk}/approve").status_code == 403
    assert api_client(supplier_admin).post(
        f"/api/approvals/{proposal.pk}/approve").status_code == 403
    with pytest.raises(ApplicationError) as excinfo:
        approval_approve(request=proposal, user=operator)
    assert excinfo.value.status_code == 403
    assert handled == []


def test_a_decided_request_cannot_be_decided_again(proposal, supplier_org, supplier_approver):
    second = user_factory(supplier_org, Role.APPROVER)
    approval_approve(request=proposal, user=supplier_approver)

    assert api_client(second).post(f"/api/approvals/{proposal.pk}/approve").status_code == 409
    assert api_client(second).post(f"/api/approvals/{proposal.pk}/reject",
                                   {"reason": "late"}, format="json").status_code == 409
    assert len(handled) == 1


def test_rejection_records_the_reason_and_runs_nothing(proposal, supplier_approver):
    response = api_client(supplier_approver).post(
        f"/api/approvals/{proposal.pk}/reject", {"reason": "金额有误 / wrong amount"},
        format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "金额有误 / wrong amount"
    assert handled == []
    with pytest.raises(ApplicationError):
        approval_reject(request=proposal, user=supplier_approver, reason="again")


def test_a_failing_handler_leaves_the_request_failed_and_nothing_else(
        supplier_operator, supplier_approver, supplier_org):
    name = supplier_org.name
    request = approval_propose(user=supplier_operator, action="test.explode", payload={},
                               summary="boom")

    request = approval_approve(request=request, user=supplier_approver)

    assert request.status == "failed"
    assert request.result == {"error": "额度不足 / Credit line exhausted",
                              "code": "credit_exhausted", "extra": {"needed": 5}}
    assert request.decided_by == supplier_approver
    supplier_org.refresh_from_db()
    assert supplier_org.name == name


def test_propose_through_the_api_validates_the_payload(supplier_operator):
    client = api_client(supplier_operator)

    bad = client.post("/api/approvals/propose", {"action": "test.greet", "summary": "s",
                                                 "payload": {"amount_fen": 0}}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]["payload"]) == {"amount_fen", "note"}

    direct_only = client.post("/api/approvals/propose",
                              {"action": "test.explode", "summary": "s", "payload": {}},
                              format="json")
    assert direct_only.status_code == 400
    assert "action" in direct_only.json()["extra"]["fields"]

    unknown = client.post("/api/approvals/propose",
                          {"action": "nope", "summary": "s", "payload": {}}, format="json")
    assert unknown.status_code == 400

    ok = client.post("/api/approvals/propose",
                     {"action": "test.greet", "summary": "问候",
                      "payload": {"amount_fen": 5, "note": "hi"}}, format="json")
    assert ok.status_code == 201
    assert ok.json()["status"] == "proposed" and ok.json()["payload"] == {"amount_fen": 5,
                                                                           "note": "hi"}


def test_only_operators_propose_and_only_allowed_organisation_kinds(
        supplier_org, supplier_approver, supplier_operator, regulator_user):
    viewer = user_factory(supplier_org, Role.VIEWER)
    payload = {"action": "test.greet", "summary": "s", "payload": {"amount_fen": 5, "note": "x"}}

    assert api_client(viewer).post("/api/approvals/propose", payload,
                                   format="json").status_code == 403
    assert api_client(supplier_approver).post("/api/approvals/propose", payload,
                                              format="json").status_code == 403
    assert api_client(regulator_user).post("/api/approvals/propose", payload,
                                           format="json").status_code == 403
    with pytest.raises(ApplicationError) as excinfo:
        approval_propose(user=supplier_operator, action="test.banks_only", payload={},
                         summary="s")
    assert excinfo.value.status_code == 403


def test_lists_show_my_organisation_and_what_awaits_me(
        proposal, supplier_approver, other_supplier_operator, regulator_user):
    approval_propose(user=other_supplier_operator, action="test.greet",
                     payload={"amount_fen": 1, "note": "other"}, summary="other")

    mine = api_client(supplier_approver).get("/api/approvals?awaiting_me=true").json()
    assert [r["id"] for r in mine["results"]] == [proposal.pk]
    proposer_view = api_client(proposal.proposed_by).get("/api/approvals?awaiting_me=true")
    assert proposer_view.json()["count"] == 0
    assert api_client(regulator_user).get("/api/approvals").json()["count"] == 2
    assert api_client(other_supplier_operator).get(
        f"/api/approvals/{proposal.pk}").status_code == 404


def test_registering_an_action_twice_is_an_error():
    with pytest.raises(ValueError, match="already registered"):
        register_action("test.greet", greet)
