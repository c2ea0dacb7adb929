// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IVoucherLedger
/// @notice Electronic receivable vouchers (电子债权凭证), ERC-3525 in spirit: a slot is one root
///         voucher (one debtor, one maturity); value moves between token ids ("pieces") of a slot;
///         sending value derives a new token id whose parent is recorded, so every piece traces to
///         its root on chain. No approvals and no on-chain enumeration: index the events.
interface IVoucherLedger {
    /// @notice Life cycle of a piece.
    /// @dev NONE: no such piece. PENDING: a root waiting for the supplier's acceptance.
    ///      ACTIVE: may move. LOCKED: under a financing application to `lockBank`.
    ///      SETTLED: paid at maturity (final). CANCELLED: a root the supplier rejected (final).
    ///      OVERDUE: unpaid after maturity plus the grace period (may still be settled).
    enum Status {
        NONE,
        PENDING,
        ACTIVE,
        LOCKED,
        SETTLED,
        CANCELLED,
        OVERDUE
    }

    // ------------------------------------------------------------------ errors
    /// @notice A zero address was given where an account is required.
    error VoucherLedgerZeroAddress();
    /// @notice A zero hash was given where a document, trade or invoice hash is required.
    error VoucherLedgerZeroHash();
    /// @notice `account` is not an active member holding one of the bits of `role`.
    error VoucherLedgerNotMember(address account, uint8 role);
    /// @notice `account` may not do this (neither the debtor, nor an operator, nor involved).
    error VoucherLedgerUnauthorized(address account);
    /// @notice No piece `tokenId`.
    error VoucherLedgerPieceNotFound(uint256 tokenId);
    /// @notice `account` is not `holder`, the holder of `tokenId`.
    error VoucherLedgerNotHolder(uint256 tokenId, address account, address holder);
    /// @notice `tokenId` is in `status`, which does not allow this.
    error VoucherLedgerInvalidStatus(uint256 tokenId, Status status);
    /// @notice `tokenId` is locked for financing by `lockBank`.
    error VoucherLedgerPieceLocked(uint256 tokenId, address lockBank);
    /// @notice `tokenId` is frozen.
    error VoucherLedgerPieceFrozen(uint256 tokenId);
    /// @notice `tokenId` is not frozen.
    error VoucherLedgerPieceNotFrozen(uint256 tokenId);
    /// @notice `tokenId` matured at `maturity`: only settlement is possible.
    error VoucherLedgerMatured(uint256 tokenId, uint64 maturity);
    /// @notice `tokenId` matures at `maturity`: settlement is not possible yet.
    error VoucherLedgerNotMatured(uint256 tokenId, uint64 maturity);
    /// @notice `tokenId` can be marked overdue only from `overdueAt` (maturity + grace period).
    error VoucherLedgerGracePeriodNotOver(uint256 tokenId, uint256 overdueAt);
    /// @notice A zero value was asked to move out of `tokenId`.
    error VoucherLedgerZeroValue(uint256 tokenId);
    /// @notice `value` exceeds `balance` of `tokenId`.
    error VoucherLedgerInsufficientBalance(uint256 tokenId, uint256 balance, uint256 value);
    /// @notice `faceValue` is zero or does not fit 96 bits.
    error VoucherLedgerInvalidFaceValue(uint256 faceValue);
    /// @notice `maturity` is not in the future (block time `nowTimestamp`).
    error VoucherLedgerInvalidMaturity(uint64 maturity, uint256 nowTimestamp);
    /// @notice An input array of `length` is empty or longer than `maxLength`.
    error VoucherLedgerInvalidLength(uint256 length, uint256 maxLength);
    /// @notice `invoiceHash` already backs the voucher `tokenId`.
    error VoucherLedgerInvoiceAlreadyUsed(bytes32 invoiceHash, uint256 tokenId);
    /// @notice `caller` is not `lockBank`, the bank `tokenId` is locked for.
    error VoucherLedgerNotLockBank(uint256 tokenId, address caller, address lockBank);
    /// @notice `gracePeriod` exceeds `maxGracePeriod`.
    error VoucherLedgerInvalidGracePeriod(uint64 gracePeriod, uint64 maxGracePeriod);

