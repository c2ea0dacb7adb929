"""CreditLines: banks set, raise, lower, freeze lines; only the ledger consumes and restores."""

import pytest

from tests.contracts.helpers import (
    ANY,
    BANK,
    CORE_ENTERPRISE,
    CREDIT_LIMIT,
    DAY,
    DEFAULT_ADMIN_ROLE,
    MAX_UINT96,
    MAX_UINT256,
    LineView,
    deploy_contract,
    h,
)

ZERO = "0x0000000000000000000000000000000000000000"


@pytest.fixture
def fresh(p, compiled_contracts):
    """A CreditLines whose ledger is an ordinary account, to drive consume/restore directly."""
    credit = deploy_contract(p.chain, compiled_contracts["CreditLines"], p.admin,
                             p.registry.address, p.admin)
    p.send(credit.functions.setLedger(p["operator"]), p.admin)
    p.send(credit.functions.setLine(p["core1"], 1000, p.chain.now() + 30 * DAY), p["bank1"])
    return credit


def test_constructor_and_ledger_wiring(p, compiled_contracts):
    assert p.credit.functions.ledger().call() == p.ledger.address
    assert p.credit.functions.registry().call() == p.registry.address
    factory = p.chain.w3.eth.contract(abi=compiled_contracts["CreditLines"]["abi"],
                                      bytecode=compiled_contracts["CreditLines"]["bytecode"])
    p.expect_revert(factory.constructor(ZERO, p.admin), p.admin, "CreditLinesZeroAddress")
    p.expect_revert(factory.constructor(p.registry.address, ZERO), p.admin,
                    "CreditLinesZeroAddress")


def test_set_ledger_once_admin_only(p, compiled_contracts):
    credit = deploy_contract(p.chain, compiled_contracts["CreditLines"], p.admin,
                             p.registry.address, p.admin)
    p.expect_revert(credit.functions.setLedger(p["sup1"]), p["sup1"],
                    "AccessControlUnauthorizedAccount", p["sup1"], DEFAULT_ADMIN_ROLE)
    p.expect_revert(credit.functions.setLedger(ZERO), p.admin, "CreditLinesZeroAddress")
    r = p.send(credit.functions.setLedger(p["sup1"]), p.admin)
    assert p.events(r, credit, "LedgerSet") == [{"ledger": p["sup1"]}]
    p.expect_revert(credit.functions.setLedger(p["sup2"]), p.admin,
                    "CreditLinesLedgerAlreadySet", p["sup1"])


def test_set_raise_lower_line(p):
    fn = p.credit.functions
    expiry = p.chain.now() + 100 * DAY
    r = p.send(fn.setLine(p["core1"], 5_000, expiry), p["bank2"])
    assert p.events(r, p.credit, "CreditLineSet") == [
        {"bank": p["bank2"], "debtor": p["core1"], "limit": 5_000, "expiry": expiry}]
    assert p.line(p["bank2"], p["core1"]) == LineView(5_000, 0, expiry, False)
    p.send(fn.setLine(p["core1"], 9_000, expiry), p["bank2"])
    assert fn.availableOf(p["bank2"], p["core1"]).call() == 9_000
    p.issue(bank="bank2", face=4_000)
    p.send(fn.setLine(p["core1"], 4_000, expiry), p["bank2"])  # down to exactly the used part
    assert p.line(p["bank2"], p["core1"]) == LineView(4_000, 4_000, expiry, False)
    assert fn.availableOf(p["bank2"], p["core1"]).call() == 0


def test_lowering_below_used_reverts(p):
    p.issue(face=70_000)
    p.expect_revert(p.credit.functions.setLine(p["core1"], 69_999, p.chain.now() + DAY),
                    p["bank1"], "CreditLinesLimitBelowUsed", p["bank1"], p["core1"], 69_999,
                    70_000)


def test_set_line_reverts(p):
    fn = p.credit.functions
    later = p.chain.now() + DAY
    p.expect_revert(fn.setLine(p["core1"], 1, later), p["sup1"], "CreditLinesNotMember",
                    p["sup1"], BANK)
    p.expect_revert(fn.setLine(p["sup1"], 1, later), p["bank1"], "CreditLinesNotMember",
                    p["sup1"], CORE_ENTERPRISE)
    p.expect_revert(fn.setLine(p["core1"], MAX_UINT96 + 1, later), p["bank1"],
                    "CreditLinesLimitTooLarge", MAX_UINT96 + 1, MAX_UINT96)
    p.expect_revert(fn.setLine(p["core1"], MAX_UINT256, later), p["bank1"],
                    "CreditLinesLimitTooLarge", MAX_UINT256, MAX_UINT96)
    p.expect_revert(fn.setLine(p["core1"], 1, 10), p["bank1"], "CreditLinesInvalidExpiry", 10,
                    ANY)
    p.expect_revert(fn.setLine(p["core1"], 1, 2**48), p["bank1"], "CreditLinesInvalidExpiry",
                    2**48, ANY)
    p.send(p.registry.functions.suspendMember(p["bank1"], h("x")), p.admin)
    p.expect_revert(fn.setLine(p["core1"], 1, later), p["bank1"], "CreditLinesNotMember",
                    p["bank1"], BANK)


