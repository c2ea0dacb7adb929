"""VoucherLedger issuance, acceptance and rejection; constructor, views and invoices."""

from tests.contracts.helpers import (
    ANY,
    BANK,
    CORE_ENTERPRISE,
    DAY,
    HOLDER,
    MAX_UINT96,
    MAX_UINT256,
    OPERATOR_ROLE,
    SUPPLIER,
    PieceView,
    SlotView,
    Status,
    h,
)

ZERO = "0x0000000000000000000000000000000000000000"


def _issue_fn(p, *, bank="bank1", supplier="sup1", face=100_000, maturity=None, trade=None,
              invoices=("inv-a",)):
    maturity = maturity if maturity is not None else p.chain.now() + 90 * DAY
    return p.ledger.functions.issue(p[bank], p[supplier], face, maturity,
                                    trade if trade is not None else h("trade"),
                                    [x if isinstance(x, bytes) else h(x) for x in invoices])


def test_constructor(p, compiled_contracts):
    fn = p.ledger.functions
    assert fn.registry().call() == p.registry.address
    assert fn.creditLines().call() == p.credit.address
    assert fn.hasRole(b"\x00" * 32, p.admin).call()
    assert fn.hasRole(OPERATOR_ROLE, p.admin).call()
    assert fn.gracePeriod().call() == 7 * DAY
    assert fn.nextTokenId().call() == 1
    assert (fn.MAX_INVOICES().call(), fn.MAX_SPLIT().call(), fn.MAX_BATCH().call()) == (20, 20, 50)
    art = compiled_contracts["VoucherLedger"]
    factory = p.chain.w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
    for args in ((ZERO, p.credit.address, p.admin), (p.registry.address, ZERO, p.admin),
                 (p.registry.address, p.credit.address, ZERO)):
        p.expect_revert(factory.constructor(*args), p.admin, "VoucherLedgerZeroAddress")


def test_issue_creates_a_pending_root_and_consumes_credit(p):
    maturity = p.chain.now() + 90 * DAY
    invoices = [h("inv-1"), h("inv-2")]
    r = p.send(p.ledger.functions.issue(p["bank1"], p["sup1"], 123_456, maturity, h("trade"),
                                        invoices), p["core1"])
    assert p.events(r, p.ledger, "Transfer") == [{"from": ZERO, "to": p["sup1"], "tokenId": 1}]
    assert p.events(r, p.ledger, "VoucherIssued") == [{
        "tokenId": 1, "debtor": p["core1"], "bank": p["bank1"], "supplier": p["sup1"],
        "faceValue": 123_456, "maturity": maturity, "tradeHash": h("trade"),
        "invoiceHashes": invoices}]
    assert p.events(r, p.credit, "CreditConsumed") == [
        {"bank": p["bank1"], "debtor": p["core1"], "amount": 123_456, "used": 123_456}]
    assert p.piece(1) == PieceView(p["sup1"], 1, 0, 123_456, Status.PENDING, ZERO, False)
    assert p.slot(1) == SlotView(p["core1"], p["bank1"], maturity, 123_456, 0)
    assert p.line(p["bank1"], p["core1"]).used == 123_456
    fn = p.ledger.functions
    assert (fn.balanceOf(1).call(), fn.ownerOf(1).call(), fn.slotOf(1).call()) == (
        123_456, p["sup1"], 1)
    assert fn.invoiceHolder(h("inv-1")).call() == 1
    assert fn.invoiceHolder(h("inv-2")).call() == 1
    assert fn.invoiceHolder(h("inv-3")).call() == 0
    assert fn.nextTokenId().call() == 2


def test_issue_max_face_value_and_max_invoices(p):
    p.send(p.credit.functions.setLine(p["core1"], MAX_UINT96, p.chain.now() + 999 * DAY),
           p["bank1"])
    invoices = [f"inv-{i}" for i in range(20)]
    p.send(_issue_fn(p, face=MAX_UINT96, invoices=invoices), p["core1"])
    assert p.piece(1).balance == MAX_UINT96


