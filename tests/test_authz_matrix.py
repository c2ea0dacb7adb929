"""Authorisation matrix: every endpoint of the accounts, KYC, approvals, audit and chain
operations APIs, for an anonymous caller and for each role (admin, operator, approver, viewer)
in each kind of organisation, on an object of the caller's own organisation and on another's.

Expected outcomes follow from three rules (scf/accounts/permissions.py):
1. anonymous -> 401; a member lacking the organisation kind, role or write right -> 403;
2. another organisation's object the caller cannot see -> 404 (its existence is not revealed);
3. the platform operator and the regulator see other organisations' objects (read); writes on
   them are the platform's administration and KYC review only, everything else -> 403;
4. the regulator does no business (`write`) but administers its own organisation like any
   other (`administer`: its users, their roles and grants, its details, its KYC).
"""

import functools
import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework import serializers

from scf.accounts.grants import role_grant_propose
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import register_action, unregister_action
from scf.approvals.services import approval_propose
from scf.chain.models import ChainIntent
from scf.chain.services import chain_account_create
from scf.kyc.services import kyc_case_reject
from scf.notifications.services import notification_send
from tests.factories import (  # noqa: F401  (fixtures)
    PASSWORD,
    api_client,
    credit_code,
    fast_password_hasher,
    kyc_case_factory,
    mobile_number,
    organisation_factory,
    user_factory,
)
from tests.kyc.documents import pdf_bytes

pytestmark = pytest.mark.django_db

K = OrganisationKind
PLATFORM, CORE, SUPPLIER, BANK, REGULATOR = (K.PLATFORM, K.CORE_ENTERPRISE, K.SUPPLIER, K.BANK,
                                             K.REGULATOR)
ALL_KINDS = (PLATFORM, CORE, SUPPLIER, BANK, REGULATOR)
ROLES = (Role.ADMIN, Role.OPERATOR, Role.APPROVER, Role.VIEWER)
READS_ALL = {PLATFORM, REGULATOR}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str                       # "{}" is the target object's id
    target: str | None = None       # what the "{}" is; None: no object (own/other collapse)
    kinds: frozenset | None = None  # organisation kinds allowed (None: any)
    roles: frozenset | None = None  # roles allowed (None: any)
    write: bool = False             # needs an active, non-regulator organisation
    administer: bool = False        # needs an active organisation (the regulator's too)
    ok: int = 200
    # Kinds that see another organisation's object, and what they then get (default `ok`).
    visible: dict = field(default_factory=dict)
    own: int | None = None          # overrides `ok` on one's own object
    anonymous: int = 401

    def allows(self, kind, role) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.roles is None or role in self.roles)
                and (not self.write or kind != REGULATOR))

    def expected(self, kind, role, scope) -> int:
        if kind is None:
            return self.anonymous
        if self.own is not None and scope == "own":
            return self.own
        if not self.allows(kind, role):
            return 403
        if scope == "other":
            return self.visible.get(kind, 404)
        return self.ok


def see(kinds, status=None):
    """Those kinds see another organisation's object and get `status` (None: the success)."""
    return {kind: status for kind in kinds}


def E(name, method, path, target=None, *, kinds=None, roles=None, visible=None, ok=None,
      **kwargs):
    ok = ok or (201 if path.endswith(("/create", "/documents", "/propose")) else 200)
    visible = {k: (v if v is not None else ok) for k, v in (visible or {}).items()}
    return Endpoint(name, method, path, target, frozenset(kinds) if kinds else None,
                    frozenset(roles) if roles else None, ok=ok, visible=visible, **kwargs)


