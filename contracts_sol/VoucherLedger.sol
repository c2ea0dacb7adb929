// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICreditLines} from "./interfaces/ICreditLines.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {IVoucherLedger} from "./interfaces/IVoucherLedger.sol";
import {MemberRoles} from "./lib/MemberRoles.sol";

/// @title VoucherLedger
/// @notice The authority on who holds which receivable voucher. A core enterprise issues a root
///         voucher against its bank credit line; holders split, transfer, finance and finally get
///         settled. Every movement of value passes {_update}, which runs the compliance checks
///         (membership, status, lock, freeze, maturity, amount) once.
contract VoucherLedger is IVoucherLedger, AccessControl, Pausable {
    /// @notice Role of the platform operator: pause, settle for the clearing bank, mark overdue.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Most invoice hashes one issuance may cite.
    uint256 public constant MAX_INVOICES = 20;
    /// @notice Most pieces one {split} may create.
    uint256 public constant MAX_SPLIT = 20;
    /// @notice Most pieces one {settle} or {markOverdue} may handle.
    uint256 public constant MAX_BATCH = 50;
    /// @notice Longest grace period the admin may set.
    uint64 public constant MAX_GRACE_PERIOD = 365 days;
    /// @notice Grace period at deployment.
    uint64 public constant DEFAULT_GRACE_PERIOD = 7 days;

    /// @dev Two slots. Slot 0: owner + balance (what a transfer reads and writes).
    ///      Slot 1: root + parent ids (40 bits each), status, frozen flag, lock bank.
    struct Piece {
        address owner;
        uint96 balance;
        uint40 root;
        uint40 parent;
        Status status;
        bool frozen;
        address lockBank;
    }

    /// @dev Per root voucher. Slot 0: debtor + maturity. Slot 1: bank + face value.
    ///      Slot 2: settled amount (written only at settlement).
    struct SlotData {
        address debtor;
        uint64 maturity;
        address bank;
        uint96 faceValue;
        uint96 settled;
    }

    /// @notice The member registry every movement asks.
    IMemberRegistry public immutable registry;
    /// @notice The credit lines issuance consumes and rejection or settlement restores.
    ICreditLines public immutable creditLines;

    // Packs with Pausable's `_paused`: one storage read serves the pause check and the id counter.
    uint40 private _nextId = 1;
    uint64 private _gracePeriod;

    mapping(uint256 tokenId => Piece) private _pieces;
    mapping(uint256 rootId => SlotData) private _slots;
    mapping(bytes32 invoiceHash => uint256 rootId) private _invoiceRoot;

    /// @param registry_ the member registry
    /// @param creditLines_ the credit lines (call `setLedger` on it with this contract's address)
    /// @param admin the platform operator: gets DEFAULT_ADMIN_ROLE and OPERATOR_ROLE
    constructor(address registry_, address creditLines_, address admin) {
        if (registry_ == address(0) || creditLines_ == address(0) || admin == address(0)) {
            revert VoucherLedgerZeroAddress();
        }
        registry = IMemberRegistry(registry_);
        creditLines = ICreditLines(creditLines_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        _gracePeriod = DEFAULT_GRACE_PERIOD;
        emit GracePeriodSet(0, DEFAULT_GRACE_PERIOD);
    }

    // ================================================================== issuance

    /// @inheritdoc IVoucherLedger
    function issue(
        address bank,
        address supplier,
        uint256 faceValue,
        uint64 maturity,
        bytes32 tradeHash,
        bytes32[] calldata invoiceHashes
    ) external whenNotPaused returns (uint256 tokenId) {
        _requireMember(msg.sender, MemberRoles.CORE_ENTERPRISE);
        _requireMember(bank, MemberRoles.BANK);
        _requireMember(supplier, MemberRoles.SUPPLIER);
        if (faceValue == 0 || faceValue > type(uint96).max) revert VoucherLedgerInvalidFaceValue(faceValue);
        if (maturity <= block.timestamp) revert VoucherLedgerInvalidMaturity(maturity, block.timestamp);
        if (tradeHash == bytes32(0)) revert VoucherLedgerZeroHash();
        uint256 n = invoiceHashes.length;
        if (n == 0 || n > MAX_INVOICES) revert VoucherLedgerInvalidLength(n, MAX_INVOICES);

        tokenId = _newId();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 invoiceHash = invoiceHashes[i];
            if (invoiceHash == bytes32(0)) revert VoucherLedgerZeroHash();
            uint256 holder = _invoiceRoot[invoiceHash];
            // A rejected (cancelled) root releases its invoices: no loop needed to free them.
            if (holder != 0 && _pieces[holder].status != Status.CANCELLED) {
                revert VoucherLedgerInvoiceAlreadyUsed(invoiceHash, holder);
            }
            _invoiceRoot[invoiceHash] = tokenId;
        }
        _slots[tokenId] = SlotData({
            debtor: msg.sender,
            maturity: maturity,
            bank: bank,
            faceValue: uint96(faceValue),
            settled: 0
        });
        _pieces[tokenId] = Piece({
            owner: supplier,
            balance: uint96(faceValue),
            root: uint40(tokenId),
            parent: 0,
            status: Status.PENDING,
            frozen: false,
            lockBank: address(0)
        });
        emit Transfer(address(0), supplier, tokenId);
        emit VoucherIssued(tokenId, msg.sender, bank, supplier, faceValue, maturity, tradeHash, invoiceHashes);
        creditLines.consume(bank, msg.sender, faceValue);
    }

    /// @inheritdoc IVoucherLedger
    function accept(uint256 tokenId) external whenNotPaused {
        Piece storage p = _requireHolder(tokenId);
        Status status = p.status;
        if (status != Status.PENDING) revert VoucherLedgerInvalidStatus(tokenId, status);
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        _requireMember(msg.sender, MemberRoles.HOLDER);
        p.status = Status.ACTIVE;
        emit VoucherAccepted(tokenId, msg.sender);
    }

    /// @inheritdoc IVoucherLedger
    function reject(uint256 tokenId, bytes32 reasonHash) external whenNotPaused {
        Piece storage p = _requireHolder(tokenId);
        Status status = p.status;
        if (status != Status.PENDING) revert VoucherLedgerInvalidStatus(tokenId, status);
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        p.status = Status.CANCELLED;
        emit VoucherRejected(tokenId, msg.sender, reasonHash);
        SlotData storage s = _slots[tokenId];
        creditLines.restore(s.bank, s.debtor, s.faceValue);
    }

    // ================================================================== movement

    /// @inheritdoc IVoucherLedger
    function transferValue(uint256 fromTokenId, address to, uint256 value)
        external
        whenNotPaused
        returns (uint256 newTokenId)
    {
        _requireHolder(fromTokenId);
        return _update(fromTokenId, to, value, true);
    }

    /// @inheritdoc IVoucherLedger
    function split(uint256 tokenId, uint256[] calldata values)
        external
        whenNotPaused
        returns (uint256[] memory newTokenIds)
    {
        _requireHolder(tokenId);
        uint256 n = values.length;
        if (n == 0 || n > MAX_SPLIT) revert VoucherLedgerInvalidLength(n, MAX_SPLIT);
        newTokenIds = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            newTokenIds[i] = _update(tokenId, msg.sender, values[i], true);
        }
    }

    /// @inheritdoc IVoucherLedger
    function transferPiece(uint256 tokenId, address to) external whenNotPaused {
        Piece storage p = _requireHolder(tokenId);
        _update(tokenId, to, p.balance, false);
    }

    // ================================================================== financing

    /// @inheritdoc IVoucherLedger
    function lockForFinancing(uint256 tokenId, uint256 value, address bank)
        external
        whenNotPaused
        returns (uint256 lockedTokenId)
    {
        Piece storage p = _requireHolder(tokenId);
        _requireMember(bank, MemberRoles.BANK);
        if (value < p.balance) {
            lockedTokenId = _update(tokenId, msg.sender, value, true);
        } else {
            // The whole piece: nothing moves, but the same checks apply.
            _checkMovement(tokenId, p, msg.sender, value);
            lockedTokenId = tokenId;
        }
        Piece storage locked = _pieces[lockedTokenId];
        locked.status = Status.LOCKED;
        locked.lockBank = bank;
        emit FinancingLocked(lockedTokenId, msg.sender, bank, value);
    }

    /// @inheritdoc IVoucherLedger
    function approveFinancing(uint256 tokenId) external whenNotPaused {
        Piece storage p = _requireLockBank(tokenId);
        address holder = p.owner;
        p.status = Status.ACTIVE;
        p.lockBank = address(0);
        _update(tokenId, msg.sender, p.balance, false);
        emit FinancingApproved(tokenId, holder, msg.sender);
    }

    /// @inheritdoc IVoucherLedger
    function declineFinancing(uint256 tokenId, bytes32 reasonHash) external whenNotPaused {
        Piece storage p = _requireLockBank(tokenId);
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        p.status = Status.ACTIVE;
        p.lockBank = address(0);
        emit FinancingDeclined(tokenId, msg.sender, reasonHash);
    }

    /// @inheritdoc IVoucherLedger
    function withdrawFinancing(uint256 tokenId) external whenNotPaused {
        Piece storage p = _requireHolder(tokenId);
        Status status = p.status;
        if (status != Status.LOCKED) revert VoucherLedgerInvalidStatus(tokenId, status);
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        p.status = Status.ACTIVE;
        p.lockBank = address(0);
        emit FinancingWithdrawn(tokenId, msg.sender);
    }

    // ================================================================== settlement

    /// @inheritdoc IVoucherLedger
    function settle(uint256[] calldata tokenIds, bytes32 paymentRef) external whenNotPaused {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_BATCH) revert VoucherLedgerInvalidLength(n, MAX_BATCH);
        bool operator = hasRole(OPERATOR_ROLE, msg.sender);
        // Consecutive pieces of one slot form a run: one settled-amount write and one credit
        // restore per run. Restores (the only external calls) happen after every state change.
        uint256[] memory runRoots = new uint256[](n);
        uint256[] memory runAmounts = new uint256[](n);
        uint256 runs = 0;
        uint256 root = 0;
        uint256 amount = 0;
        for (uint256 i = 0; i < n; ++i) {
            (uint256 pieceRoot, uint256 value) = _settleOne(tokenIds[i], operator, paymentRef);
            if (pieceRoot != root) {
                if (root != 0) {
                    _slots[root].settled += uint96(amount);
                    runRoots[runs] = root;
                    runAmounts[runs] = amount;
                    ++runs;
                }
                root = pieceRoot;
                amount = 0;
            }
            amount += value;
        }
        _slots[root].settled += uint96(amount);
        runRoots[runs] = root;
        runAmounts[runs] = amount;
        ++runs;
        for (uint256 r = 0; r < runs; ++r) {
            if (runAmounts[r] != 0) {
                SlotData storage s = _slots[runRoots[r]];
                creditLines.restore(s.bank, s.debtor, runAmounts[r]);
            }
        }
    }

    /// @dev Checks and settles one piece; returns its slot and value. No external call.
    function _settleOne(uint256 tokenId, bool operator, bytes32 paymentRef)
        private
        returns (uint256 root, uint256 value)
    {
        Piece storage p = _pieces[tokenId];
        Status status = p.status;
        if (status == Status.NONE) revert VoucherLedgerPieceNotFound(tokenId);
        root = p.root;
        SlotData storage s = _slots[root];
        if (!operator && msg.sender != s.debtor) revert VoucherLedgerUnauthorized(msg.sender);
        if (status != Status.ACTIVE && status != Status.OVERDUE) revert VoucherLedgerInvalidStatus(tokenId, status);
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        uint64 maturity = s.maturity;
        if (block.timestamp < maturity) revert VoucherLedgerNotMatured(tokenId, maturity);
        p.status = Status.SETTLED;
        value = p.balance;
        emit PieceSettled(tokenId, root, p.owner, value, paymentRef);
    }

    /// @inheritdoc IVoucherLedger
    function markOverdue(uint256[] calldata tokenIds) external whenNotPaused {
        uint256 n = tokenIds.length;
        if (n == 0 || n > MAX_BATCH) revert VoucherLedgerInvalidLength(n, MAX_BATCH);
        bool operator = hasRole(OPERATOR_ROLE, msg.sender);
        uint256 grace = _gracePeriod;
        for (uint256 i = 0; i < n; ++i) {
            uint256 tokenId = tokenIds[i];
            Piece storage p = _pieces[tokenId];
            Status status = p.status;
            if (status == Status.NONE) revert VoucherLedgerPieceNotFound(tokenId);
            address holder = p.owner;
            if (!operator && msg.sender != holder) revert VoucherLedgerUnauthorized(msg.sender);
            if (status != Status.ACTIVE) revert VoucherLedgerInvalidStatus(tokenId, status);
            uint256 root = p.root;
            uint256 overdueAt = uint256(_slots[root].maturity) + grace;
            if (block.timestamp < overdueAt) revert VoucherLedgerGracePeriodNotOver(tokenId, overdueAt);
            p.status = Status.OVERDUE;
            emit PieceMarkedOverdue(tokenId, root, holder);
        }
    }

    // ================================================================== supervision

    /// @inheritdoc IVoucherLedger
    function freeze(uint256 tokenId, bytes32 reasonHash) external {
        _requireMember(msg.sender, MemberRoles.REGULATOR);
        Piece storage p = _requireExists(tokenId);
        Status status = p.status;
        if (status == Status.SETTLED || status == Status.CANCELLED) {
            revert VoucherLedgerInvalidStatus(tokenId, status);
        }
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        p.frozen = true;
        emit PieceFrozen(tokenId, msg.sender, reasonHash);
    }

    /// @inheritdoc IVoucherLedger
    function unfreeze(uint256 tokenId) external {
        _requireMember(msg.sender, MemberRoles.REGULATOR);
        Piece storage p = _requireExists(tokenId);
        if (!p.frozen) revert VoucherLedgerPieceNotFrozen(tokenId);
        p.frozen = false;
        emit PieceUnfrozen(tokenId, msg.sender);
    }

    /// @inheritdoc IVoucherLedger
    function anchorDocument(uint256 tokenId, bytes32 docHash, uint8 kind) external {
        Piece storage p = _requireExists(tokenId);
        if (docHash == bytes32(0)) revert VoucherLedgerZeroHash();
        SlotData storage s = _slots[p.root];
        if (
            msg.sender != p.owner && msg.sender != s.debtor && msg.sender != s.bank && msg.sender != p.lockBank
                && !hasRole(OPERATOR_ROLE, msg.sender)
        ) revert VoucherLedgerUnauthorized(msg.sender);
        emit DocumentAnchored(tokenId, docHash, msg.sender, kind);
    }

    /// @inheritdoc IVoucherLedger
    function setGracePeriod(uint64 newGracePeriod) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newGracePeriod > MAX_GRACE_PERIOD) {
            revert VoucherLedgerInvalidGracePeriod(newGracePeriod, MAX_GRACE_PERIOD);
        }
        uint64 previous = _gracePeriod;
        _gracePeriod = newGracePeriod;
        emit GracePeriodSet(previous, newGracePeriod);
    }

    /// @inheritdoc IVoucherLedger
    function pause() external onlyRole(OPERATOR_ROLE) {
        _pause();
    }

    /// @inheritdoc IVoucherLedger
    function unpause() external onlyRole(OPERATOR_ROLE) {
        _unpause();
    }

    // ================================================================== views

    /// @inheritdoc IVoucherLedger
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
        )
    {
        Piece storage p = _pieces[tokenId];
        return (p.owner, p.root, p.parent, p.balance, p.status, p.lockBank, p.frozen);
    }

    /// @inheritdoc IVoucherLedger
    function slotInfo(uint256 rootId)
        external
        view
        returns (address debtor, address bank, uint64 maturity, uint256 faceValue, uint256 settledAmount)
    {
        SlotData storage s = _slots[rootId];
        return (s.debtor, s.bank, s.maturity, s.faceValue, s.settled);
    }

    /// @inheritdoc IVoucherLedger
    function balanceOf(uint256 tokenId) external view returns (uint256) {
        return _requireExists(tokenId).balance;
    }

    /// @inheritdoc IVoucherLedger
    function ownerOf(uint256 tokenId) external view returns (address) {
        return _requireExists(tokenId).owner;
    }

    /// @inheritdoc IVoucherLedger
    function slotOf(uint256 tokenId) external view returns (uint256) {
        return _requireExists(tokenId).root;
    }

    /// @inheritdoc IVoucherLedger
    function nextTokenId() external view returns (uint256) {
        return _nextId;
    }

    /// @inheritdoc IVoucherLedger
    function invoiceHolder(bytes32 invoiceHash) external view returns (uint256 tokenId) {
        tokenId = _invoiceRoot[invoiceHash];
        if (tokenId != 0 && _pieces[tokenId].status == Status.CANCELLED) return 0;
    }

    /// @inheritdoc IVoucherLedger
    function gracePeriod() external view returns (uint64) {
        return _gracePeriod;
    }

    // ================================================================== internals

    /// @dev The single path every movement of value takes. Runs the compliance checks once,
    ///      then either derives a new piece of `value` for `to` (parent `tokenId`) or, when
    ///      `derive` is false, hands the whole piece to `to` (`value` is then its balance).
    function _update(uint256 tokenId, address to, uint256 value, bool derive) private returns (uint256 toTokenId) {
        _requireNotPaused();
        Piece storage p = _pieces[tokenId];
        (address from, uint96 balance, uint40 root) = _checkMovement(tokenId, p, to, value);
        if (derive) {
            toTokenId = _newId();
            // value <= balance < 2^96, checked above.
            p.balance = balance - uint96(value);
            _pieces[toTokenId] = Piece({
                owner: to,
                balance: uint96(value),
                root: root,
                parent: uint40(tokenId),
                status: Status.ACTIVE,
                frozen: false,
                lockBank: address(0)
            });
            emit PieceDerived(toTokenId, tokenId, to, root);
            emit TransferValue(tokenId, toTokenId, value);
        } else {
            p.owner = to;
            toTokenId = tokenId;
            emit Transfer(from, to, tokenId);
        }
    }

    /// @dev The compliance hook: piece ACTIVE (not locked), not frozen, before maturity,
    ///      0 < value <= balance, holder and receiver active SUPPLIER or BANK members.
    function _checkMovement(uint256 tokenId, Piece storage p, address to, uint256 value)
        private
        view
        returns (address from, uint96 balance, uint40 root)
    {
        Status status = p.status;
        if (status != Status.ACTIVE) {
            if (status == Status.LOCKED) revert VoucherLedgerPieceLocked(tokenId, p.lockBank);
            revert VoucherLedgerInvalidStatus(tokenId, status);
        }
        if (p.frozen) revert VoucherLedgerPieceFrozen(tokenId);
        root = p.root;
        uint64 maturity = _slots[root].maturity;
        if (block.timestamp >= maturity) revert VoucherLedgerMatured(tokenId, maturity);
        balance = p.balance;
        if (value == 0) revert VoucherLedgerZeroValue(tokenId);
        if (value > balance) revert VoucherLedgerInsufficientBalance(tokenId, balance, value);
        from = p.owner;
        _requireMember(from, MemberRoles.HOLDER);
        if (to != from) _requireMember(to, MemberRoles.HOLDER);
    }

    function _newId() private returns (uint256 id) {
        uint40 current = _nextId;
        _nextId = current + 1; // checked: reverts rather than wrap after 2^40 - 1 pieces
        id = current;
    }

    function _requireMember(address account, uint8 role) private view {
        if (!registry.isMember(account, role)) revert VoucherLedgerNotMember(account, role);
    }

    function _requireExists(uint256 tokenId) private view returns (Piece storage p) {
        p = _pieces[tokenId];
        if (p.status == Status.NONE) revert VoucherLedgerPieceNotFound(tokenId);
    }

    function _requireHolder(uint256 tokenId) private view returns (Piece storage p) {
        p = _requireExists(tokenId);
        if (p.owner != msg.sender) revert VoucherLedgerNotHolder(tokenId, msg.sender, p.owner);
    }

    function _requireLockBank(uint256 tokenId) private view returns (Piece storage p) {
        p = _requireExists(tokenId);
        Status status = p.status;
        if (status != Status.LOCKED) revert VoucherLedgerInvalidStatus(tokenId, status);
        if (p.lockBank != msg.sender) revert VoucherLedgerNotLockBank(tokenId, msg.sender, p.lockBank);
    }
}
