"""Granting the approver or administrator role is itself maker-checker: an organisation's admin
proposes, a second admin of that organisation (another person) or the platform's admin
approves; until then the user lacks the role."""

import pytest

from scf.accounts.grants import ROLE_GRANT_ACTION
from scf.accounts.models import Role, User
from scf.accounts.services import user_create, user_roles_set
from scf.approvals.models import ApprovalRequest
from scf.audit.models import AuditEntry
from scf.errors import ApplicationError
from tests.factories import api_client, mobile_number, user_factory

pytestmark = pytest.mark.django_db


def create_user(admin, roles, username="zhao.liu"):
    return api_client(admin).post("/api/users/create", {
        "username": username, "password": "a-long-password", "roles": roles,
        "person_id": mobile_number()}, format="json")


@pytest.fixture
def pending(supplier_admin):
    response = create_user(supplier_admin, ["approver", "operator"])
    assert response.status_code == 201, response.json()
    return ApprovalRequest.objects.get(pk=response.json()["pending_grant"]["id"])


def test_an_admin_creating_an_approver_gets_a_pending_grant_not_an_approver(supplier_admin):
    response = create_user(supplier_admin, ["approver", "operator"])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["roles"] == ["operator"]
    assert body["pending_grant"]["status"] == "proposed"
    assert body["pending_grant"]["url"] == f"/api/approvals/{body['pending_grant']['id']}"
    user = User.objects.get(username="zhao.liu")
    assert not user.has_role(Role.APPROVER)
    grant = ApprovalRequest.objects.get()
    assert (grant.action, grant.organisation_id, grant.proposed_by) == (
        ROLE_GRANT_ACTION, supplier_admin.organisation_id, supplier_admin)
    assert grant.payload == {"user": user.pk, "username": "zhao.liu", "roles": ["approver"]}
    assert list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True)) == [
        "user.create", "approval.propose", "user.role_grant_propose"]


def test_operator_and_viewer_grants_stay_immediate(supplier_admin):
    response = create_user(supplier_admin, ["viewer", "operator"])

    assert response.json()["roles"] == ["operator", "viewer"]
    assert response.json()["pending_grant"] is None
    assert not ApprovalRequest.objects.exists()


def test_the_proposing_admin_cannot_approve_the_grant(pending, supplier_admin):
    response = api_client(supplier_admin).post(f"/api/users/grants/{pending.pk}/approve")

    assert response.status_code == 403
    assert response.json()["code"] == "same_person"
    assert "经办人不能复核自己的请求" in response.json()["message"]
    pending.refresh_from_db()
    assert pending.status == "proposed"
    assert not User.objects.get(username="zhao.liu").has_role(Role.APPROVER)


def test_a_second_admin_of_the_organisation_approves_and_the_grant_is_audited(
        pending, supplier_org, supplier_admin):
    second = user_factory(supplier_org, Role.ADMIN)

    response = api_client(second).post(f"/api/users/grants/{pending.pk}/approve")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "executed"
    assert response.json()["decided_by"] == second.username
    user = User.objects.get(username="zhao.liu")
    assert user.role_names == {Role.APPROVER, Role.OPERATOR}
    entry = AuditEntry.objects.get(action="user.role_grant")
    assert entry.actor_id == second.pk and entry.organisation_id == supplier_org.pk
    assert entry.before["roles"] == ["operator"]
    assert entry.after["roles"] == ["approver", "operator"]
    assert entry.after["proposed_by"] == supplier_admin.pk
    assert AuditEntry.objects.filter(action="approval.approve", actor=second).exists()


def test_the_platform_admin_sees_and_approves_a_grant_of_any_organisation(
        pending, platform_admin):
    client = api_client(platform_admin)

    listed = client.get(f"/api/approvals?action={ROLE_GRANT_ACTION}&awaiting_me=true").json()
    assert [r["id"] for r in listed["results"]] == [pending.pk]
    response = client.post(f"/api/users/grants/{pending.pk}/approve")

    assert response.status_code == 200, response.json()
    assert User.objects.get(username="zhao.liu").has_role(Role.APPROVER)


def test_an_approver_cannot_decide_a_grant_only_an_admin(pending, supplier_approver,
                                                         other_supplier_operator):
    generic = api_client(supplier_approver).post(f"/api/approvals/{pending.pk}/approve")

    assert generic.status_code == 403
    assert generic.json()["message"] == "需要管理员角色 / The administrator role is required"
    other_admin = user_factory(other_supplier_operator.organisation, Role.ADMIN)
    assert api_client(other_admin).post(
        f"/api/users/grants/{pending.pk}/approve").status_code == 404
    assert ApprovalRequest.objects.get().status == "proposed"


