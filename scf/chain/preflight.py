"""The contracts' refusals, checked before an intent is sent: each function mirrors one check of
contracts_sol (same order, same custom error, same arguments) and raises the ChainRevertError
the contract would, so an early refusal and a mined revert read the same (409 `chain_revert`,
`extra.error` = the Solidity name, the message from scf.chain.revert_messages).

Every function is pure: it takes state the caller read from the chain (no node call here), so
a service reads first and takes its locks afterwards. The contract still checks everything when
the intent executes; these only spare the user an operation that would fail."""

from typing import Protocol

from scf.chain.errors import ChainRevertError
from scf.chain.models import PieceState
from scf.chain.revert_messages import revert_message
from scf.errors import ApplicationError

Status = PieceState.Status


class PieceView(Protocol):
    """What the checks need of a piece as the ledger's pieceOf has it."""

    token_id: int
    owner: str
    balance: int
    status: int
    lock_bank: str
    frozen: bool


class LineView(Protocol):
    limit: int
    used: int
    frozen: bool


# --- VoucherLedger: existence, holder, lock bank ----------------------------------------------

def require_exists(piece: PieceView | None, *, token_id: int) -> PieceView:
    """_requireExists."""
    if piece is None or piece.status == Status.NONE:
        raise ChainRevertError("VoucherLedgerPieceNotFound", {"tokenId": token_id})
    return piece


def require_holder(piece: PieceView | None, *, token_id: int, account: str) -> PieceView:
    """_requireHolder: the piece exists and `account` (the sender) holds it."""
    piece = require_exists(piece, token_id=token_id)
    if piece.owner != account:
        raise ChainRevertError("VoucherLedgerNotHolder", {"tokenId": token_id, "account": account,
                                                          "holder": piece.owner})
    return piece


def require_lock_bank(piece: PieceView | None, *, token_id: int, bank: str) -> PieceView:
    """_requireLockBank: the piece is LOCKED for `bank` (the sender)."""
    piece = require_exists(piece, token_id=token_id)
    _require_status(piece, Status.LOCKED)
    if piece.lock_bank != bank:
        raise ChainRevertError("VoucherLedgerNotLockBank", {"tokenId": token_id, "caller": bank,
                                                            "lockBank": piece.lock_bank})
    return piece


def _require_status(piece: PieceView, *allowed: int) -> None:
    if piece.status not in allowed:
        raise ChainRevertError("VoucherLedgerInvalidStatus", {"tokenId": piece.token_id,
                                                              "status": int(piece.status)})


def _require_not_frozen(piece: PieceView) -> None:
    if piece.frozen:
        raise ChainRevertError("VoucherLedgerPieceFrozen", {"tokenId": piece.token_id})


# --- VoucherLedger: the movement checks (_checkMovement) ---------------------------------------

def require_movement(piece: PieceView, *, now: int, maturity: int,
                     value: int | None = None) -> PieceView:
    """_checkMovement, which every movement of value passes: ACTIVE (a LOCKED piece says so),
    not frozen, before maturity, 0 < value <= balance. `value` None: the caller checks the
    amount itself (a field of its form). Membership is the caller's check (it knows which
    organisation is which)."""
    if piece.status != Status.ACTIVE:
        if piece.status == Status.LOCKED:
            raise ChainRevertError("VoucherLedgerPieceLocked", {"tokenId": piece.token_id,
                                                                "lockBank": piece.lock_bank})
        _require_status(piece, Status.ACTIVE)
    _require_not_frozen(piece)
    if now >= maturity:
        raise ChainRevertError("VoucherLedgerMatured", {"tokenId": piece.token_id,
                                                        "maturity": maturity})
    if value is not None:
        if value == 0:
            raise ChainRevertError("VoucherLedgerZeroValue", {"tokenId": piece.token_id})
        require_value_within_balance(piece, value=value)
    return piece


