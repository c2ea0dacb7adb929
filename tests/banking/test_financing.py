"""Financing applications (融资申请), quotes and decisions through the API, on a real ledger."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from banking.models import FinancingApplication
from receivables.models import DebtorNotice
from scf import clock
from scf.accounts.models import Role
from scf.chain.models import ChainIntent
from scf.notifications.models import Notification
from tests.banking.conftest import INVOICE, address, issue, piece
from tests.factories import api_client, user_factory

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE, LOCKED = 2, 3


def apply(world, token_id, amount_fen, banks, client=None):
    client = client or world.client(world.supplier)
    return client.post("/api/financing/applications/create", {
        "token_id": token_id, "amount_fen": amount_fen, "bank_ids": [b.pk for b in banks],
        "invoice_numbers": [INVOICE], "trade_reference": "HT-2026-001"}, format="json")


def quote(client, application_id, *, rate="0.0385", fees_fen=0, value_date=None):
    body = {"annual_rate": rate, "fees_fen": fees_fen}
    if value_date:
        body["value_date"] = str(value_date)
    return client.post(f"/api/financing/applications/{application_id}/quote", body,
                       format="json")


def test_single_bank_split_lock_quote_approve_and_disburse(world):
    face = 100_000_000  # ¥1,000,000.00
    root = issue(world.core, world.bank, world.supplier, face, days=100)

    # apply for ¥300,000.00 of it: split-then-lock in one chain action
    response = apply(world, root, 30_000_000, [world.bank])
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["function"] == "lockForFinancing"
    application = body["application"]
    assert application["status"] == "submitted" and application["multi_bank"] is False
    locked = application["locked_token_id"]
    assert locked != root
    assert piece(locked)["status"] == LOCKED
    assert piece(locked)["lock_bank"] == address(world.bank)
    assert piece(locked)["balance"] == 30_000_000 and piece(root)["balance"] == 70_000_000
    assert application["amount_yuan"] == "300,000.00"

    # the bank's back office: its queue with filters, and the detail
    bank_operator = world.client(world.bank, Role.OPERATOR)
    queue = bank_operator.get("/api/financing/applications?status=submitted"
                              "&amount_min=10000000&amount_max=50000000").json()
    assert [a["id"] for a in queue["results"]] == [application["id"]]
    assert bank_operator.get("/api/financing/applications?amount_min=50000001").json()[
        "count"] == 0
    maturity_date = date.fromisoformat(application["maturity_date"])
    assert bank_operator.get(f"/api/financing/applications?maturity_to="
                             f"{maturity_date - timedelta(days=1)}").json()["count"] == 0
    assert world.client(world.bank2).get("/api/financing/applications").json()["count"] == 0
    detail = bank_operator.get(f"/api/financing/applications/{application['id']}").json()
    assert detail["kyc"]["on_chain"] is True
    assert [step["token_id"] for step in detail["lineage"]] == [locked, root]
    assert detail["lineage"][0]["owner_name"] == world.supplier.name
    assert detail["root"]["debtor_name"] == world.core.name
    assert detail["root"]["face_value_fen"] == face
    assert detail["invoice_numbers"] == [INVOICE]
    assert len(detail["root"]["invoice_hashes"]) == 1

    # pricing by the operator: interest = face × rate × days / 360, rounded once
    value_date = maturity_date - timedelta(days=90)
    response = quote(bank_operator, application["id"], rate="0.0385", fees_fen=5_000,
                     value_date=value_date)
    assert response.status_code == 201, response.json()
    q = response.json()
    assert q["status"] == "proposed"
    assert (q["days"], q["day_count_basis"]) == (90, 360)
    assert q["interest_fen"] == 288_750  # 30,000,000 × 0.0385 × 90 / 360
    assert q["interest_yuan"] == "2,887.50"
    assert q["fees_fen"] == 5_000
    assert q["net_proceeds_fen"] == 30_000_000 - 288_750 - 5_000
    assert q["net_proceeds_yuan"] == "297,062.50"
    assert "/ 360" in q["formula"] and "297,062.50" in q["formula"]
    assert piece(locked)["owner"] == address(world.supplier)  # nothing moved yet

    # the checker: a different user with the approver role
    response = world.client(world.bank, Role.APPROVER).post(
        f"/api/financing/quotes/{q['id']}/approve")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["function"] == "approveFinancing"
    assert body["quote"]["status"] == "financed"
    assert body["application"]["status"] == "financed"
    assert piece(locked)["owner"] == address(world.bank)
    assert piece(locked)["status"] == ACTIVE
    assert piece(root)["balance"] + piece(locked)["balance"] == face  # conservation
    assert Notification.objects.filter(organisation=world.supplier,
                                       kind="financing.financed").exists()
    # the debtor is told of the split for the lock and of the transfer to the bank
    notices = DebtorNotice.objects.filter(debtor=world.core).order_by("pk")
    assert [(n.kind, n.from_token_id, n.to_token_id, n.to_organisation_id, n.amount_fen)
            for n in notices] == [("split", root, locked, world.supplier.pk, 30_000_000),
                                  ("financing", locked, locked, world.bank.pk, 30_000_000)]

    # the supplier sees the same terms
    supplier_view = world.client(world.supplier).get(
        f"/api/financing/applications/{application['id']}").json()
    assert [x["net_proceeds_fen"] for x in supplier_view["quotes"]] == [29_706_250]

    # disbursement: a payment reference and a date, no money moves on the platform
    response = bank_operator.post(f"/api/financing/applications/{application['id']}/disburse",
                                  {"payment_reference": "PAY-20261121-001",
                                   "disbursed_on": str(timezone.localdate())}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "disbursed"
    assert response.json()["disbursement"] == {
        "payment_reference": "PAY-20261121-001", "disbursed_on": str(timezone.localdate()),
        "amount_fen": 29_706_250, "amount_yuan": "297,062.50"}


def test_rejecting_the_quote_declines_and_releases_the_lock(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    application = apply(world, root, 10_000_000, [world.bank]).json()["application"]
    assert application["locked_token_id"] == root  # the whole piece: no split
    q = quote(world.client(world.bank), application["id"]).json()

    response = world.client(world.bank, Role.APPROVER).post(
        f"/api/financing/quotes/{q['id']}/reject", {"reason": "贸易背景不清"}, format="json")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["function"] == "declineFinancing" and body["status"] == "confirmed"
    assert body["quote"]["status"] == "rejected"
    assert body["application"]["status"] == "declined"
    assert body["application"]["banks"][0]["status"] == "declined"
    assert piece(root)["status"] == ACTIVE and piece(root)["owner"] == address(world.supplier)
    assert Notification.objects.filter(organisation=world.supplier,
                                       kind="financing.declined").exists()
    # the piece is free again
    assert apply(world, root, 5_000_000, [world.bank2]).status_code == 202


def test_the_supplier_withdraws_before_a_decision(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    application = apply(world, root, 4_000_000, [world.bank]).json()["application"]
    locked = application["locked_token_id"]
    q = quote(world.client(world.bank), application["id"]).json()

    response = world.client(world.supplier).post(
        f"/api/financing/applications/{application['id']}/withdraw")

    assert response.status_code == 202, response.json()
    assert response.json()["function"] == "withdrawFinancing"
    assert response.json()["application"]["status"] == "withdrawn"
    assert piece(locked)["status"] == ACTIVE
    assert world.client(world.bank).get(f"/api/financing/quotes/{q['id']}").json()[
        "status"] == "lapsed"
    # too late for the checker now
    response = world.client(world.bank, Role.APPROVER).post(
        f"/api/financing/quotes/{q['id']}/approve")
    assert response.status_code == 409
    assert piece(locked)["owner"] == address(world.supplier)


def test_several_banks_quote_the_supplier_accepts_one_the_others_lapse(world):
    face = 50_000_000
    root = issue(world.core, world.bank, world.supplier, face, days=120)
    response = apply(world, root, 20_000_000, [world.bank, world.bank2])
    assert response.status_code == 201, response.json()
    application = response.json()
    assert application["status"] == "submitted" and application["multi_bank"] is True
    assert application["locked_token_id"] is None and not application["operations"]
    assert piece(root)["status"] == ACTIVE  # reserved here, not locked on chain
    # the same piece cannot be applied for twice
    again = apply(world, root, 1_000_000, [world.bank])
    assert again.status_code == 409 and again.json()["code"] == "piece_reserved"

    quotes = {}
    for bank, rate in ((world.bank, "0.0420"), (world.bank2, "0.0380")):
        quotes[bank.pk] = quote(world.client(bank), application["id"], rate=rate,
                                fees_fen=1_000).json()
        response = world.client(bank, Role.APPROVER).post(
            f"/api/financing/quotes/{quotes[bank.pk]['id']}/approve")
        assert response.status_code == 200, response.json()  # an offer, nothing on chain
        assert response.json()["status"] == "offered"
    assert piece(root)["status"] == ACTIVE

    # each bank sees its own quote only; the supplier sees both
    for bank in (world.bank, world.bank2):
        seen = world.client(bank).get(f"/api/financing/applications/{application['id']}")
        assert [x["bank"]["id"] for x in seen.json()["quotes"]] == [bank.pk]
    seen = world.client(world.supplier).get(f"/api/financing/applications/{application['id']}")
    assert {x["bank"]["id"] for x in seen.json()["quotes"]} == {world.bank.pk, world.bank2.pk}

    chosen = quotes[world.bank2.pk]
    response = world.client(world.supplier).post(f"/api/financing/quotes/{chosen['id']}/accept")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["function"] == "lockForFinancing" and body["status"] == "confirmed"
    result = body["application"]
    assert result["status"] == "financed"  # the bank's approved quote executed approveFinancing
    assert [op["kind"] for op in result["operations"]] == ["lock", "approve"]
    assert all(op["operation"]["status"] == "confirmed" for op in result["operations"])
    locked = result["locked_token_id"]
    assert piece(locked)["owner"] == address(world.bank2)
    assert piece(locked)["balance"] == 20_000_000
    assert piece(root)["balance"] + piece(locked)["balance"] == face
    assert {b["bank"]["id"]: b["status"] for b in result["banks"]} == {
        world.bank.pk: "lapsed", world.bank2.pk: "selected"}
    lapsed = world.client(world.bank).get(f"/api/financing/quotes/{quotes[world.bank.pk]['id']}")
    assert lapsed.json()["status"] == "lapsed"
    assert Notification.objects.filter(organisation=world.bank, kind="financing.lapse").exists()
    assert Notification.objects.filter(organisation=world.supplier,
                                       kind="financing.quote_offered").count() == 2

    # only the financing bank records the disbursement
    disburse = {"payment_reference": "PAY-1", "disbursed_on": str(timezone.localdate())}
    url = f"/api/financing/applications/{application['id']}/disburse"
    assert world.client(world.bank).post(url, disburse, format="json").status_code == 403
    response = world.client(world.bank2).post(url, disburse, format="json")
    assert response.status_code == 200 and response.json()["status"] == "disbursed"
    assert response.json()["disbursement"]["amount_fen"] == chosen["net_proceeds_fen"]


def test_a_bank_declines_a_multi_bank_application_and_the_last_decline_closes_it(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    application = apply(world, root, 10_000_000, [world.bank, world.bank2]).json()
    url = f"/api/financing/applications/{application['id']}/decline"

    response = world.client(world.bank, Role.APPROVER).post(url, {"reason": "额度不足"},
                                                            format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert world.client(world.bank, Role.APPROVER).post(
        url, {"reason": "again"}, format="json").status_code == 409
    response = world.client(world.bank2, Role.APPROVER).post(url, {"reason": "不做"},
                                                             format="json")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert not ChainIntent.objects.filter(function__endswith="Financing").exists()
    # withdrawing a closed application
    assert world.client(world.supplier).post(
        f"/api/financing/applications/{application['id']}/withdraw").status_code == 409


def test_multi_bank_withdrawal_needs_no_chain(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    application = apply(world, root, 3_000_000, [world.bank, world.bank2]).json()

    response = world.client(world.supplier).post(
        f"/api/financing/applications/{application['id']}/withdraw")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    assert {b["status"] for b in response.json()["banks"]} == {"lapsed"}
    assert FinancingApplication.objects.get().status == "withdrawn"


def test_the_proposer_of_a_quote_cannot_approve_it(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    application = apply(world, root, 10_000_000, [world.bank]).json()["application"]
    both = user_factory(world.bank, Role.OPERATOR, Role.APPROVER)
    q = quote(api_client(both), application["id"]).json()

    response = api_client(both).post(f"/api/financing/quotes/{q['id']}/approve")

    assert response.status_code == 403
    assert "经办人不能复核自己的请求" in response.json()["message"]
    assert piece(root)["owner"] == address(world.supplier)
    assert FinancingApplication.objects.get().status == "submitted"


def test_maturity_date_is_the_roots_business_date(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000, days=30)
    application = apply(world, root, 10_000_000, [world.bank]).json()["application"]
    assert application["maturity_date"] == str(clock.date_of(application["maturity"]))
    # pricing uses the Decimal formula and rounds once, half up
    q = quote(world.client(world.bank), application["id"], rate="0.0333").json()
    expected = (Decimal(10_000_000) * Decimal("0.0333") * q["days"] / 360).quantize(
        Decimal(1), rounding=ROUND_HALF_UP)
    assert q["interest_fen"] == int(expected)