def test_a_rejected_grant_leaves_the_user_without_the_role(pending, supplier_org):
    second = user_factory(supplier_org, Role.ADMIN)

    response = api_client(second).post(f"/api/users/grants/{pending.pk}/reject",
                                       {"reason": "未经授权 / not authorised"}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not User.objects.get(username="zhao.liu").has_role(Role.APPROVER)


def test_adding_a_privileged_role_to_a_user_is_a_grant_and_the_grantee_cannot_approve_it(
        supplier_admin, supplier_org):
    colleague = user_factory(supplier_org, Role.ADMIN)  # an admin who wants to approve too
    client = api_client(supplier_admin)

    response = client.post(f"/api/users/{colleague.pk}/roles",
                           {"roles": ["admin", "approver", "viewer"]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["roles"] == ["admin", "viewer"]
    grant = ApprovalRequest.objects.get(pk=response.json()["pending_grant"]["id"])
    assert grant.payload["roles"] == ["approver"]
    own = api_client(colleague).post(f"/api/users/grants/{grant.pk}/approve")
    assert own.status_code == 403 and own.json()["code"] == "same_person"
    assert own.json()["message"] == ("不能批准授予自己的角色 / You cannot approve a role granted "
                                     "to yourself")
    again = client.post(f"/api/users/{colleague.pk}/roles", {"roles": ["admin", "approver"]},
                        format="json")
    assert again.status_code == 409 and again.json()["code"] == "grant_pending"
    removed = client.post(f"/api/users/{colleague.pk}/roles", {"roles": ["viewer"]},
                          format="json")
    assert removed.status_code == 200 and removed.json()["roles"] == ["viewer"]
    assert removed.json()["pending_grant"] is None


def test_the_platforms_only_admin_grants_at_once_until_it_has_a_second(platform_admin,
                                                                      platform_org):
    alone = user_create(actor=platform_admin, organisation=platform_org, username="p-approver",
                        password="a-long-password", roles=["approver"],
                        person_id=mobile_number())
    assert alone.has_role(Role.APPROVER) and alone.pending_grant is None
    second = user_factory(platform_org, Role.ADMIN)

    later = user_create(actor=platform_admin, organisation=platform_org, username="p-approver-2",
                        password="a-long-password", roles=["approver"],
                        person_id=mobile_number())

    assert not later.has_role(Role.APPROVER) and later.pending_grant is not None
    with pytest.raises(ApplicationError) as refused:
        from scf.approvals.services import approval_approve
        approval_approve(request=later.pending_grant, user=platform_admin)
    assert refused.value.code == "same_person"
    api_client(second).post(f"/api/users/grants/{later.pending_grant.pk}/approve")
    assert User.objects.get(username="p-approver-2").has_role(Role.APPROVER)


def test_a_grant_to_a_user_who_left_fails_cleanly(pending, supplier_org, supplier_admin):
    second = user_factory(supplier_org, Role.ADMIN)
    User.objects.filter(username="zhao.liu").update(is_active=False)

    response = api_client(second).post(f"/api/users/grants/{pending.pk}/approve")

    assert response.status_code == 200 and response.json()["status"] == "failed"
    assert response.json()["result"]["code"] == "grant_target_gone"
    assert not User.objects.get(username="zhao.liu").has_role(Role.APPROVER)
    with pytest.raises(ApplicationError):
        user_roles_set(target=supplier_admin, actor=supplier_admin, roles=["viewer"])


def test_with_two_platform_admins_an_organisations_first_admin_waits_for_the_second(
        platform_admin, platform_org):
    from tests.accounts.test_organisations import new_organisation_payload

    second = user_factory(platform_org, Role.ADMIN)

    created = api_client(platform_admin).post("/api/organisations/create",
                                              new_organisation_payload(), format="json")

    assert created.status_code == 201, created.json()
    first_admin = User.objects.get(username="czxcl-admin")
    assert first_admin.role_names == set()
    grant = ApprovalRequest.objects.get(action=ROLE_GRANT_ACTION)
    assert grant.organisation_id == created.json()["id"] and grant.proposed_by == platform_admin
    assert api_client(platform_admin).post(
        f"/api/users/grants/{grant.pk}/approve").json()["code"] == "same_person"
    assert api_client(second).post(
        f"/api/users/grants/{grant.pk}/approve").json()["status"] == "executed"
    assert User.objects.get(username="czxcl-admin").role_names == {Role.ADMIN}
