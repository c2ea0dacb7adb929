"""VoucherLedger movements: split-transfer, split, whole-piece transfer, and the checks of the
single internal path they share."""

import pytest

from tests.contracts.helpers import (
    DAY,
    HOLDER,
    MAX_UINT256,
    PieceView,
    Status,
    h,
)

ZERO = "0x0000000000000000000000000000000000000000"


def test_transfer_value_derives_a_child_piece(p):
    tid = p.issue(face=100_000)
    r = p.send(p.ledger.functions.transferValue(tid, p["sup2"], 30_000), p["sup1"])
    new = tid + 1
    assert p.events(r, p.ledger, "PieceDerived") == [
        {"tokenId": new, "parentId": tid, "owner": p["sup2"], "rootId": tid}]
    assert p.events(r, p.ledger, "TransferValue") == [
        {"fromTokenId": tid, "toTokenId": new, "value": 30_000}]
    assert p.piece(tid).balance == 70_000
    assert p.piece(new) == PieceView(p["sup2"], tid, tid, 30_000, Status.ACTIVE, ZERO, False)
    # grandchild: lineage recorded, slot kept
    p.send(p.ledger.functions.transferValue(new, p["bank2"], 30_000), p["sup2"])
    assert p.piece(new + 1) == PieceView(p["bank2"], tid, new, 30_000, Status.ACTIVE, ZERO,
                                         False)
    assert p.piece(new).balance == 0
    assert p.ledger.functions.slotOf(new + 1).call() == tid


def test_transfer_value_returns_the_new_id(p):
    tid = p.issue()
    assert p.ledger.functions.transferValue(tid, p["sup2"], 1).call({"from": p["sup1"]}) == tid + 1


def test_split_creates_pieces_for_the_holder(p):
    tid = p.issue(face=100)
    fn = p.ledger.functions
    assert fn.split(tid, [10, 20, 30]).call({"from": p["sup1"]}) == [tid + 1, tid + 2, tid + 3]
    r = p.send(fn.split(tid, [10, 20, 30]), p["sup1"])
    assert [e["value"] for e in p.events(r, p.ledger, "TransferValue")] == [10, 20, 30]
    assert p.piece(tid).balance == 40
    for i, value in enumerate((10, 20, 30), start=1):
        assert p.piece(tid + i) == PieceView(p["sup1"], tid, tid, value, Status.ACTIVE, ZERO,
                                             False)


def test_split_sum_equal_to_balance(p):
    tid = p.issue(face=60)
    p.send(p.ledger.functions.split(tid, [20] * 3), p["sup1"])
    assert p.piece(tid).balance == 0


def test_split_reverts(p):
    tid = p.issue(face=100)
    fn = p.ledger.functions
    p.expect_revert(fn.split(tid, []), p["sup1"], "VoucherLedgerInvalidLength", 0, 20)
    p.expect_revert(fn.split(tid, [1] * 21), p["sup1"], "VoucherLedgerInvalidLength", 21, 20)
    # the third value exceeds what is left after the first two
    p.expect_revert(fn.split(tid, [50, 40, 11]), p["sup1"], "VoucherLedgerInsufficientBalance",
                    tid, 10, 11)
    p.expect_revert(fn.split(tid, [50, 0]), p["sup1"], "VoucherLedgerZeroValue", tid)
    p.expect_revert(fn.split(tid, [1]), p["sup2"], "VoucherLedgerNotHolder", tid, p["sup2"],
                    p["sup1"])
    p.expect_revert(fn.split(tid + 5, [1]), p["sup1"], "VoucherLedgerPieceNotFound", tid + 5)
    p.send(fn.split(tid, [1] * 20), p["sup1"])  # exactly the cap


def test_transfer_piece_moves_the_whole_piece(p):
    tid = p.issue(face=500)
    r = p.send(p.ledger.functions.transferPiece(tid, p["sup3"]), p["sup1"])
    assert p.events(r, p.ledger, "Transfer") == [
        {"from": p["sup1"], "to": p["sup3"], "tokenId": tid}]
    assert p.piece(tid) == PieceView(p["sup3"], tid, 0, 500, Status.ACTIVE, ZERO, False)


