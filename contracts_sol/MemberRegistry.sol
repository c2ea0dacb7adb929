// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IMemberRegistry} from "./interfaces/IMemberRegistry.sol";
import {MemberRoles} from "./lib/MemberRoles.sol";

/// @title MemberRegistry
/// @notice The platform operator's list of KYC-approved members and their roles. The voucher
///         ledger and the credit lines ask {isMember} before every movement and issuance.
contract MemberRegistry is IMemberRegistry, AccessControl {
    /// @notice Role allowed to register, update, suspend and reinstate members.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Role bit of a core enterprise (1).
    uint8 public constant CORE_ENTERPRISE = MemberRoles.CORE_ENTERPRISE;
    /// @notice Role bit of a supplier (2).
    uint8 public constant SUPPLIER = MemberRoles.SUPPLIER;
    /// @notice Role bit of a bank or factor (4).
    uint8 public constant BANK = MemberRoles.BANK;
    /// @notice Role bit of a regulator (8).
    uint8 public constant REGULATOR = MemberRoles.REGULATOR;
    /// @notice Role bit of the platform operator as a member (16).
    uint8 public constant OPERATOR = MemberRoles.OPERATOR;

    /// @dev One slot for everything {isMember} reads, a second for the reference.
    struct Member {
        bool registered;
        bool suspended;
        uint8 roles;
        uint64 kycExpiry;
        bytes32 ref;
    }

    mapping(address account => Member) private _members;

    /// @param admin the platform operator: gets DEFAULT_ADMIN_ROLE and OPERATOR_ROLE
    constructor(address admin) {
        if (admin == address(0)) revert MemberRegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
    }

    /// @inheritdoc IMemberRegistry
    function registerMember(address account, uint8 roles, uint64 kycExpiry, bytes32 ref)
        external
        onlyRole(OPERATOR_ROLE)
    {
        if (account == address(0)) revert MemberRegistryZeroAddress();
        Member storage m = _members[account];
        if (m.registered) revert MemberRegistryAlreadyRegistered(account);
        _checkTerms(roles, kycExpiry);
        m.registered = true;
        m.roles = roles;
        m.kycExpiry = kycExpiry;
        m.ref = ref;
        emit MemberRegistered(account, roles, kycExpiry, ref);
    }

    /// @inheritdoc IMemberRegistry
    function updateMember(address account, uint8 roles, uint64 kycExpiry, bytes32 ref)
        external
        onlyRole(OPERATOR_ROLE)
    {
        Member storage m = _registered(account);
        _checkTerms(roles, kycExpiry);
        m.roles = roles;
        m.kycExpiry = kycExpiry;
        m.ref = ref;
        emit MemberUpdated(account, roles, kycExpiry, ref);
    }

    /// @inheritdoc IMemberRegistry
    function suspendMember(address account, bytes32 reasonHash) external onlyRole(OPERATOR_ROLE) {
        Member storage m = _registered(account);
        if (m.suspended) revert MemberRegistryAlreadySuspended(account);
        m.suspended = true;
        emit MemberSuspended(account, reasonHash);
    }

    /// @inheritdoc IMemberRegistry
    function reinstateMember(address account) external onlyRole(OPERATOR_ROLE) {
        Member storage m = _registered(account);
        if (!m.suspended) revert MemberRegistryNotSuspended(account);
        m.suspended = false;
        emit MemberReinstated(account);
    }

    /// @inheritdoc IMemberRegistry
    function isMember(address account, uint8 role) external view returns (bool) {
        Member storage m = _members[account];
        return m.registered && !m.suspended && (m.roles & role) != 0 && m.kycExpiry > block.timestamp;
    }

    /// @inheritdoc IMemberRegistry
    function memberOf(address account)
        external
        view
        returns (bool registered, uint8 roles, uint64 kycExpiry, bool suspended, bytes32 ref)
    {
        Member storage m = _members[account];
        return (m.registered, m.roles, m.kycExpiry, m.suspended, m.ref);
    }

    function _registered(address account) private view returns (Member storage m) {
        m = _members[account];
        if (!m.registered) revert MemberRegistryNotRegistered(account);
    }

    function _checkTerms(uint8 roles, uint64 kycExpiry) private view {
        if (roles == 0 || roles & ~MemberRoles.ALL != 0) revert MemberRegistryInvalidRoles(roles);
        if (kycExpiry <= block.timestamp) revert MemberRegistryInvalidKycExpiry(kycExpiry, block.timestamp);
    }
}
