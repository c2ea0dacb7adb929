"""Authorisation matrix of the receivables API: every endpoint, for an anonymous caller and for
each role (admin, operator, approver, viewer) in each kind of organisation, on an object related
to the caller's organisation ("own") and on another's ("other"). Follows tests/test_authz_matrix.py.

Expected outcomes (receivables/selectors.py, receivables/apis/):
1. anonymous -> 401; a member lacking the organisation kind, role or write right -> 403;
2. another organisation's object the caller cannot see -> 404 (its existence is not revealed);
3. the platform operator and the regulator read every object; their only write here is the
   regulator's judicial freeze (any piece, so own/other collapse for it).

"Own" means the natural relation of the caller's kind: a core enterprise is the debtor, a
supplier the payee or holder, a bank the line bank or holder; the platform and the regulator
relate to nothing, so their "own" object is a third party's. Reads are built from projection
rows without a chain; the few cases that succeed in a chain-backed write run on anvil.
"""

import functools
import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from receivables import services
from receivables.models import (
    DebtorNotice,
    Invoice,
    PieceOperation,
    TradeContract,
    Voucher,
    VoucherInvoice,
)
from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.approvals.services import approval_approve
from scf.chain.models import ChainIntent, PieceState, SlotState
from scf.chain.services import chain_account_create
from tests.factories import api_client, organisation_factory, user_factory
from tests.kyc.documents import pdf_bytes
from tests.receivables.helpers import invoice_number

pytestmark = pytest.mark.django_db

K = OrganisationKind
PLATFORM, CORE, SUPPLIER, BANK, REGULATOR = (K.PLATFORM, K.CORE_ENTERPRISE, K.SUPPLIER, K.BANK,
                                             K.REGULATOR)
ALL_KINDS = (PLATFORM, CORE, SUPPLIER, BANK, REGULATOR)
ROLES = (Role.ADMIN, Role.OPERATOR, Role.APPROVER, Role.VIEWER)
READS_ALL = {PLATFORM, REGULATOR}
OP = {Role.OPERATOR}
_tokens = itertools.count(10_000)
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str                       # "{}" is the target object's id
    target: str | None = None       # what the "{}" is; None: no object
    kinds: frozenset | None = None
    roles: frozenset | None = None
    write: bool = False             # needs an active, non-regulator organisation
    ok: int = 200
    visible: dict = field(default_factory=dict)
    scoped: bool = True             # False: the target is nobody's in particular
    chain: bool = False             # its success needs the chain (real anvil world)

    def allows(self, kind, role) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.roles is None or role in self.roles)
                and (not self.write or kind != REGULATOR))

    def expected(self, kind, role, scope) -> int:
        if kind is None:
            return 401
        if not self.allows(kind, role):
            return 403
        if scope == "other":
            return self.visible.get(kind, 404)
        return self.ok


def see(kinds):
    return {kind: 200 for kind in kinds}


def E(name, method, path, target=None, *, kinds=None, roles=None, **kwargs):
    return Endpoint(name, method, path, target, frozenset(kinds) if kinds else None,
                    frozenset(roles) if roles else None, **kwargs)


