"""/api/auth/me's capabilities (scf/accounts/capabilities.py): written out here per persona, and
checked against the API itself: a capability is false exactly when its endpoint answers 403."""

import pytest
from django.urls import resolve

from scf.accounts.capabilities import CAPABILITIES, capabilities_for
from scf.accounts.models import Organisation, OrganisationKind, Role
from tests.factories import api_client, member_factory, organisation_factory

pytestmark = pytest.mark.django_db

K = OrganisationKind
OP, AP, AD, VI = Role.OPERATOR, Role.APPROVER, Role.ADMIN, Role.VIEWER
READS = {
    K.PLATFORM: {"read_credit_lines", "read_financing", "see_kyc_queue", "verify_audit"},
    K.CORE_ENTERPRISE: {"read_credit_lines"},
    K.SUPPLIER: {"read_financing"},
    K.BANK: {"read_credit_lines", "read_financing"},
    K.REGULATOR: {"read_credit_lines", "read_financing", "verify_audit"},
}
# What each persona may do besides its organisation's reads (READS).
EXPECTED = {
    (K.PLATFORM, OP): {"prepare_kyc", "propose_approval"},
    (K.PLATFORM, AP): {"review_kyc", "decide_approval"},
    (K.PLATFORM, AD): {"prepare_kyc", "manage_organisations", "manage_users",
                    "edit_organisation"},
    (K.PLATFORM, VI): set(),
    (K.CORE_ENTERPRISE, OP): {"record_trade", "record_invoice", "issue_voucher", "prepare_kyc",
                              "propose_approval"},
    (K.CORE_ENTERPRISE, AP): {"approve_issue", "confirm_clearing", "decide_approval"},
    (K.CORE_ENTERPRISE, AD): {"prepare_kyc", "manage_users", "edit_organisation"},
    (K.CORE_ENTERPRISE, VI): set(),
    (K.SUPPLIER, OP): {"record_invoice", "respond_voucher", "move_pieces", "apply_financing",
                       "prepare_kyc", "propose_approval"},
    (K.SUPPLIER, AP): {"decide_approval"},
    (K.SUPPLIER, AD): {"prepare_kyc", "manage_users", "edit_organisation"},
    (K.SUPPLIER, VI): set(),
    (K.BANK, OP): {"move_pieces", "propose_credit_line", "quote", "disburse", "prepare_kyc",
                   "propose_approval"},
    (K.BANK, AP): {"decide_credit_line", "decide_financing", "disburse", "decide_approval"},
    (K.BANK, AD): {"prepare_kyc", "manage_users", "edit_organisation"},
    (K.BANK, VI): set(),
    # The regulator does no business, but administers its own organisation (users, KYC).
    (K.REGULATOR, OP): {"freeze", "prepare_kyc"},
    (K.REGULATOR, AP): {"freeze"},
    (K.REGULATOR, AD): {"freeze", "prepare_kyc", "manage_users", "edit_organisation"},
    (K.REGULATOR, VI): set(),
}
PERSONAS = sorted(EXPECTED)

# The endpoint each capability stands for; "0" is an object that does not exist: the
# permission classes answer before any lookup, so an allowed caller gets 400 or 404, never 403.
ENDPOINTS = {
    "record_trade": ("post", "/api/trade-contracts/create"),
    "record_invoice": ("post", "/api/invoices/create"),
    "issue_voucher": ("post", "/api/vouchers/issue"),
    "respond_voucher": ("post", "/api/vouchers/0/accept"),
    "move_pieces": ("post", "/api/pieces/0/transfer"),
    "freeze": ("post", "/api/pieces/0/freeze"),
    "read_credit_lines": ("get", "/api/credit-lines"),
    "propose_credit_line": ("post", "/api/credit-line-changes/create"),
    "decide_credit_line": ("post", "/api/credit-line-changes/0/approve"),
    "read_financing": ("get", "/api/financing/applications"),
    "apply_financing": ("post", "/api/financing/applications/create"),
    "quote": ("post", "/api/financing/applications/0/quote"),
    "decide_financing": ("post", "/api/financing/quotes/0/approve"),
    "disburse": ("post", "/api/financing/applications/0/disburse"),
    "confirm_clearing": ("post", "/api/clearing/batches/0/confirm"),
    "prepare_kyc": ("post", "/api/kyc/cases/create"),
    "see_kyc_queue": ("get", "/api/kyc/review-queue"),
    "review_kyc": ("post", "/api/kyc/cases/0/approve"),
    "propose_approval": ("post", "/api/approvals/propose"),
    "decide_approval": ("post", "/api/approvals/0/approve"),
    # approve_issue: the approvals endpoint (decide_approval) on a voucher.issue request, which
    # only a core enterprise can propose (test below).
    "approve_issue": ("post", "/api/approvals/0/approve"),
    "verify_audit": ("get", "/api/audit/verify"),
    "manage_organisations": ("post", "/api/organisations/create"),
    "manage_users": ("post", "/api/users/create"),
    "edit_organisation": ("post", "/api/organisations/0/update"),
}


def test_every_capability_names_its_endpoint_and_that_endpoint_uses_its_permission_classes():
    assert set(ENDPOINTS) == set(CAPABILITIES)
    for name, (method, path) in ENDPOINTS.items():
        view = resolve(path).func.view_class
        assert hasattr(view, method), (name, path)
        declared = list(view.permission_classes)
        used = [c for c in CAPABILITIES[name] if not c.__name__.startswith("MayUseApproval")]
        assert used and all(c in declared for c in used), (name, declared, used)


@pytest.mark.parametrize(("kind", "role"), PERSONAS)
def test_the_capabilities_of_each_persona(kind, role):
    user = member_factory(kind, role)

    granted = {name for name, allowed in capabilities_for(user).items() if allowed}

    assert granted == EXPECTED[(kind, role)] | READS[kind]


def test_a_suspended_organisation_keeps_its_reads_only():
    user = member_factory(K.SUPPLIER, OP)
    Organisation.objects.filter(pk=user.organisation_id).update(
        status=Organisation.Status.SUSPENDED)
    user.refresh_from_db()

    granted = {name for name, allowed in capabilities_for(user).items() if allowed}

    assert granted == {"read_financing"}


@pytest.mark.parametrize(("kind", "role"), PERSONAS)
def test_the_api_answers_403_exactly_where_a_capability_is_false(kind, role):
    user = member_factory(kind, role)
    client = api_client(user)
    capabilities = client.get("/api/auth/me").json()["capabilities"]
    assert set(capabilities) == set(CAPABILITIES)

    wrong = {}
    for name, (method, path) in ENDPOINTS.items():
        if name == "approve_issue":
            continue
        status = getattr(client, method)(path, {}, format="json").status_code
        if (status == 403) == capabilities[name]:
            wrong[name] = (capabilities[name], status)

    assert wrong == {}


def test_only_a_core_enterprise_approver_can_approve_an_issue(settings):
    """A bank approver may decide approvals, but no bank can propose a voucher issue, so there is
    never one for it to approve: its approve_issue is false."""
    bank = organisation_factory(K.BANK)
    bank_operator, bank_approver = member_factory(K.BANK, OP, organisation=bank), \
        member_factory(K.BANK, AP, organisation=bank)
    core_approver = member_factory(K.CORE_ENTERPRISE, AP)

    response = api_client(bank_operator).post(
        "/api/vouchers/issue", {}, format="json")

    assert response.status_code == 403
    assert capabilities_for(bank_approver)["decide_approval"] is True
    assert capabilities_for(bank_approver)["approve_issue"] is False
    assert capabilities_for(core_approver)["approve_issue"] is True