PREPARERS = {Role.OPERATOR, Role.ADMIN}
ENDPOINTS = [
    # authentication
    E("csrf", "GET", "/api/auth/csrf", anonymous=200),
    E("logout", "POST", "/api/auth/logout", ok=204, anonymous=204),
    E("me", "GET", "/api/auth/me"),
    E("token-rotate", "POST", "/api/auth/token/rotate"),
    E("tokens-revoke", "POST", "/api/auth/tokens/revoke", ok=204),
    E("password-change", "POST", "/api/auth/password"),
    # the second factor: approvers of banks and core enterprises (confirm without enrolment: 409)
    E("totp-enrol", "POST", "/api/auth/totp/enrol", kinds={BANK, CORE}, roles={Role.APPROVER},
      ok=201),
    E("totp-confirm", "POST", "/api/auth/totp/confirm", ok=409),
    # organisations
    E("org-list", "GET", "/api/organisations"),
    # the member directory: every member reads it (what it lists depends on who asks)
    E("member-directory", "GET", "/api/members/directory"),
    E("money-capitals", "GET", "/api/money/capitals?fen=100"),
    E("org-detail", "GET", "/api/organisations/{}", "organisation", visible=see(READS_ALL)),
    E("org-create", "POST", "/api/organisations/create", kinds={PLATFORM}, roles={Role.ADMIN},
      write=True),
    E("org-update", "POST", "/api/organisations/{}/update", "organisation",
      roles={Role.ADMIN}, administer=True, visible={PLATFORM: 200, REGULATOR: 403}),
    E("org-suspend", "POST", "/api/organisations/{}/suspend", "organisation",
      kinds={PLATFORM}, roles={Role.ADMIN}, write=True, visible=see({PLATFORM})),
    # A suspended organisation cannot reinstate itself: its users only read.
    E("org-reinstate", "POST", "/api/organisations/{}/reinstate", "suspended_organisation",
      kinds={PLATFORM}, roles={Role.ADMIN}, write=True, visible=see({PLATFORM}), own=403),
    # users of my organisation (never another's, not even for the platform)
    E("user-list", "GET", "/api/users"),
    E("user-create", "POST", "/api/users/create", roles={Role.ADMIN}, administer=True),
    E("user-detail", "GET", "/api/users/{}", "user"),
    E("user-roles", "POST", "/api/users/{}/roles", "user", roles={Role.ADMIN}, administer=True),
    # role grants: an admin of the grantee's organisation or of the platform decides (the
    # regulator reads every request but decides its own organisation's only)
    E("grant-approve", "POST", "/api/users/grants/{}/approve", "grant", roles={Role.ADMIN},
      administer=True, visible={PLATFORM: 200, REGULATOR: 403}),
    E("grant-reject", "POST", "/api/users/grants/{}/reject", "grant", roles={Role.ADMIN},
      administer=True, visible={PLATFORM: 200, REGULATOR: 403}),
    # account controls: the organisation's administrator, and the platform's for anyone's users
    *[E(f"user-{action}", "POST", f"/api/users/{{}}/{action}", "user", roles={Role.ADMIN},
        administer=True, visible=see({PLATFORM}))
      for action in ("deactivate", "reactivate", "reset-password", "unlock")],
    # KYC
    E("kyc-list", "GET", "/api/kyc/cases"),
    E("kyc-create", "POST", "/api/kyc/cases/create", roles=PREPARERS, administer=True),
    E("kyc-detail", "GET", "/api/kyc/cases/{}", "kyc_draft", visible=see(READS_ALL)),
    E("kyc-upload", "POST", "/api/kyc/cases/{}/documents", "kyc_draft", roles=PREPARERS,
      administer=True, visible=see(READS_ALL, 403)),
    E("kyc-submit", "POST", "/api/kyc/cases/{}/submit", "kyc_draft", roles=PREPARERS,
      administer=True, visible=see(READS_ALL, 403)),
    E("kyc-resubmit", "POST", "/api/kyc/cases/{}/resubmit", "kyc_rejected", roles=PREPARERS,
      administer=True, visible=see(READS_ALL, 403)),
    E("kyc-queue", "GET", "/api/kyc/review-queue", kinds={PLATFORM}),
    E("kyc-approve", "POST", "/api/kyc/cases/{}/approve", "kyc_submitted", kinds={PLATFORM},
      roles={Role.APPROVER}, write=True, visible=see({PLATFORM})),
    E("kyc-reject", "POST", "/api/kyc/cases/{}/reject", "kyc_submitted", kinds={PLATFORM},
      roles={Role.APPROVER}, write=True, visible=see({PLATFORM})),
    E("kyc-download", "GET", "/api/kyc/documents/{}/download", "document",
      visible={PLATFORM: 200, REGULATOR: 403}),
    # maker-checker
    E("approval-list", "GET", "/api/approvals"),
    E("approval-propose", "POST", "/api/approvals/propose", roles={Role.OPERATOR}, write=True),
    E("approval-detail", "GET", "/api/approvals/{}", "approval", visible=see({REGULATOR})),
    E("approval-approve", "POST", "/api/approvals/{}/approve", "approval",
      roles={Role.APPROVER}, write=True),
    E("approval-reject", "POST", "/api/approvals/{}/reject", "approval",
      roles={Role.APPROVER}, write=True),
    # audit log
    E("audit-list", "GET", "/api/audit/entries"),
    E("audit-verify", "GET", "/api/audit/verify", kinds=READS_ALL),
    # chain operations
    E("operation-list", "GET", "/api/operations"),
    E("operation-detail", "GET", "/api/operations/{}", "operation", visible=see(READS_ALL)),
    # notifications: one's own only, reading them is not a write
    E("notification-list", "GET", "/api/notifications"),
    E("notification-read", "POST", "/api/notifications/{}/read", "notification"),
]

