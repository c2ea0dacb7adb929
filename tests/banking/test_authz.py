"""Authorisation matrix over every banking endpoint: anonymous, each organisation kind × role
(admin, operator, approver, viewer), on an object of the caller's own organisation and on one
between other organisations. The rules are those of tests/test_authz_matrix.py:

1. anonymous -> 401; a member lacking the organisation kind, role or write right -> 403;
2. another organisation's object the caller cannot see -> 404;
3. the platform operator and the regulator read every object, and write none of these.

"Own" means related to the caller's organisation in its natural part: the bank that granted a
line or was asked to finance, the core enterprise holding the line or owing the clearing, the
supplier that applied, a holder in a clearing batch.

The objects are database rows only (no chain), in states or with bodies that stop an allowed
write in the service or its input check (400/409) before anything is sent: getting there proves
the caller passed authorisation. One test per endpoint walks every actor and scope (about 40
requests), which keeps the matrix fast."""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from banking.models import (
    ClearingBatch,
    ClearingItem,
    CreditLine,
    CreditLineChange,
    FinancingAddressee,
    FinancingApplication,
    FinancingQuote,
)
from scf.accounts.models import Organisation, OrganisationKind, Role
from tests.factories import api_client, organisation_factory, user_factory

pytestmark = pytest.mark.django_db

K = OrganisationKind
PLATFORM, CORE, SUPPLIER, BANK, REGULATOR = (K.PLATFORM, K.CORE_ENTERPRISE, K.SUPPLIER, K.BANK,
                                             K.REGULATOR)
ALL_KINDS = (PLATFORM, CORE, SUPPLIER, BANK, REGULATOR)
ROLES = (Role.ADMIN, Role.OPERATOR, Role.APPROVER, Role.VIEWER)
READS_ALL = {PLATFORM, REGULATOR}
LINE_READERS = {BANK, CORE, PLATFORM, REGULATOR}
FINANCING_READERS = {SUPPLIER, BANK, PLATFORM, REGULATOR}
# Which kinds an object of each target type is "own" to.
RELATED = {"line_active": {BANK, CORE}, "line_frozen": {BANK, CORE}, "change": {BANK, CORE},
           "application": {SUPPLIER, BANK}, "quote": {SUPPLIER, BANK},
           "batch": {CORE, SUPPLIER, BANK}}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str                       # "{}" is the target object's id
    target: str | None = None
    kinds: frozenset | None = None  # organisation kinds allowed (None: any)
    roles: frozenset | None = None  # roles allowed (None: any)
    write: bool = False
    ok: int = 200                   # an allowed caller on its own object
    body: dict | None = field(default=None)

    def allows(self, kind, role) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.roles is None or role in self.roles)
                and (not self.write or kind != REGULATOR))

    def expected(self, kind, role, scope) -> int:
        if kind is None:
            return 401
        if not self.allows(kind, role):
            return 403
        if self.target is None or (scope == "own" and kind in RELATED[self.target]):
            return self.ok
        if self.method == "GET" and kind in READS_ALL:
            return self.ok
        return 404


def E(name, method, path, target=None, *, kinds=None, roles=None, **kwargs) -> Endpoint:
    return Endpoint(name, method, path, target, frozenset(kinds) if kinds else None,
                    frozenset(roles) if roles else None, **kwargs)


OP, AP = Role.OPERATOR, Role.APPROVER
REASON = {"reason": "matrix"}
ENDPOINTS = [
    # credit lines
    E("credit-line-list", "GET", "/api/credit-lines", kinds=LINE_READERS),
    E("credit-line-detail", "GET", "/api/credit-lines/{}", "line_active", kinds=LINE_READERS),
    E("credit-line-freeze", "POST", "/api/credit-lines/{}/freeze", "line_frozen",
      kinds={BANK}, roles={AP}, write=True, ok=409),
    E("credit-line-unfreeze", "POST", "/api/credit-lines/{}/unfreeze", "line_active",
      kinds={BANK}, roles={AP}, write=True, ok=409),
    E("change-list", "GET", "/api/credit-line-changes", kinds=LINE_READERS),
    E("change-create", "POST", "/api/credit-line-changes/create", kinds={BANK}, roles={OP},
      write=True, ok=400, body={}),
    E("change-detail", "GET", "/api/credit-line-changes/{}", "change", kinds=LINE_READERS),
    E("change-approve", "POST", "/api/credit-line-changes/{}/approve", "change", kinds={BANK},
      roles={AP}, write=True, ok=409),
    E("change-reject", "POST", "/api/credit-line-changes/{}/reject", "change", kinds={BANK},
      roles={AP}, write=True, ok=409, body=REASON),
    # financing
    E("application-list", "GET", "/api/financing/applications", kinds=FINANCING_READERS),
    E("application-create", "POST", "/api/financing/applications/create", kinds={SUPPLIER},
      roles={OP}, write=True, ok=400, body={}),
    E("application-detail", "GET", "/api/financing/applications/{}", "application",
      kinds=FINANCING_READERS),
    E("application-withdraw", "POST", "/api/financing/applications/{}/withdraw",
      "application", kinds={SUPPLIER}, roles={OP}, write=True, ok=409),
    E("application-quote", "POST", "/api/financing/applications/{}/quote", "application",
      kinds={BANK}, roles={OP}, write=True, ok=400, body={}),
    E("application-decline", "POST", "/api/financing/applications/{}/decline", "application",
      kinds={BANK}, roles={AP}, write=True, ok=400, body={}),
    E("application-disburse", "POST", "/api/financing/applications/{}/disburse",
      "application", kinds={BANK}, roles={OP, AP}, write=True, ok=400, body={}),
    E("quote-list", "GET", "/api/financing/quotes", kinds=FINANCING_READERS),
    E("quote-detail", "GET", "/api/financing/quotes/{}", "quote", kinds=FINANCING_READERS),
    E("quote-approve", "POST", "/api/financing/quotes/{}/approve", "quote", kinds={BANK},
      roles={AP}, write=True, ok=409),
    E("quote-reject", "POST", "/api/financing/quotes/{}/reject", "quote", kinds={BANK},
      roles={AP}, write=True, ok=400, body={}),
    E("quote-accept", "POST", "/api/financing/quotes/{}/accept", "quote", kinds={SUPPLIER},
      roles={OP}, write=True, ok=409),
    # clearing
    E("clearing-list", "GET", "/api/clearing/batches"),
    E("clearing-detail", "GET", "/api/clearing/batches/{}", "batch"),
    E("clearing-confirm", "POST", "/api/clearing/batches/{}/confirm", "batch", kinds={CORE},
      roles={AP}, write=True, ok=400, body={}),
]
ACTORS = [(None, None)] + list(itertools.product(ALL_KINDS, ROLES))
_token_ids = itertools.count(1)


