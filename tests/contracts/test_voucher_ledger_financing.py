"""VoucherLedger financing: lock (with split-then-lock), approve, decline, withdraw."""

from tests.contracts.helpers import (
    BANK,
    DAY,
    HOLDER,
    MAX_UINT256,
    PieceView,
    Status,
    h,
)

ZERO = "0x0000000000000000000000000000000000000000"


def test_lock_the_whole_piece(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    assert fn.lockForFinancing(tid, 1_000, p["bank1"]).call({"from": p["sup1"]}) == tid
    r = p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    assert p.events(r, p.ledger, "FinancingLocked") == [
        {"tokenId": tid, "holder": p["sup1"], "bank": p["bank1"], "value": 1_000}]
    assert p.events(r, p.ledger, "TransferValue") == []
    assert p.piece(tid) == PieceView(p["sup1"], tid, 0, 1_000, Status.LOCKED, p["bank1"], False)
    assert p.next_id() == tid + 1


def test_lock_part_splits_then_locks(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    assert fn.lockForFinancing(tid, 300, p["bank2"]).call({"from": p["sup1"]}) == tid + 1
    r = p.send(fn.lockForFinancing(tid, 300, p["bank2"]), p["sup1"])
    assert p.events(r, p.ledger, "PieceDerived") == [
        {"tokenId": tid + 1, "parentId": tid, "owner": p["sup1"], "rootId": tid}]
    assert p.events(r, p.ledger, "FinancingLocked") == [
        {"tokenId": tid + 1, "holder": p["sup1"], "bank": p["bank2"], "value": 300}]
    assert p.piece(tid) == PieceView(p["sup1"], tid, 0, 700, Status.ACTIVE, ZERO, False)
    assert p.piece(tid + 1) == PieceView(p["sup1"], tid, tid, 300, Status.LOCKED, p["bank2"],
                                         False)


def test_lock_reverts(p):
    tid = p.issue(face=1_000, days=30)
    fn = p.ledger.functions
    sup1 = p["sup1"]
    p.expect_revert(fn.lockForFinancing(99, 1, p["bank1"]), sup1, "VoucherLedgerPieceNotFound",
                    99)
    p.expect_revert(fn.lockForFinancing(tid, 1, p["bank1"]), p["sup2"], "VoucherLedgerNotHolder",
                    tid, p["sup2"], sup1)
    p.expect_revert(fn.lockForFinancing(tid, 1, p["sup2"]), sup1, "VoucherLedgerNotMember",
                    p["sup2"], BANK)
    p.expect_revert(fn.lockForFinancing(tid, 0, p["bank1"]), sup1, "VoucherLedgerZeroValue", tid)
    p.expect_revert(fn.lockForFinancing(tid, 1_001, p["bank1"]), sup1,
                    "VoucherLedgerInsufficientBalance", tid, 1_000, 1_001)
    p.expect_revert(fn.lockForFinancing(tid, MAX_UINT256, p["bank1"]), sup1,
                    "VoucherLedgerInsufficientBalance", tid, 1_000, MAX_UINT256)
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    for value in (1, 1_000):
        p.expect_revert(fn.lockForFinancing(tid, value, p["bank1"]), sup1,
                        "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.lockForFinancing(tid, 1, p["bank1"]), sup1, "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), sup1)
    p.expect_revert(fn.lockForFinancing(tid, 1_000, p["bank2"]), sup1,
                    "VoucherLedgerPieceLocked", tid, p["bank1"])
    p.send(fn.withdrawFinancing(tid), sup1)
    p.chain.travel(30 * DAY)
    p.expect_revert(fn.lockForFinancing(tid, 1_000, p["bank1"]), sup1, "VoucherLedgerMatured",
                    tid, p.slot(tid).maturity)


def test_lock_by_a_suspended_holder_reverts(p):
    tid = p.issue(face=1_000)
    p.send(p.registry.functions.suspendMember(p["sup1"], h("x")), p.admin)
    for value in (1_000, 10):
        p.expect_revert(p.ledger.functions.lockForFinancing(tid, value, p["bank1"]), p["sup1"],
                        "VoucherLedgerNotMember", p["sup1"], HOLDER)


def test_approve_passes_the_piece_to_the_bank(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 400, p["bank1"]), p["sup1"])
    locked = tid + 1
    r = p.send(fn.approveFinancing(locked), p["bank1"])
    assert p.events(r, p.ledger, "FinancingApproved") == [
        {"tokenId": locked, "holder": p["sup1"], "bank": p["bank1"]}]
    assert p.events(r, p.ledger, "Transfer") == [
        {"from": p["sup1"], "to": p["bank1"], "tokenId": locked}]
    assert p.piece(locked) == PieceView(p["bank1"], tid, tid, 400, Status.ACTIVE, ZERO, False)
    # the bank now holds an ordinary active piece
    p.send(fn.transferValue(locked, p["sup3"], 100), p["bank1"])