FREEZERS = {Role.OPERATOR, Role.APPROVER, Role.ADMIN}
ENDPOINTS = [
    # trade background
    E("trade-contract-list", "GET", "/api/trade-contracts"),
    E("trade-contract-create", "POST", "/api/trade-contracts/create", kinds={CORE}, roles=OP,
      write=True, ok=201),
    E("trade-contract-detail", "GET", "/api/trade-contracts/{}", "trade_contract",
      visible=see(READS_ALL)),
    E("trade-contract-download", "GET", "/api/trade-contracts/{}/download", "trade_contract",
      visible=see(READS_ALL)),
    E("invoice-list", "GET", "/api/invoices"),
    E("invoice-create", "POST", "/api/invoices/create", kinds={CORE, SUPPLIER}, roles=OP,
      write=True, ok=201),
    E("invoice-detail", "GET", "/api/invoices/{}", "invoice", visible=see(READS_ALL)),
    E("invoice-download", "GET", "/api/invoices/{}/download", "invoice",
      visible=see(READS_ALL)),
    # vouchers
    E("voucher-list", "GET", "/api/vouchers"),
    E("voucher-maturities", "GET", "/api/vouchers/maturities"),
    E("voucher-issue", "POST", "/api/vouchers/issue", kinds={CORE}, roles=OP, write=True,
      ok=201, chain=True),
    E("voucher-detail", "GET", "/api/vouchers/{}", "voucher", visible=see(READS_ALL)),
    E("voucher-accept", "POST", "/api/vouchers/{}/accept", "pending_voucher", kinds={SUPPLIER},
      roles=OP, write=True, ok=202, chain=True),
    E("voucher-reject", "POST", "/api/vouchers/{}/reject", "pending_voucher", kinds={SUPPLIER},
      roles=OP, write=True, ok=202, chain=True),
    # pieces
    E("piece-list", "GET", "/api/pieces"),
    E("piece-detail", "GET", "/api/pieces/{}", "piece", visible=see(READS_ALL)),
    E("piece-lineage", "GET", "/api/pieces/{}/lineage", "piece", visible=see(READS_ALL)),
    E("piece-transfer", "POST", "/api/pieces/{}/transfer", "piece", kinds={SUPPLIER, BANK},
      roles=OP, write=True, ok=202, chain=True),
    E("piece-split", "POST", "/api/pieces/{}/split", "piece", kinds={SUPPLIER, BANK},
      roles=OP, write=True, ok=202, chain=True),
    E("piece-freeze", "POST", "/api/pieces/{}/freeze", "any_piece", kinds={REGULATOR},
      roles=FREEZERS, ok=202, scoped=False, chain=True),
    E("piece-unfreeze", "POST", "/api/pieces/{}/unfreeze", "any_frozen_piece",
      kinds={REGULATOR}, roles=FREEZERS, ok=202, scoped=False, chain=True),
    E("holdings", "GET", "/api/holdings"),
    # operations on pieces, debtor notices
    E("piece-operation-list", "GET", "/api/piece-operations"),
    E("piece-operation-detail", "GET", "/api/piece-operations/{}", "piece_operation",
      visible=see(READS_ALL)),
    E("debtor-notice-list", "GET", "/api/debtor-notices"),
    E("debtor-notice-detail", "GET", "/api/debtor-notices/{}", "debtor_notice",
      visible=see(READS_ALL)),
]

ACTORS = [(None, None)] + list(itertools.product(ALL_KINDS, ROLES))


def _cases():
    for endpoint in ENDPOINTS:
        for kind, role in ACTORS:
            scoped = endpoint.target and endpoint.scoped and kind
            scopes = ["own", "other"] if scoped else ["none"]
            for scope in scopes:
                yield pytest.param(endpoint, kind, role, scope,
                                   id=f"{endpoint.name}-{kind or 'anonymous'}-{role or ''}-{scope}")


@functools.cache
def _pdf() -> bytes:
    return pdf_bytes("trade document")


