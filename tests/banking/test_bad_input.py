"""Bad input: each a clear 4xx in the one error shape, and nothing half-written (no business row,
no chain operation)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banking.models import CreditLineChange, FinancingApplication, FinancingQuote
from scf.accounts.models import OrganisationKind, Role
from scf.approvals.models import ApprovalRequest
from scf.chain.models import ChainIntent
from tests.banking.conftest import DAY, INVOICE, issue, piece, send

pytestmark = pytest.mark.django_db(transaction=True)


class Unchanged:
    """Counts rows before and after a refused request."""

    MODELS = (FinancingApplication, FinancingQuote, CreditLineChange, ApprovalRequest,
              ChainIntent)

    def __enter__(self):
        self.before = {model: model.objects.count() for model in self.MODELS}
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            assert {model: model.objects.count() for model in self.MODELS} == self.before


def refused(response, status: int, *, field: str | None = None, error: str | None = None):
    assert response.status_code == status, response.json()
    body = response.json()
    assert set(body) == {"message", "code", "extra"} and body["message"]
    if field:
        assert field in body["extra"]["fields"], body
    if error:
        assert body["extra"]["error"] == error, body
    return body


def apply_body(token_id, amount_fen, banks, **extra):
    return {"token_id": token_id, "amount_fen": amount_fen, "bank_ids": [b.pk for b in banks],
            "invoice_numbers": [INVOICE], **extra}


def test_bad_amounts_and_references_for_an_application(world):
    root = issue(world.core, world.bank, world.supplier, 1_000_000)
    client = world.client(world.supplier)
    url = "/api/financing/applications/create"
    with Unchanged():
        for amount in (0, -100, 1.5, "12.34", "abc"):
            refused(client.post(url, apply_body(root, amount, [world.bank]), format="json"),
                    400, field="amount_fen")
        body = refused(client.post(url, apply_body(root, 1_000_001, [world.bank]),
                                   format="json"), 400, field="amount_fen")
        assert body["extra"]["error"] == "VoucherLedgerInsufficientBalance"
        assert body["extra"]["args"]["balance"] == 1_000_000
        refused(client.post(url, apply_body(root, 100, []), format="json"), 400,
                field="bank_ids")
        refused(client.post(url, apply_body(root, 100, [world.bank, world.bank]),
                            format="json"), 400, field="bank_ids")
        refused(client.post(url, apply_body(root, 100, [world.core]), format="json"), 400,
                field="bank_ids")
        refused(client.post(url, {**apply_body(root, 100, [world.bank]), "bank_ids": [99999]},
                            format="json"), 400, field="bank_ids")
        refused(client.post(url, {**apply_body(root, 100, [world.bank]),
                                  "invoice_numbers": []}, format="json"), 400,
                field="invoice_numbers")
        refused(client.post(url, apply_body(99_999, 100, [world.bank]), format="json"), 409,
                error="VoucherLedgerPieceNotFound")


def test_financing_a_locked_frozen_matured_or_someone_elses_piece(world, onboard, travel):
    client = world.client(world.supplier)
    url = "/api/financing/applications/create"
    root = issue(world.core, world.bank, world.supplier, 10_000_000, days=20)
    locked = client.post(url, apply_body(root, 4_000_000, [world.bank]),
                         format="json").json()["application"]["locked_token_id"]
    frozen = issue(world.core, world.bank, world.supplier, 1_000_000, days=20)
    regulator = onboard(OrganisationKind.REGULATOR, Role.OPERATOR)
    send(regulator, "VoucherLedger", "freeze", [str(frozen), "0x" + "cd" * 32])
    others = issue(world.core, world.bank, world.supplier2, 1_000_000, days=20)
    matures = issue(world.core, world.bank, world.supplier, 1_000_000, days=5)

    with Unchanged():
        refused(client.post(url, apply_body(locked, 100, [world.bank]), format="json"), 409,
                error="VoucherLedgerPieceLocked")
        body = refused(client.post(url, apply_body(root, 100, [world.bank2]), format="json"),
                       409)
        assert body["code"] == "piece_reserved"
        refused(client.post(url, apply_body(frozen, 100, [world.bank]), format="json"), 409,
                error="VoucherLedgerPieceFrozen")
        refused(client.post(url, apply_body(others, 100, [world.bank]), format="json"), 409,
                error="VoucherLedgerNotHolder")
        travel(6 * DAY)
        refused(client.post(url, apply_body(matures, 100, [world.bank]), format="json"), 409,
                error="VoucherLedgerMatured")
    assert piece(matures)["status"] == 2


def test_bad_pricing_and_decisions(world, travel):
    root = issue(world.core, world.bank, world.supplier, 10_000_000, days=30)
    application = world.client(world.supplier).post(
        "/api/financing/applications/create", apply_body(root, 10_000_000, [world.bank]),
        format="json").json()["application"]
    url = f"/api/financing/applications/{application['id']}/quote"
    operator = world.client(world.bank)
    yesterday = timezone.localdate() - timedelta(days=1)
    with Unchanged():
        refused(operator.post(url, {"annual_rate": "0.40"}, format="json"), 400,
                field="annual_rate")
        refused(operator.post(url, {"annual_rate": "-0.01"}, format="json"), 400,
                field="annual_rate")
        refused(operator.post(url, {"annual_rate": "0.0385", "fees_fen": -1}, format="json"),
                400, field="fees_fen")
        refused(operator.post(url, {"annual_rate": "0.0385", "fees_fen": 10_000_000},
                              format="json"), 400, field="fees_fen")
        refused(operator.post(url, {"annual_rate": "0.0385", "value_date": str(yesterday)},
                              format="json"), 400, field="value_date")
        refused(operator.post(url, {"annual_rate": "0.0385", "value_date": "2999-01-01"},
                              format="json"), 400, field="value_date")
        # another bank acting on this bank's application: it does not exist for it
        refused(world.client(world.bank2).post(url, {"annual_rate": "0.0385"}, format="json"),
                404)
        refused(world.client(world.bank2, Role.APPROVER).post(
            f"/api/financing/applications/{application['id']}/decline", {"reason": "x"},
            format="json"), 404)
        # another supplier cannot withdraw it
        refused(world.client(world.supplier2).post(
            f"/api/financing/applications/{application['id']}/withdraw"), 404)
        # disbursing what is not financed
        refused(operator.post(f"/api/financing/applications/{application['id']}/disburse",
                              {"payment_reference": "P", "disbursed_on":
                               str(timezone.localdate())}, format="json"), 403)

    q = operator.post(url, {"annual_rate": "0.0385"}, format="json").json()
    with Unchanged():
        # the other bank's approver, and the supplier, cannot decide this bank's quote
        refused(world.client(world.bank2, Role.APPROVER).post(
            f"/api/financing/quotes/{q['id']}/approve"), 404)
        refused(world.client(world.supplier).post(f"/api/financing/quotes/{q['id']}/accept"),
                409)
        # a quote that was not offered cannot be accepted; matured pieces cannot pass
        travel(31 * DAY)
        refused(world.client(world.bank, Role.APPROVER).post(
            f"/api/financing/quotes/{q['id']}/approve"), 409, error="VoucherLedgerMatured")
    assert FinancingQuote.objects.get().status == "proposed"
    assert ApprovalRequest.objects.get(pk=q["approval"]["id"]).status == "proposed"


def test_bad_credit_line_proposals(world):
    operator = world.client(world.bank2)
    url = "/api/credit-line-changes/create"
    future = str(timezone.localdate() + timedelta(days=30))
    with Unchanged():
        for limit in (0, -1, 2.5):
            refused(operator.post(url, {"core_enterprise": world.core.pk, "limit_fen": limit,
                                        "expires_on": future}, format="json"), 400,
                    field="limit_fen")
        refused(operator.post(url, {"core_enterprise": world.core.pk, "limit_fen": 2**96,
                                    "expires_on": future}, format="json"), 400,
                field="limit_fen")
        refused(operator.post(url, {"core_enterprise": world.core.pk, "limit_fen": 100,
                                    "expires_on": str(timezone.localdate())}, format="json"),
                400, field="expires_on")
        refused(operator.post(url, {"core_enterprise": world.supplier.pk, "limit_fen": 100,
                                    "expires_on": future}, format="json"), 400,
                field="core_enterprise")
        refused(operator.post(url, {"core_enterprise": 99999, "limit_fen": 100,
                                    "expires_on": future}, format="json"), 400,
                field="core_enterprise")
        # a supplier or a bank approver does not propose lines
        refused(world.client(world.supplier).post(url, {}, format="json"), 403)
        refused(world.client(world.bank2, Role.APPROVER).post(url, {}, format="json"), 403)