def test_approve_reverts(p):
    tid = p.issue(face=1_000, days=20)
    fn = p.ledger.functions
    p.expect_revert(fn.approveFinancing(99), p["bank1"], "VoucherLedgerPieceNotFound", 99)
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerInvalidStatus", tid,
                    Status.ACTIVE)
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    p.expect_revert(fn.approveFinancing(tid), p["bank2"], "VoucherLedgerNotLockBank", tid,
                    p["bank2"], p["bank1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(p.registry.functions.suspendMember(p["sup1"], h("x")), p.admin)
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerNotMember", p["sup1"],
                    HOLDER)
    p.send(p.registry.functions.reinstateMember(p["sup1"]), p.admin)
    p.send(p.registry.functions.suspendMember(p["bank1"], h("x")), p.admin)
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerNotMember", p["bank1"],
                    HOLDER)
    p.send(p.registry.functions.reinstateMember(p["bank1"]), p.admin)
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.chain.travel(20 * DAY)
    p.expect_revert(fn.approveFinancing(tid), p["bank1"], "VoucherLedgerMatured", tid,
                    p.slot(tid).maturity)


def test_decline_releases_the_lock(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 1_000, p["bank2"]), p["sup1"])
    r = p.send(fn.declineFinancing(tid, h("too risky")), p["bank2"])
    assert p.events(r, p.ledger, "FinancingDeclined") == [
        {"tokenId": tid, "bank": p["bank2"], "reasonHash": h("too risky")}]
    assert p.piece(tid) == PieceView(p["sup1"], tid, 0, 1_000, Status.ACTIVE, ZERO, False)


def test_decline_reverts(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.expect_revert(fn.declineFinancing(99, h("r")), p["bank1"], "VoucherLedgerPieceNotFound",
                    99)
    p.expect_revert(fn.declineFinancing(tid, h("r")), p["bank1"], "VoucherLedgerInvalidStatus",
                    tid, Status.ACTIVE)
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    p.expect_revert(fn.declineFinancing(tid, h("r")), p["sup1"], "VoucherLedgerNotLockBank",
                    tid, p["sup1"], p["bank1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.declineFinancing(tid, h("r")), p["bank1"], "VoucherLedgerPieceFrozen",
                    tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.declineFinancing(tid, h("r")), p["bank1"], "EnforcedPause")


def test_withdraw_releases_the_lock(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 250, p["bank1"]), p["sup1"])
    r = p.send(fn.withdrawFinancing(tid + 1), p["sup1"])
    assert p.events(r, p.ledger, "FinancingWithdrawn") == [
        {"tokenId": tid + 1, "holder": p["sup1"]}]
    assert p.piece(tid + 1) == PieceView(p["sup1"], tid, tid, 250, Status.ACTIVE, ZERO, False)


def test_withdraw_reverts(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.expect_revert(fn.withdrawFinancing(99), p["sup1"], "VoucherLedgerPieceNotFound", 99)
    p.expect_revert(fn.withdrawFinancing(tid), p["sup1"], "VoucherLedgerInvalidStatus", tid,
                    Status.ACTIVE)
    p.send(fn.lockForFinancing(tid, 1_000, p["bank1"]), p["sup1"])
    p.expect_revert(fn.withdrawFinancing(tid), p["bank1"], "VoucherLedgerNotHolder", tid,
                    p["bank1"], p["sup1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.withdrawFinancing(tid), p["sup1"], "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.withdrawFinancing(tid), p["sup1"], "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.approveFinancing(tid), p["bank1"])
    p.expect_revert(fn.withdrawFinancing(tid), p["sup1"], "VoucherLedgerNotHolder", tid,
                    p["sup1"], p["bank1"])


def test_decline_and_withdraw_work_after_maturity(p):
    tid = p.issue(face=1_000, days=5)
    fn = p.ledger.functions
    p.send(fn.lockForFinancing(tid, 600, p["bank1"]), p["sup1"])
    p.send(fn.lockForFinancing(tid, 400, p["bank2"]), p["sup1"])
    p.chain.travel(6 * DAY)
    p.send(fn.declineFinancing(tid + 1, h("late")), p["bank1"])
    p.send(fn.withdrawFinancing(tid), p["sup1"])
    p.send(fn.settle([tid, tid + 1], h("pay")), p["core1"])
    assert p.line(p["bank1"], p["core1"]).used == 0
