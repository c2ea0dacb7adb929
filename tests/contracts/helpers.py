"""Helpers for the contract tests: custom-error decoding, transactions, time travel, and a
deployed platform (registry, credit lines, ledger) with named members.

Custom errors are decoded from the ABIs by their 4-byte selector, so tests assert on the error's
name and arguments, never on raw revert data."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import requests
from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError
from web3.logs import DISCARD

DAY = 86_400
YEAR = 365 * DAY
MAX_UINT256 = 2**256 - 1
MAX_UINT96 = 2**96 - 1

# Member role bits (MemberRoles.sol).
CORE_ENTERPRISE, SUPPLIER, BANK, REGULATOR, OPERATOR = 1, 2, 4, 8, 16
HOLDER = SUPPLIER | BANK

OPERATOR_ROLE = keccak(text="OPERATOR_ROLE")
DEFAULT_ADMIN_ROLE = b"\x00" * 32


class Status(enum.IntEnum):
    NONE = 0
    PENDING = 1
    ACTIVE = 2
    LOCKED = 3
    SETTLED = 4
    CANCELLED = 5
    OVERDUE = 6


class PieceView(NamedTuple):
    owner: str
    root: int
    parent: int
    balance: int
    status: Status
    lock_bank: str
    frozen: bool


class SlotView(NamedTuple):
    debtor: str
    bank: str
    maturity: int
    face_value: int
    settled: int


class LineView(NamedTuple):
    limit: int
    used: int
    expiry: int
    frozen: bool


class _Any:
    """Equal to anything: stands for an argument a test cannot predict (a block timestamp)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


def h(text: str) -> bytes:
    """A bytes32 hash for test data (a stand-in for an off-chain document's SHA-256)."""
    return keccak(text=text)


def _canonical_type(item: dict) -> str:
    if item["type"].startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in item["components"])
        return f"({inner}){item['type'][5:]}"
    return item["type"]


def _normalise(abi_type: str, value: Any) -> Any:
    if abi_type == "address":
        return to_checksum_address(value)
    if abi_type.endswith("]") and isinstance(value, (list, tuple)):
        return tuple(_normalise(abi_type[: abi_type.rindex("[")], v) for v in value)
    return value


class DecodedError(NamedTuple):
    name: str
    args: tuple


class ErrorDecoder:
    """Maps 4-byte selectors of every custom error in the given ABIs to name and argument types."""

    def __init__(self, abis: Iterable[list[dict]]):
        self._errors: dict[bytes, tuple[str, list[str]]] = {}
        for abi in abis:
            for item in abi:
                if item.get("type") != "error":
                    continue
                types = [_canonical_type(i) for i in item["inputs"]]
                selector = keccak(text=f"{item['name']}({','.join(types)})")[:4]
                self._errors[selector] = (item["name"], types)

    def decode(self, data: str | bytes) -> DecodedError:
        raw = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
        selector, payload = raw[:4], raw[4:]
        if selector not in self._errors:
            raise AssertionError(f"unknown custom error selector 0x{selector.hex()}")
        name, types = self._errors[selector]
        values = abi_decode(types, payload)
        args = tuple(_normalise(t, v) for t, v in zip(types, values, strict=True))
        return DecodedError(name, args)


class TxFailed(AssertionError):
    pass


@dataclass
class Chain:
    """A Web3 connection with a few conveniences for tests against anvil."""

    w3: Web3
    decoder: ErrorDecoder

    def send(self, fn, sender: str, **tx: Any) -> dict:
        """Send a contract call as `sender`; return the receipt; fail on a revert."""
        tx_hash = fn.transact({"from": sender, "gasPrice": 0, **tx})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.001)
        if receipt["status"] != 1:
            raise TxFailed(f"transaction {tx_hash.hex()} reverted without data")
        return receipt

    def revert_of(self, fn, sender: str) -> DecodedError:
        """The custom error `fn` reverts with when sent by `sender` (fails if it succeeds)."""
        try:
            fn.transact({"from": sender, "gasPrice": 0})
        except ContractCustomError as exc:
            return self.decoder.decode(exc.data)
        except ContractLogicError as exc:  # a Panic or a revert string: never expected here
            raise AssertionError(f"expected a custom error, got {exc!r}") from exc
        raise AssertionError("expected a revert, the transaction succeeded")

    def expect_revert(self, fn, sender: str, name: str, *args: Any) -> None:
        got = self.revert_of(fn, sender)
        assert got == DecodedError(name, tuple(args)), f"got {got}"

    def rpc(self, method: str, params: list | None = None) -> Any:
        reply = self.w3.provider.make_request(method, params or [])
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def travel(self, seconds: int) -> None:
        self.rpc("evm_increaseTime", [seconds])
        self.rpc("evm_mine")

    def snapshot(self) -> str:
        return self.rpc("evm_snapshot")

    def revert_to(self, snapshot_id: str) -> None:
        assert self.rpc("evm_revert", [snapshot_id]) is True


