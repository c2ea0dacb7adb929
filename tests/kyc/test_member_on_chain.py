"""End to end on a real anvil node: KYC approval, suspension, reinstatement and re-approval
after expiry become facts in the MemberRegistry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scf.accounts.services import member_kyc_expiry_seconds, member_ref_hash
from scf.chain.contracts import platform_contract
from scf.chain.deployment import ensure_deployed
from scf.chain.models import ChainIntent
from scf.kyc.services import kyc_case_expire
from tests.factories import api_client, kyc_case_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(platform_chain, compiled_contracts, db):
    return ensure_deployed(artifacts=compiled_contracts)


def member_of(address):
    registered, roles, expiry, suspended, ref = platform_contract(
        "MemberRegistry").functions.memberOf(address).call()
    return {"registered": registered, "roles": roles, "expiry": expiry,
            "suspended": suspended, "ref": "0x" + ref.hex()}


def test_kyc_decisions_reach_the_member_registry(
        platform, supplier_org, supplier_operator, platform_approver, platform_admin,
        django_capture_on_commit_callbacks):
    case = kyc_case_factory(supplier_org, supplier_operator)
    expires_on = timezone.localdate() + timedelta(days=180)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(platform_approver).post(
            f"/api/kyc/cases/{case.pk}/approve", {"expires_on": str(expires_on)},
            format="json")
    assert response.status_code == 200

    supplier_org.refresh_from_db()
    address = supplier_org.chain_account.address
    intent = ChainIntent.objects.get(function="registerMember")
    assert intent.status == ChainIntent.Status.CONFIRMED, intent.error_message
    assert member_of(address) == {"registered": True, "roles": 2,
                                  "expiry": member_kyc_expiry_seconds(expires_on),
                                  "suspended": False, "ref": member_ref_hash(supplier_org)}

    admin = api_client(platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/api/organisations/{supplier_org.pk}/suspend", {"reason": "调查中"},
                   format="json")
    assert member_of(address)["suspended"] is True
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/api/organisations/{supplier_org.pk}/reinstate")
    assert member_of(address)["suspended"] is False

    kyc_case_expire(case=case, today=expires_on + timedelta(days=1))
    new_expiry = expires_on + timedelta(days=365)
    api_client(supplier_operator).post(f"/api/kyc/cases/{case.pk}/resubmit")
    with django_capture_on_commit_callbacks(execute=True):
        api_client(platform_approver).post(f"/api/kyc/cases/{case.pk}/approve",
                                           {"expires_on": str(new_expiry)}, format="json")

    update = ChainIntent.objects.get(function="updateMember")
    assert update.status == ChainIntent.Status.CONFIRMED, update.error_message
    assert member_of(address)["expiry"] == member_kyc_expiry_seconds(new_expiry)
    assert not ChainIntent.objects.filter(status=ChainIntent.Status.FAILED).exists()
