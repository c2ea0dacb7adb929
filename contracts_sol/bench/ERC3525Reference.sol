// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC3525} from "@solvprotocol/erc-3525/ERC3525.sol";

/// @title ERC3525Reference
/// @notice Benchmark only (scripts/bench_gas.py): the ERC-3525 reference implementation
///         (npm package solvprotocol/erc-3525 1.5.0) with a public mint, to compare gas.
///         Not part of the platform; compile_contracts() skips contracts_sol/bench/.
contract ERC3525Reference is ERC3525 {
    constructor() ERC3525("ERC3525 Reference", "REF", 0) {}

    /// @notice Mints a new token of `slot` with `value` to `to`.
    /// @return tokenId the new token
    function mint(address to, uint256 slot, uint256 value) external returns (uint256 tokenId) {
        return _mint(to, slot, value);
    }
}
