// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IMemberRegistry
/// @notice The identity registry every movement of voucher value asks: who is a member, with
///         which roles, until when their KYC holds, and whether they are suspended.
/// @dev Roles are a bitmask (see MemberRoles): CORE_ENTERPRISE=1, SUPPLIER=2, BANK=4,
///      REGULATOR=8, OPERATOR=16. No personal data: `ref` is an opaque hash of the off-chain
///      KYC file.
interface IMemberRegistry {
    /// @notice A zero address was given where an account is required.
    error MemberRegistryZeroAddress();
    /// @notice `roles` is zero or has bits outside the defined ones.
    error MemberRegistryInvalidRoles(uint8 roles);
    /// @notice `kycExpiry` is not in the future (`nowTimestamp` is the block time).
    error MemberRegistryInvalidKycExpiry(uint64 kycExpiry, uint256 nowTimestamp);
    /// @notice `account` is already registered.
    error MemberRegistryAlreadyRegistered(address account);
    /// @notice `account` is not registered.
    error MemberRegistryNotRegistered(address account);
    /// @notice `account` is already suspended.
    error MemberRegistryAlreadySuspended(address account);
    /// @notice `account` is not suspended.
    error MemberRegistryNotSuspended(address account);

    /// @notice `member` was registered with `roles`, KYC valid until `kycExpiry`, reference `ref`.
    event MemberRegistered(address indexed member, uint8 roles, uint64 kycExpiry, bytes32 ref);
    /// @notice `member`'s roles, KYC expiry or reference were replaced.
    event MemberUpdated(address indexed member, uint8 roles, uint64 kycExpiry, bytes32 ref);
    /// @notice `member` was suspended for the reason whose hash is `reasonHash`.
    event MemberSuspended(address indexed member, bytes32 reasonHash);
    /// @notice `member` was reinstated after a suspension.
    event MemberReinstated(address indexed member);

    /// @notice Registers `account` as a member.
    /// @dev Operator only. Requires a non-zero, unregistered account, roles within the defined
    ///      bits and non-zero, and a KYC expiry in the future. Emits {MemberRegistered}.
    /// @param account the member's chain address
    /// @param roles the role bitmask
    /// @param kycExpiry unix time until which the KYC review holds
    /// @param ref opaque reference (hash) of the off-chain member file
    function registerMember(address account, uint8 roles, uint64 kycExpiry, bytes32 ref) external;

    /// @notice Replaces a registered member's roles, KYC expiry and reference.
    /// @dev Operator only. Same requirements as {registerMember}, but `account` must be
    ///      registered. The suspension flag is unchanged. Emits {MemberUpdated}.
    function updateMember(address account, uint8 roles, uint64 kycExpiry, bytes32 ref) external;

    /// @notice Suspends a registered member: it stops counting as a member for every role.
    /// @dev Operator only. Requires a registered, unsuspended account. Emits {MemberSuspended}.
    function suspendMember(address account, bytes32 reasonHash) external;

    /// @notice Lifts a member's suspension.
    /// @dev Operator only. Requires a suspended account. Emits {MemberReinstated}.
    function reinstateMember(address account) external;

    /// @notice Whether `account` is an active member holding at least one of the bits of `role`.
    /// @dev Active: registered, not suspended and `kycExpiry > block.timestamp`. `role == 0`
    ///      always answers false.
    function isMember(address account, uint8 role) external view returns (bool);

    /// @notice Everything the registry stores about `account` (zeros if unknown).
    function memberOf(address account)
        external
        view
        returns (bool registered, uint8 roles, uint64 kycExpiry, bool suspended, bytes32 ref);
}
