"""The pre-flight checks in the contracts' own order, with their errors and arguments (the
contracts themselves are tested in tests/contracts; the API tests compare with mined reverts)."""

from dataclasses import dataclass, replace

import pytest

from scf.chain import preflight
from scf.chain.errors import ChainRevertError
from scf.errors import ApplicationError

HOLDER, BANK, OTHER = "0x" + "a" * 40, "0x" + "b" * 40, "0x" + "c" * 40
NOW, MATURITY = 1_000, 2_000


@dataclass(frozen=True)
class Piece:
    token_id: int = 9
    owner: str = HOLDER
    balance: int = 500
    status: int = 2
    lock_bank: str = ""
    frozen: bool = False


@dataclass(frozen=True)
class Line:
    limit: int = 100
    used: int = 60
    frozen: bool = False


def refusal(check, *args, **kwargs) -> tuple[str, dict]:
    with pytest.raises(ChainRevertError) as caught:
        check(*args, **kwargs)
    error = caught.value
    assert (error.code, error.status_code) == ("chain_revert", 409)
    assert error.extra == {"error": error.error_name, "args": error.error_args}
    assert " / " in error.message and "Rejected on chain" not in error.message
    return error.error_name, error.error_args


def movable(piece, **kwargs):
    options = {"token_id": 9, "holder": HOLDER, "amount": None, "now": NOW,
               "maturity": MATURITY, **kwargs}
    return preflight.require_movable(piece, **options)


def test_movement_checks_in_the_contracts_order():
    assert movable(Piece()) == Piece()
    assert refusal(movable, None) == ("VoucherLedgerPieceNotFound", {"tokenId": 9})
    assert refusal(movable, Piece(owner=OTHER)) == (
        "VoucherLedgerNotHolder", {"tokenId": 9, "account": HOLDER, "holder": OTHER})
    # status before frozen, as _checkMovement: a frozen locked piece says locked
    assert refusal(movable, Piece(status=3, lock_bank=BANK, frozen=True)) == (
        "VoucherLedgerPieceLocked", {"tokenId": 9, "lockBank": BANK})
    assert refusal(movable, Piece(status=1, frozen=True)) == (
        "VoucherLedgerInvalidStatus", {"tokenId": 9, "status": 1})
    assert refusal(movable, Piece(frozen=True)) == ("VoucherLedgerPieceFrozen", {"tokenId": 9})
    assert refusal(movable, Piece(), now=MATURITY) == (
        "VoucherLedgerMatured", {"tokenId": 9, "maturity": MATURITY})
    assert refusal(movable, Piece(), amount=0) == ("VoucherLedgerZeroValue", {"tokenId": 9})


def test_an_amount_beyond_the_balance_is_the_amount_fields_error():
    with pytest.raises(ApplicationError) as caught:
        movable(Piece(), amount=501)
    error = caught.value
    assert (error.status_code, error.code) == (400, "amount_exceeds_balance")
    assert error.extra["error"] == "VoucherLedgerInsufficientBalance"
    assert error.extra["args"] == {"tokenId": 9, "balance": 500, "value": 501}
    assert error.extra["fields"] == {"amount_fen": [error.message]}


def test_financing_decisions_and_freezes():
    locked = Piece(status=3, lock_bank=BANK)
    approve = {"token_id": 9, "bank": BANK, "now": NOW, "maturity": MATURITY}
    assert preflight.require_approvable(locked, **approve) == locked
    assert refusal(preflight.require_approvable, Piece(), **approve) == (
        "VoucherLedgerInvalidStatus", {"tokenId": 9, "status": 2})
    assert refusal(preflight.require_approvable, locked, **{**approve, "bank": OTHER}) == (
        "VoucherLedgerNotLockBank", {"tokenId": 9, "caller": OTHER, "lockBank": BANK})
    assert refusal(preflight.require_approvable, locked, **{**approve, "now": MATURITY})[0] == (
        "VoucherLedgerMatured")
    assert refusal(preflight.require_declinable, replace(locked, frozen=True), token_id=9,
                   bank=BANK)[0] == "VoucherLedgerPieceFrozen"
    assert refusal(preflight.require_withdrawable, Piece(), token_id=9,
                   holder=HOLDER)[0] == "VoucherLedgerInvalidStatus"
    assert preflight.require_withdrawable(locked, token_id=9, holder=HOLDER) == locked
    assert refusal(preflight.require_pending_root, Piece(), token_id=9,
                   holder=HOLDER)[0] == "VoucherLedgerInvalidStatus"
    assert refusal(preflight.require_freezable, Piece(status=4), token_id=9) == (
        "VoucherLedgerInvalidStatus", {"tokenId": 9, "status": 4})
    assert refusal(preflight.require_freezable, Piece(frozen=True), token_id=9)[0] == (
        "VoucherLedgerPieceFrozen")
    assert refusal(preflight.require_unfreezable, Piece(), token_id=9) == (
        "VoucherLedgerPieceNotFrozen", {"tokenId": 9})


def test_credit_line_checks():
    assert refusal(preflight.require_limit_covers_used, Line(), bank=BANK, debtor=OTHER,
                   limit=59) == ("CreditLinesLimitBelowUsed",
                                 {"bank": BANK, "debtor": OTHER, "limit": 59, "used": 60})
    assert preflight.require_limit_covers_used(Line(), bank=BANK, debtor=OTHER, limit=60)
    assert refusal(preflight.require_line_freezable, Line(frozen=True), bank=BANK,
                   debtor=OTHER)[0] == "CreditLinesLineFrozen"
    assert refusal(preflight.require_line_unfreezable, Line(), bank=BANK,
                   debtor=OTHER)[0] == "CreditLinesLineNotFrozen"