class RawContract:
    """ABI encoding and decoding without web3's per-call machinery (for the stateful test,
    which makes tens of thousands of calls: web3 spends ~8 ms of Python per call, this ~0.1)."""

    def __init__(self, address: str, abi: list[dict]):
        self.address = address
        self._functions: dict[str, tuple[bytes, list[str], list[str]]] = {}
        for item in abi:
            if item.get("type") == "function":
                ins = [_canonical_type(i) for i in item["inputs"]]
                outs = [_canonical_type(o) for o in item["outputs"]]
                selector = keccak(text=f"{item['name']}({','.join(ins)})")[:4]
                self._functions[item["name"]] = (selector, ins, outs)

    def data(self, name: str, *args: Any) -> str:
        selector, ins, _ = self._functions[name]
        return "0x" + (selector + abi_encode(ins, list(args))).hex()

    def decode(self, name: str, result: str) -> tuple:
        _, _, outs = self._functions[name]
        values = abi_decode(outs, bytes.fromhex(result[2:]))
        return tuple(_normalise(t, v) for t, v in zip(outs, values, strict=True))


class RawRpc:
    """Plain JSON-RPC over one keep-alive HTTP session, with batching."""

    GAS = 8_000_000

    def __init__(self, url: str, decoder: ErrorDecoder):
        self.url = url
        self.decoder = decoder
        self.session = requests.Session()
        self._ids = itertools.count(1)

    def request(self, method: str, params: list) -> dict:
        reply = self.session.post(self.url, json={"jsonrpc": "2.0", "id": next(self._ids),
                                                  "method": method, "params": params},
                                  timeout=30).json()
        return reply

    def result(self, method: str, params: list) -> Any:
        reply = self.request(method, params)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def batch(self, calls: Sequence[tuple[str, list]]) -> list[Any]:
        if not calls:
            return []
        first = next(self._ids)
        payload = [{"jsonrpc": "2.0", "id": first + i, "method": m, "params": p}
                   for i, (m, p) in enumerate(calls)]
        self._ids = itertools.count(first + len(calls))
        replies = sorted(self.session.post(self.url, json=payload, timeout=60).json(),
                         key=lambda r: r["id"])
        for reply in replies:
            if "error" in reply:
                raise RuntimeError(f"batch call failed: {reply['error']}")
        return [r["result"] for r in replies]

    def calls(self, calls: Sequence[tuple[RawContract, str, tuple]]) -> list[tuple]:
        """eth_call every (contract, function, args) in one batch; decoded results."""
        results = self.batch([("eth_call", [{"to": c.address, "data": c.data(f, *a)}, "latest"])
                              for c, f, a in calls])
        return [c.decode(f, r) for (c, f, _), r in zip(calls, results, strict=True)]

    def transact(self, contract: RawContract, name: str, args: tuple,
                 sender: str) -> DecodedError | dict:
        """Send (anvil automines); the receipt, or the custom error the call reverts with."""
        tx = {"from": sender, "to": contract.address, "data": contract.data(name, *args),
              "gas": hex(self.GAS), "gasPrice": "0x0"}
        tx_hash = self.result("eth_sendTransaction", [tx])
        receipt = None
        while receipt is None:
            receipt = self.result("eth_getTransactionReceipt", [tx_hash])
        if receipt["status"] == "0x1":
            return receipt
        # The failed transaction changed nothing but the nonce: replaying it as a call on the
        # same state yields its revert data.
        reply = self.request("eth_call", [tx, "latest"])
        error = reply.get("error") or {}
        data = error.get("data")
        if not isinstance(data, str) or len(data) < 10:
            raise AssertionError(f"{name} reverted without a custom error: {reply}")
        return self.decoder.decode(data)


# Who is who in the test platform. The first ten use anvil's unlocked dev accounts; the rest are
# impersonated addresses (gas price is zero, so they need no ether).
MEMBER_ROLES: dict[str, int] = {
    "core1": CORE_ENTERPRISE,
    "core2": CORE_ENTERPRISE,
    "bank1": BANK,
    "bank2": BANK,
    "sup1": SUPPLIER,
    "sup2": SUPPLIER,
    "sup3": SUPPLIER,
    "sup4": SUPPLIER,
    "regulator": REGULATOR,
    "operator": OPERATOR,
}
NON_MEMBERS = ("outsider",)
CREDIT_LIMIT = 1_000_000_000  # fen per (bank, core enterprise) line in the shared set-up
FAR_FUTURE = 60 * YEAR


