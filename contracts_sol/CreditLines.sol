// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ICreditLines} from "./interfaces/ICreditLines.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {MemberRoles} from "./lib/MemberRoles.sol";

/// @title CreditLines
/// @notice Credit limits (授信) banks grant to core enterprises. The voucher ledger consumes a
///         line when a voucher is issued and restores it when a voucher is rejected or settled,
///         so `used` is always the outstanding face value issued against the line and never
///         exceeds `limit`.
contract CreditLines is ICreditLines, AccessControl {
    /// @notice Role of the platform operator (granted to the admin; reserved for operations).
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Largest limit a line can hold (amounts are 96-bit fen).
    uint256 public constant MAX_LIMIT = type(uint96).max;

    /// @dev One slot: everything {consume} reads and writes.
    struct Line {
        uint96 limit;
        uint96 used;
        uint48 expiry;
        bool frozen;
    }

    /// @notice The member registry asked about banks and debtors.
    IMemberRegistry public immutable registry;

    address private _ledger;
    mapping(address bank => mapping(address debtor => Line)) private _lines;

    /// @param registry_ the member registry
    /// @param admin the platform operator: gets DEFAULT_ADMIN_ROLE and OPERATOR_ROLE
    constructor(address registry_, address admin) {
        if (registry_ == address(0) || admin == address(0)) revert CreditLinesZeroAddress();
        registry = IMemberRegistry(registry_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
    }

    /// @inheritdoc ICreditLines
    function setLedger(address ledgerAddress) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (ledgerAddress == address(0)) revert CreditLinesZeroAddress();
        if (_ledger != address(0)) revert CreditLinesLedgerAlreadySet(_ledger);
        _ledger = ledgerAddress;
        emit LedgerSet(ledgerAddress);
    }

    /// @inheritdoc ICreditLines
    function setLine(address debtor, uint256 limit, uint64 expiry) external {
        if (!registry.isMember(msg.sender, MemberRoles.BANK)) {
            revert CreditLinesNotMember(msg.sender, MemberRoles.BANK);
        }
        if (!registry.isMember(debtor, MemberRoles.CORE_ENTERPRISE)) {
            revert CreditLinesNotMember(debtor, MemberRoles.CORE_ENTERPRISE);
        }
        if (limit > MAX_LIMIT) revert CreditLinesLimitTooLarge(limit, MAX_LIMIT);
        if (expiry <= block.timestamp || expiry > type(uint48).max) {
            revert CreditLinesInvalidExpiry(expiry, block.timestamp);
        }
        Line storage line = _lines[msg.sender][debtor];
        if (limit < line.used) revert CreditLinesLimitBelowUsed(msg.sender, debtor, limit, line.used);
        line.limit = uint96(limit);
        line.expiry = uint48(expiry);
        emit CreditLineSet(msg.sender, debtor, limit, expiry);
    }

    /// @inheritdoc ICreditLines
    function freezeLine(address debtor) external {
        Line storage line = _existing(msg.sender, debtor);
        if (line.frozen) revert CreditLinesLineFrozen(msg.sender, debtor);
        line.frozen = true;
        emit CreditLineFrozen(msg.sender, debtor);
    }

    /// @inheritdoc ICreditLines
    function unfreezeLine(address debtor) external {
        Line storage line = _existing(msg.sender, debtor);
        if (!line.frozen) revert CreditLinesLineNotFrozen(msg.sender, debtor);
        line.frozen = false;
        emit CreditLineUnfrozen(msg.sender, debtor);
    }

    /// @inheritdoc ICreditLines
    function consume(address bank, address debtor, uint256 amount) external {
        _onlyLedger();
        Line memory line = _lines[bank][debtor];
        if (line.expiry == 0) revert CreditLinesLineNotFound(bank, debtor);
        if (line.frozen) revert CreditLinesLineFrozen(bank, debtor);
        if (line.expiry <= block.timestamp) {
            revert CreditLinesLineExpired(bank, debtor, line.expiry, block.timestamp);
        }
        uint256 available = uint256(line.limit) - line.used;
        if (amount > available) revert CreditLinesInsufficientCredit(bank, debtor, available, amount);
        // amount <= limit - used, so the sum fits 96 bits.
        uint96 used = line.used + uint96(amount);
        _lines[bank][debtor].used = used;
        emit CreditConsumed(bank, debtor, amount, used);
    }

    /// @inheritdoc ICreditLines
    function restore(address bank, address debtor, uint256 amount) external {
        _onlyLedger();
        Line storage line = _lines[bank][debtor];
        uint96 used = line.used;
        if (amount > used) revert CreditLinesRestoreExceedsUsed(bank, debtor, used, amount);
        used -= uint96(amount);
        line.used = used;
        emit CreditRestored(bank, debtor, amount, used);
    }

    /// @inheritdoc ICreditLines
    function lineOf(address bank, address debtor)
        external
        view
        returns (uint256 limit, uint256 used, uint64 expiry, bool frozen)
    {
        Line memory line = _lines[bank][debtor];
        return (line.limit, line.used, line.expiry, line.frozen);
    }

    /// @inheritdoc ICreditLines
    function availableOf(address bank, address debtor) external view returns (uint256) {
        Line memory line = _lines[bank][debtor];
        if (line.frozen || line.expiry <= block.timestamp) return 0;
        return uint256(line.limit) - line.used;
    }

    /// @inheritdoc ICreditLines
    function ledger() external view returns (address) {
        return _ledger;
    }

    function _onlyLedger() private view {
        if (msg.sender != _ledger) revert CreditLinesUnauthorizedLedger(msg.sender);
    }

    function _existing(address bank, address debtor) private view returns (Line storage line) {
        line = _lines[bank][debtor];
        if (line.expiry == 0) revert CreditLinesLineNotFound(bank, debtor);
    }
}
