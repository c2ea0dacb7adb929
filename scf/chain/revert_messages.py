"""One bilingual message per custom error of the platform contracts (contracts_sol/interfaces),
keyed by the Solidity error name. A refusal checked before sending (scf.chain.preflight) and a
revert decoded from a mined transaction (scf.chain.contracts.decode_revert) both build their
message here, so the user reads the same words either way.

Placeholders are the error's own argument names as the ABI declares them; `statusZh` and
`statusEn` are derived from a `status` argument (the ledger's Status enum)."""

MESSAGES: dict[str, str] = {
    # --- VoucherLedger ----------------------------------------------------------------------
    "VoucherLedgerZeroAddress": "地址不能为空 / A zero address is not allowed",
    "VoucherLedgerZeroHash": "哈希不能为空（文件、贸易合同或发票） / A zero hash is not allowed "
                             "(document, trade or invoice)",
    "VoucherLedgerNotMember": "{account} 不是链上有效会员（角色 {role}） / {account} is not an "
                              "active member with role {role}",
    "VoucherLedgerUnauthorized": "{account} 无权执行此操作 / {account} may not do this",
    "VoucherLedgerPieceNotFound": "凭证 {tokenId} 不存在 / Piece {tokenId} does not exist",
    "VoucherLedgerNotHolder": "{account} 不持有凭证 {tokenId}（持有人 {holder}） / {account} does "
                              "not hold piece {tokenId} (the holder is {holder})",
    "VoucherLedgerInvalidStatus": "凭证 {tokenId} 状态为「{statusZh}」，不能执行此操作 / Piece "
                                  "{tokenId} is {statusEn}: this is not possible",
    "VoucherLedgerPieceLocked": "凭证 {tokenId} 已为融资申请锁定（{lockBank}），不能转让或拆分 / "
                                "Piece {tokenId} is locked for financing by {lockBank}: it "
                                "cannot move",
    "VoucherLedgerPieceFrozen": "凭证 {tokenId} 已被司法冻结 / Piece {tokenId} is frozen by a "
                                "judicial order",
    "VoucherLedgerPieceNotFrozen": "凭证 {tokenId} 未被冻结 / Piece {tokenId} is not frozen",
    "VoucherLedgerMatured": "凭证 {tokenId} 已到期，只能清分 / Piece {tokenId} has matured: only "
                            "settlement is possible",
    "VoucherLedgerNotMatured": "凭证 {tokenId} 尚未到期，不能清分 / Piece {tokenId} has not "
                               "matured yet: it cannot be settled",
    "VoucherLedgerGracePeriodNotOver": "凭证 {tokenId} 的宽限期尚未结束（{overdueAt}） / The grace "
                                       "period of piece {tokenId} is not over ({overdueAt})",
    "VoucherLedgerZeroValue": "金额须大于零（凭证 {tokenId}） / The amount must be greater than "
                              "zero (piece {tokenId})",
    "VoucherLedgerInsufficientBalance": "金额 {value} 分超过凭证 {tokenId} 的余额 {balance} 分 / "
                                        "{value} fen exceeds the balance of piece {tokenId}, "
                                        "{balance} fen",
    "VoucherLedgerInvalidFaceValue": "票面金额 {faceValue} 分无效 / The face value of "
                                     "{faceValue} fen is invalid",
    "VoucherLedgerInvalidMaturity": "到期日须在未来 / The maturity must be in the future",
    "VoucherLedgerInvalidLength": "数量 {length} 无效：须为 1 至 {maxLength} / {length} items: "
                                  "from 1 to {maxLength} are allowed",
    "VoucherLedgerInvoiceAlreadyUsed": "发票 {invoiceHash} 已用于凭证 {tokenId} / The invoice "
                                       "{invoiceHash} already backs voucher {tokenId}",
    "VoucherLedgerNotLockBank": "凭证 {tokenId} 未锁定给 {caller}（锁定银行 {lockBank}） / Piece "
                                "{tokenId} is not locked for {caller} but for {lockBank}",
    "VoucherLedgerInvalidGracePeriod": "宽限期 {gracePeriod} 秒超过上限 {maxGracePeriod} 秒 / "
                                       "A grace period of {gracePeriod}s exceeds "
                                       "{maxGracePeriod}s",
    # --- CreditLines ------------------------------------------------------------------------
    "CreditLinesZeroAddress": "地址不能为空 / A zero address is not allowed",
    "CreditLinesNotMember": "{account} 不是链上有效会员（角色 {role}） / {account} is not an "
                            "active member with role {role}",
    "CreditLinesLimitTooLarge": "授信额度 {limit} 分超过上限 {maxLimit} 分 / The limit of {limit} "
                                "fen exceeds {maxLimit} fen",
    "CreditLinesLimitBelowUsed": "授信额度 {limit} 分低于已用额度 {used} 分 / The limit of {limit} "
                                 "fen is below the {used} fen already used",
    "CreditLinesInvalidExpiry": "授信到期日须在未来 / The line's expiry must be in the future",
    "CreditLinesLineNotFound": "{bank} 对 {debtor} 没有授信 / {bank} has no line for {debtor}",
    "CreditLinesLineFrozen": "授信已冻结 / The credit line is frozen",
    "CreditLinesLineNotFrozen": "授信未冻结 / The credit line is not frozen",
    "CreditLinesLineExpired": "授信已到期 / The credit line has expired",
    "CreditLinesInsufficientCredit": "可用授信 {available} 分不足 {amount} 分 / {available} fen "
                                     "of credit available, {amount} fen needed",
    "CreditLinesRestoreExceedsUsed": "恢复额度 {amount} 分超过已用额度 {used} 分 / Restoring "
                                     "{amount} fen exceeds the {used} fen used",
    "CreditLinesLedgerAlreadySet": "凭证账本已设定为 {ledger} / The ledger is already set to "
                                   "{ledger}",
    "CreditLinesUnauthorizedLedger": "{caller} 不是授权的凭证账本 / {caller} is not the "
                                     "authorised ledger",
    # --- MemberRegistry ---------------------------------------------------------------------
    "MemberRegistryZeroAddress": "地址不能为空 / A zero address is not allowed",
    "MemberRegistryInvalidRoles": "角色 {roles} 无效 / The roles {roles} are invalid",
    "MemberRegistryInvalidKycExpiry": "KYC 到期日须在未来 / The KYC expiry must be in the future",
    "MemberRegistryAlreadyRegistered": "{account} 已登记 / {account} is already registered",
    "MemberRegistryNotRegistered": "{account} 未登记 / {account} is not registered",
    "MemberRegistryAlreadySuspended": "{account} 已暂停 / {account} is already suspended",
    "MemberRegistryNotSuspended": "{account} 未暂停 / {account} is not suspended",
}


def _status_labels(status) -> tuple[str, str]:
    from scf.chain.models import PieceState  # lazy: errors are imported before apps are ready

    try:
        label = str(PieceState.Status(int(status)).label)
    except (TypeError, ValueError):
        return str(status), str(status)
    chinese, _, english = label.partition(" / ")
    return chinese, english or chinese


def revert_message(name: str, args: dict | None = None) -> str:
    """The user's message for the custom error `name` with its decoded arguments."""
    args = dict(args or {})
    template = MESSAGES.get(name)
    if template is None:
        return f"链上拒绝 / Rejected on chain: {name}"
    if "status" in args:
        args["statusZh"], args["statusEn"] = _status_labels(args["status"])
    try:
        return template.format_map(args)
    except (KeyError, IndexError, ValueError):  # an argument is missing: still say which error
        return f"链上拒绝 / Rejected on chain: {name}"