ACTORS = [(None, None)] + list(itertools.product(ALL_KINDS, ROLES))


def _cases():
    for endpoint in ENDPOINTS:
        for kind, role in ACTORS:
            scopes = ["own", "other"] if endpoint.target and kind else ["other" if kind is None
                                                                          else "none"]
            for scope in scopes:
                yield pytest.param(endpoint, kind, role, scope,
                                   id=f"{endpoint.name}-{kind or 'anonymous'}-{role or ''}-{scope}")


@functools.cache
def _pdf() -> bytes:
    return pdf_bytes()


def _body(endpoint: Endpoint) -> tuple[dict | None, str]:
    future = str(timezone.localdate() + timedelta(days=30))
    bodies = {
        "org-create": {"kind": "bank", "name": "矩阵银行", "credit_code": credit_code(),
                       "legal_representative": "赵六", "registered_address": "贵阳"},
        "org-update": {"registered_address": "新地址"},
        "org-suspend": {"reason": "matrix"},
        "user-create": {"username": f"matrix-{credit_code()}", "password": "matrix-password",
                        "roles": ["viewer"], "person_id": mobile_number()},
        "user-roles": {"roles": ["viewer"]},
        "user-reset-password": {"password": "matrix-temporary-password"},
        "password-change": {"old_password": PASSWORD, "password": "matrix-own-password-2"},
        "totp-confirm": {"otp": "123456"},
        "kyc-approve": {"expires_on": future},
        "kyc-reject": {"reason": "matrix"},
        "approval-propose": {"action": "matrix.noop", "summary": "s", "payload": {"n": 1}},
        "approval-reject": {"reason": "matrix"},
        "grant-reject": {"reason": "matrix"},
    }
    if endpoint.name == "kyc-upload":
        return {"kind": "business_licence",
                "file": SimpleUploadedFile("licence.pdf", _pdf(), "application/pdf")}, "multipart"
    return bodies.get(endpoint.name), "json"


