"""Private keys are never returned by the API nor logged."""

import logging
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from scf.chain.keys import decrypt_private_key
from scf.chain.models import ChainAccount
from tests.factories import PASSWORD, api_client, kyc_case_factory

pytestmark = pytest.mark.django_db

HEX64 = re.compile(r"(?<![0-9a-fA-F])(?:0x)?([0-9a-fA-F]{64})(?![0-9a-fA-F])")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_no_response_or_log_line_holds_a_private_key(
        caplog, supplier_org, supplier_operator, supplier_admin, platform_admin,
        platform_approver, regulator_user):
    caplog.set_level(logging.DEBUG)
    responses = []
    case = kyc_case_factory(supplier_org, supplier_operator)
    approved = api_client(platform_approver).post(
        f"/api/kyc/cases/{case.pk}/approve",
        {"expires_on": str(timezone.localdate() + timedelta(days=90))}, format="json")
    responses.append(approved)
    responses.append(api_client(platform_admin).post(
        f"/api/organisations/{supplier_org.pk}/suspend", {"reason": "test"}, format="json"))
    responses.append(api_client().post("/api/auth/login", {"username": supplier_admin.username,
                                                           "password": PASSWORD},
                                       format="json"))
    organisation_id = supplier_org.pk
    for user in (platform_admin, regulator_user, supplier_admin):
        client = api_client(user)
        for path in ("/api/auth/me", "/api/organisations", f"/api/organisations/{organisation_id}",
                     "/api/users", "/api/kyc/cases", f"/api/kyc/cases/{case.pk}",
                     "/api/kyc/review-queue", "/api/approvals", "/api/audit/entries",
                     "/api/schema"):
            responses.append(client.get(path))

    accounts = list(ChainAccount.objects.all())
    assert len(accounts) == 2  # the supplier's and the operator's
    secrets = {decrypt_private_key(a.encrypted_key).lower().removeprefix("0x") for a in accounts}
    secrets.add(settings.SCF_CHAIN_OPERATOR_KEY.lower().removeprefix("0x"))
    encrypted = {a.encrypted_key for a in accounts}
    texts = [r.content.decode() for r in responses] + [caplog.text]
    assert approved.json()["status"] == "approved"
    for text in texts:
        assert "encrypted_key" not in text
        for token in encrypted:
            assert token not in text
        for match in HEX64.findall(text):
            assert match.lower() not in secrets
