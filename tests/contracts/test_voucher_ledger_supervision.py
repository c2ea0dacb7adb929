"""VoucherLedger supervision: freeze/unfreeze by a regulator, pause/unpause by an operator,
document anchoring."""

from tests.contracts.helpers import (
    DAY,
    OPERATOR_ROLE,
    REGULATOR,
    Status,
    h,
)


def test_freeze_and_unfreeze(p):
    tid = p.issue()
    fn = p.ledger.functions
    r = p.send(fn.freeze(tid, h("court order 1")), p["regulator"])
    assert p.events(r, p.ledger, "PieceFrozen") == [
        {"tokenId": tid, "regulator": p["regulator"], "reasonHash": h("court order 1")}]
    assert p.piece(tid).frozen
    r = p.send(fn.unfreeze(tid), p["regulator"])
    assert p.events(r, p.ledger, "PieceUnfrozen") == [
        {"tokenId": tid, "regulator": p["regulator"]}]
    assert not p.piece(tid).frozen
    p.send(fn.transferValue(tid, p["sup2"], 1), p["sup1"])


def test_freeze_pending_locked_and_overdue_pieces(p):
    fn = p.ledger.functions
    pending = p.issue(accept=False)
    p.send(fn.freeze(pending, h("r")), p["regulator"])
    locked = p.issue()
    p.send(fn.lockForFinancing(locked, 1, p["bank1"]), p["sup1"])
    p.send(fn.freeze(locked + 1, h("r")), p["regulator"])
    overdue = p.issue(days=1)
    p.chain.travel(9 * DAY)
    p.send(fn.markOverdue([overdue]), p.admin)
    p.send(fn.freeze(overdue, h("r")), p["regulator"])
    assert p.piece(overdue).frozen


def test_freeze_reverts(p):
    fn = p.ledger.functions
    tid = p.issue(days=1)
    p.expect_revert(fn.freeze(tid, h("r")), p["sup1"], "VoucherLedgerNotMember", p["sup1"],
                    REGULATOR)
    p.expect_revert(fn.freeze(tid, h("r")), p.admin, "VoucherLedgerNotMember", p.admin,
                    REGULATOR)
    p.expect_revert(fn.freeze(99, h("r")), p["regulator"], "VoucherLedgerPieceNotFound", 99)
    p.send(fn.freeze(tid, h("r")), p["regulator"])
    p.expect_revert(fn.freeze(tid, h("r")), p["regulator"], "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.chain.travel(DAY)
    p.send(fn.settle([tid], h("pay")), p["core1"])
    p.expect_revert(fn.freeze(tid, h("r")), p["regulator"], "VoucherLedgerInvalidStatus", tid,
                    Status.SETTLED)
    cancelled = p.issue(accept=False)
    p.send(fn.reject(cancelled, h("no")), p["sup1"])
    p.expect_revert(fn.freeze(cancelled, h("r")), p["regulator"], "VoucherLedgerInvalidStatus",
                    cancelled, Status.CANCELLED)


def test_unfreeze_reverts(p):
    fn = p.ledger.functions
    tid = p.issue()
    p.expect_revert(fn.unfreeze(tid), p["regulator"], "VoucherLedgerPieceNotFrozen", tid)
    p.expect_revert(fn.unfreeze(99), p["regulator"], "VoucherLedgerPieceNotFound", 99)
    p.send(fn.freeze(tid, h("r")), p["regulator"])
    p.expect_revert(fn.unfreeze(tid), p["sup1"], "VoucherLedgerNotMember", p["sup1"], REGULATOR)
    p.send(p.registry.functions.suspendMember(p["regulator"], h("x")), p.admin)
    p.expect_revert(fn.unfreeze(tid), p["regulator"], "VoucherLedgerNotMember", p["regulator"],
                    REGULATOR)


def test_freeze_works_while_paused(p):
    tid = p.issue()
    p.send(p.ledger.functions.pause(), p.admin)
    p.send(p.ledger.functions.freeze(tid, h("r")), p["regulator"])
    p.send(p.ledger.functions.unfreeze(tid), p["regulator"])


def test_pause_and_unpause(p):
    fn = p.ledger.functions
    tid = p.issue()
    r = p.send(fn.pause(), p.admin)
    assert p.events(r, p.ledger, "Paused") == [{"account": p.admin}]
    assert fn.paused().call()
    p.expect_revert(fn.pause(), p.admin, "EnforcedPause")
    p.expect_revert(fn.split(tid, [1]), p["sup1"], "EnforcedPause")
    r = p.send(fn.unpause(), p.admin)
    assert p.events(r, p.ledger, "Unpaused") == [{"account": p.admin}]
    p.expect_revert(fn.unpause(), p.admin, "ExpectedPause")
    p.send(fn.split(tid, [1]), p["sup1"])


def test_pause_is_operator_only(p):
    fn = p.ledger.functions
    p.expect_revert(fn.pause(), p["operator"], "AccessControlUnauthorizedAccount",
                    p["operator"], OPERATOR_ROLE)
    p.send(fn.grantRole(OPERATOR_ROLE, p["operator"]), p.admin)
    p.send(fn.pause(), p["operator"])
    p.expect_revert(fn.unpause(), p["sup1"], "AccessControlUnauthorizedAccount", p["sup1"],
                    OPERATOR_ROLE)
    p.send(fn.unpause(), p["operator"])


def test_anchor_document_by_each_party(p):
    fn = p.ledger.functions
    tid = p.issue()
    p.send(fn.lockForFinancing(tid, 10, p["bank2"]), p["sup1"])
    locked = tid + 1
    for who in ("sup1", "core1", "bank1", "bank2"):
        r = p.send(fn.anchorDocument(locked, h(f"doc-{who}"), 3), p[who])
        assert p.events(r, p.ledger, "DocumentAnchored") == [
            {"tokenId": locked, "docHash": h(f"doc-{who}"), "by": p[who], "kind": 3}]
    p.send(fn.anchorDocument(tid, h("notice"), 1), p.admin)  # operator
    p.send(fn.pause(), p.admin)
    p.send(fn.anchorDocument(tid, h("notice-2"), 1), p["sup1"])  # works while paused


def test_anchor_document_reverts(p):
    fn = p.ledger.functions
    tid = p.issue()
    p.expect_revert(fn.anchorDocument(99, h("d"), 1), p["sup1"], "VoucherLedgerPieceNotFound",
                    99)
    p.expect_revert(fn.anchorDocument(tid, b"\x00" * 32, 1), p["sup1"], "VoucherLedgerZeroHash")
    for who in ("sup2", "core2", "bank2", "regulator", "outsider"):
        p.expect_revert(fn.anchorDocument(tid, h("d"), 1), p[who], "VoucherLedgerUnauthorized",
                        p[who])
