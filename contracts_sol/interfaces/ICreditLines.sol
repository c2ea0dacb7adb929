// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICreditLines
/// @notice Credit lines (授信) that banks grant to core enterprises, keyed by (bank, debtor).
///         Issuing a voucher consumes the line; rejecting or settling it restores the line.
interface ICreditLines {
    /// @notice A zero address was given where an account is required.
    error CreditLinesZeroAddress();
    /// @notice `account` is not an active member with `role`.
    error CreditLinesNotMember(address account, uint8 role);
    /// @notice `limit` does not fit the stored amount type (at most `maxLimit`).
    error CreditLinesLimitTooLarge(uint256 limit, uint256 maxLimit);
    /// @notice A limit below what is already used was asked for.
    error CreditLinesLimitBelowUsed(address bank, address debtor, uint256 limit, uint256 used);
    /// @notice `expiry` is not in the future or does not fit (block time `nowTimestamp`).
    error CreditLinesInvalidExpiry(uint64 expiry, uint256 nowTimestamp);
    /// @notice No line exists for (bank, debtor).
    error CreditLinesLineNotFound(address bank, address debtor);
    /// @notice The line is frozen.
    error CreditLinesLineFrozen(address bank, address debtor);
    /// @notice The line is not frozen.
    error CreditLinesLineNotFrozen(address bank, address debtor);
    /// @notice The line expired at `expiry` (block time `nowTimestamp`).
    error CreditLinesLineExpired(address bank, address debtor, uint64 expiry, uint256 nowTimestamp);
    /// @notice `amount` exceeds what is `available` on the line.
    error CreditLinesInsufficientCredit(address bank, address debtor, uint256 available, uint256 amount);
    /// @notice A restore of `amount` exceeds what is `used` on the line.
    error CreditLinesRestoreExceedsUsed(address bank, address debtor, uint256 used, uint256 amount);
    /// @notice The ledger is already set to `ledger`.
    error CreditLinesLedgerAlreadySet(address ledger);
    /// @notice `caller` is not the voucher ledger.
    error CreditLinesUnauthorizedLedger(address caller);

    /// @notice The voucher ledger allowed to consume and restore credit was set.
    event LedgerSet(address indexed ledger);
    /// @notice `bank` set the line for `debtor` to `limit`, valid until `expiry`.
    event CreditLineSet(address indexed bank, address indexed debtor, uint256 limit, uint64 expiry);
    /// @notice `bank` froze its line for `debtor`.
    event CreditLineFrozen(address indexed bank, address indexed debtor);
    /// @notice `bank` unfroze its line for `debtor`.
    event CreditLineUnfrozen(address indexed bank, address indexed debtor);
    /// @notice `amount` of the line was consumed; `used` is the new total.
    event CreditConsumed(address indexed bank, address indexed debtor, uint256 amount, uint256 used);
    /// @notice `amount` of the line was restored; `used` is the new total.
    event CreditRestored(address indexed bank, address indexed debtor, uint256 amount, uint256 used);

    /// @notice Sets the voucher ledger, once.
    /// @dev DEFAULT_ADMIN_ROLE only. Requires a non-zero address and no ledger set yet.
    ///      Emits {LedgerSet}.
    function setLedger(address ledgerAddress) external;

    /// @notice Sets, raises or lowers the caller's (a bank's) line for `debtor`.
    /// @dev The caller must be an active BANK member and `debtor` an active CORE_ENTERPRISE
    ///      member; `limit` must fit 96 bits and not be below the used amount; `expiry` must be
    ///      in the future. A frozen line stays frozen. Emits {CreditLineSet}.
    function setLine(address debtor, uint256 limit, uint64 expiry) external;

    /// @notice Freezes the caller's line for `debtor`: no more issuance against it.
    /// @dev Requires an existing, unfrozen line. Emits {CreditLineFrozen}.
    function freezeLine(address debtor) external;

    /// @notice Unfreezes the caller's line for `debtor`.
    /// @dev Requires a frozen line. Emits {CreditLineUnfrozen}.
    function unfreezeLine(address debtor) external;

    /// @notice Consumes `amount` of (bank, debtor)'s line when a voucher is issued.
    /// @dev Ledger only. Requires an existing, unfrozen, unexpired line with `amount` available.
    ///      Emits {CreditConsumed}.
    function consume(address bank, address debtor, uint256 amount) external;

    /// @notice Restores `amount` to (bank, debtor)'s line when a voucher is rejected or settled.
    /// @dev Ledger only. Works on frozen and expired lines too. Requires `amount <= used`.
    ///      Emits {CreditRestored}.
    function restore(address bank, address debtor, uint256 amount) external;

    /// @notice The (bank, debtor) line: limit, used amount, expiry and frozen flag (zeros if none).
    function lineOf(address bank, address debtor)
        external
        view
        returns (uint256 limit, uint256 used, uint64 expiry, bool frozen);

    /// @notice What can be consumed now: `limit - used`, or 0 if the line is frozen or expired.
    function availableOf(address bank, address debtor) external view returns (uint256);

    /// @notice The voucher ledger allowed to consume and restore (zero until set).
    function ledger() external view returns (address);
}
