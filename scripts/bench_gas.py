#!/usr/bin/env python
"""Gas benchmark: scf's VoucherLedger against the ERC-3525 reference implementation.

Compiles our contracts (compile_contracts()) and the reference (contracts_sol/bench/, through the
same compiler shim and settings), starts a throw-away anvil, deploys both, performs equivalent
operations and prints gas side by side with the ratio ours/reference. Gas is each transaction's
gasUsed (so both sides include the 21,000 base and their calldata).

    .venv/bin/python scripts/bench_gas.py [--markdown]

Exits 1 if a target is missed: split-transfer <= 0.70x the reference's
transferFrom(tokenId, to, value); issue with one invoice <= 1.00x the reference's mint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scf.settings")
os.environ.setdefault("SCF_DEBUG", "true")  # a throw-away anvil on the development keys

import django  # noqa: E402

django.setup()

from eth_utils import keccak, to_checksum_address  # noqa: E402
from web3 import Web3  # noqa: E402

from scf.chain.compiler import compile_contracts, compile_sources  # noqa: E402
from scf.chain.node import AnvilNode  # noqa: E402

DAY = 86_400
CORE_ENTERPRISE, SUPPLIER, BANK = 1, 2, 4
TARGETS = {"issue": 1.00, "transferValue": 0.70}


class Bench:
    def __init__(self, w3: Web3):
        self.w3 = w3
        self.admin = w3.eth.accounts[0]

    def account(self, label: str) -> str:
        """An impersonated address (gas price is zero, so it needs no ether)."""
        address = to_checksum_address(keccak(text=f"bench-{label}")[-20:])
        self.w3.provider.make_request("anvil_impersonateAccount", [address])
        return address

    def send(self, fn, sender: str) -> dict:
        tx_hash = fn.transact({"from": sender, "gasPrice": 0})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.001)
        if receipt["status"] != 1:
            raise RuntimeError(f"benchmark transaction reverted: {fn.fn_name}")
        return receipt

    def gas(self, fn, sender: str) -> int:
        return self.send(fn, sender)["gasUsed"]

    def deploy(self, artifact: dict, *args):
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self.send(factory.constructor(*args), self.admin)
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])

    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def travel(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])
        self.w3.provider.make_request("evm_mine", [])


def measure_ours(b: Bench, artifacts: dict) -> dict[str, int | float]:
    admin = b.admin
    registry = b.deploy(artifacts["MemberRegistry"], admin)
    credit = b.deploy(artifacts["CreditLines"], registry.address, admin)
    ledger = b.deploy(artifacts["VoucherLedger"], registry.address, credit.address, admin)
    b.send(credit.functions.setLedger(ledger.address), admin)
    core, bank = b.account("core"), b.account("bank")
    suppliers = [b.account(f"supplier-{i}") for i in range(12)]
    far = b.now() + 3650 * DAY
    reg = registry.functions
    b.send(reg.registerMember(core, CORE_ENTERPRISE, far, keccak(text="kyc-core")), admin)
    b.send(reg.registerMember(bank, BANK, far, keccak(text="kyc-bank")), admin)
    for i, s in enumerate(suppliers):
        b.send(reg.registerMember(s, SUPPLIER, far, keccak(text=f"kyc-{i}")), admin)
    b.send(credit.functions.setLine(core, 10**15, far), bank)
    fn = ledger.functions
    serial = iter(range(10**6))

    def issue(supplier: str, face: int, days: int = 90) -> tuple[int, int]:
        n = next(serial)
        token_id = fn.nextTokenId().call()
        gas = b.gas(fn.issue(bank, supplier, face, b.now() + days * DAY,
                             keccak(text=f"trade-{n}"), [keccak(text=f"invoice-{n}")]), core)
        b.send(fn.accept(token_id), supplier)
        return token_id, gas

    results: dict[str, int | float] = {}
    _, results["issue_first"] = issue(suppliers[0], 1_000_000)  # the line's used goes 0 -> x
    issues = [issue(suppliers[i], 1_000_000) for i in range(1, 6)]
    results["issue"] = int(statistics.median(g for _, g in issues))
    root = issues[0][0]
    # split-transfer to holders that hold nothing yet
    transfers = [b.gas(fn.transferValue(root, s, 1_000), suppliers[1]) for s in suppliers[6:11]]
    results["transferValue"] = int(statistics.median(transfers))
    # whole-piece transfer of a derived piece to another holder
    piece = fn.nextTokenId().call() - 1  # the last derived piece, held by suppliers[10]
    results["transferPiece"] = b.gas(fn.transferPiece(piece, suppliers[11]), suppliers[10])
    # split into 20 pieces: per piece
    results["split_per_piece"] = b.gas(fn.split(issues[1][0], [10] * 20), suppliers[2]) / 20
    # financing: split-then-lock, then approval
    lock_receipt = b.send(fn.lockForFinancing(issues[2][0], 5_000, bank), suppliers[3])
    locked = fn.nextTokenId().call() - 1
    results["lockForFinancing"] = lock_receipt["gasUsed"]
    results["approveFinancing"] = b.gas(fn.approveFinancing(locked), bank)

    # settlement: a batch of 1, and a batch of 50 pieces of one slot
    one, _ = issue(suppliers[4], 100_000, days=10)
    fifty, _ = issue(suppliers[5], 100_000, days=10)
    for _ in range(2):
        b.send(fn.split(fifty, [100] * 20), suppliers[5])
    b.send(fn.split(fifty, [100] * 9), suppliers[5])
    b.travel(11 * DAY)
    results["settle_1"] = b.gas(fn.settle([one], keccak(text="pay-1")), core)
    ids = [fifty, *range(fifty + 1, fifty + 50)]
    results["settle_50_per_piece"] = b.gas(fn.settle(ids, keccak(text="pay-50")), core) / 50
    return results


def measure_reference(b: Bench, artifact: dict) -> dict[str, int]:
    ref = b.deploy(artifact)
    fn = ref.functions
    owner = b.account("ref-owner")
    results: dict[str, int] = {}
    mints = []
    for i in range(6):
        holder = b.account(f"ref-holder-{i}")
        mints.append(b.gas(fn.mint(holder, 1000 + i, 1_000_000), owner))
    results["issue_first"] = mints[0]
    results["issue"] = int(statistics.median(mints[1:]))
    token_id = 2  # held by ref-holder-1
    holder = b.account("ref-holder-1")
    transfers = [b.gas(fn.transferFrom(token_id, b.account(f"ref-new-{i}"), 1_000), holder)
                 for i in range(5)]
    results["transferValue"] = int(statistics.median(transfers))
    # whole-token transfer of the last derived token to a fresh address
    last = fn.totalSupply().call()
    sender = b.account("ref-new-4")
    results["transferPiece"] = b.gas(
        fn.transferFrom(sender, b.account("ref-whole"), last), sender)
    return results


ROWS = (
    ("issue", "issue(1 invoice) vs mint(to, slot, value)"),
    ("issue_first", "first issue vs first mint (fresh contracts)"),
    ("transferValue", "transferValue to a new holder vs transferFrom(tokenId, to, value)"),
    ("transferPiece", "transferPiece vs transferFrom(from, to, tokenId)"),
    ("split_per_piece", "split into 20, per new piece (ours only)"),
    ("lockForFinancing", "lockForFinancing, split then lock (ours only)"),
    ("approveFinancing", "approveFinancing (ours only)"),
    ("settle_1", "settle, batch of 1 (ours only)"),
    ("settle_50_per_piece", "settle, batch of 50, per piece (ours only)"),
)


def table(ours: dict, ref: dict, markdown: bool) -> tuple[str, bool]:
    lines = []
    ok = True
    header = ("operation", "ours gas", "reference gas", "ours/reference", "target")
    rows = []
    for key, label in ROWS:
        mine, theirs = ours[key], ref.get(key)
        ratio = f"{mine / theirs:.2f}" if theirs else "—"
        target = ""
        if key in TARGETS:
            met = theirs and mine / theirs <= TARGETS[key]
            ok = ok and bool(met)
            target = f"<= {TARGETS[key]:.2f} {'met' if met else 'MISSED'}"
        rows.append((label, f"{mine:,.0f}", f"{theirs:,}" if theirs else "—", ratio, target))
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|---|---:|---:|---:|---|")
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(str(r[i])) for r in (*rows, header)) for i in range(len(header))]
        fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
        lines.append(fmt.format(*header))
        lines.append("  ".join("-" * w for w in widths))
        lines += [fmt.format(*r) for r in rows]
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    ours_artifacts = compile_contracts()
    ref_artifact = compile_sources(ROOT / "contracts_sol" / "bench")["ERC3525Reference"]
    with AnvilNode(state_path=None) as node:
        w3 = Web3(Web3.HTTPProvider(node.url))
        bench = Bench(w3)
        ours = measure_ours(bench, ours_artifacts)
        ref = measure_reference(bench, ref_artifact)
    text, ok = table(ours, ref, args.markdown)
    print("solc 0.8.28, optimizer 200 runs, evmVersion cancun; gas = receipt gasUsed")
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