def test_freeze_and_unfreeze(p):
    fn = p.credit.functions
    r = p.send(fn.freezeLine(p["core1"]), p["bank1"])
    assert p.events(r, p.credit, "CreditLineFrozen") == [
        {"bank": p["bank1"], "debtor": p["core1"]}]
    assert p.line(p["bank1"], p["core1"]).frozen
    assert fn.availableOf(p["bank1"], p["core1"]).call() == 0
    p.expect_revert(fn.freezeLine(p["core1"]), p["bank1"], "CreditLinesLineFrozen", p["bank1"],
                    p["core1"])
    r = p.send(fn.unfreezeLine(p["core1"]), p["bank1"])
    assert p.events(r, p.credit, "CreditLineUnfrozen") == [
        {"bank": p["bank1"], "debtor": p["core1"]}]
    p.expect_revert(fn.unfreezeLine(p["core1"]), p["bank1"], "CreditLinesLineNotFrozen",
                    p["bank1"], p["core1"])


def test_freeze_unknown_line_reverts(p):
    fn = p.credit.functions
    # sup1 has no line with core1: a non-bank "freezing" only ever touches its own (absent) line
    p.expect_revert(fn.freezeLine(p["core1"]), p["sup1"], "CreditLinesLineNotFound", p["sup1"],
                    p["core1"])
    p.expect_revert(fn.unfreezeLine(p["core1"]), p["sup1"], "CreditLinesLineNotFound",
                    p["sup1"], p["core1"])


def test_frozen_line_stays_frozen_when_reset(p):
    fn = p.credit.functions
    p.send(fn.freezeLine(p["core1"]), p["bank1"])
    p.send(fn.setLine(p["core1"], 10, p.chain.now() + DAY), p["bank1"])
    assert p.line(p["bank1"], p["core1"]).frozen


def test_consume_and_restore_by_the_ledger(p, fresh):
    fn = fresh.functions
    bank, core = p["bank1"], p["core1"]
    r = p.send(fn.consume(bank, core, 600), p["operator"])
    assert p.events(r, fresh, "CreditConsumed") == [
        {"bank": bank, "debtor": core, "amount": 600, "used": 600}]
    p.send(fn.consume(bank, core, 400), p["operator"])  # exactly the limit
    assert fn.lineOf(bank, core).call()[1] == 1000
    r = p.send(fn.restore(bank, core, 250), p["operator"])
    assert p.events(r, fresh, "CreditRestored") == [
        {"bank": bank, "debtor": core, "amount": 250, "used": 750}]


def test_consume_reverts(p, fresh):
    fn = fresh.functions
    bank, core, ledger = p["bank1"], p["core1"], p["operator"]
    p.expect_revert(fn.consume(bank, core, 1), p["sup1"], "CreditLinesUnauthorizedLedger",
                    p["sup1"])
    p.expect_revert(fn.consume(p["bank2"], core, 1), ledger, "CreditLinesLineNotFound",
                    p["bank2"], core)
    p.expect_revert(fn.consume(bank, core, 1001), ledger, "CreditLinesInsufficientCredit", bank,
                    core, 1000, 1001)
    p.expect_revert(fn.consume(bank, core, MAX_UINT256), ledger,
                    "CreditLinesInsufficientCredit", bank, core, 1000, MAX_UINT256)
    p.send(fn.freezeLine(core), bank)
    p.expect_revert(fn.consume(bank, core, 1), ledger, "CreditLinesLineFrozen", bank, core)
    p.send(fn.unfreezeLine(core), bank)
    expiry = fn.lineOf(bank, core).call()[2]
    p.chain.travel(31 * DAY)
    p.expect_revert(fn.consume(bank, core, 1), ledger, "CreditLinesLineExpired", bank, core,
                    expiry, ANY)
    assert fn.availableOf(bank, core).call() == 0


def test_restore_reverts(p, fresh):
    fn = fresh.functions
    bank, core, ledger = p["bank1"], p["core1"], p["operator"]
    p.expect_revert(fn.restore(bank, core, 1), p["sup1"], "CreditLinesUnauthorizedLedger",
                    p["sup1"])
    p.send(fn.consume(bank, core, 10), ledger)
    p.expect_revert(fn.restore(bank, core, 11), ledger, "CreditLinesRestoreExceedsUsed", bank,
                    core, 10, 11)
    p.expect_revert(fn.restore(bank, core, MAX_UINT256), ledger,
                    "CreditLinesRestoreExceedsUsed", bank, core, 10, MAX_UINT256)


def test_restore_works_on_frozen_and_expired_lines(p, fresh):
    fn = fresh.functions
    bank, core, ledger = p["bank1"], p["core1"], p["operator"]
    p.send(fn.consume(bank, core, 10), ledger)
    p.send(fn.freezeLine(core), bank)
    p.chain.travel(31 * DAY)
    p.send(fn.restore(bank, core, 10), ledger)
    assert fn.lineOf(bank, core).call()[1] == 0


def test_shared_setup_lines(p):
    assert p.line(p["bank1"], p["core1"]).limit == CREDIT_LIMIT
    assert p.line(p["bank1"], p["sup1"]) == LineView(0, 0, 0, False)