    // ------------------------------------------------------------------ events
    /// @notice ERC-721/3525 ownership event: `tokenId` passed from `from` to `to` (`from` is zero
    ///         when a root is issued).
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// @notice ERC-3525 value event: `value` moved from `fromTokenId` to `toTokenId`.
    event TransferValue(uint256 indexed fromTokenId, uint256 indexed toTokenId, uint256 value);
    /// @notice `debtor` issued root voucher `tokenId` (its own slot) of `faceValue` fen to
    ///         `supplier`, against its line from `bank`, citing a trade and invoices by hash.
    event VoucherIssued(
        uint256 indexed tokenId,
        address indexed debtor,
        address indexed bank,
        address supplier,
        uint256 faceValue,
        uint64 maturity,
        bytes32 tradeHash,
        bytes32[] invoiceHashes
    );
    /// @notice `holder` accepted root voucher `tokenId`.
    event VoucherAccepted(uint256 indexed tokenId, address indexed holder);
    /// @notice `holder` rejected root voucher `tokenId`: it is cancelled, its credit restored and
    ///         its invoice hashes released.
    event VoucherRejected(uint256 indexed tokenId, address indexed holder, bytes32 reasonHash);
    /// @notice Piece `tokenId` was derived from `parentId` (slot `rootId`) for `owner`.
    event PieceDerived(uint256 indexed tokenId, uint256 indexed parentId, address indexed owner, uint256 rootId);
    /// @notice `holder` locked `tokenId` (worth `value`) for a financing application to `bank`.
    event FinancingLocked(uint256 indexed tokenId, address indexed holder, address indexed bank, uint256 value);
    /// @notice `bank` approved the financing of `tokenId`: the piece is now the bank's.
    event FinancingApproved(uint256 indexed tokenId, address indexed holder, address indexed bank);
    /// @notice `bank` declined the financing of `tokenId`: the lock is released.
    event FinancingDeclined(uint256 indexed tokenId, address indexed bank, bytes32 reasonHash);
    /// @notice `holder` withdrew its financing application for `tokenId`: the lock is released.
    event FinancingWithdrawn(uint256 indexed tokenId, address indexed holder);
    /// @notice Piece `tokenId` of slot `rootId`, held by `holder`, was settled for `value`.
    event PieceSettled(
        uint256 indexed tokenId, uint256 indexed rootId, address indexed holder, uint256 value, bytes32 paymentRef
    );
    /// @notice Piece `tokenId` of slot `rootId`, held by `holder`, was marked overdue.
    event PieceMarkedOverdue(uint256 indexed tokenId, uint256 indexed rootId, address indexed holder);
    /// @notice `regulator` froze `tokenId`.
    event PieceFrozen(uint256 indexed tokenId, address indexed regulator, bytes32 reasonHash);
    /// @notice `regulator` unfroze `tokenId`.
    event PieceUnfrozen(uint256 indexed tokenId, address indexed regulator);
    /// @notice `by` anchored the document `docHash` of `kind` to `tokenId`.
    event DocumentAnchored(uint256 indexed tokenId, bytes32 indexed docHash, address indexed by, uint8 kind);
    /// @notice The grace period after maturity before a piece may be marked overdue changed.
    event GracePeriodSet(uint64 previousGracePeriod, uint64 gracePeriod);

    // ------------------------------------------------------------------ issuance
    /// @notice Issues a root voucher of `faceValue` fen to `supplier`, maturing at `maturity`.
    /// @dev Caller: an active CORE_ENTERPRISE member (the debtor). `bank` must be an active BANK
    ///      member whose line for the caller has `faceValue` available; `supplier` an active
    ///      SUPPLIER member. `faceValue` in 1..2^96-1; `maturity` in the future; `tradeHash`
    ///      non-zero; 1..MAX_INVOICES non-zero invoice hashes, none backing a live voucher.
    ///      Not when paused. The root is PENDING until the supplier accepts.
    ///      Emits {Transfer} (from zero), {VoucherIssued}; CreditLines emits {CreditConsumed}.
    /// @return tokenId the root's token id, which is also its slot
    function issue(
        address bank,
        address supplier,
        uint256 faceValue,
        uint64 maturity,
        bytes32 tradeHash,
        bytes32[] calldata invoiceHashes
    ) external returns (uint256 tokenId);