def test_issue_reverts_on_roles(p):
    p.expect_revert(_issue_fn(p), p["sup1"], "VoucherLedgerNotMember", p["sup1"],
                    CORE_ENTERPRISE)
    p.expect_revert(_issue_fn(p, bank="sup2"), p["core1"], "VoucherLedgerNotMember", p["sup2"],
                    BANK)
    p.expect_revert(_issue_fn(p, supplier="outsider"), p["core1"], "VoucherLedgerNotMember",
                    p["outsider"], SUPPLIER)
    p.expect_revert(_issue_fn(p, supplier="bank2"), p["core1"], "VoucherLedgerNotMember",
                    p["bank2"], SUPPLIER)


def test_issue_reverts_on_values(p):
    core = p["core1"]
    p.expect_revert(_issue_fn(p, face=0), core, "VoucherLedgerInvalidFaceValue", 0)
    p.expect_revert(_issue_fn(p, face=MAX_UINT96 + 1), core, "VoucherLedgerInvalidFaceValue",
                    MAX_UINT96 + 1)
    p.expect_revert(_issue_fn(p, face=MAX_UINT256), core, "VoucherLedgerInvalidFaceValue",
                    MAX_UINT256)
    now = p.chain.now()
    p.expect_revert(_issue_fn(p, maturity=now - 1), core, "VoucherLedgerInvalidMaturity",
                    now - 1, ANY)
    p.expect_revert(_issue_fn(p, trade=b"\x00" * 32), core, "VoucherLedgerZeroHash")
    p.expect_revert(_issue_fn(p, invoices=()), core, "VoucherLedgerInvalidLength", 0, 20)
    p.expect_revert(_issue_fn(p, invoices=[f"i{i}" for i in range(21)]), core,
                    "VoucherLedgerInvalidLength", 21, 20)
    p.expect_revert(_issue_fn(p, invoices=("a", b"\x00" * 32)), core, "VoucherLedgerZeroHash")


def test_issue_reverts_on_credit(p):
    core = p["core1"]
    p.send(p.credit.functions.setLine(core, 1_000, p.chain.now() + 10 * DAY), p["bank2"])
    p.expect_revert(_issue_fn(p, bank="bank2", face=1_001), core,
                    "CreditLinesInsufficientCredit", p["bank2"], core, 1_000, 1_001)
    p.send(p.credit.functions.freezeLine(core), p["bank2"])
    p.expect_revert(_issue_fn(p, bank="bank2", face=1), core, "CreditLinesLineFrozen",
                    p["bank2"], core)
    p.send(p.credit.functions.unfreezeLine(core), p["bank2"])
    p.chain.travel(11 * DAY)
    p.expect_revert(_issue_fn(p, bank="bank2", face=1), core, "CreditLinesLineExpired",
                    p["bank2"], core, ANY, ANY)
    # a bank member without any line for this debtor
    p.send(p.registry.functions.updateMember(p["sup2"], SUPPLIER | BANK,
                                             p.chain.now() + 99 * DAY, h("k")), p.admin)
    p.expect_revert(_issue_fn(p, bank="sup2", face=1), core, "CreditLinesLineNotFound",
                    p["sup2"], core)


def test_invoice_used_once_ledger_wide(p):
    p.send(_issue_fn(p, invoices=("inv-a", "inv-b")), p["core1"])
    p.expect_revert(_issue_fn(p, invoices=("inv-c", "inv-b")), p["core2"],
                    "VoucherLedgerInvoiceAlreadyUsed", h("inv-b"), 1)
    # the same invoice twice in one issuance: the second use names the voucher being issued
    p.expect_revert(_issue_fn(p, invoices=("inv-d", "inv-d")), p["core1"],
                    "VoucherLedgerInvoiceAlreadyUsed", h("inv-d"), 2)


def test_issue_when_paused_reverts(p):
    p.send(p.ledger.functions.pause(), p.admin)
    p.expect_revert(_issue_fn(p), p["core1"], "EnforcedPause")


def test_accept(p):
    tid = p.issue(accept=False)
    r = p.send(p.ledger.functions.accept(tid), p["sup1"])
    assert p.events(r, p.ledger, "VoucherAccepted") == [{"tokenId": tid, "holder": p["sup1"]}]
    assert p.piece(tid).status == Status.ACTIVE


