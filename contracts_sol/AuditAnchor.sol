// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title AuditAnchor
/// @notice Anchors the head hash of the platform's audit log (a hash chain kept in the
///         database) on the ledger, so that nobody with database access can rewrite history:
///         a rewritten log no longer reaches the heads anchored here. Anchors only grow: a
///         sequence number is anchored once and every new anchor lies beyond the last one.
/// @dev No personal data: a sequence number and a 32-byte hash per anchor.
contract AuditAnchor is AccessControl {
    /// @notice Role of the account that anchors (the platform operator's).
    bytes32 public constant ANCHOR_ROLE = keccak256("ANCHOR_ROLE");

    /// @notice The head hash was zero.
    error AuditAnchorZeroHash();
    /// @notice `sequence` is not beyond the last anchored sequence `lastSequence`.
    error AuditAnchorNotAfter(uint64 sequence, uint64 lastSequence);
    /// @notice The constructor's admin was the zero address.
    error AuditAnchorZeroAddress();

    /// @notice `by` anchored the audit log's head `headHash` at entry `sequence`.
    event AuditHeadAnchored(uint64 indexed sequence, bytes32 indexed headHash, address indexed by);

    uint64 private _lastSequence;
    mapping(uint64 sequence => bytes32 headHash) private _heads;

    /// @param admin gets DEFAULT_ADMIN_ROLE and ANCHOR_ROLE
    constructor(address admin) {
        if (admin == address(0)) revert AuditAnchorZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHOR_ROLE, admin);
    }

    /// @notice Anchor the audit log's head hash after entry `sequence`.
    /// @dev Requires ANCHOR_ROLE, a non-zero hash and `sequence` beyond the last anchor.
    ///      Emits {AuditHeadAnchored}.
    function anchor(uint64 sequence, bytes32 headHash) external onlyRole(ANCHOR_ROLE) {
        if (headHash == bytes32(0)) revert AuditAnchorZeroHash();
        uint64 last = _lastSequence;
        if (sequence <= last) revert AuditAnchorNotAfter(sequence, last);
        _lastSequence = sequence;
        _heads[sequence] = headHash;
        emit AuditHeadAnchored(sequence, headHash, msg.sender);
    }

    /// @notice The head hash anchored at `sequence`, zero if none.
    function headAt(uint64 sequence) external view returns (bytes32) {
        return _heads[sequence];
    }

    /// @notice The last anchored sequence (0 before the first anchor).
    function lastSequence() external view returns (uint64) {
        return _lastSequence;
    }
}