    /// @notice The holder accepts the PENDING root `tokenId`, which becomes ACTIVE.
    /// @dev Caller: the holder, an active SUPPLIER or BANK member. Not frozen, not when paused.
    ///      Emits {VoucherAccepted}.
    function accept(uint256 tokenId) external;

    /// @notice The holder rejects the PENDING root `tokenId`: it is CANCELLED, the credit is
    ///         restored and its invoice hashes may back another voucher.
    /// @dev Caller: the holder. Not frozen, not when paused. Emits {VoucherRejected};
    ///      CreditLines emits {CreditRestored}.
    function reject(uint256 tokenId, bytes32 reasonHash) external;

    // ------------------------------------------------------------------ movement
    /// @notice Sends `value` out of `fromTokenId` to `to` as a new piece (split-transfer).
    /// @dev Caller: the holder. Passes the movement checks (see {pieceOf}): not paused; both
    ///      parties active SUPPLIER or BANK members; piece ACTIVE, not frozen, before maturity;
    ///      0 < value <= balance. Emits {PieceDerived}, {TransferValue}.
    /// @return newTokenId the derived piece, whose parent is `fromTokenId`
    function transferValue(uint256 fromTokenId, address to, uint256 value) external returns (uint256 newTokenId);

    /// @notice Splits `tokenId` into new pieces of `values` for the same holder.
    /// @dev Caller: the holder. 1..MAX_SPLIT values, each passing the movement checks against
    ///      the remaining balance (so their sum is at most the balance). Emits {PieceDerived} and
    ///      {TransferValue} per new piece.
    /// @return newTokenIds the derived pieces, in the order of `values`
    function split(uint256 tokenId, uint256[] calldata values) external returns (uint256[] memory newTokenIds);

    /// @notice Hands the whole piece `tokenId` to `to`.
    /// @dev Caller: the holder. Movement checks with value = balance (so the balance must be
    ///      non-zero). Emits {Transfer}.
    function transferPiece(uint256 tokenId, address to) external;

    // ------------------------------------------------------------------ financing
    /// @notice Locks `value` of `tokenId` for a financing application to `bank`. If `value` is
    ///         below the balance, a new piece of `value` is first derived for the holder and that
    ///         piece is locked.
    /// @dev Caller: the holder. `bank` an active BANK member; movement checks on the piece.
    ///      Emits {PieceDerived} and {TransferValue} when splitting, then {FinancingLocked}.
    /// @return lockedTokenId the piece now LOCKED
    function lockForFinancing(uint256 tokenId, uint256 value, address bank) external returns (uint256 lockedTokenId);

    /// @notice The bank approves the financing of the LOCKED `tokenId`: the piece passes to it,
    ///         unlocked.
    /// @dev Caller: the bank named in the lock. Movement checks from the holder to the bank.
    ///      Emits {FinancingApproved}, {Transfer}.
    function approveFinancing(uint256 tokenId) external;

    /// @notice The bank declines the financing of the LOCKED `tokenId`: the lock is released.
    /// @dev Caller: the bank named in the lock. Not frozen, not when paused.
    ///      Emits {FinancingDeclined}.
    function declineFinancing(uint256 tokenId, bytes32 reasonHash) external;

    /// @notice The holder withdraws its financing application for `tokenId` before a decision.
    /// @dev Caller: the holder. Not frozen, not when paused. Emits {FinancingWithdrawn}.
    function withdrawFinancing(uint256 tokenId) external;

    // ------------------------------------------------------------------ settlement
    /// @notice Marks pieces paid at maturity (到期清分) and restores their value to the root's
    ///         credit line.
    /// @dev Caller: the root's debtor or an OPERATOR_ROLE account. 1..MAX_BATCH ids; each ACTIVE
    ///      or OVERDUE, not frozen, at or after its maturity. Not when paused.
    ///      Emits {PieceSettled} per piece; CreditLines emits {CreditRestored} per run of pieces
    ///      of the same slot.
    function settle(uint256[] calldata tokenIds, bytes32 paymentRef) external;

