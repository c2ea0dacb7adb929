"""The audit log's anchors as the chain has them (AuditAnchor's views): the audit app asks here,
since only scf.chain talks to the node."""

from dataclasses import dataclass

from scf.chain.client import call_node
from scf.chain.contracts import platform_contract

CONTRACT = "AuditAnchor"


@dataclass(frozen=True)
class ChainAuditAnchor:
    sequence: int
    head_hash: str  # 64 hex digits, no 0x: as AuditEntry.entry_hash


def last_audit_anchor() -> ChainAuditAnchor | None:
    """The newest anchored head, None before the first anchor. By the hash chain, an intact log
    that reaches this head proves every entry up to its sequence."""
    functions = platform_contract(CONTRACT).functions
    sequence = int(call_node(functions.lastSequence().call))
    if sequence == 0:
        return None
    head = call_node(functions.headAt(sequence).call)
    return ChainAuditAnchor(sequence=sequence, head_hash=bytes(head).hex())