class World:
    """The caller's organisation and the target in the relation the scope names. Projection
    rows stand in for the chain unless the case must succeed on chain (`chain`), where every
    organisation is onboarded on anvil and the voucher is really issued."""

    def __init__(self, request, kind, chain: bool):
        self.request, self.chain = request, chain
        self.today = clock.today()
        self.own_org = self.org(kind) if kind else None

    # --- organisations ----------------------------------------------------------------------

    def org(self, kind) -> Organisation:
        if self.chain:
            return self.request.getfixturevalue("onboard")(kind, Role.OPERATOR)
        organisation = organisation_factory(kind)
        organisation.chain_account = chain_account_create(label="matrix")
        organisation.save(update_fields=["chain_account"])
        return organisation

    def parties(self, scope: str) -> dict[str, Organisation]:
        """debtor, supplier, bank (and holder) of the target, the caller's org in its place."""
        kind = self.own_org.kind if self.own_org else None
        mine = self.own_org if scope == "own" else None
        return {"debtor": mine if mine and kind == CORE else self.org(CORE),
                "supplier": mine if mine and kind == SUPPLIER else self.org(SUPPLIER),
                "bank": mine if mine and kind == BANK else self.org(BANK)}

    # --- projection-only objects ------------------------------------------------------------

    def trade_contract(self, debtor, supplier, *, file: bool = True) -> TradeContract:
        n = next(_numbers)
        contract = TradeContract(debtor=debtor, supplier=supplier, number=f"M-{n}", title="t",
                                 amount_fen=10**9, signed_on=self.today,
                                 chain_hash="0x" + f"{n:064x}",
                                 created_by=user_factory(debtor, Role.OPERATOR))
        if file:
            contract.file.save("c.pdf", ContentFile(_pdf()), save=False)
            contract.file_content_type, contract.file_size = "application/pdf", len(_pdf())
        contract.save()
        return contract

    def invoice(self, contract) -> Invoice:
        invoice = Invoice(trade_contract=contract, number=invoice_number(), amount_fen=10**9,
                          issued_on=self.today, created_by=contract.created_by,
                          chain_hash="0x" + f"{next(_numbers):064x}")
        invoice.file.save("i.pdf", ContentFile(_pdf()), save=False)
        invoice.file_content_type = "application/pdf"
        invoice.save()
        return invoice

    def voucher(self, parties, *, status=Voucher.Status.ACCEPTED, holder=None) -> Voucher:
        token_id = next(_tokens)
        contract = self.trade_contract(parties["debtor"], parties["supplier"])
        maturity = self.today + timedelta(days=90)
        voucher = Voucher.objects.create(
            debtor=parties["debtor"], supplier=parties["supplier"], bank=parties["bank"],
            trade_contract=contract, face_value_fen=10**6, maturity_date=maturity,
            maturity_at=clock.start_of_day(maturity), status=status, token_id=token_id,
            proposed_by=contract.created_by)
        VoucherInvoice.objects.create(voucher=voucher, invoice=self.invoice(contract))
        SlotState.objects.create(root_id=token_id, debtor=parties["debtor"].chain_account.address,
                                 bank=parties["bank"].chain_account.address,
                                 maturity=voucher.maturity_at, face_value=10**6)
        PieceState.objects.create(
            token_id=token_id, root_id=token_id,
            owner=(holder or parties["supplier"]).chain_account.address, balance=10**6,
            status=(PieceState.Status.PENDING if status == Voucher.Status.PENDING
                    else PieceState.Status.ACTIVE))
        return voucher

    def intent(self, organisation) -> ChainIntent:
        return ChainIntent.objects.create(
            idempotency_key=f"matrix-{next(_numbers)}", sender=organisation.chain_account,
            contract="VoucherLedger", function="transferValue", args=[], status="confirmed",
            tx_hash="0x" + "1" * 64, block_number=1)

    # --- chain-backed objects -----------------------------------------------------------------

    def chain_voucher(self, parties, *, accept: bool) -> Voucher:
        capture = self.request.getfixturevalue("django_capture_on_commit_callbacks")
        self.request.getfixturevalue("credit_line")(parties["bank"], parties["debtor"], 10**9)
        operator = user_factory(parties["debtor"], Role.OPERATOR)
        with capture(execute=True):
            contract = services.trade_contract_create(
                user=operator, supplier=parties["supplier"], number=f"C-{next(_numbers)}",
                title="t", amount_fen=10**6, signed_on=self.today)
            invoice = services.invoice_create(user=operator, trade_contract=contract,
                                              number=invoice_number(), amount_fen=10**6,
                                              issued_on=self.today)
            voucher = services.voucher_issue_propose(
                user=operator, trade_contract=contract, bank=parties["bank"],
                face_value_fen=10**6, maturity_date=self.today + timedelta(days=90),
                invoices=[invoice])
        with capture(execute=True):
            approval_approve(request=voucher.approval,
                             user=user_factory(parties["debtor"], Role.APPROVER))
        voucher.refresh_from_db()
        if accept:
            with capture(execute=True):
                services.voucher_accept(user=user_factory(parties["supplier"], Role.OPERATOR),
                                        voucher=voucher)
        voucher.refresh_from_db()
        assert voucher.token_id and voucher.status in ("pending", "accepted"), voucher.error_name
        return voucher

    def chain_piece(self, parties, holder) -> int:
        voucher = self.chain_voucher(parties, accept=True)
        if holder != parties["supplier"]:
            capture = self.request.getfixturevalue("django_capture_on_commit_callbacks")
            with capture(execute=True):
                services.piece_transfer(user=user_factory(parties["supplier"], Role.OPERATOR),
                                        token_id=voucher.token_id, to_organisation=holder,
                                        amount_fen=10**6)
        return voucher.token_id

    # --- the target ---------------------------------------------------------------------------

    def target(self, what: str, scope: str) -> int:
        parties = self.parties(scope)
        kind = self.own_org.kind if self.own_org else None
        holder = (self.own_org if scope == "own" and kind in (SUPPLIER, BANK)
                  else parties["supplier"])
        if what in ("trade_contract", "invoice"):
            if scope == "own" and kind == BANK:  # the line bank of a voucher citing it
                contract = self.voucher(parties).trade_contract
            else:
                contract = self.trade_contract(parties["debtor"], parties["supplier"])
            return contract.pk if what == "trade_contract" else self.invoice(contract).pk
        if what == "voucher":
            return self.voucher(parties).pk
        if what == "pending_voucher":
            if self.chain:
                return self.chain_voucher(parties, accept=False).pk
            return self.voucher(parties, status=Voucher.Status.PENDING).pk
        if what in ("any_piece", "any_frozen_piece"):  # the regulator's: a pending root will do
            if self.chain:
                token_id = self.chain_voucher(parties, accept=False).token_id
                if what == "any_frozen_piece":
                    self._freeze(token_id)
                return token_id
            token_id = self.voucher(parties).token_id
            PieceState.objects.filter(token_id=token_id).update(
                frozen=what == "any_frozen_piece")
            return token_id
        if what == "piece":
            if self.chain:
                return self.chain_piece(parties, holder)
            return self.voucher(parties, holder=holder).token_id
        if what == "piece_operation":
            voucher = self.voucher(parties, holder=holder)
            return PieceOperation.objects.create(
                kind="transfer", token_id=voucher.token_id, root_id=voucher.token_id,
                voucher=voucher, debtor=parties["debtor"], organisation=holder, holder=holder,
                to_organisation=self.org(SUPPLIER), amount_fen=1,
                requested_by=user_factory(holder, Role.OPERATOR)).pk
        if what == "debtor_notice":
            voucher = self.voucher(parties, holder=holder)
            return DebtorNotice.objects.create(
                kind="transfer", debtor=parties["debtor"], from_organisation=holder,
                to_organisation=self.org(SUPPLIER), voucher=voucher, root_id=voucher.token_id,
                from_token_id=voucher.token_id, to_token_id=voucher.token_id, amount_fen=1,
                tx_hash="0x" + "1" * 64, block_number=1, intent=self.intent(holder)).pk
        raise AssertionError(what)

    def _freeze(self, token_id: int) -> None:
        capture = self.request.getfixturevalue("django_capture_on_commit_callbacks")
        regulator = self.own_org if self.own_org.kind == REGULATOR else self.org(REGULATOR)
        with capture(execute=True):
            services.piece_freeze(user=user_factory(regulator, Role.OPERATOR),
                                  token_id=token_id, reason="matrix")

    # --- request bodies -----------------------------------------------------------------------

    def body(self, endpoint: Endpoint) -> dict | None:
        kind = self.own_org.kind if self.own_org else None
        if endpoint.name == "trade-contract-create":
            return {"supplier": self.org(SUPPLIER).pk, "number": f"N-{next(_numbers)}",
                    "title": "t", "amount_fen": 100, "signed_on": str(self.today)}
        if endpoint.name == "invoice-create":
            if kind in (CORE, SUPPLIER):
                parties = self.parties("own")
                contract = self.trade_contract(parties["debtor"], parties["supplier"])
            else:
                contract = self.trade_contract(self.org(CORE), self.org(SUPPLIER))
            return {"trade_contract": contract.pk, "number": invoice_number(),
                    "amount_fen": 100, "issued_on": str(self.today)}
        if endpoint.name == "voucher-issue":
            if endpoint.expected(kind, Role.OPERATOR, "none") == 201 and self.chain:
                parties = self.parties("own")
                self.request.getfixturevalue("credit_line")(parties["bank"], parties["debtor"],
                                                            10**9)
                operator = user_factory(parties["debtor"], Role.OPERATOR)
                contract = services.trade_contract_create(
                    user=operator, supplier=parties["supplier"], number=f"I-{next(_numbers)}",
                    title="t", amount_fen=10**6, signed_on=self.today)
                invoice = services.invoice_create(
                    user=operator, trade_contract=contract, number=invoice_number(),
                    amount_fen=10**6, issued_on=self.today)
                return {"trade_contract": contract.pk, "bank": parties["bank"].pk,
                        "face_value_fen": 10**6,
                        "maturity_date": str(self.today + timedelta(days=30)),
                        "invoices": [invoice.pk]}
            return {"trade_contract": 1, "bank": 1, "face_value_fen": 100,
                    "maturity_date": str(self.today + timedelta(days=30)), "invoices": [1]}
        if endpoint.name == "voucher-reject":
            return {"reason": "matrix"}
        if endpoint.name == "piece-transfer":
            receiver = self.org(SUPPLIER) if not self.chain else self.org(BANK)
            return {"to_organisation": receiver.pk, "amount_fen": 1}
        if endpoint.name == "piece-split":
            return {"amounts_fen": [1, 10**6 - 1]}
        if endpoint.name in ("piece-freeze", "piece-unfreeze"):
            return {"reason": "matrix"}
        return None