def _party(kind: str, own: Organisation | None) -> Organisation:
    """The caller's organisation when it plays this part, else a fresh one."""
    return own if own is not None and own.kind == kind else organisation_factory(kind)


def build(target: str, own: Organisation | None) -> int:
    """The target object, related to `own` where its kind has a part in it."""
    someone = user_factory(organisation_factory(PLATFORM), Role.OPERATOR)
    if target in ("line_active", "line_frozen", "change"):
        line = CreditLine.objects.create(
            bank=_party(BANK, own), core_enterprise=_party(CORE, own), limit_fen=100,
            expires_on=date.today() + timedelta(days=30),
            status="frozen" if target == "line_frozen" else "active")
        if target != "change":
            return line.pk
        return CreditLineChange.objects.create(
            bank=line.bank, core_enterprise=line.core_enterprise, line=line, kind="set",
            status="applied", limit_fen=100, expires_on=line.expires_on).pk
    if target in ("application", "quote"):
        bank = _party(BANK, own)
        application = FinancingApplication.objects.create(
            applicant=_party(SUPPLIER, own), applied_by=someone, status="declined", token_id=1,
            root_id=1, amount_fen=100, maturity=2_000_000_000,
            maturity_date=date.today() + timedelta(days=60))
        FinancingAddressee.objects.create(application=application, bank=bank,
                                          status="declined")
        if target == "application":
            return application.pk
        return FinancingQuote.objects.create(
            application=application, bank=bank, status="rejected", face_fen=100,
            annual_rate="0.0385", value_date=date.today(), maturity_date=date.today(), days=1,
            interest_fen=0, fees_fen=0, net_proceeds_fen=100, formula="f",
            proposed_by=someone).pk
    if target == "batch":
        batch = ClearingBatch.objects.create(core_enterprise=_party(CORE, own),
                                             status="settled", chain_time=1)
        holder = own if own is not None and own.kind in (SUPPLIER, BANK) else (
            organisation_factory(SUPPLIER))
        ClearingItem.objects.create(batch=batch, root_id=1, token_id=next(_token_ids), maturity=1,
                                    holder_address="0x" + "1" * 40, holder=holder,
                                    amount_fen=100, chain_status=4, status="settled")
        return batch.pk
    raise AssertionError(target)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_authorisation(endpoint: Endpoint):
    organisations = {kind: organisation_factory(kind) for kind in ALL_KINDS}
    users = {(kind, role): user_factory(organisations[kind], role)
             for kind, role in itertools.product(ALL_KINDS, ROLES)}
    clients = {actor: api_client(users[actor] if actor[0] else None) for actor in ACTORS}
    targets = {}
    mismatches = []
    for kind, role in ACTORS:
        scopes = ["own", "other"] if endpoint.target and kind else ["other"]
        for scope in scopes:
            path = endpoint.path
            if endpoint.target:
                key = kind if scope == "own" else None
                if key not in targets:
                    targets[key] = build(endpoint.target, organisations.get(key))
                path = path.format(targets[key])
            client = clients[(kind, role)]
            response = (client.get(path) if endpoint.method == "GET"
                        else client.post(path, endpoint.body, format="json"))
            expected = endpoint.expected(kind, role, scope)
            detail = response.json() if response.get("Content-Type") == "application/json" \
                else ""
            if response.status_code != expected:
                mismatches.append(f"{kind or 'anonymous'}/{role or '-'}/{scope}: "
                                  f"{response.status_code} != {expected} {detail}")
            elif response.status_code >= 400:
                assert set(detail) == {"message", "code", "extra"}, detail
    assert not mismatches, "\n".join(mismatches)


def test_the_matrix_covers_every_endpoint_of_banking():
    from django.urls import get_resolver

    covered = {endpoint.path.replace("{}", "<id:pk>") for endpoint in ENDPOINTS}
    routes = set()
    for pattern in get_resolver().url_patterns:
        module = getattr(getattr(pattern, "urlconf_name", None), "__name__", None)
        if str(pattern.pattern) == "api/" and module == "banking.urls":
            routes.update(f"/api/{sub.pattern}" for sub in pattern.url_patterns)
    assert routes and routes == covered
