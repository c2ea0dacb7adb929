"""scf.chain is the only reader and writer of contracts: no module outside it builds a web3
connection, holds a contract object or speaks JSON-RPC itself (tests may, to check the chain
independently)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("receivables", "banking", "scf")
PORT = ROOT / "scf" / "chain"
# What only the port may touch: web3 itself, the connection, contract objects, raw JSON-RPC.
FORBIDDEN_MODULES = ("web3", "eth_abi", "eth_account", "eth_utils")
FORBIDDEN_NAMES = {"get_web3", "platform_contract", "rpc_call", "call_node", "call_batch"}
FORBIDDEN_ATTRIBUTES = {"functions", "eth"}


def violations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""])
            for module in modules:
                if module.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"line {node.lineno}: imports {module}")
            if isinstance(node, ast.ImportFrom):
                found += [f"line {node.lineno}: imports {alias.name}" for alias in node.names
                          if alias.name in FORBIDDEN_NAMES]
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: uses {node.id}")
        elif isinstance(node, ast.Attribute) and (node.attr in FORBIDDEN_ATTRIBUTES
                                                  or node.attr in FORBIDDEN_NAMES):
            found.append(f"line {node.lineno}: uses .{node.attr}")
    return found


def outside_the_port() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if PORT in path.parents or "migrations" in path.parts:
                continue
            files.append(path)
    return files


def test_the_scanner_sees_each_way_around_the_port():
    assert violations("from scf.chain.client import get_web3\nget_web3().eth.block_number")
    assert violations("from scf.chain.contracts import platform_contract")
    assert violations("import scf.chain.contracts as c\nc.platform_contract('X')")
    assert violations("from web3 import Web3")
    assert violations("ledger.functions.pieceOf(1).call()")
    assert violations("from scf.chain.node import rpc_call")
    assert not violations("from scf.chain.readers import piece_of\npiece_of(1)")


def test_no_module_outside_scf_chain_reaches_the_chain_itself():
    files = outside_the_port()
    assert any(path.name == "demo.py" for path in files)  # the demo command is scanned too
    offences = {str(path.relative_to(ROOT)): found for path in files
                if (found := violations(path.read_text()))}
    assert offences == {}