@pytest.mark.parametrize(("endpoint", "kind", "role", "scope"), list(_cases()))
def test_authorisation(request, endpoint: Endpoint, kind, role, scope):
    expected = endpoint.expected(kind, role, scope)
    chain = endpoint.chain and expected == endpoint.ok
    if chain:
        request.getfixturevalue("platform")
    world = World(request, kind, chain)
    user = user_factory(world.own_org, role) if kind else None
    path = endpoint.path
    if endpoint.target:
        path = path.format(world.target(endpoint.target, scope if endpoint.scoped else "none"))
    body = world.body(endpoint)
    client = api_client(user)

    if chain:
        capture = request.getfixturevalue("django_capture_on_commit_callbacks")
        with capture(execute=True):
            response = client.post(path, body, format="json")
    else:  # every write of this API is a POST
        response = (client.get(path) if endpoint.method == "GET"
                    else client.post(path, body, format="json"))

    detail = response.json() if response.get("Content-Type") == "application/json" else ""
    assert response.status_code == expected, detail
    if response.status_code >= 400:
        assert set(detail) == {"message", "code", "extra"}
    if chain and expected == 202:
        operation = ChainIntent.objects.get(pk=detail["operation_id"])
        assert operation.status == "confirmed", (operation.error_name, operation.error_args)


def test_the_matrix_covers_every_route_of_receivables_urls():
    from django.urls import get_resolver

    covered = {endpoint.path.replace("{}", "<id:token_id>" if "/pieces/" in endpoint.path
                                     else "<id:pk>") for endpoint in ENDPOINTS}
    routes = set()
    for pattern in get_resolver().url_patterns:
        module = getattr(getattr(pattern, "urlconf_name", None), "__name__", None)
        if str(pattern.pattern) == "api/" and module == "receivables.urls":
            for sub in pattern.url_patterns:
                routes.add(f"/api/{sub.pattern}")
    assert routes and routes == covered
