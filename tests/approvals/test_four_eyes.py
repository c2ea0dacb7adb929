"""A person who proposed something never approves it, whichever account they use. One person
holds one account per organisation, so their second account is in another organisation: the
platform's, whose administrators decide role grants and whose approvers review KYC."""

import pytest

from scf.accounts.models import OrganisationKind, Role, User
from scf.accounts.persons import MSG_SAME_PERSON
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import register_action, unregister_action
from scf.approvals.services import approval_approve, approval_propose
from scf.errors import ApplicationError
from tests.factories import (
    api_client,
    kyc_case_factory,
    mobile_number,
    organisation_factory,
    user_factory,
)

pytestmark = pytest.mark.django_db

P = "13712345678"  # the one natural person behind two accounts


@pytest.fixture
def checked_by_platform():
    register_action("test.platform_checked", lambda *, payload, approver: {"ok": True},
                    platform_decides=True)
    yield
    unregister_action("test.platform_checked")


def test_a_proposal_by_person_p_cannot_be_approved_by_ps_other_account(
        checked_by_platform, supplier_org, platform_org):
    account_a = user_factory(supplier_org, Role.OPERATOR, person_id=P)
    account_b = user_factory(platform_org, Role.APPROVER, person_id=f"+86 {P}")
    proposal = approval_propose(user=account_a, action="test.platform_checked", payload={},
                                summary="s")

    with pytest.raises(ApplicationError) as refused:
        approval_approve(request=proposal, user=account_b)

    assert refused.value.status_code == 403 and refused.value.code == "same_person"
    assert refused.value.message == MSG_SAME_PERSON
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    someone_else = user_factory(platform_org, Role.APPROVER)
    assert approval_approve(request=proposal, user=someone_else).status == "executed"


def test_an_admin_cannot_approve_their_own_grant_from_their_platform_account(
        supplier_org, platform_org, platform_admin):
    account_a = user_factory(supplier_org, Role.ADMIN, person_id=P)
    account_b = user_factory(platform_org, Role.ADMIN, person_id=P)
    created = api_client(account_a).post("/api/users/create", {
        "username": "accomplice", "password": "a-long-password", "roles": ["approver"],
        "person_id": mobile_number()}, format="json")
    grant = created.json()["pending_grant"]["id"]

    response = api_client(account_b).post(f"/api/users/grants/{grant}/approve")

    assert response.status_code == 403
    assert response.json() == {"message": MSG_SAME_PERSON, "code": "same_person", "extra": {}}
    assert not User.objects.get(username="accomplice").has_role(Role.APPROVER)
    assert api_client(platform_admin).post(
        f"/api/users/grants/{grant}/approve").json()["status"] == "executed"


def test_the_approver_created_by_an_admin_cannot_approve_that_admins_proposals_at_once(
        supplier_org):
    """The reported defect: an admin (also an operator) creates an approver and proposes."""
    admin = user_factory(supplier_org, Role.ADMIN, Role.OPERATOR)
    register_action("test.pay", lambda *, payload, approver: {"paid": True})
    try:
        created = api_client(admin).post("/api/users/create", {
            "username": "rubber-stamp", "password": "a-long-password", "roles": ["approver"],
            "person_id": mobile_number()}, format="json")
        stamp = User.objects.get(username="rubber-stamp")
        proposal = approval_propose(user=admin, action="test.pay", payload={}, summary="pay")

        response = api_client(stamp).post(f"/api/approvals/{proposal.pk}/approve")
    finally:
        unregister_action("test.pay")

    assert created.status_code == 201 and created.json()["roles"] == []
    assert response.status_code == 403
    assert ApprovalRequest.objects.get(pk=proposal.pk).status == "proposed"


def test_kyc_is_never_reviewed_by_another_account_of_its_submitter(
        settings, tmp_path, platform_org):
    settings.MEDIA_ROOT = tmp_path / "media"
    supplier = user_factory(organisation_factory(OrganisationKind.SUPPLIER), Role.OPERATOR,
                            person_id=P)
    reviewer = user_factory(platform_org, Role.APPROVER, person_id=P)
    case = kyc_case_factory(supplier.organisation, supplier)

    response = api_client(reviewer).post(f"/api/kyc/cases/{case.pk}/reject",
                                         {"reason": "自审 / self-review"}, format="json")

    assert response.status_code == 403 and response.json()["code"] == "same_person"
    case.refresh_from_db()
    assert case.status == "submitted"
    other = user_factory(platform_org, Role.APPROVER)
    assert api_client(other).post(f"/api/kyc/cases/{case.pk}/reject", {"reason": "缺件"},
                                  format="json").status_code == 200