def test_transfer_piece_of_an_empty_piece_reverts(p):
    tid = p.issue(face=500)
    p.send(p.ledger.functions.transferValue(tid, p["sup2"], 500), p["sup1"])
    p.expect_revert(p.ledger.functions.transferPiece(tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerZeroValue", tid)


MOVES = {
    "transferValue": lambda fn, tid, to: fn.transferValue(tid, to, 1),
    "transferPiece": lambda fn, tid, to: fn.transferPiece(tid, to),
    "split": lambda fn, tid, to: fn.split(tid, [1]),
}


@pytest.fixture(params=sorted(MOVES))
def move(request):
    return MOVES[request.param]


def test_moves_revert_for_unknown_and_foreign_pieces(p, move):
    tid = p.issue()
    fn = p.ledger.functions
    p.expect_revert(move(fn, 999, p["sup2"]), p["sup1"], "VoucherLedgerPieceNotFound", 999)
    p.expect_revert(move(fn, tid, p["sup2"]), p["sup3"], "VoucherLedgerNotHolder", tid,
                    p["sup3"], p["sup1"])


def test_moves_revert_when_paused(p, move):
    tid = p.issue()
    p.send(p.ledger.functions.pause(), p.admin)
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"], "EnforcedPause")


def test_moves_revert_when_locked(p, move):
    tid = p.issue(face=100)
    p.send(p.ledger.functions.lockForFinancing(tid, 100, p["bank1"]), p["sup1"])
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerPieceLocked", tid, p["bank1"])


def test_moves_revert_when_frozen(p, move):
    tid = p.issue()
    p.send(p.ledger.functions.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerPieceFrozen", tid)


def test_moves_revert_at_and_after_maturity(p, move):
    tid = p.issue(days=10)
    maturity = p.slot(tid).maturity
    p.chain.travel(10 * DAY)
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerMatured", tid, maturity)


def test_moves_revert_for_a_suspended_sender(p, move):
    tid = p.issue()
    p.send(p.registry.functions.suspendMember(p["sup1"], h("x")), p.admin)
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerNotMember", p["sup1"], HOLDER)


def test_moves_revert_for_settled_pieces(p, move):
    tid = p.issue(days=1)
    p.chain.travel(DAY)
    p.send(p.ledger.functions.settle([tid], h("pay")), p["core1"])
    p.expect_revert(move(p.ledger.functions, tid, p["sup2"]), p["sup1"],
                    "VoucherLedgerInvalidStatus", tid, Status.SETTLED)


@pytest.mark.parametrize("receiver", ["outsider", "core2", "regulator", "operator"])
def test_receiver_must_be_a_supplier_or_bank_member(p, receiver):
    tid = p.issue()
    fn = p.ledger.functions
    for call in (fn.transferValue(tid, p[receiver], 1), fn.transferPiece(tid, p[receiver])):
        p.expect_revert(call, p["sup1"], "VoucherLedgerNotMember", p[receiver], HOLDER)


def test_transfer_value_reverts_on_amounts(p):
    tid = p.issue(face=1_000)
    fn = p.ledger.functions
    p.expect_revert(fn.transferValue(tid, p["sup2"], 0), p["sup1"], "VoucherLedgerZeroValue", tid)
    p.expect_revert(fn.transferValue(tid, p["sup2"], 1_001), p["sup1"],
                    "VoucherLedgerInsufficientBalance", tid, 1_000, 1_001)
    p.expect_revert(fn.transferValue(tid, p["sup2"], MAX_UINT256), p["sup1"],
                    "VoucherLedgerInsufficientBalance", tid, 1_000, MAX_UINT256)
    p.expect_revert(fn.transferValue(tid, ZERO, 1), p["sup1"], "VoucherLedgerNotMember", ZERO,
                    HOLDER)


def test_a_bank_may_hold_and_pass_on_value(p):
    tid = p.issue(face=1_000)
    p.send(p.ledger.functions.transferPiece(tid, p["bank2"]), p["sup1"])
    p.send(p.ledger.functions.transferValue(tid, p["sup4"], 400), p["bank2"])
    assert p.piece(tid + 1).owner == p["sup4"]


def test_transfer_to_self_is_a_split(p):
    tid = p.issue(face=1_000)
    p.send(p.ledger.functions.transferValue(tid, p["sup1"], 400), p["sup1"])
    assert p.piece(tid + 1).owner == p["sup1"]
