"""Deploy the platform's contracts once per chain. A deployment is recorded per (chain id,
contract, hash of init code + constructor arguments); on restart a recorded deployment whose code
is still on chain is reused, so the ledger is never redeployed under the platform's feet."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from eth_account import Account
from web3 import Web3

from scf.chain.client import call_node, get_web3
from scf.chain.compiler import Artifacts, compile_contracts
from scf.chain.errors import DeploymentError
from scf.chain.models import ChainAccount, ContractDeployment

logger = logging.getLogger(__name__)
Addresses = dict[str, str]


@dataclass(frozen=True)
class ContractSpec:
    """A contract to deploy: its artefact name and its constructor arguments, computed from the
    addresses deployed before it and the operator's address."""

    name: str
    args: Callable[[Addresses, str], list] = field(default=lambda deployed, operator: [])


# The platform: the registry first, the credit lines that ask it, the ledger that asks both.
PLATFORM_CONTRACTS: tuple[ContractSpec, ...] = (
    ContractSpec("MemberRegistry", lambda d, op: [op]),
    ContractSpec("CreditLines", lambda d, op: [d["MemberRegistry"], op]),
    ContractSpec("VoucherLedger", lambda d, op: [d["MemberRegistry"], d["CreditLines"], op]),
    ContractSpec("AuditAnchor", lambda d, op: [op]),
)


class Deployer:
    """Signs with the operator's key and waits for each receipt (and confirmations)."""

    def __init__(self, w3: Web3, private_key: str):
        self.w3 = w3
        self.account = Account.from_key(private_key)

    def send(self, tx: dict) -> dict:
        tx_hash = self._sign_and_send(tx)
        w3 = self.w3
        receipt = call_node(lambda: w3.eth.wait_for_transaction_receipt(
            tx_hash, timeout=120, poll_latency=0.05))
        if receipt["status"] != 1:
            raise DeploymentError(f"部署交易被回滚 / The deployment transaction reverted: "
                                  f"{Web3.to_hex(tx_hash)}",
                                  extra={"tx_hash": Web3.to_hex(tx_hash)})
        self._wait_confirmations(receipt["blockNumber"])
        return receipt

    def _sign_and_send(self, tx: dict):
        """The nonce is the operator account's next one in the database, as the outbox's
        (scf.chain.outbox._sign), taken under the same row lock and kept only once sent, so a
        deployment never leaves the outbox a nonce the node already used, nor a gap."""
        w3 = self.w3
        with transaction.atomic():
            account = ChainAccount.objects.select_for_update().filter(
                address=self.account.address).first()
            nonce = account.next_nonce if account is not None else None
            if nonce is None:
                nonce = call_node(lambda: w3.eth.get_transaction_count(self.account.address,
                                                                       "pending"))
            tx = {"from": self.account.address, "nonce": nonce,
                  "chainId": call_node(lambda: w3.eth.chain_id),
                  "gasPrice": settings.SCF_CHAIN_GAS_PRICE, **tx}
            tx.setdefault("gas", int(call_node(lambda: w3.eth.estimate_gas(tx)) * 1.2))
            signed = self.account.sign_transaction(tx)
            tx_hash = call_node(lambda: w3.eth.send_raw_transaction(signed.raw_transaction))
            if account is not None:
                account.next_nonce = nonce + 1
                account.save(update_fields=["next_nonce"])
        return tx_hash

    def _wait_confirmations(self, block_number: int) -> None:
        target = block_number + settings.SCF_CHAIN_CONFIRMATIONS
        while call_node(lambda: self.w3.eth.block_number) < target:
            time.sleep(0.2)


def _init_code(artifact: dict, args: list) -> bytes:
    contract = Web3().eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    return bytes.fromhex(contract.constructor(*args).data_in_transaction[2:])


def ensure_deployed(specs: tuple[ContractSpec, ...] = PLATFORM_CONTRACTS, *,
                    artifacts: Artifacts | None = None, rpc_url: str | None = None,
                    private_key: str | None = None) -> Addresses:
    """Deploy what is missing, in order; return {name: address}. Idempotent per chain."""
    w3 = get_web3(rpc_url)
    artifacts = artifacts if artifacts is not None else compile_contracts()
    deployer = Deployer(w3, private_key or settings.SCF_CHAIN_OPERATOR_KEY)
    chain_id = call_node(lambda: w3.eth.chain_id)
    addresses: Addresses = {}
    for spec in specs:
        init_code = _init_code(artifacts[spec.name], spec.args(addresses, deployer.account.address))
        code_hash = Web3.to_hex(Web3.keccak(init_code))
        known = ContractDeployment.objects.filter(
            chain_id=chain_id, name=spec.name, code_hash=code_hash
        ).first()
        if known and call_node(lambda known=known: w3.eth.get_code(known.address)):
            addresses[spec.name] = known.address
            continue
        receipt = deployer.send({"data": "0x" + init_code.hex()})
        address = receipt["contractAddress"]
        ContractDeployment.objects.update_or_create(
            chain_id=chain_id, name=spec.name, code_hash=code_hash,
            defaults={"address": address, "tx_hash": Web3.to_hex(receipt["transactionHash"]),
                      "block_number": receipt["blockNumber"]},
        )
        logger.info("deployed %s at %s on chain %s", spec.name, address, chain_id)
        addresses[spec.name] = address
    _connect_ledger_to_credit_lines(deployer, addresses, artifacts)
    return addresses


ZERO_ADDRESS = "0x" + "0" * 40


def _connect_ledger_to_credit_lines(deployer: Deployer, addresses: Addresses,
                                    artifacts: Artifacts) -> None:
    """CreditLines lets exactly one ledger consume and restore credit; name it once."""
    if not {"CreditLines", "VoucherLedger"} <= addresses.keys():
        return
    credit = deployer.w3.eth.contract(address=addresses["CreditLines"],
                                      abi=artifacts["CreditLines"]["abi"])
    current = call_node(credit.functions.ledger().call)
    if current == addresses["VoucherLedger"]:
        return
    if current != ZERO_ADDRESS:
        raise DeploymentError(f"CreditLines at {credit.address} already serves ledger {current}; "
                              "deploy CreditLines anew for a new ledger",
                              code="credit_lines_ledger_already_set", extra={"ledger": current})
    deployer.send({"to": credit.address,
                   "data": credit.encode_abi("setLedger", [addresses["VoucherLedger"]])})


def deployed_addresses(chain_id: int) -> Addresses:
    """The newest recorded deployment of each contract on a chain."""
    addresses: Addresses = {}
    for row in ContractDeployment.objects.filter(chain_id=chain_id).order_by("name",
                                                                           "-deployed_at"):
        addresses.setdefault(row.name, row.address)
    return addresses
