"""Helpers of the receivables tests: an API client that runs each request's on-commit work (as
a committed request does in eager mode), the voucher life cycle through the public API, and the
chain's own view of a root's pieces."""

import itertools
from datetime import timedelta
from functools import cached_property

from scf import clock
from scf.accounts.models import OrganisationKind, Role
from scf.chain.apis import OperationAcceptedSerializer
from scf.chain.contracts import platform_contract
from scf.chain.models import PieceState
from tests.factories import api_client

_numbers = itertools.count(1)
LIVE = (PieceState.Status.PENDING, PieceState.Status.ACTIVE, PieceState.Status.LOCKED,
        PieceState.Status.OVERDUE)


def invoice_number() -> str:
    """A fully digital invoice number (20 digits, first two the year of issue), unique."""
    return f"{clock.today().year % 100:02d}{next(_numbers):018d}"


def future(days: int = 90) -> str:
    return str(clock.today() + timedelta(days=days))


class Api:
    """Each call as its own committed request: the eager outbox sends the chain transaction, the
    outcome hooks run and the indexer refreshes the projection once the request's transaction
    commits."""

    def __init__(self, capture):
        self.capture = capture

    def post(self, user, path: str, data=None, fmt: str = "json"):
        with self.capture(execute=True):
            return api_client(user).post(path, data, format=fmt)

    def get(self, user, path: str, params: dict | None = None):
        with self.capture(execute=True):
            return api_client(user).get(path, params or {})

    def ok(self, response, status: int = 200):
        body = response.json() if response.get("Content-Type") == "application/json" else None
        assert response.status_code == status, body
        return body

    def operation(self, user, operation_id: int) -> dict:
        return self.ok(self.get(user, f"/api/operations/{operation_id}"))

    def act(self, user, path: str, data=None) -> dict:
        """A chain-backed action: 202 with its operation, then the operation as GET
        /api/operations/<id> shows it once the request's work is done (`outcome`)."""
        body = self.ok(self.post(user, path, data), 202)
        assert body["operation_url"] == f"/api/operations/{body['operation_id']}"
        assert set(OperationAcceptedSerializer().fields) <= set(body), body  # the one 202 shape
        body["outcome"] = self.operation(user, body["operation_id"])
        return body

    # --- the life cycle through the public API -----------------------------------------------

    def trade(self, core, supplier, *, amount_fen: int = 200_000_000, invoices=(100_000_000,),
              number: str | None = None) -> tuple[dict, list[dict]]:
        operator = core.users_by_role["operator"]
        contract = self.ok(self.post(operator, "/api/trade-contracts/create", {
            "supplier": supplier.pk, "number": number or f"HT-{next(_numbers)}",
            "title": "钢材采购合同", "amount_fen": amount_fen,
            "signed_on": str(clock.today() - timedelta(days=10))}), 201)
        created = [self.ok(self.post(operator, "/api/invoices/create", {
            "trade_contract": contract["id"], "number": invoice_number(),
            "amount_fen": amount, "issued_on": str(clock.today())}), 201)
            for amount in invoices]
        return contract, created

    def propose(self, core, bank, contract: dict, invoices: list[dict], *,
                face_value_fen: int = 100_000_000, maturity: str | None = None):
        return self.post(core.users_by_role["operator"], "/api/vouchers/issue", {
            "trade_contract": contract["id"], "bank": bank.pk, "face_value_fen": face_value_fen,
            "maturity_date": maturity or future(), "invoices": [i["id"] for i in invoices]})

    def approve(self, user, approval_id: int) -> dict:
        return self.ok(self.post(user, f"/api/approvals/{approval_id}/approve"))

    def issue(self, core, supplier, bank, *, face_value_fen: int = 100_000_000,
              maturity: str | None = None, accept: bool = True) -> dict:
        """Trade, invoice, propose, approve and (by default) accept: the voucher as the API
        shows it afterwards."""
        contract, invoices = self.trade(core, supplier, amount_fen=face_value_fen * 2,
                                        invoices=(face_value_fen,))
        voucher = self.ok(self.propose(core, bank, contract, invoices,
                                       face_value_fen=face_value_fen, maturity=maturity), 201)
        approval = self.approve(core.users_by_role["approver"], voucher["approval_id"])
        assert approval["status"] == "executed", approval
        if accept:
            accepted = self.act(supplier.users_by_role["operator"],
                                f"/api/vouchers/{voucher['id']}/accept")
            assert accepted["outcome"]["status"] == "confirmed", accepted
        return self.ok(self.get(core.users_by_role["operator"], f"/api/vouchers/{voucher['id']}"))


# --- who takes part -----------------------------------------------------------------------------

class Cast:
    """Organisations onboarded on first use: a core enterprise with a ¥10,000,000.00 line from
    `bank`, suppliers of three tiers, a second bank, a regulator and the platform operator."""

    def __init__(self, onboard, credit_line):
        self._onboard, self._credit_line = onboard, credit_line

    @cached_property
    def core(self):
        return self._onboard(OrganisationKind.CORE_ENTERPRISE, Role.OPERATOR, Role.APPROVER,
                             Role.VIEWER)

    @cached_property
    def bank(self):
        bank = self._onboard(OrganisationKind.BANK, Role.OPERATOR, Role.APPROVER)
        self._credit_line(bank, self.core, 1_000_000_000)
        return bank

    @cached_property
    def tier1(self):
        return self._onboard(OrganisationKind.SUPPLIER, Role.OPERATOR, Role.APPROVER,
                             Role.VIEWER)

    @cached_property
    def tier2(self):
        return self._onboard(OrganisationKind.SUPPLIER, Role.OPERATOR)

    @cached_property
    def tier3(self):
        return self._onboard(OrganisationKind.SUPPLIER, Role.OPERATOR)

    @cached_property
    def bank2(self):
        return self._onboard(OrganisationKind.BANK, Role.OPERATOR)

    @cached_property
    def regulator(self):
        return self._onboard(OrganisationKind.REGULATOR, Role.OPERATOR, Role.VIEWER)

    @cached_property
    def platform(self):
        return self._onboard(OrganisationKind.PLATFORM, Role.ADMIN)



# --- the chain's own view ----------------------------------------------------------------------

def chain_pieces(root_id: int) -> dict[int, dict]:
    """Every piece of a root, read from the ledger's views (not the projection)."""
    ledger = platform_contract("VoucherLedger")
    pieces = {}
    for token_id in range(1, ledger.functions.nextTokenId().call()):
        owner, root, parent, balance, status, lock_bank, frozen = ledger.functions.pieceOf(
            token_id).call()
        if root == root_id and status:
            pieces[token_id] = {"owner": owner, "parent": parent, "balance": balance,
                                "status": PieceState.Status(status).name.lower(),
                                "frozen": frozen}
    return pieces


def assert_conserved(root_id: int) -> dict[int, dict]:
    """Conservation on chain: the live pieces of the root add up to its face value."""
    face_value = platform_contract("VoucherLedger").functions.slotInfo(root_id).call()[3]
    pieces = chain_pieces(root_id)
    live = sum(p["balance"] for p in pieces.values()
               if PieceState.Status[p["status"].upper()] in LIVE)
    assert live == face_value, (live, face_value, pieces)
    return pieces


def credit_available(bank, core) -> int:
    return platform_contract("CreditLines").functions.availableOf(
        bank.chain_account.address, core.chain_account.address).call()