class World:
    """The caller's organisation and one other (a supplier), with the target object in the
    organisation the scope names; built lazily, only what the endpoint needs."""

    def __init__(self, kind):
        self.own_org = organisation_factory(kind) if kind else None
        self.other_org = organisation_factory(SUPPLIER)
        self._reviewer = None

    def reviewer(self):
        if self._reviewer is None:
            self._reviewer = user_factory(organisation_factory(PLATFORM), Role.APPROVER)
        return self._reviewer

    def target(self, what: str, organisation: Organisation) -> int:
        preparer = user_factory(organisation, Role.OPERATOR)
        if what in ("organisation", "suspended_organisation"):
            if what == "suspended_organisation":
                Organisation.objects.filter(pk=organisation.pk).update(status="suspended")
            return organisation.pk
        if what == "user":
            return user_factory(organisation, Role.VIEWER).pk
        if what == "kyc_draft":
            return kyc_case_factory(organisation, preparer, submit=False).pk
        if what == "kyc_submitted":
            return kyc_case_factory(organisation, preparer).pk
        if what == "kyc_rejected":
            case = kyc_case_factory(organisation, preparer)
            return kyc_case_reject(case=case, actor=self.reviewer(), reason="matrix").pk
        if what == "document":
            case = kyc_case_factory(organisation, preparer, submit=False)
            return case.documents.first().pk
        if what == "approval" and organisation.kind == REGULATOR:
            # The regulator proposes nothing; a row of its own still tests reading it.
            return ApprovalRequest.objects.create(organisation=organisation, action="matrix.noop",
                                                  payload={"n": 1}, summary="matrix",
                                                  proposed_by=preparer).pk
        if what == "grant":
            proposer = user_factory(organisation, Role.ADMIN)
            return role_grant_propose(actor=proposer, target=preparer, roles=["approver"]).pk
        if what == "approval":
            return approval_propose(user=preparer, action="matrix.noop", payload={"n": 1},
                                    summary="matrix").pk
        if what == "operation":
            account = chain_account_create(label="matrix")
            Organisation.objects.filter(pk=organisation.pk).update(chain_account=account)
            return ChainIntent.objects.create(
                idempotency_key=f"matrix-{account.address}", sender=account,
                contract="MemberRegistry", function="reinstateMember", args=[]).pk
        if what == "notification":
            return notification_send(organisation=organisation, kind="matrix",
                                     title="matrix").pk
        raise AssertionError(what)


class NoopInput(serializers.Serializer):
    n = serializers.IntegerField()


@pytest.fixture(autouse=True)
def matrix_setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    register_action("matrix.noop", lambda *, payload, approver: {"ok": True},
                    input_serializer=NoopInput)
    yield
    unregister_action("matrix.noop")


@pytest.mark.parametrize(("endpoint", "kind", "role", "scope"), list(_cases()))
def test_authorisation(endpoint: Endpoint, kind, role, scope):
    world = World(kind)
    user = user_factory(world.own_org, role) if kind else None
    path = endpoint.path
    if endpoint.target:
        organisation = world.own_org if scope == "own" else world.other_org
        path = path.format(world.target(endpoint.target, organisation))
    body, fmt = _body(endpoint)
    client = api_client(user)

    # every write of these APIs is a POST
    response = (client.get(path) if endpoint.method == "GET"
                else client.post(path, body, format=fmt))

    expected = endpoint.expected(kind, role, scope)
    detail = response.json() if response.get("Content-Type") == "application/json" else ""
    assert response.status_code == expected, detail
    if response.status_code >= 400:
        assert set(detail) == {"message", "code", "extra"}


def test_the_matrix_covers_every_endpoint_of_these_apps():
    from django.urls import get_resolver

    apps = {"scf.accounts.urls", "scf.kyc.urls", "scf.approvals.urls", "scf.audit.urls",
            "scf.chain.urls", "scf.notifications.urls"}
    covered = {endpoint.path.split("?")[0].replace("{}", "<id:pk>") for endpoint in ENDPOINTS}
    covered -= {"/api/money/capitals"}  # in the matrix, but routed by scf/urls.py itself
    covered |= {"/api/auth/login", "/api/auth/token"}  # anonymous by design, tested elsewhere
    routes = set()
    for pattern in get_resolver().url_patterns:
        module = getattr(getattr(pattern, "urlconf_name", None), "__name__", None)
        if str(pattern.pattern) == "api/" and module in apps:
            for sub in pattern.url_patterns:
                routes.add(f"/api/{sub.pattern}")
    assert routes == covered
