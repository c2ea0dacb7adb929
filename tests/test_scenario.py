"""One scenario through the public API only, as clients do it: a bank grants a core enterprise
a credit line (maker-checker), the core enterprise issues ¥1,000,000.00 against a trade contract
and invoices (maker-checker), tier 1 accepts, splits and transfers it across three tiers, two
suppliers discount pieces at two different banks (priced by each bank's operator, approved by
its approver, disbursed), the vouchers mature, the core enterprise confirms funding of the
clearing list, every holder is settled and the credit line is restored.

After every step: conservation on chain (the ledger's own views, not the projection) and the
API's views (holdings of every organisation, the root's lineage tree, the credit line's use)
equal to the chain's state."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from banking.services import clearing_run
from scf import clock
from scf.accounts.models import OrganisationKind as K
from scf.accounts.models import Role
from scf.chain.contracts import platform_contract
from scf.chain.models import PieceState
from scf.chain.node import chain_travel
from tests.factories import api_client

pytestmark = pytest.mark.django_db(transaction=True)

YUAN = 100
FACE = 1_000_000 * YUAN  # ¥1,000,000.00 in fen
LINE = 5_000_000 * YUAN
DAY = 86_400
LIVE = {"pending", "active", "locked", "overdue"}
HELD = {"active", "locked", "overdue"}  # what holdings show: accepted, live pieces
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the client's side: one signed-in client per user ----------------------------------------

def user(org, role=Role.OPERATOR):
    return org.users_by_role[role]


def call(org, method, path, data=None, *, role=Role.OPERATOR, status=200):
    client = api_client(user(org, role))
    response = (client.get(path, data or {}) if method == "get"
                else client.post(path, data, format="json"))
    body = response.json() if response.get("Content-Type") == "application/json" else None
    assert response.status_code == status, (method, path, response.status_code, body)
    return body


def get(org, path, params=None, *, role=Role.OPERATOR):
    return call(org, "get", path, params, role=role)


def post(org, path, data=None, *, role=Role.OPERATOR, status=200):
    return call(org, "post", path, data, role=role, status=status)


def act(org, path, data=None, *, role=Role.OPERATOR):
    """A chain-backed action: 202, and its operation (eager) already confirmed."""
    body = post(org, path, data, role=role, status=202)
    operation = get(org, f"/api/operations/{body['operation_id']}", role=role)
    assert operation["status"] == "confirmed", operation
    return body


def new_tokens(org, body) -> list[int]:
    return get(org, f"/api/piece-operations/{body['piece_operation_id']}")["new_token_ids"]


# --- the chain's side: read through the contracts' views -------------------------------------

def ledger():
    return platform_contract("VoucherLedger").functions


def chain_pieces(root_id: int) -> dict[int, dict]:
    pieces = {}
    for token_id in range(1, ledger().nextTokenId().call()):
        owner, root, parent, balance, status, lock_bank, frozen = ledger().pieceOf(
            token_id).call()
        if root == root_id and status:
            pieces[token_id] = {"owner": owner, "parent": parent, "balance": balance,
                                "status": PieceState.Status(status).name.lower(),
                                "lock_bank": lock_bank, "frozen": frozen}
    return pieces


def line_on_chain(bank, core) -> dict:
    limit, used, expiry, frozen = platform_contract("CreditLines").functions.lineOf(
        bank.chain_account.address, core.chain_account.address).call()
    return {"limit": limit, "used": used, "expiry": expiry, "frozen": frozen}


class Checks:
    """Conservation on chain and the API's views against the chain, after every step."""

    def __init__(self, root_id, bank, core, organisations, face=FACE):
        self.root_id, self.bank, self.core = root_id, bank, core
        self.organisations, self.face = organisations, face

    def __call__(self, *, settled: bool = False) -> dict[int, dict]:
        chain = chain_pieces(self.root_id)
        slot = ledger().slotInfo(self.root_id).call()
        assert slot[3] == self.face
        live = sum(p["balance"] for p in chain.values() if p["status"] in LIVE)
        if settled:
            assert slot[4] == self.face and live == 0, (slot, chain)
        else:
            assert live == self.face, (live, chain)
        self.holdings(chain)
        self.lineage(chain, settled=settled)
        self.credit_line()
        return chain

    def holdings(self, chain):
        """Each organisation's holdings (the scenario's only root) equal what the chain says
        it holds: the same pieces, the same totals."""
        for org in self.organisations:
            address = org.chain_account.address
            held = {t: p for t, p in chain.items() if p["owner"] == address
                    and p["status"] in HELD}
            body = get(org, "/api/holdings")
            tokens = sorted(t for group in body["results"] for t in group["token_ids"])
            assert tokens == sorted(held), (org.name, tokens, held)
            assert body["total_fen"] == sum(p["balance"] for p in held.values()), org.name
            assert body["total_pieces"] == len(held)

    def lineage(self, chain, *, settled):
        body = get(self.core, f"/api/pieces/{self.root_id}/lineage")
        assert body["tree_visible"]
        tree = {node["token_id"]: node for node in body["tree"]}
        assert set(tree) == set(chain)
        for token, piece in chain.items():
            node = tree[token]
            assert (node["holder"]["address"], node["balance_fen"], node["status"],
                    node["parent_id"], node["frozen"]) == (
                piece["owner"], piece["balance"], piece["status"], piece["parent"],
                piece["frozen"]), (token, node, piece)
        assert body["face_value_fen"] == self.face and body["conserved"] is True
        if settled:
            assert body["settled_fen"] == self.face and body["outstanding_fen"] == 0
        else:
            assert body["outstanding_fen"] == self.face and body["settled_fen"] == 0

    def credit_line(self):
        chain = line_on_chain(self.bank, self.core)
        for org in (self.bank, self.core):
            [line] = get(org, "/api/credit-lines")["results"]
            assert line["use"]["limit_fen"] == chain["limit"]
            assert line["use"]["used_fen"] == chain["used"]
            assert line["use"]["available_fen"] == chain["limit"] - chain["used"]