    /// @notice Marks ACTIVE pieces unpaid after maturity plus the grace period as OVERDUE.
    /// @dev Caller: an OPERATOR_ROLE account or the holder of each piece. 1..MAX_BATCH ids.
    ///      Not when paused. Emits {PieceMarkedOverdue} per piece.
    function markOverdue(uint256[] calldata tokenIds) external;

    // ------------------------------------------------------------------ supervision
    /// @notice A regulator freezes `tokenId` (司法冻结): it cannot move, change status or settle.
    /// @dev Caller: an active REGULATOR member. The piece must be PENDING, ACTIVE, LOCKED or
    ///      OVERDUE and not frozen. Works while paused. Emits {PieceFrozen}.
    function freeze(uint256 tokenId, bytes32 reasonHash) external;

    /// @notice A regulator unfreezes `tokenId`.
    /// @dev Caller: an active REGULATOR member. The piece must be frozen. Emits {PieceUnfrozen}.
    function unfreeze(uint256 tokenId) external;

    /// @notice Records the hash of a document (contract, invoice, notice...) against `tokenId`.
    /// @dev Caller: the holder, the root's debtor, the root's bank, the lock bank or an
    ///      OPERATOR_ROLE account. Nothing is stored. Emits {DocumentAnchored}.
    function anchorDocument(uint256 tokenId, bytes32 docHash, uint8 kind) external;

    /// @notice Sets the grace period after maturity before pieces may be marked overdue.
    /// @dev DEFAULT_ADMIN_ROLE only; at most MAX_GRACE_PERIOD. Emits {GracePeriodSet}.
    function setGracePeriod(uint64 newGracePeriod) external;

    /// @notice Stops every issuance, movement, status change and settlement.
    /// @dev OPERATOR_ROLE only. Emits {Paused}.
    function pause() external;

    /// @notice Resumes after {pause}.
    /// @dev OPERATOR_ROLE only. Emits {Unpaused}.
    function unpause() external;

    // ------------------------------------------------------------------ views
    /// @notice Everything about a piece (zeros and NONE if it does not exist).
    /// @return owner the holder
    /// @return rootId the slot: the root voucher's token id
    /// @return parentId the piece it was derived from (0 for a root)
    /// @return balance its value in fen
    /// @return status its {Status}
    /// @return lockBank the bank it is locked for (zero unless LOCKED)
    /// @return frozen whether a regulator froze it
    function pieceOf(uint256 tokenId)
        external
        view
        returns (
            address owner,
            uint256 rootId,
            uint256 parentId,
            uint256 balance,
            Status status,
            address lockBank,
            bool frozen
        );

    /// @notice Everything about a slot (zeros if `rootId` is not a root).
    function slotInfo(uint256 rootId)
        external
        view
        returns (address debtor, address bank, uint64 maturity, uint256 faceValue, uint256 settledAmount);

    /// @notice ERC-3525 `balanceOf(uint256)`: value of `tokenId`. Reverts if it does not exist.
    function balanceOf(uint256 tokenId) external view returns (uint256);

    /// @notice ERC-721 `ownerOf`: holder of `tokenId`. Reverts if it does not exist.
    function ownerOf(uint256 tokenId) external view returns (address);

    /// @notice ERC-3525 `slotOf`: the root id of `tokenId`. Reverts if it does not exist.
    function slotOf(uint256 tokenId) external view returns (uint256);

    /// @notice The id the next created piece will get.
    function nextTokenId() external view returns (uint256);

    /// @notice The live root voucher `invoiceHash` backs, or 0 if none (never used, or released
    ///         by a rejection).
    function invoiceHolder(bytes32 invoiceHash) external view returns (uint256 tokenId);

    /// @notice Seconds after maturity before an unpaid piece may be marked overdue.
    function gracePeriod() external view returns (uint64);
}