def require_value_within_balance(piece: PieceView, *, value: int) -> None:
    """VoucherLedgerInsufficientBalance, answered as the amount field's error (400): the user
    typed the amount, so the form shows it under the field, with the decoded error alongside."""
    if value > piece.balance:
        name = "VoucherLedgerInsufficientBalance"
        args = {"tokenId": piece.token_id, "balance": piece.balance, "value": value}
        message = revert_message(name, args)
        raise ApplicationError(message, code="amount_exceeds_balance",
                               extra={"fields": {"amount_fen": [message]}, "error": name,
                                      "args": args})


def require_movable(piece: PieceView | None, *, token_id: int, holder: str,
                    amount: int | None, now: int, maturity: int) -> PieceView:
    """The holder's own movement (transferValue, transferPiece, split, lockForFinancing):
    _requireHolder, then _checkMovement."""
    piece = require_holder(piece, token_id=token_id, account=holder)
    return require_movement(piece, now=now, maturity=maturity, value=amount)


# --- VoucherLedger: financing decisions --------------------------------------------------------

def require_approvable(piece: PieceView | None, *, token_id: int, bank: str, now: int,
                       maturity: int) -> PieceView:
    """approveFinancing: locked for the bank, then the movement from the holder to the bank
    (with the piece unlocked first: not frozen, before maturity)."""
    piece = require_lock_bank(piece, token_id=token_id, bank=bank)
    _require_not_frozen(piece)
    if now >= maturity:
        raise ChainRevertError("VoucherLedgerMatured", {"tokenId": token_id,
                                                        "maturity": maturity})
    return piece


def require_declinable(piece: PieceView | None, *, token_id: int, bank: str) -> PieceView:
    """declineFinancing: locked for the bank, not frozen."""
    piece = require_lock_bank(piece, token_id=token_id, bank=bank)
    _require_not_frozen(piece)
    return piece


def require_withdrawable(piece: PieceView | None, *, token_id: int, holder: str) -> PieceView:
    """withdrawFinancing: the holder's LOCKED piece, not frozen."""
    piece = require_holder(piece, token_id=token_id, account=holder)
    _require_status(piece, Status.LOCKED)
    _require_not_frozen(piece)
    return piece


# --- VoucherLedger: acceptance, freezes ---------------------------------------------------------

def require_pending_root(piece: PieceView | None, *, token_id: int, holder: str) -> PieceView:
    """accept / reject: the holder's PENDING root, not frozen."""
    piece = require_holder(piece, token_id=token_id, account=holder)
    _require_status(piece, Status.PENDING)
    _require_not_frozen(piece)
    return piece


def require_freezable(piece: PieceView | None, *, token_id: int) -> PieceView:
    """freeze: neither settled nor cancelled, not frozen already."""
    piece = require_exists(piece, token_id=token_id)
    if piece.status in (Status.SETTLED, Status.CANCELLED):
        _require_status(piece)
    _require_not_frozen(piece)
    return piece


def require_unfreezable(piece: PieceView | None, *, token_id: int) -> PieceView:
    """unfreeze: the piece is frozen."""
    piece = require_exists(piece, token_id=token_id)
    if not piece.frozen:
        raise ChainRevertError("VoucherLedgerPieceNotFrozen", {"tokenId": token_id})
    return piece


# --- CreditLines -------------------------------------------------------------------------------

def require_limit_covers_used(line: LineView, *, bank: str, debtor: str,
                              limit: int) -> LineView:
    """setLine: the new limit is not below what is used."""
    if limit < line.used:
        raise ChainRevertError("CreditLinesLimitBelowUsed", {"bank": bank, "debtor": debtor,
                                                             "limit": limit, "used": line.used})
    return line


def require_line_freezable(line: LineView, *, bank: str, debtor: str) -> LineView:
    """freezeLine: the line is not frozen already."""
    if line.frozen:
        raise ChainRevertError("CreditLinesLineFrozen", {"bank": bank, "debtor": debtor})
    return line


def require_line_unfreezable(line: LineView, *, bank: str, debtor: str) -> LineView:
    """unfreezeLine: the line is frozen."""
    if not line.frozen:
        raise ChainRevertError("CreditLinesLineNotFrozen", {"bank": bank, "debtor": debtor})
    return line
