import pytest

from scf.accounts.models import Organisation, OrganisationKind, Role, User
from scf.accounts.services import (
    member_ref_hash,
    organisation_chain_account_ensure,
    organisation_reinstate,
    organisation_suspend,
)
from scf.audit.models import AuditEntry
from scf.chain.models import ChainIntent
from scf.chain.services import intent_enqueue, operator_chain_account
from tests.factories import api_client, credit_code, organisation_factory, user_factory

pytestmark = pytest.mark.django_db


def new_organisation_payload(**overrides):
    payload = {
        "kind": "supplier",
        "name": "常州新材料科技有限公司",
        "credit_code": credit_code(),
        "legal_representative": "李四",
        "registered_address": "江苏省常州市新北区",
        "bank_account_name": "常州新材料科技有限公司",
        "bank_name": "中国银行常州分行",
        "bank_account_number": "4657 0000 1234",
        "admin_username": "czxcl-admin",
        "admin_password": "first-admin-password",
        "admin_email": "admin@czxcl.example",
        "admin_person_id": "13912345678",
    }
    payload.update(overrides)
    return payload


def test_platform_admin_creates_an_organisation_with_its_first_administrator(platform_admin):
    payload = new_organisation_payload()

    response = api_client(platform_admin).post("/api/organisations/create", payload,
                                               format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_code"] == payload["credit_code"]
    assert body["bank_account"] == {"name": "常州新材料科技有限公司", "bank": "中国银行常州分行",
                                    "number": "4657 0000 1234"}
    assert body["status"] == "active" and body["chain_address"] is None
    admin = User.objects.get(username="czxcl-admin")
    assert admin.organisation_id == body["id"] and admin.role_names == {Role.ADMIN}
    assert admin.check_password("first-admin-password")
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["organisation.create", "user.create"]


def test_a_wrong_check_character_is_a_field_error_in_both_languages(platform_admin):
    code = credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    response = api_client(platform_admin).post(
        "/api/organisations/create", new_organisation_payload(credit_code=wrong), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "message": "输入有误 / Invalid input", "code": "validation_error",
        "extra": {"fields": {"credit_code": [
            "统一社会信用代码校验位错误 / "
            "Invalid check character in the unified social credit code"]}}}
    assert not Organisation.objects.filter(credit_code=wrong).exists()


def test_a_credit_code_is_registered_once(platform_admin, supplier_org):
    response = api_client(platform_admin).post(
        "/api/organisations/create",
        new_organisation_payload(credit_code=supplier_org.credit_code.lower()), format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["credit_code"] == [
        "该统一社会信用代码已登记 / An organisation with this unified social credit code "
        "already exists"]


def test_nothing_is_half_written_when_the_first_admin_is_refused(platform_admin, supplier_admin):
    payload = new_organisation_payload(admin_username=supplier_admin.username)

    response = api_client(platform_admin).post("/api/organisations/create", payload,
                                               format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["username"]
    assert not Organisation.objects.filter(credit_code=payload["credit_code"]).exists()
    assert not AuditEntry.objects.exists()


def test_lists_are_scoped_and_filterable(platform_admin, supplier_admin, regulator_user):
    organisation_factory(OrganisationKind.BANK)

    own = api_client(supplier_admin).get("/api/organisations").json()
    everyone = api_client(regulator_user).get("/api/organisations").json()
    banks = api_client(platform_admin).get("/api/organisations?kind=bank").json()

    assert [o["id"] for o in own["results"]] == [supplier_admin.organisation_id]
    assert everyone["count"] == Organisation.objects.count() == 4
    assert [o["kind"] for o in banks["results"]] == ["bank"]


def test_an_organisation_admin_edits_its_details_and_the_change_is_audited(supplier_admin):
    client = api_client(supplier_admin)
    org_id = supplier_admin.organisation_id

    response = client.post(f"/api/organisations/{org_id}/update",
                           {"registered_address": "苏州市吴中区 1 号", "credit_code": "x"},
                           format="json")

    assert response.status_code == 200
    assert response.json()["registered_address"] == "苏州市吴中区 1 号"
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before["registered_address"] != entry.after["registered_address"]
    assert entry.after["credit_code"] == entry.before["credit_code"]  # ignored, never changes


def _registered(organisation):
    """The organisation as KYC approval leaves it: a chain account and a register intent."""
    account = organisation_chain_account_ensure(organisation=organisation)
    intent_enqueue(sender=operator_chain_account(), contract="MemberRegistry",
                   function="registerMember", args=[account.address, 2, 2_000_000_000,
                                                    member_ref_hash(organisation)],
                   idempotency_key=f"member-register:{organisation.pk}:1")
    return account


def test_suspension_and_reinstatement_are_mirrored_on_chain(platform_admin, supplier_org):
    account = _registered(supplier_org)
    client = api_client(platform_admin)

    suspended = client.post(f"/api/organisations/{supplier_org.pk}/suspend",
                            {"reason": "涉嫌虚假贸易 / suspected fictitious trade"},
                            format="json")
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    again = client.post(f"/api/organisations/{supplier_org.pk}/suspend", {"reason": "x"},
                        format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    reinstated = client.post(f"/api/organisations/{supplier_org.pk}/reinstate")
    assert reinstated.status_code == 200 and reinstated.json()["status"] == "active"

    suspend, reinstate = ChainIntent.objects.exclude(function="registerMember").order_by("pk")
    operator = operator_chain_account()
    assert (suspend.sender, suspend.contract, suspend.function) == (
        operator, "MemberRegistry", "suspendMember")
    assert suspend.args[0] == account.address
    assert suspend.args[1].startswith("0x") and len(suspend.args[1]) == 66
    assert "虚假" not in str(suspend.args)  # only the reason's hash goes on chain
    assert suspend.idempotency_key == f"member-suspend:{supplier_org.pk}:1"
    assert suspend.requested_by == platform_admin
    assert (reinstate.function, reinstate.args) == ("reinstateMember", [account.address])
    assert reinstate.idempotency_key == f"member-reinstate:{supplier_org.pk}:2"
    assert list(AuditEntry.objects.filter(action__startswith="organisation.")
                .order_by("sequence").values_list("action", flat=True)) == [
        "organisation.suspend", "organisation.reinstate"]


def test_suspending_an_organisation_never_registered_sends_nothing(platform_admin, supplier_org):
    organisation_suspend(organisation=supplier_org, actor=platform_admin, reason="KYC 未完成")
    organisation_reinstate(organisation=supplier_org, actor=platform_admin)

    assert not ChainIntent.objects.exists()


def test_member_ref_hash_is_opaque(supplier_org):
    ref = member_ref_hash(supplier_org)

    assert ref.startswith("0x") and len(ref) == 66
    assert supplier_org.credit_code not in ref and supplier_org.name not in ref


def test_users_of_my_organisation(supplier_admin, supplier_org, other_supplier_operator):
    client = api_client(supplier_admin)
    viewer = user_factory(supplier_org, Role.VIEWER)

    created = client.post("/api/users/create",
                          {"username": "wang.wu", "password": "a-long-password",
                           "roles": ["operator", "approver"], "display_name": "王五",
                           "person_id": "13911112222"},
                          format="json")
    assert created.status_code == 201, created.json()
    # operator at once; approver waits for a second administrator (tests/accounts/test_grants.py)
    assert created.json()["roles"] == ["operator"]
    assert created.json()["pending_grant"]["status"] == "proposed"
    assert "password" not in created.json()

    listed = client.get("/api/users").json()
    assert {u["username"] for u in listed["results"]} == {
        supplier_admin.username, viewer.username, "wang.wu"}
    operators = client.get("/api/users?role=operator").json()
    assert [u["username"] for u in operators["results"]] == ["wang.wu"]
    assert client.get(f"/api/users/{other_supplier_operator.pk}").status_code == 404

    roles = client.post(f"/api/users/{viewer.pk}/roles", {"roles": ["viewer", "operator"]},
                        format="json")
    assert roles.status_code == 200 and roles.json()["roles"] == ["operator", "viewer"]
    bad = client.post(f"/api/users/{viewer.pk}/roles", {"roles": ["owner"]}, format="json")
    assert bad.status_code == 400 and "roles" in bad.json()["extra"]["fields"]
    self_demote = client.post(f"/api/users/{supplier_admin.pk}/roles", {"roles": ["viewer"]},
                              format="json")
    assert self_demote.status_code == 400


def test_short_password_is_refused_in_both_languages(supplier_admin):
    response = api_client(supplier_admin).post(
        "/api/users/create", {"username": "u1", "password": "short", "roles": ["viewer"]},
        format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["password"] == [
        "密码至少 8 位 / The password must have at least 8 characters"]


def test_bootstrap_platform_creates_the_operator_once(monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setenv("SCF_BOOTSTRAP_PASSWORD", "bootstrap-password")
    arguments = ["bootstrap_platform", "--name", "链融平台", "--credit-code", credit_code(),
                 "--legal-representative", "周七", "--registered-address", "贵阳市",
                 "--username", "root-admin", "--person-id", "13987654321"]

    call_command(*arguments)
    call_command(*arguments)

    platform = Organisation.objects.get(kind="platform")
    admin = User.objects.get(username="root-admin")
    assert admin.organisation == platform and admin.role_names == {Role.ADMIN}
    assert "already exists" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="organisation.create").actor is None