def test_one_voucher_through_three_tiers_two_banks_and_clearing(onboard, anvil_rpc_url):
    roles = (Role.OPERATOR, Role.APPROVER)
    bank_a, bank_b = onboard(K.BANK, *roles), onboard(K.BANK, *roles)
    core = onboard(K.CORE_ENTERPRISE, *roles)
    tier1 = onboard(K.SUPPLIER, *roles)
    tier2a, tier2b, tier3 = (onboard(K.SUPPLIER, Role.OPERATOR) for _ in range(3))
    today = clock.today()

    # 1. credit line (授信): bank A's operator proposes, its approver approves
    change = post(bank_a, "/api/credit-line-changes/create", {
        "core_enterprise": core.pk, "limit_fen": LINE,
        "expires_on": str(today + timedelta(days=365))}, status=201)
    assert line_on_chain(bank_a, core)["limit"] == 0  # nothing before the checker
    body = act(bank_a, f"/api/credit-line-changes/{change['id']}/approve", role=Role.APPROVER)
    assert body["change"]["status"] == "applied"
    assert line_on_chain(bank_a, core) | {"expiry": 0} == {
        "limit": LINE, "used": 0, "expiry": 0, "frozen": False}

    # 2. trade background: a contract and two invoices with tier 1
    contract = post(core, "/api/trade-contracts/create", {
        "supplier": tier1.pk, "number": "HT-2026-SC-001", "title": "电子元器件采购合同",
        "amount_fen": 2 * FACE, "signed_on": str(today - timedelta(days=20))}, status=201)
    invoices = [post(core, "/api/invoices/create", {
        "trade_contract": contract["id"], "number": f"{today.year % 100:02d}{n:018d}",
        "amount_fen": FACE // 2, "issued_on": str(today)}, status=201)
        for n in (next(_numbers) + 777_000, next(_numbers) + 777_000)]

    # 3. issue (开立): the operator proposes, a different user approves; tier 1 accepts
    maturity = today + timedelta(days=30)
    voucher = post(core, "/api/vouchers/issue", {
        "trade_contract": contract["id"], "bank": bank_a.pk, "face_value_fen": FACE,
        "maturity_date": str(maturity), "invoices": [i["id"] for i in invoices]}, status=201)
    approval = post(core, f"/api/approvals/{voucher['approval_id']}/approve", role=Role.APPROVER)
    assert approval["status"] == "executed", approval
    voucher = get(core, f"/api/vouchers/{voucher['id']}")
    root = voucher["token_id"]
    assert root and line_on_chain(bank_a, core)["used"] == FACE
    everyone = [tier1, tier2a, tier2b, tier3, bank_a, bank_b]
    check = Checks(root, bank_a, core, everyone)
    chain = check()
    assert chain[root]["status"] == "pending"
    act(tier1, f"/api/vouchers/{voucher['id']}/accept")
    chain = check()
    assert chain[root] | {"owner": tier1.chain_account.address, "status": "active"} == chain[root]

    # 4. tier 1 splits 300k + 200k off (500k stays on the root) ...
    body = act(tier1, f"/api/pieces/{root}/split",
               {"amounts_fen": [300_000 * YUAN, 200_000 * YUAN, 500_000 * YUAN]})
    a, b = new_tokens(tier1, body)
    check()
    # ... hands A whole to tier 2a and sends 100k of the root to tier 2b (a new piece)
    act(tier1, f"/api/pieces/{a}/transfer",
        {"to_organisation": tier2a.pk, "amount_fen": 300_000 * YUAN})
    check()
    body = act(tier1, f"/api/pieces/{root}/transfer",
               {"to_credit_code": tier2b.credit_code, "amount_fen": 100_000 * YUAN})
    [c] = new_tokens(tier1, body)
    check()
    # 5. tier 2a pays tier 3 with 120k of A
    body = act(tier2a, f"/api/pieces/{a}/transfer",
               {"to_organisation": tier3.pk, "amount_fen": 120_000 * YUAN})
    [d] = new_tokens(tier2a, body)
    chain = check()
    assert {t: chain[t]["balance"] for t in (root, a, b, c, d)} == {
        root: 400_000 * YUAN, a: 180_000 * YUAN, b: 200_000 * YUAN, c: 100_000 * YUAN,
        d: 120_000 * YUAN}
    notices = get(core, "/api/debtor-notices")["results"]
    assert len([n for n in notices if n["kind"] == "transfer"]) == 3

    # 6. two financings at two banks: tier 1 discounts 250k of the root with bank A
    #    (split-then-lock), tier 3 discounts its whole piece D with bank B
    financed = {}
    for holder, token, amount, bank in ((tier1, root, 250_000 * YUAN, bank_a),
                                        (tier3, d, 120_000 * YUAN, bank_b)):
        body = post(holder, "/api/financing/applications/create", {
            "token_id": token, "amount_fen": amount, "bank_ids": [bank.pk],
            "invoice_numbers": [invoices[0]["number"]],
            "trade_reference": contract["number"]}, status=202)
        assert body["status"] == "confirmed", body
        application = body["application"]
        locked = application["locked_token_id"]
        chain = check()
        assert chain[locked]["status"] == "locked"
        assert chain[locked]["lock_bank"] == bank.chain_account.address
        assert chain[locked]["balance"] == amount
        quote = post(bank, f"/api/financing/applications/{application['id']}/quote",
                     {"annual_rate": "0.0360", "fees_fen": 1_000}, status=201)
        assert quote["status"] == "proposed" and quote["day_count_basis"] == 360
        assert quote["interest_fen"] + quote["fees_fen"] + quote["net_proceeds_fen"] == amount
        assert chain_pieces(root)[locked]["owner"] == holder.chain_account.address
        body = act(bank, f"/api/financing/quotes/{quote['id']}/approve", role=Role.APPROVER)
        assert body["application"]["status"] == "financed"
        chain = check()
        assert chain[locked]["owner"] == bank.chain_account.address
        assert chain[locked]["status"] == "active"
        body = post(bank, f"/api/financing/applications/{application['id']}/disburse", {
            "payment_reference": f"PAY-{application['id']:06d}",
            "disbursed_on": str(timezone.localdate())})
        assert body["status"] == "disbursed"
        assert body["disbursement"]["amount_fen"] == quote["net_proceeds_fen"]
        financed[bank.pk] = locked
        check()
    assert chain[root]["balance"] == 150_000 * YUAN
    held = {org.pk: sum(p["balance"] for p in chain.values()
                        if p["owner"] == org.chain_account.address) for org in everyone}
    assert held == {tier1.pk: 350_000 * YUAN, tier2a.pk: 180_000 * YUAN,
                    tier2b.pk: 100_000 * YUAN, tier3.pk: 0, bank_a.pk: 250_000 * YUAN,
                    bank_b.pk: 120_000 * YUAN}

    # 7. maturity passes on chain: nothing but settlement moves any more
    chain_travel(32 * DAY)  # the platform's pre-flight clock moves with it
    response = api_client(user(tier1)).post(
        f"/api/pieces/{b}/transfer", {"to_organisation": tier2a.pk, "amount_fen": YUAN},
        format="json")
    assert 400 <= response.status_code < 500
    check()

    # 8. clearing (到期清分): the scheduled run lists every live piece and holder from the
    #    chain; the core enterprise's approver confirms funding through the API
    clearing_run()
    [batch] = get(core, "/api/clearing/batches")["results"]
    batch = get(core, f"/api/clearing/batches/{batch['id']}")
    assert batch["status"] == "awaiting_funding" and batch["total_fen"] == FACE
    items = {i["token_id"]: i for i in batch["items"]}
    assert {t: (i["holder_address"], i["amount_fen"]) for t, i in items.items()} == {
        t: (p["owner"], p["balance"]) for t, p in chain.items() if p["status"] in LIVE}
    # each holder sees its own items only
    seen = get(tier2a, f"/api/clearing/batches/{batch['id']}")
    assert [i["token_id"] for i in seen["items"]] == [a]
    # tier 3 sold its only piece to bank B: nothing of the batch is its own
    assert api_client(user(tier3)).get(
        f"/api/clearing/batches/{batch['id']}").status_code == 404
    body = post(core, f"/api/clearing/batches/{batch['id']}/confirm", {
        "payment_reference": "CLR-SC-0001", "paid_on": str(timezone.localdate())},
        role=Role.APPROVER, status=202)
    assert [op["status"] for op in body["operations"]] == ["confirmed"]
    assert body["batch"]["status"] == "settled"
    assert {i["status"] for i in body["batch"]["items"]} == {"settled"}

    # 9. every holder settled, conservation as settledAmount, the credit line restored
    chain = check(settled=True)
    assert {p["status"] for p in chain.values()} == {"settled"}
    assert line_on_chain(bank_a, core)["used"] == 0
    for bank, token in ((bank_a, financed[bank_a.pk]), (bank_b, financed[bank_b.pk])):
        assert chain[token]["owner"] == bank.chain_account.address
    for org in everyone:
        assert get(org, "/api/holdings")["total_fen"] == 0
    line = get(core, "/api/credit-lines")["results"][0]
    assert line["use"]["used_fen"] == 0 and line["use"]["available_fen"] == LINE
