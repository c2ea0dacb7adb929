"""Every endpoint that takes money parses it with the one FenField (scf/api/fields.py): a float
(even 1000.0), a decimal string ("100.0", "12.00"), a boolean or digits other than ASCII 0-9
("١٢٣", "１２３") is refused with 400 and a bilingual message under extra.fields.<field>, and
nothing is written: no business row, no chain operation, no block.

One table: (endpoint, who asks, the request for an amount, the money field, a good amount). The
good amount is sent last and must succeed, so each row proves its body is otherwise valid and
the refusal really is the amount's."""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import pytest
from django.utils import timezone

from banking.models import CreditLineChange, FinancingApplication, FinancingQuote
from receivables.models import DebtorNotice, Invoice, PieceOperation, TradeContract, Voucher
from scf.accounts.models import OrganisationKind, Role
from scf.approvals.models import ApprovalRequest
from scf.chain.models import ChainIntent
from tests.banking.conftest import issue, set_line
from tests.factories import api_client, fast_password_hasher  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

K = OrganisationKind
BAD_AMOUNTS = [1000.0, "100.0", "12.00", True, "١٢٣", "１２３", 1.5, "1e3", "12,000"]
INVOICE_REFERENCE = "24312000000000012345"
PIECE_FEN = 1_000_000
_numbers = itertools.count(1)


def today():
    return timezone.localdate()


def invoice_number() -> str:
    return f"{today().year % 100:02d}{next(_numbers):018d}"


class Stage:
    """The organisations and the objects an endpoint needs, made on first use."""

    def __init__(self, onboard):
        self._onboard = onboard

    @cached_property
    def bank(self):
        return self._onboard(K.BANK, Role.OPERATOR, Role.APPROVER)

    @cached_property
    def core(self):
        core = self._onboard(K.CORE_ENTERPRISE, Role.OPERATOR, Role.APPROVER)
        set_line(self.bank, core, 1_000_000_000)
        return core

    @cached_property
    def supplier(self):
        return self._onboard(K.SUPPLIER, Role.OPERATOR, Role.APPROVER)

    @cached_property
    def supplier2(self):
        return self._onboard(K.SUPPLIER, Role.OPERATOR)

    def user(self, organisation, role=Role.OPERATOR):
        return organisation.users_by_role[role]

    def post(self, user, path: str, body: dict, status: int) -> dict:
        response = api_client(user).post(path, body, format="json")
        assert response.status_code == status, response.json()
        return response.json()

    @cached_property
    def piece(self) -> int:
        return issue(self.core, self.bank, self.supplier, PIECE_FEN)

    @cached_property
    def contract(self) -> dict:
        return self.post(self.user(self.core), "/api/trade-contracts/create",
                         trade_contract_body(self, 200_000_000), 201)

    @cached_property
    def invoice(self) -> dict:
        return self.post(self.user(self.core), "/api/invoices/create",
                         invoice_body(self, 100_000_000), 201)

    @cached_property
    def application(self) -> dict:
        return self.post(self.user(self.supplier), "/api/financing/applications/create",
                         application_body(self, PIECE_FEN), 202)["application"]


def trade_contract_body(stage: Stage, amount) -> dict:
    return {"supplier": stage.supplier.pk, "number": f"HT-{next(_numbers)}",
            "title": "钢材采购合同", "amount_fen": amount,
            "signed_on": str(today() - timedelta(days=10))}


def invoice_body(stage: Stage, amount) -> dict:
    return {"trade_contract": stage.contract["id"], "number": invoice_number(),
            "amount_fen": amount, "issued_on": str(today())}


def voucher_body(stage: Stage, amount) -> dict:
    return {"trade_contract": stage.contract["id"], "bank": stage.bank.pk,
            "face_value_fen": amount, "maturity_date": str(today() + timedelta(days=90)),
            "invoices": [stage.invoice["id"]]}


def application_body(stage: Stage, amount) -> dict:
    return {"token_id": stage.piece, "amount_fen": amount, "bank_ids": [stage.bank.pk],
            "invoice_numbers": [INVOICE_REFERENCE]}


@dataclass(frozen=True)
class MoneyEndpoint:
    name: str
    actor: Callable[[Stage], object]
    path: Callable[[Stage], str]
    body: Callable[[Stage, object], dict]
    field: str
    good: int
    ok: int


