"""Maturity clearing (到期清分) on a real ledger: the list from chain state, funding confirmed by
the core enterprise, settlement in batches of at most 50, credit restored, overdue marking."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from banking.models import ClearingBatch, ClearingItem, ClearingOperation
from banking.services import clearing_run, root_token_ids
from scf.accounts.models import Role
from scf.chain.contracts import platform_contract
from scf.chain.models import ChainIntent
from scf.notifications.models import Notification
from tests.banking.conftest import (
    DAY,
    INVOICE,
    address,
    issue,
    line_of,
    piece,
    split,
    transfer,
)

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE, LOCKED, SETTLED, OVERDUE = 2, 3, 4, 6


def live_pieces_on_chain(root_id: int) -> dict[int, tuple[str, int, int]]:
    """token id -> (holder, balance, status) of every piece of the root worth something."""
    out = {}
    ledger = platform_contract("VoucherLedger")
    for token_id in range(1, ledger.functions.nextTokenId().call()):
        p = piece(token_id, ledger=ledger)
        if p["root"] == root_id and p["balance"] > 0 and p["status"] in (1, 2, 3, 6):
            out[token_id] = (p["owner"], p["balance"], p["status"])
    return out


def confirm(world, batch_id, reference="CLR-20261121-01"):
    return world.client(world.core, Role.APPROVER).post(
        f"/api/clearing/batches/{batch_id}/confirm",
        {"payment_reference": reference, "paid_on": str(timezone.localdate())}, format="json")


def test_clearing_of_more_than_fifty_pieces_settles_in_batches_and_restores_credit(
        world, travel):
    used_before = line_of(world.bank, world.core)["used"]
    face = 10_000_000
    root = issue(world.core, world.bank, world.supplier, face, days=30)
    assert line_of(world.bank, world.core)["used"] == used_before + face
    pieces = []
    for _ in range(3):  # the ledger splits at most 20 values per call
        pieces += split(world.supplier, root, [100_000] * 20)
    moved = transfer(world.supplier, pieces[0], world.supplier2, 100_000)  # pieces[0] -> 0
    # one piece under a financing application to the bank at maturity: blocked
    response = world.client(world.supplier).post("/api/financing/applications/create", {
        "token_id": pieces[1], "amount_fen": 100_000, "bank_ids": [world.bank.pk],
        "invoice_numbers": [INVOICE]}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "confirmed"
    application_id = response.json()["application_id"]
    expected = live_pieces_on_chain(root)
    assert len(expected) == 61  # 59 split pieces, the moved one, the root's remainder
    assert sum(balance for _, balance, _ in expected.values()) == face

    travel(31 * DAY)
    call_command("run_clearing")

    batch = ClearingBatch.objects.get()
    assert batch.core_enterprise == world.core and batch.root_ids == [root]
    assert batch.status == "awaiting_funding" and batch.total_fen == face
    items = {i.token_id: i for i in ClearingItem.objects.all()}
    assert {t: (i.holder_address, i.amount_fen, i.chain_status) for t, i in items.items()} == \
        expected
    assert items[moved].holder == world.supplier2
    assert items[pieces[1]].status == "blocked" and "locked" in items[pieces[1]].blocked_reason
    assert root_token_ids(root) >= set(expected)
    assert Notification.objects.filter(organisation=world.core, kind="clearing.due").exists()

    # the core enterprise sees every item; a holder only its own
    core_view = world.client(world.core, Role.VIEWER).get(f"/api/clearing/batches/{batch.pk}")
    assert len(core_view.json()["items"]) == 61
    holder_view = world.client(world.supplier2).get(f"/api/clearing/batches/{batch.pk}")
    assert [i["token_id"] for i in holder_view.json()["items"]] == [moved]
    assert world.client(world.bank2).get(f"/api/clearing/batches/{batch.pk}").status_code == 404

    # funding confirmed: 60 settleable pieces -> two settle calls (50 + 10) from the core
    response = confirm(world, batch.pk)
    assert response.status_code == 202, response.json()
    body = response.json()
    assert [op["status"] for op in body["operations"]] == ["confirmed", "confirmed"]
    assert [op["function"] for op in body["operations"]] == ["settle", "settle"]
    assert [len(op.token_ids) for op in ClearingOperation.objects.order_by("sequence")] == [50, 10]
    senders = ChainIntent.objects.filter(function="settle").values_list("sender__address",
                                                                        flat=True)
    assert set(senders) == {address(world.core)}
    assert body["batch"]["status"] == "partially_settled"
    statuses = {i["token_id"]: i["status"] for i in body["batch"]["items"]}
    assert statuses.pop(pieces[1]) == "blocked"
    assert set(statuses.values()) == {"settled"}
    ledger = platform_contract("VoucherLedger")
    assert all(piece(t, ledger=ledger)["status"] == SETTLED for t in statuses)

    # the lock is released (withdrawal works after maturity), the next run settles the rest
    response = world.client(world.supplier).post(
        f"/api/financing/applications/{application_id}/withdraw")
    assert response.status_code == 202 and response.json()["status"] == "confirmed"
    clearing_run()
    batch.refresh_from_db()
    assert batch.status == "settled"
    assert piece(pieces[1])["status"] == SETTLED
    assert not live_pieces_on_chain(root)
    slot = platform_contract("VoucherLedger").functions.slotInfo(root).call()
    assert slot[4] == face  # settled amount
    assert line_of(world.bank, world.core)["used"] == used_before  # credit restored
    paid = Notification.objects.filter(kind="clearing.settled")
    assert {n.organisation_id for n in paid} == {world.supplier.pk, world.supplier2.pk}
    # a second run finds nothing more to do
    assert clearing_run()["batches_created"] == []
    assert confirm(world, batch.pk).status_code == 409


def test_unpaid_pieces_become_overdue_after_the_grace_period_with_reminders(world, travel):
    used_before = line_of(world.bank, world.core)["used"]
    root = issue(world.core, world.bank, world.supplier, 5_000_000, days=10)
    first, second = split(world.supplier, root, [1_000_000, 1_000_000])
    transfer(world.supplier, second, world.supplier2, 1_000_000)

    travel(11 * DAY)
    summary = clearing_run()
    assert len(summary["batches_created"]) == 1 and summary["overdue_operations"] == []
    assert not ClearingItem.objects.filter(overdue=True).exists()

    travel(7 * DAY)  # the ledger's default grace period
    summary = clearing_run()

    [operation_id] = summary["overdue_operations"]
    intent = ChainIntent.objects.get(pk=operation_id)
    assert intent.status == "confirmed" and intent.function == "markOverdue"
    assert intent.sender.label == "platform operator"
    items = ClearingItem.objects.all()
    assert len(items) == 3 and all(i.overdue for i in items)
    assert all(piece(i.token_id)["status"] == OVERDUE for i in items)
    reminded = set(Notification.objects.filter(kind="clearing.overdue").values_list(
        "organisation_id", flat=True))
    assert reminded == {world.core.pk, world.supplier.pk, world.supplier2.pk}
    assert clearing_run()["overdue_operations"] == []  # marked once

    # late funding still settles overdue pieces and restores the credit
    batch = ClearingBatch.objects.get()
    response = confirm(world, batch.pk)
    assert response.status_code == 202
    assert response.json()["batch"]["status"] == "settled"
    assert all(piece(i.token_id)["status"] == SETTLED for i in items)
    assert line_of(world.bank, world.core)["used"] == used_before


def test_only_the_core_enterprise_approver_confirms_its_own_batch(world, travel):
    issue(world.core, world.bank, world.supplier, 1_000_000, days=5)
    travel(6 * DAY)
    clearing_run()
    batch = ClearingBatch.objects.get()
    url = f"/api/clearing/batches/{batch.pk}/confirm"
    body = {"payment_reference": "X", "paid_on": str(timezone.localdate())}

    assert world.client(world.core, Role.OPERATOR).post(url, body, format="json"
                                                        ).status_code == 403
    assert world.client(world.supplier, Role.APPROVER).post(url, body, format="json"
                                                            ).status_code == 403
    bad = world.client(world.core, Role.APPROVER).post(url, {"payment_reference": "",
                                                             "paid_on": "2999-01-01"},
                                                       format="json")
    # both fields at once; a year past the business range is refused at input too
    assert bad.status_code == 400 and set(bad.json()["extra"]["fields"]) == {
        "payment_reference", "paid_on"}
    future = world.client(world.core, Role.APPROVER).post(
        url, {"payment_reference": "X", "paid_on": "2999-01-01"}, format="json")
    assert future.status_code == 400 and "paid_on" in future.json()["extra"]["fields"]
    batch.refresh_from_db()
    assert batch.status == "awaiting_funding" and not ChainIntent.objects.filter(
        function="settle").exists()