def test_accept_reverts(p):
    tid = p.issue(accept=False)
    fn = p.ledger.functions
    p.expect_revert(fn.accept(99), p["sup1"], "VoucherLedgerPieceNotFound", 99)
    p.expect_revert(fn.accept(tid), p["sup2"], "VoucherLedgerNotHolder", tid, p["sup2"],
                    p["sup1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.accept(tid), p["sup1"], "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(p.registry.functions.suspendMember(p["sup1"], h("x")), p.admin)
    p.expect_revert(fn.accept(tid), p["sup1"], "VoucherLedgerNotMember", p["sup1"], HOLDER)
    p.send(p.registry.functions.reinstateMember(p["sup1"]), p.admin)
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.accept(tid), p["sup1"], "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.accept(tid), p["sup1"])
    p.expect_revert(fn.accept(tid), p["sup1"], "VoucherLedgerInvalidStatus", tid, Status.ACTIVE)


def test_reject_cancels_restores_credit_and_releases_invoices(p):
    tid = p.issue(face=50_000, invoices=("inv-x", "inv-y"), accept=False)
    assert p.line(p["bank1"], p["core1"]).used == 50_000
    r = p.send(p.ledger.functions.reject(tid, h("wrong goods")), p["sup1"])
    assert p.events(r, p.ledger, "VoucherRejected") == [
        {"tokenId": tid, "holder": p["sup1"], "reasonHash": h("wrong goods")}]
    assert p.events(r, p.credit, "CreditRestored") == [
        {"bank": p["bank1"], "debtor": p["core1"], "amount": 50_000, "used": 0}]
    assert p.piece(tid).status == Status.CANCELLED
    assert p.line(p["bank1"], p["core1"]).used == 0
    assert p.ledger.functions.invoiceHolder(h("inv-x")).call() == 0
    # the released invoices can back a new voucher
    again = p.issue(debtor="core2", invoices=("inv-y", "inv-x"))
    assert p.ledger.functions.invoiceHolder(h("inv-x")).call() == again


def test_reject_reverts(p):
    tid = p.issue(accept=False)
    fn = p.ledger.functions
    p.expect_revert(fn.reject(77, h("r")), p["sup1"], "VoucherLedgerPieceNotFound", 77)
    p.expect_revert(fn.reject(tid, h("r")), p["core1"], "VoucherLedgerNotHolder", tid,
                    p["core1"], p["sup1"])
    p.send(fn.freeze(tid, h("court")), p["regulator"])
    p.expect_revert(fn.reject(tid, h("r")), p["sup1"], "VoucherLedgerPieceFrozen", tid)
    p.send(fn.unfreeze(tid), p["regulator"])
    p.send(fn.pause(), p.admin)
    p.expect_revert(fn.reject(tid, h("r")), p["sup1"], "EnforcedPause")
    p.send(fn.unpause(), p.admin)
    p.send(fn.accept(tid), p["sup1"])
    p.expect_revert(fn.reject(tid, h("r")), p["sup1"], "VoucherLedgerInvalidStatus", tid,
                    Status.ACTIVE)


def test_a_suspended_supplier_may_still_reject(p):
    tid = p.issue(accept=False)
    p.send(p.registry.functions.suspendMember(p["sup1"], h("x")), p.admin)
    p.send(p.ledger.functions.reject(tid, h("r")), p["sup1"])
    assert p.piece(tid).status == Status.CANCELLED


def test_pending_root_cannot_move(p):
    tid = p.issue(accept=False)
    p.expect_revert(p.ledger.functions.transferValue(tid, p["sup2"], 1), p["sup1"],
                    "VoucherLedgerInvalidStatus", tid, Status.PENDING)


def test_views_of_unknown_ids(p):
    fn = p.ledger.functions
    assert p.piece(5) == PieceView(ZERO, 0, 0, 0, Status.NONE, ZERO, False)
    assert p.slot(5) == SlotView(ZERO, ZERO, 0, 0, 0)
    for view in (fn.balanceOf, fn.ownerOf, fn.slotOf):
        p.expect_revert(view(5), p["sup1"], "VoucherLedgerPieceNotFound", 5)
