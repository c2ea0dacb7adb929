"""The contracts' refusals that banking checks before it sends anything (a 4xx with the same
decoded-error shape as a chain revert spares the user an operation that would fail; the contract
still checks everything when the intent executes), and the hash that stands for a text on chain.

The chain's state itself is read through the chain port (scf.chain.readers), its clock is
scf.chain.readers.chain_now and its dates are scf.clock."""

import hashlib

from scf.chain.errors import ChainRevertError
from scf.chain.readers import ChainLine, ChainPiece, PieceStatus, line_of
from scf.errors import ApplicationError


def text_hash(text: str) -> str:
    """The bytes32 that stands for a reason or a payment reference on chain (no text there)."""
    return "0x" + hashlib.sha256(text.encode()).hexdigest()


# --- the contracts' refusals, checked before sending -------------------------------------------

def require_movable(piece: ChainPiece | None, *, token_id: int, holder: str, amount: int | None,
                    now: int, maturity: int) -> ChainPiece:
    """VoucherLedger's movement checks for the holder's action on the piece (lockForFinancing):
    it exists, the caller holds it, it is ACTIVE, not frozen, before maturity, 0 < amount <=
    balance."""
    if piece is None:
        raise ChainRevertError("VoucherLedgerPieceNotFound", {"tokenId": token_id},
                               message=f"凭证 {token_id} 不存在 / Piece {token_id} does not exist")
    if piece.owner != holder:
        raise ChainRevertError(
            "VoucherLedgerNotHolder", {"tokenId": token_id, "account": holder,
                                       "holder": piece.owner},
            message=f"本机构不持有凭证 {token_id} / Your organisation does not hold piece "
                    f"{token_id}")
    require_unlocked(piece)
    if now >= maturity:
        raise ChainRevertError(
            "VoucherLedgerMatured", {"tokenId": token_id, "maturity": maturity},
            message=f"凭证 {token_id} 已到期，只能清分 / Piece {token_id} has matured: only "
                    "settlement is possible")
    if amount is not None and amount > piece.balance:
        message = (f"金额超过凭证余额 {piece.balance} 分 / The amount exceeds the piece's balance "
                   f"of {piece.balance} fen")
        raise ApplicationError(
            message, code="amount_exceeds_balance",
            extra={"fields": {"amount_fen": [message]},
                   "error": "VoucherLedgerInsufficientBalance",
                   "args": {"tokenId": token_id, "balance": piece.balance, "value": amount}})
    return piece


def require_unlocked(piece: ChainPiece) -> None:
    if piece.status == PieceStatus.LOCKED:
        raise ChainRevertError(
            "VoucherLedgerPieceLocked", {"tokenId": piece.token_id, "lockBank": piece.lock_bank},
            message=f"凭证 {piece.token_id} 已被融资锁定 / Piece {piece.token_id} is locked for "
                    "financing")
    if piece.status != PieceStatus.ACTIVE:
        raise ChainRevertError(
            "VoucherLedgerInvalidStatus", {"tokenId": piece.token_id, "status": piece.status},
            message=f"凭证 {piece.token_id} 状态为 {piece.status_name}，不能融资 / Piece "
                    f"{piece.token_id} is {piece.status_name}")
    if piece.frozen:
        raise ChainRevertError(
            "VoucherLedgerPieceFrozen", {"tokenId": piece.token_id},
            message=f"凭证 {piece.token_id} 已被冻结 / Piece {piece.token_id} is frozen")


def require_locked_for(piece: ChainPiece | None, *, token_id: int, bank: str) -> ChainPiece:
    """approveFinancing / declineFinancing: the piece is LOCKED for `bank`, not frozen."""
    if piece is None:
        raise ChainRevertError("VoucherLedgerPieceNotFound", {"tokenId": token_id})
    if piece.status != PieceStatus.LOCKED:
        raise ChainRevertError(
            "VoucherLedgerInvalidStatus", {"tokenId": token_id, "status": piece.status},
            message=f"凭证 {token_id} 未处于融资锁定 / Piece {token_id} is not locked for "
                    "financing")
    if piece.lock_bank != bank:
        raise ChainRevertError(
            "VoucherLedgerNotLockBank", {"tokenId": token_id, "caller": bank,
                                         "lockBank": piece.lock_bank},
            message=f"凭证 {token_id} 未锁定给本行 / Piece {token_id} is not locked for your bank")
    if piece.frozen:
        raise ChainRevertError(
            "VoucherLedgerPieceFrozen", {"tokenId": token_id},
            message=f"凭证 {token_id} 已被冻结 / Piece {token_id} is frozen")
    return piece


def require_limit_covers_used(*, bank: str, debtor: str, limit: int) -> ChainLine:
    line = line_of(bank, debtor)
    if limit < line.used:
        raise ChainRevertError(
            "CreditLinesLimitBelowUsed",
            {"bank": bank, "debtor": debtor, "limit": limit, "used": line.used},
            message=f"授信额度 {limit} 分低于已用额度 {line.used} 分 / The limit of {limit} fen "
                    f"is below the {line.used} fen already used")
    return line
