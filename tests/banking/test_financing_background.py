"""A financing cites only invoices that back the voucher it finances (issue 11, defect 10): not
another voucher's invoice, nor one never recorded."""

import pytest

from banking.models import FinancingApplication
from scf.chain.models import ChainIntent
from tests.banking.conftest import issue

pytestmark = pytest.mark.django_db(transaction=True)


def apply(world, token_id, numbers):
    return world.client(world.supplier).post("/api/financing/applications/create", {
        "token_id": token_id, "amount_fen": 1_000_000, "bank_ids": [world.bank.pk],
        "invoice_numbers": numbers}, format="json")


@pytest.mark.parametrize("cited", [["24312000000000099999"], ["24312000000000000002"],
                                   ["24312000000000000001", "24312000000000099999"]])
def test_invoices_that_do_not_back_the_piece_are_refused(world, cited):
    mine = issue(world.core, world.bank, world.supplier, 50_000_000,
                 invoice_numbers=("24312000000000000001",))
    issue(world.core, world.bank, world.supplier2, 50_000_000,  # another voucher's invoice
          invoice_numbers=("24312000000000000002",))
    intents = ChainIntent.objects.count()

    response = apply(world, mine, cited)

    assert response.status_code == 400, response.json()
    [message] = response.json()["extra"]["fields"]["invoice_numbers"]
    foreign = [n for n in cited if n != "24312000000000000001"]
    assert all(n in message for n in foreign) and "does not back this voucher" in message
    assert not FinancingApplication.objects.exists()
    assert ChainIntent.objects.count() == intents


def test_the_vouchers_own_invoices_are_accepted(world):
    mine = issue(world.core, world.bank, world.supplier, 50_000_000,
                 invoice_numbers=("24312000000000000001", "24312000000000000003"))
    response = apply(world, mine, ["24312000000000000003", "24312000000000000001"])
    assert response.status_code == 202, response.json()
