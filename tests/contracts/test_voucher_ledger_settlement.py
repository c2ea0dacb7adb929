"""VoucherLedger settlement at maturity, overdue marking and the grace period."""

from tests.contracts.helpers import (
    DAY,
    DEFAULT_ADMIN_ROLE,
    OPERATOR_ROLE,
    Status,
    h,
)


def _split_root(p, face=1_000, days=10, parts=(100, 200, 300)):
    tid = p.issue(face=face, days=days)
    p.send(p.ledger.functions.transferValue(tid, p["sup2"], parts[0]), p["sup1"])
    p.send(p.ledger.functions.lockForFinancing(tid, parts[1], p["bank1"]), p["sup1"])
    p.send(p.ledger.functions.approveFinancing(tid + 2), p["bank1"])
    p.send(p.ledger.functions.transferValue(tid + 1, p["sup3"], parts[2] // 3), p["sup2"])
    return tid, [tid, tid + 1, tid + 2, tid + 3]


def test_settling_every_piece_restores_the_line(p):
    tid, pieces = _split_root(p)
    assert p.line(p["bank1"], p["core1"]).used == 1_000
    p.chain.travel(10 * DAY)
    r = p.send(p.ledger.functions.settle(pieces, h("payment-1")), p["core1"])
    settled = p.events(r, p.ledger, "PieceSettled")
    assert [(e["tokenId"], e["rootId"], e["holder"], e["value"], e["paymentRef"])
            for e in settled] == [
        (tid, tid, p["sup1"], 700, h("payment-1")),
        (tid + 1, tid, p["sup2"], 0, h("payment-1")),
        (tid + 2, tid, p["bank1"], 200, h("payment-1")),
        (tid + 3, tid, p["sup3"], 100, h("payment-1")),
    ]
    # one restore for the run of pieces of the same slot
    assert p.events(r, p.credit, "CreditRestored") == [
        {"bank": p["bank1"], "debtor": p["core1"], "amount": 1_000, "used": 0}]
    assert p.line(p["bank1"], p["core1"]).used == 0
    assert p.slot(tid).settled == 1_000
    assert all(p.piece(i).status == Status.SETTLED for i in pieces)
    assert p.piece(tid).balance == 700  # the settled value stays readable


def test_partial_settlement_and_mixed_slots(p):
    a = p.issue(face=1_000, days=5)
    b = p.issue(debtor="core2", bank="bank2", face=500, days=5)
    p.send(p.ledger.functions.transferValue(a, p["sup2"], 400), p["sup1"])
    p.chain.travel(5 * DAY)
    # an operator (OPERATOR_ROLE on the ledger) settles two slots of two debtors in one batch
    p.expect_revert(p.ledger.functions.settle([a, b], h("pay")), p["operator"],
                    "VoucherLedgerUnauthorized", p["operator"])
    p.send(p.ledger.functions.grantRole(OPERATOR_ROLE, p["operator"]), p.admin)
    r = p.send(p.ledger.functions.settle([a, b], h("pay")), p["operator"])
    assert [(e["bank"], e["debtor"], e["amount"]) for e in p.events(r, p.credit,
                                                                     "CreditRestored")] == [
        (p["bank1"], p["core1"], 600), (p["bank2"], p["core2"], 500)]
    assert p.slot(a).settled == 600
    assert p.line(p["bank1"], p["core1"]).used == 400
    p.send(p.ledger.functions.settle([a + 2], h("pay-2")), p["core1"])
    assert p.line(p["bank1"], p["core1"]).used == 0
    assert p.slot(a).settled == 1_000


def test_settle_a_batch_of_fifty(p):
    tid = p.issue(face=10_000, days=3)
    p.send(p.ledger.functions.split(tid, [100] * 20), p["sup1"])
    p.send(p.ledger.functions.split(tid, [100] * 20), p["sup1"])
    p.send(p.ledger.functions.split(tid, [100] * 9), p["sup1"])
    ids = list(range(tid, tid + 50))
    p.chain.travel(3 * DAY)
    p.send(p.ledger.functions.settle(ids, h("pay")), p["core1"])
    assert p.line(p["bank1"], p["core1"]).used == 0


def test_settle_reverts(p):
    tid = p.issue(face=1_000, days=10)
    fn = p.ledger.functions
    core = p["core1"]
    p.expect_revert(fn.settle([], h("p")), core, "VoucherLedgerInvalidLength", 0, 50)
    p.expect_revert(fn.settle([tid] * 51, h("p")), core, "VoucherLedgerInvalidLength", 51, 50)
    p.expect_revert(fn.settle([tid + 9], h("p")), core, "VoucherLedgerPieceNotFound", tid + 9)
    p.expect_revert(fn.settle([tid], h("p")), p["core2"], "VoucherLedgerUnauthorized",
                    p["core2"])
    p.expect_revert(fn.settle([tid], h("p")), p["sup1"], "VoucherLedgerUnauthorized", p["sup1"])
    maturity = p.slot(tid).maturity
    p.expect_revert(fn.settle([tid], h("p")), core, "VoucherLedgerNotMatured", tid, maturity)
    p.send(fn.lockForFinancing(tid, 500, p["bank1"]), p["sup1"])
    pending = p.issue(face=10, days=10, accept=False)
    p.chain.travel(10 * DAY)
    p.expect_revert(fn.settle([tid + 1], h("p")), core, "VoucherLedgerInvalidStatus", tid + 1,
                    Status.LOCKED)
    p.expect_revert(fn.settle([pending], h("p")), core, "VoucherLedgerInvalidStatus", pending,
                    Status.PENDING)
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.settle([tid], h("p")), core, "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.expect_revert(fn.settle([tid, tid], h("p")), core, "VoucherLedgerInvalidStatus", tid,
                    Status.SETTLED)
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.settle([tid], h("p")), core, "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.settle([tid], h("p")), p.admin)  # the admin holds OPERATOR_ROLE
    p.expect_revert(fn.settle([tid], h("p")), core, "VoucherLedgerInvalidStatus", tid,
                    Status.SETTLED)


def test_a_cancelled_root_cannot_be_settled(p):
    tid = p.issue(days=1, accept=False)
    p.send(p.ledger.functions.reject(tid, h("no")), p["sup1"])
    p.chain.travel(DAY)
    p.expect_revert(p.ledger.functions.settle([tid], h("p")), p["core1"],
                    "VoucherLedgerInvalidStatus", tid, Status.CANCELLED)


def test_mark_overdue_after_the_grace_period(p):
    tid = p.issue(face=1_000, days=10)
    fn = p.ledger.functions
    p.send(fn.transferValue(tid, p["sup2"], 100), p["sup1"])
    maturity = p.slot(tid).maturity
    p.chain.travel(10 * DAY + 7 * DAY - 3600)
    p.expect_revert(fn.markOverdue([tid]), p.admin, "VoucherLedgerGracePeriodNotOver", tid,
                    maturity + 7 * DAY)
    p.chain.travel(3600)
    r = p.send(fn.markOverdue([tid, tid + 1]), p.admin)
    assert p.events(r, p.ledger, "PieceMarkedOverdue") == [
        {"tokenId": tid, "rootId": tid, "holder": p["sup1"]},
        {"tokenId": tid + 1, "rootId": tid, "holder": p["sup2"]}]
    assert p.piece(tid).status == Status.OVERDUE
    # overdue pieces can still be settled, and stay immobile
    p.expect_revert(fn.transferValue(tid, p["sup3"], 1), p["sup1"], "VoucherLedgerInvalidStatus",
                    tid, Status.OVERDUE)
    p.send(fn.settle([tid, tid + 1], h("late pay")), p["core1"])
    assert p.line(p["bank1"], p["core1"]).used == 0


def test_the_holder_may_mark_its_own_piece_overdue(p):
    tid = p.issue(days=1)
    p.chain.travel(8 * DAY)
    p.send(p.ledger.functions.markOverdue([tid]), p["sup1"])
    assert p.piece(tid).status == Status.OVERDUE


def test_mark_overdue_reverts(p):
    tid = p.issue(days=1)
    fn = p.ledger.functions
    p.expect_revert(fn.markOverdue([]), p.admin, "VoucherLedgerInvalidLength", 0, 50)
    p.expect_revert(fn.markOverdue([tid] * 51), p.admin, "VoucherLedgerInvalidLength", 51, 50)
    p.expect_revert(fn.markOverdue([42]), p.admin, "VoucherLedgerPieceNotFound", 42)
    p.chain.travel(8 * DAY)
    p.expect_revert(fn.markOverdue([tid]), p["sup2"], "VoucherLedgerUnauthorized", p["sup2"])
    p.expect_revert(fn.markOverdue([tid]), p["core1"], "VoucherLedgerUnauthorized", p["core1"])
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.markOverdue([tid]), p.admin, "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.markOverdue([tid]), p.admin)
    p.expect_revert(fn.markOverdue([tid]), p.admin, "VoucherLedgerInvalidStatus", tid,
                    Status.OVERDUE)


def test_set_grace_period(p):
    fn = p.ledger.functions
    r = p.send(fn.setGracePeriod(DAY), p.admin)
    assert p.events(r, p.ledger, "GracePeriodSet") == [
        {"previousGracePeriod": 7 * DAY, "gracePeriod": DAY}]
    assert fn.gracePeriod().call() == DAY
    tid = p.issue(days=1)
    p.chain.travel(2 * DAY)
    p.send(fn.markOverdue([tid]), p.admin)
    p.send(fn.setGracePeriod(365 * DAY), p.admin)
    p.expect_revert(fn.setGracePeriod(365 * DAY + 1), p.admin, "VoucherLedgerInvalidGracePeriod",
                    365 * DAY + 1, 365 * DAY)
    p.expect_revert(fn.setGracePeriod(0), p["operator"], "AccessControlUnauthorizedAccount",
                    p["operator"], DEFAULT_ADMIN_ROLE)
