// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title MemberRoles
/// @notice Bits of the member role mask kept by the MemberRegistry. A member may hold several.
library MemberRoles {
    /// @notice A core enterprise (核心企业): the debtor of the vouchers it issues.
    uint8 internal constant CORE_ENTERPRISE = 1;
    /// @notice A supplier of any tier (供应商): may hold vouchers.
    uint8 internal constant SUPPLIER = 2;
    /// @notice A bank or factor (银行/保理): grants credit lines, finances and may hold vouchers.
    uint8 internal constant BANK = 4;
    /// @notice A regulator or auditor (监管): may freeze and unfreeze pieces.
    uint8 internal constant REGULATOR = 8;
    /// @notice The platform operator (平台运营方), as a member.
    uint8 internal constant OPERATOR = 16;
    /// @notice Every defined bit.
    uint8 internal constant ALL = 31;
    /// @notice The roles that may hold (send or receive) voucher value.
    uint8 internal constant HOLDER = SUPPLIER | BANK;
}
