from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from scf.accounts.services import member_kyc_expiry_seconds, member_ref_hash
from scf.audit.models import AuditEntry
from scf.chain.models import ChainIntent
from scf.errors import InvalidStateError
from scf.kyc.models import KycCase
from scf.kyc.services import kyc_case_approve, kyc_case_expire, kyc_case_resubmit
from scf.kyc.tasks import kyc_expire_due_task
from tests.factories import api_client, kyc_case_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_case(supplier_org, supplier_operator, platform_approver):
    case = kyc_case_factory(supplier_org, supplier_operator)
    return kyc_case_approve(case=case, actor=platform_approver,
                            expires_on=timezone.localdate() + timedelta(days=10))


def test_the_command_expires_cases_past_their_date_only(approved_case, capsys):
    expires_on = approved_case.expires_on

    call_command("kyc_expire", today=expires_on)  # still valid on its last day
    assert KycCase.objects.get().status == "approved"

    call_command("kyc_expire", today=expires_on + timedelta(days=1))
    assert KycCase.objects.get().status == "expired"
    assert "expired 1 KYC case(s)" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="kyc.expire")
    assert entry.actor is None and entry.before["status"] == "approved"


def test_the_periodic_task_expires_due_cases(approved_case):
    KycCase.objects.filter(pk=approved_case.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1))

    assert kyc_expire_due_task.delay().get() == [approved_case.pk]
    assert KycCase.objects.get().status == "expired"


def test_a_valid_case_is_not_expired_early(approved_case):
    with pytest.raises(InvalidStateError):
        kyc_case_expire(case=approved_case)


def test_reapproval_after_expiry_updates_the_member(approved_case, supplier_org,
                                                    supplier_operator, platform_approver):
    kyc_case_expire(case=approved_case, today=approved_case.expires_on + timedelta(days=1))
    supplier_org.refresh_from_db()
    account = supplier_org.chain_account

    resubmitted = api_client(supplier_operator).post(
        f"/api/kyc/cases/{approved_case.pk}/resubmit")
    assert resubmitted.status_code == 200
    new_expiry = timezone.localdate() + timedelta(days=400)
    approved = api_client(platform_approver).post(
        f"/api/kyc/cases/{approved_case.pk}/approve", {"expires_on": str(new_expiry)},
        format="json")

    assert approved.status_code == 200
    register, update = ChainIntent.objects.order_by("pk")
    assert register.function == "registerMember"
    assert update.function == "updateMember"
    assert update.args == [account.address, 2, member_kyc_expiry_seconds(new_expiry),
                           member_ref_hash(supplier_org)]
    assert update.idempotency_key == f"member-update:{supplier_org.pk}:{approved_case.pk}:2"
    supplier_org.refresh_from_db()
    assert supplier_org.chain_account == account  # the same account, no new key


def test_a_failed_registration_is_registered_again_on_reapproval(
        approved_case, supplier_org, platform_approver, supplier_operator):
    ChainIntent.objects.update(status=ChainIntent.Status.FAILED)
    kyc_case_expire(case=approved_case, today=approved_case.expires_on + timedelta(days=1))
    case = kyc_case_resubmit(case=approved_case, actor=supplier_operator)

    kyc_case_approve(case=case, actor=platform_approver,
                     expires_on=timezone.localdate() + timedelta(days=5))

    retry = ChainIntent.objects.order_by("pk").last()
    assert retry.function == "registerMember"
    assert retry.idempotency_key == f"member-register:{supplier_org.pk}:{case.pk}:2"
