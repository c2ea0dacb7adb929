"""Attacks and abuse: every one must fail with the named error and leave no trace."""

import pytest

from tests.contracts.helpers import (
    BANK,
    DAY,
    HOLDER,
    MAX_UINT96,
    MAX_UINT256,
    SUPPLIER,
    Status,
    h,
)


def test_a_non_member_cannot_receive(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    outsider = p["outsider"]
    p.expect_revert(fn.transferValue(tid, outsider, 1), p["sup1"], "VoucherLedgerNotMember",
                    outsider, HOLDER)
    p.expect_revert(fn.transferPiece(tid, outsider), p["sup1"], "VoucherLedgerNotMember",
                    outsider, HOLDER)
    p.expect_revert(fn.issue(p["bank1"], outsider, 1, p.chain.now() + DAY, h("t"), [h("i")]),
                    p["core1"], "VoucherLedgerNotMember", outsider, SUPPLIER)
    # nor can it lock a piece for itself posing as a bank
    p.expect_revert(fn.lockForFinancing(tid, 1, outsider), p["sup1"], "VoucherLedgerNotMember",
                    outsider, BANK)
    assert p.piece(tid).balance == 1_000 and p.next_id() == tid + 1


def test_a_non_member_cannot_act_on_pieces(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    outsider = p["outsider"]
    p.expect_revert(fn.transferValue(tid, outsider, 1), outsider, "VoucherLedgerNotHolder", tid,
                    outsider, p["sup1"])
    p.expect_revert(fn.issue(p["bank1"], p["sup1"], 1, p.chain.now() + DAY, h("t"), [h("i")]),
                    outsider, "VoucherLedgerNotMember", outsider, 1)
    p.expect_revert(fn.freeze(tid, h("r")), outsider, "VoucherLedgerNotMember", outsider, 8)
    p.expect_revert(fn.settle([tid], h("p")), outsider, "VoucherLedgerUnauthorized", outsider)


def test_a_suspended_member_cannot_send_or_receive(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.transferValue(tid, p["sup2"], 100), p["sup1"])
    p.send(p.registry.functions.suspendMember(p["sup1"], h("fraud")), p.admin)
    p.expect_revert(fn.transferValue(tid, p["sup3"], 1), p["sup1"], "VoucherLedgerNotMember",
                    p["sup1"], HOLDER)
    p.expect_revert(fn.transferPiece(tid, p["sup3"]), p["sup1"], "VoucherLedgerNotMember",
                    p["sup1"], HOLDER)
    p.expect_revert(fn.split(tid, [1]), p["sup1"], "VoucherLedgerNotMember", p["sup1"], HOLDER)
    p.expect_revert(fn.transferValue(tid + 1, p["sup1"], 1), p["sup2"], "VoucherLedgerNotMember",
                    p["sup1"], HOLDER)
    # reinstated, it may move again
    p.send(p.registry.functions.reinstateMember(p["sup1"]), p.admin)
    p.send(fn.transferValue(tid, p["sup3"], 1), p["sup1"])


def test_expired_kyc_blocks_sending_and_receiving(p):
    tid = p.issue(face=1_000, days=60)
    fn = p.ledger.functions
    expiry = p.chain.now() + 10 * DAY
    p.send(p.registry.functions.updateMember(p["sup2"], SUPPLIER, expiry, h("kyc")), p.admin)
    p.send(fn.transferValue(tid, p["sup2"], 10), p["sup1"])
    p.chain.travel(10 * DAY + 60)
    p.expect_revert(fn.transferValue(tid, p["sup2"], 10), p["sup1"], "VoucherLedgerNotMember",
                    p["sup2"], HOLDER)
    p.expect_revert(fn.transferValue(tid + 1, p["sup1"], 10), p["sup2"],
                    "VoucherLedgerNotMember", p["sup2"], HOLDER)
    p.expect_revert(fn.issue(p["bank1"], p["sup2"], 1, p.chain.now() + DAY, h("t"), [h("x")]),
                    p["core1"], "VoucherLedgerNotMember", p["sup2"], SUPPLIER)


def test_a_bank_cannot_approve_or_decline_a_lock_made_for_another_bank(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    p.expect_revert(fn.approveFinancing(tid), p["bank2"], "VoucherLedgerNotLockBank", tid,
                    p["bank2"], p["bank1"])
    p.expect_revert(fn.declineFinancing(tid, h("r")), p["bank2"], "VoucherLedgerNotLockBank",
                    tid, p["bank2"], p["bank1"])
    # nor after the holder withdrew and locked for the other bank
    p.send(fn.withdrawFinancing(tid), p["sup1"])
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerInvalidStatus", tid,
                    Status.ACTIVE)
    p.send(fn.lockForFinancing(tid, 1_000, p["bank2"]), p["sup1"])
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerNotLockBank", tid,
                    p["bank1"], p["bank2"])
    assert p.piece(tid).owner == p["sup1"]


def test_reuse_of_an_invoice_hash(p):
    first = p.issue(invoices=("INV-2024-001",))
    for debtor, bank in (("core1", "bank1"), ("core2", "bank2")):
        p.expect_revert(
            p.ledger.functions.issue(p[bank], p["sup2"], 5, p.chain.now() + DAY, h("t2"),
                                     [h("INV-2024-009"), h("INV-2024-001")]),
            p[debtor], "VoucherLedgerInvoiceAlreadyUsed", h("INV-2024-001"), first)
    # still bound after the voucher was settled: an invoice backs one voucher, ever
    p.chain.travel(90 * DAY)
    p.send(p.ledger.functions.settle([first], h("pay")), p["core1"])
    p.expect_revert(
        p.ledger.functions.issue(p["bank1"], p["sup2"], 5, p.chain.now() + DAY, h("t3"),
                                 [h("INV-2024-001")]),
        p["core1"], "VoucherLedgerInvoiceAlreadyUsed", h("INV-2024-001"), first)
    assert p.ledger.functions.invoiceHolder(h("INV-2024-009")).call() == 0


@pytest.mark.parametrize("value", [0, MAX_UINT256, MAX_UINT96 + 1, 2**255])
def test_extreme_amounts(p, value):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    sup1 = p["sup1"]
    expected = (("VoucherLedgerZeroValue", tid) if value == 0
                else ("VoucherLedgerInsufficientBalance", tid, 1_000, value))
    p.expect_revert(fn.transferValue(tid, p["sup2"], value), sup1, *expected)
    p.expect_revert(fn.split(tid, [value]), sup1, *expected)
    p.expect_revert(fn.lockForFinancing(tid, value, p["bank1"]), sup1, *expected)
    p.expect_revert(fn.issue(p["bank1"], p["sup2"], value, p.chain.now() + DAY, h("t"), [h("z")]),
                    p["core1"], "VoucherLedgerInvalidFaceValue", value)
    assert p.piece(tid).balance == 1_000


def test_split_values_that_would_overflow_a_sum(p):
    tid = p.issue(face=1_000)
    p.expect_revert(p.ledger.functions.split(tid, [600, MAX_UINT256]), p["sup1"],
                    "VoucherLedgerInsufficientBalance", tid, 400, MAX_UINT256)


@pytest.mark.parametrize("token_id", [0, 2**40, 2**40 + 1, MAX_UINT256])
def test_ids_outside_the_ledger(p, token_id):
    p.issue()
    fn = p.ledger.functions
    p.expect_revert(fn.transferValue(token_id, p["sup2"], 1), p["sup1"],
                    "VoucherLedgerPieceNotFound", token_id)
    p.expect_revert(fn.settle([token_id], h("p")), p["core1"], "VoucherLedgerPieceNotFound",
                    token_id)


def test_settlement_batches_over_the_cap(p):
    tid = p.issue(face=100, days=1)
    p.send(p.ledger.functions.split(tid, [1] * 20), p["sup1"])
    p.send(p.ledger.functions.split(tid, [1] * 20), p["sup1"])
    p.send(p.ledger.functions.split(tid, [1] * 20), p["sup1"])
    p.chain.travel(DAY)
    ids = list(range(tid, tid + 61))
    p.expect_revert(p.ledger.functions.settle(ids[:51], h("p")), p["core1"],
                    "VoucherLedgerInvalidLength", 51, 50)
    p.expect_revert(p.ledger.functions.settle(ids, h("p")), p["core1"],
                    "VoucherLedgerInvalidLength", 61, 50)
    p.expect_revert(p.ledger.functions.markOverdue(ids), p.admin, "VoucherLedgerInvalidLength",
                    61, 50)
    p.send(p.ledger.functions.settle(ids[:50], h("p")), p["core1"])
    p.send(p.ledger.functions.settle(ids[50:], h("p")), p["core1"])
    assert p.line(p["bank1"], p["core1"]).used == 0


def test_double_settlement_cannot_restore_credit_twice(p):
    a = p.issue(face=100, days=1)
    p.issue(face=900, days=1)
    p.chain.travel(DAY)
    p.send(p.ledger.functions.settle([a], h("p")), p["core1"])
    p.expect_revert(p.ledger.functions.settle([a], h("p")), p["core1"],
                    "VoucherLedgerInvalidStatus", a, Status.SETTLED)
    assert p.line(p["bank1"], p["core1"]).used == 900


def test_a_debtor_cannot_settle_another_debtors_voucher(p):
    tid = p.issue(debtor="core2", bank="bank2", days=1)
    p.chain.travel(DAY)
    p.expect_revert(p.ledger.functions.settle([tid], h("p")), p["core1"],
                    "VoucherLedgerUnauthorized", p["core1"])


def test_nobody_but_the_ledger_moves_credit(p):
    for who in ("core1", "bank1", "admin"):
        account = p.admin if who == "admin" else p[who]
        p.expect_revert(p.credit.functions.restore(p["bank1"], p["core1"], 1), account,
                        "CreditLinesUnauthorizedLedger", account)
        p.expect_revert(p.credit.functions.consume(p["bank1"], p["core1"], 1), account,
                        "CreditLinesUnauthorizedLedger", account)
    p.expect_revert(p.credit.functions.setLedger(p["sup1"]), p.admin,
                    "CreditLinesLedgerAlreadySet", p.ledger.address)


def test_frozen_and_locked_pieces_never_move(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    for call, sender in ((fn.transferValue(tid, p["sup2"], 1), p["sup1"]),
                         (fn.transferPiece(tid, p["sup2"]), p["sup1"]),
                         (fn.split(tid, [1]), p["sup1"])):
        p.expect_revert(call, sender, "VoucherLedgerPieceLocked", tid, p["bank1"])
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerPieceFrozen", tid)
    p.expect_revert(fn.withdrawFinancing(tid), p["sup1"], "VoucherLedgerPieceFrozen", tid)
    assert p.piece(tid).owner == p["sup1"]


def test_nothing_moves_after_maturity_but_settlement(p):
    tid = p.issue(face=1_000, days=2)
    fn = p.ledger.functions
    maturity = p.slot(tid).maturity
    p.chain.travel(2 * DAY)
    for call in (fn.transferValue(tid, p["sup2"], 1), fn.transferPiece(tid, p["sup2"]),
                 fn.split(tid, [1]), fn.lockForFinancing(tid, 1, p["bank1"])):
        p.expect_revert(call, p["sup1"], "VoucherLedgerMatured", tid, maturity)
    p.send(fn.settle([tid], h("pay")), p["core1"])