@dataclass
class Platform:
    """The three contracts deployed on anvil, with registered members and credit lines."""

    chain: Chain
    registry: Any
    credit: Any
    ledger: Any
    admin: str
    accounts: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.accounts[name]

    # ---- convenience wrappers
    def send(self, fn, sender: str) -> dict:
        return self.chain.send(fn, sender)

    def expect_revert(self, fn, sender: str, name: str, *args: Any) -> None:
        self.chain.expect_revert(fn, sender, name, *args)

    def piece(self, token_id: int) -> PieceView:
        p = self.ledger.functions.pieceOf(token_id).call()
        return PieceView(p[0], p[1], p[2], p[3], Status(p[4]), p[5], p[6])

    def slot(self, root_id: int) -> SlotView:
        return SlotView(*self.ledger.functions.slotInfo(root_id).call())

    def line(self, bank: str, debtor: str) -> LineView:
        return LineView(*self.credit.functions.lineOf(bank, debtor).call())

    def next_id(self) -> int:
        return self.ledger.functions.nextTokenId().call()

    def issue(self, *, debtor: str = "core1", bank: str = "bank1", supplier: str = "sup1",
              face: int = 100_000, days: int = 90, invoices: tuple[str, ...] | None = None,
              accept: bool = True) -> int:
        """Issue a root voucher (accepted unless told otherwise); return its token id."""
        token_id = self.next_id()
        invoice_hashes = [h(i) for i in (invoices or (f"invoice-{token_id}",))]
        maturity = self.chain.now() + days * DAY
        self.send(self.ledger.functions.issue(self[bank], self[supplier], face, maturity,
                                              h(f"trade-{token_id}"), invoice_hashes),
                  self[debtor])
        if accept:
            self.send(self.ledger.functions.accept(token_id), self[supplier])
        return token_id

    def events(self, receipt: dict, contract: Any, name: str) -> list[dict]:
        event = getattr(contract.events, name)()
        own = [lg for lg in receipt["logs"] if lg["address"] == contract.address]
        logs = {**receipt, "logs": own}
        return [dict(e["args"]) for e in event.process_receipt(logs, errors=DISCARD)]


def deploy_contract(chain: Chain, artifact: dict, sender: str, *args: Any):
    w3 = chain.w3
    factory = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = chain.send(factory.constructor(*args), sender)
    return w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])


def named_accounts(chain: Chain) -> dict[str, str]:
    names = ["admin", *MEMBER_ROLES, *NON_MEMBERS]
    dev = chain.w3.eth.accounts
    accounts: dict[str, str] = {}
    for i, name in enumerate(names):
        if i < len(dev):
            accounts[name] = to_checksum_address(dev[i])
        else:
            address = to_checksum_address(keccak(text=f"scf-test-{name}")[-20:])
            chain.rpc("anvil_impersonateAccount", [address])
            chain.rpc("anvil_setBalance", [address, hex(10**24)])
            accounts[name] = address
    return accounts


def deploy_platform(w3: Web3, artifacts: dict[str, dict]) -> Platform:
    """Deploy registry, credit lines and ledger as the fixed interface says, register the named
    members (KYC valid for decades) and open a line from each bank to each core enterprise."""
    decoder = ErrorDecoder(a["abi"] for a in artifacts.values())
    chain = Chain(w3, decoder)
    accounts = named_accounts(chain)
    admin = accounts["admin"]
    registry = deploy_contract(chain, artifacts["MemberRegistry"], admin, admin)
    credit = deploy_contract(chain, artifacts["CreditLines"], admin, registry.address, admin)
    ledger = deploy_contract(chain, artifacts["VoucherLedger"], admin, registry.address,
                             credit.address, admin)
    chain.send(credit.functions.setLedger(ledger.address), admin)
    platform = Platform(chain, registry, credit, ledger, admin, accounts)
    kyc_expiry = chain.now() + FAR_FUTURE
    for name, roles in MEMBER_ROLES.items():
        chain.send(registry.functions.registerMember(accounts[name], roles, kyc_expiry,
                                                     h(f"kyc-{name}")), admin)
    for bank in ("bank1", "bank2"):
        for debtor in ("core1", "core2"):
            chain.send(credit.functions.setLine(accounts[debtor], CREDIT_LIMIT, kyc_expiry),
                       accounts[bank])
    return platform