ENDPOINTS = [
    MoneyEndpoint("trade-contract-create", lambda s: s.user(s.core),
                  lambda s: "/api/trade-contracts/create", trade_contract_body, "amount_fen",
                  100_000, 201),
    MoneyEndpoint("invoice-create", lambda s: s.user(s.core), lambda s: "/api/invoices/create",
                  invoice_body, "amount_fen", 100_000, 201),
    MoneyEndpoint("voucher-issue", lambda s: s.user(s.core), lambda s: "/api/vouchers/issue",
                  voucher_body, "face_value_fen", 100_000, 201),
    MoneyEndpoint("piece-transfer", lambda s: s.user(s.supplier),
                  lambda s: f"/api/pieces/{s.piece}/transfer",
                  lambda s, amount: {"to_organisation": s.supplier2.pk, "amount_fen": amount},
                  "amount_fen", 1_000, 202),
    MoneyEndpoint("piece-split", lambda s: s.user(s.supplier),
                  lambda s: f"/api/pieces/{s.piece}/split",
                  lambda s, amount: {"amounts_fen": [amount, PIECE_FEN - 1_000]},
                  "amounts_fen", 1_000, 202),
    MoneyEndpoint("financing-application-create", lambda s: s.user(s.supplier),
                  lambda s: "/api/financing/applications/create", application_body,
                  "amount_fen", 1_000, 202),
    MoneyEndpoint("financing-quote", lambda s: s.user(s.bank),
                  lambda s: f"/api/financing/applications/{s.application['id']}/quote",
                  lambda s, amount: {"annual_rate": "0.0385", "fees_fen": amount},
                  "fees_fen", 0, 201),
    MoneyEndpoint("credit-line-change-create", lambda s: s.user(s.bank),
                  lambda s: "/api/credit-line-changes/create",
                  lambda s, amount: {"core_enterprise": s.core.pk, "limit_fen": amount,
                                     "expires_on": str(today() + timedelta(days=30))},
                  "limit_fen", 100_000, 201),
]

WRITTEN = (TradeContract, Invoice, Voucher, PieceOperation, DebtorNotice, FinancingApplication,
           FinancingQuote, CreditLineChange, ApprovalRequest, ChainIntent)


def written() -> dict:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def messages(value) -> list[str]:
    """A field's messages, also those of a list's items ({"0": [...]})."""
    if isinstance(value, dict):
        return [m for item in value.values() for m in messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in messages(item)]
    return [str(value)]


def bilingual(message: str) -> bool:
    chinese, _, english = message.partition(" / ")
    return bool(re.search(r"[\u4e00-\u9fff]", chinese) and re.search(r"[A-Za-z]", english))


def test_the_table_names_every_input_serializer_that_takes_money():
    """A new endpoint taking money belongs in ENDPOINTS: scan the request schema for fields
    named like amounts."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    money = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                ref = media["schema"].get("$ref", "")
                component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                for name in component.get("properties", {}):
                    if name.endswith(("_fen", "amounts_fen")):
                        money.add((method.upper(), path, name))
    paths = {(path, name) for _, path, name in money}
    assert paths == {
        ("/api/trade-contracts/create", "amount_fen"), ("/api/invoices/create", "amount_fen"),
        ("/api/vouchers/issue", "face_value_fen"),
        ("/api/pieces/{token_id}/transfer", "amount_fen"),
        ("/api/pieces/{token_id}/split", "amounts_fen"),
        ("/api/financing/applications/create", "amount_fen"),
        ("/api/financing/applications/{id}/quote", "fees_fen"),
        ("/api/credit-line-changes/create", "limit_fen")}, sorted(paths)
    assert len(ENDPOINTS) == len(paths)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_every_endpoint_that_takes_money_refuses_what_is_not_whole_fen(endpoint, onboard, w3):
    stage = Stage(onboard)
    user, path = endpoint.actor(stage), endpoint.path(stage)
    endpoint.body(stage, endpoint.good)  # what the body names exists before counting
    before, block = written(), w3.eth.block_number

    for amount in BAD_AMOUNTS:
        response = api_client(user).post(path, endpoint.body(stage, amount), format="json")
        body = response.json()
        assert response.status_code == 400, (amount, body)
        assert body["code"] == "validation_error", (amount, body)
        found = messages(body["extra"]["fields"].get(endpoint.field, []))
        assert found and all(bilingual(m) for m in found), (amount, body)
        assert "整数分" in found[0] or "0-9" in found[0], (amount, found)

    assert written() == before
    assert w3.eth.block_number == block  # no transaction reached the chain

    response = api_client(user).post(path, endpoint.body(stage, endpoint.good), format="json")
    assert response.status_code == endpoint.ok, response.json()
