"""Every persona onboarded through the public API from an empty platform (issue 13, item 0):
the platform operator created as `manage.py bootstrap_platform` does, then each organisation
admitted by it, its administrator signing in, creating its users and preparing its KYC, the
platform's approver approving it, and the organisation registered on chain with its role. The
regulator then freezes a piece, its one write (the piece comes from this package's `cast`, hence
the file's place)."""

import itertools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from scf import clock
from scf.accounts.models import CHAIN_ROLES_BY_KIND, ChainRole, OrganisationKind, User
from scf.chain.contracts import platform_contract
from scf.kyc.models import KycDocument
from tests.factories import credit_code, mobile_number
from tests.kyc.documents import pdf_bytes

pytestmark = pytest.mark.django_db

K = OrganisationKind
FIRST_PASSWORD = "platform-first-password"  # noqa: S105
TEMPORARY = "temporary-password-1"  # noqa: S105  (an administrator's choice, changed at once)
OWN = "own-password-2026"  # noqa: S105
_names = itertools.count(1)


def sign_in(username: str, password: str) -> User:
    """Sign in as the web front end does and, when an administrator chose the password,
    replace it first (the API refuses anything else until then)."""
    client = APIClient()
    response = client.post("/api/auth/login", {"username": username, "password": password},
                           format="json")
    assert response.status_code == 200, response.json()
    if response.json()["password_change_required"]:
        changed = client.post("/api/auth/password", {"old_password": password, "password": OWN},
                              format="json")
        assert changed.status_code == 200, changed.json()
    return User.objects.get(username=username)


@pytest.fixture
def platform_operator(platform, monkeypatch):
    """The platform's first administrator (bootstrap_platform) and the KYC approver they add."""
    monkeypatch.setenv("SCF_BOOTSTRAP_PASSWORD", FIRST_PASSWORD)
    call_command("bootstrap_platform", name="链融平台运营有限公司", credit_code=credit_code(),
                 legal_representative="周明远", registered_address="贵阳市观山湖区",
                 username="platform_admin", person_id=mobile_number())
    admin = sign_in("platform_admin", FIRST_PASSWORD)
    client = APIClient()
    client.force_login(admin)
    created = client.post("/api/users/create", {
        "username": "platform_approver", "password": TEMPORARY, "roles": ["approver"],
        "person_id": mobile_number()}, format="json")
    # The platform's only administrator has nobody to check their grants: at once.
    assert created.status_code == 201 and created.json()["pending_grant"] is None, created.json()
    return admin, sign_in("platform_approver", TEMPORARY)


def admit(api, platform_admin, kind: str) -> tuple[dict, User]:
    """The platform operator admits an organisation with its first administrator, who signs in."""
    n = next(_names)
    organisation = api.ok(api.post(platform_admin, "/api/organisations/create", {
        "kind": kind, "name": f"{kind} 机构 {n}", "credit_code": credit_code(),
        "legal_representative": "马振东", "registered_address": "广东省佛山市南海区",
        "admin_username": f"{kind}_admin_{n}", "admin_password": TEMPORARY,
        "admin_person_id": mobile_number()}), 201)
    assert organisation["chain_address"] is None  # a member only once its KYC is approved
    return organisation, sign_in(f"{kind}_admin_{n}", TEMPORARY)


def create_user(api, admin: User, role: str) -> tuple[User, dict]:
    username = f"{admin.username}_{role}"
    body = api.ok(api.post(admin, "/api/users/create", {
        "username": username, "password": TEMPORARY, "roles": [role],
        "person_id": mobile_number()}), 201)
    return sign_in(username, TEMPORARY), body


def pass_kyc(api, preparer: User, platform_approver: User) -> dict:
    """The organisation's KYC case prepared and submitted by `preparer`, approved by the
    platform; the registerMember transaction runs when the approval commits."""
    case = api.ok(api.post(preparer, "/api/kyc/cases/create"), 201)
    for kind in KycDocument.Kind.values:
        api.ok(api.post(preparer, f"/api/kyc/cases/{case['id']}/documents", {
            "kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(kind),
                                                     content_type="application/pdf")},
            fmt="multipart"), 201)
    api.ok(api.post(preparer, f"/api/kyc/cases/{case['id']}/submit"))
    queue = api.ok(api.get(platform_approver, "/api/kyc/review-queue"))
    assert case["id"] in [c["id"] for c in queue["results"]]
    approved = api.ok(api.post(platform_approver, f"/api/kyc/cases/{case['id']}/approve",
                               {"expires_on": str(clock.today() + timedelta(days=365))}))
    assert approved["status"] == "approved"
    assert api.operation(platform_approver, approved["chain_intent"]["operation_id"])["status"] == \
        "confirmed"
    return approved


def member_roles(address: str) -> int:
    registered, roles, *_ = platform_contract("MemberRegistry").functions.memberOf(
        address).call()
    assert registered
    return roles


def test_a_regulator_onboarded_through_the_api_freezes_a_piece(api, cast, platform_operator):
    platform_admin, platform_approver = platform_operator
    organisation, admin = admit(api, platform_admin, K.REGULATOR)

    operator, _ = create_user(api, admin, "operator")
    viewer, _ = create_user(api, admin, "viewer")
    # An approver's role waits for a second administrator: the platform's decides it.
    _, created = create_user(api, admin, "approver")
    grant = created["pending_grant"]
    assert grant is not None
    decided = api.ok(api.post(platform_admin, f"/api/users/grants/{grant['id']}/approve"))
    assert decided["status"] == "executed", decided
    pass_kyc(api, admin, platform_approver)

    shown = api.ok(api.get(admin, f"/api/organisations/{organisation['id']}"))
    assert shown["chain_address"] and shown["chain_roles"] == ChainRole.REGULATOR
    assert member_roles(shown["chain_address"]) == ChainRole.REGULATOR
    me = api.ok(api.get(operator, "/api/auth/me"))
    assert me["capabilities"]["freeze"] and not me["capabilities"]["move_pieces"]

    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    reason = "（2026）粤0605执保88号 协助冻结通知书"
    assert api.post(viewer, f"/api/pieces/{token_id}/freeze",
                    {"reason": reason}).status_code == 403
    frozen = api.act(operator, f"/api/pieces/{token_id}/freeze", {"reason": reason})
    assert frozen["outcome"]["status"] == "confirmed", frozen
    assert platform_contract("VoucherLedger").functions.pieceOf(token_id).call()[6] is True

    # Still no business: the regulator moves no piece and records no trade.
    refused = api.post(operator, f"/api/pieces/{token_id}/transfer",
                       {"to_organisation": cast.tier2.pk, "amount_fen": 100})
    assert refused.status_code == 403
    assert api.post(operator, "/api/trade-contracts/create", {}).status_code == 403


@pytest.mark.parametrize("kind", [K.CORE_ENTERPRISE, K.SUPPLIER, K.BANK])
def test_each_other_kind_is_onboarded_through_the_api(api, platform_operator, kind):
    platform_admin, platform_approver = platform_operator
    organisation, admin = admit(api, platform_admin, kind)

    operator, _ = create_user(api, admin, "operator")
    pass_kyc(api, operator, platform_approver)

    shown = api.ok(api.get(admin, f"/api/organisations/{organisation['id']}"))
    assert shown["chain_address"] and member_roles(shown["chain_address"]) == \
        shown["chain_roles"] == CHAIN_ROLES_BY_KIND[kind]
