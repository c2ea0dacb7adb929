"""The deployed platform contracts as web3 objects, and the decoding of their custom errors."""

from functools import cache

from eth_abi import decode as abi_decode
from eth_utils import function_signature_to_4byte_selector
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract

from scf.chain.client import call_node, forget_chain_id, get_web3
from scf.chain.compiler import compile_contracts
from scf.chain.deployment import deployed_addresses
from scf.chain.errors import ChainRevertError, ChainUnavailableError

PANIC_SELECTOR = bytes.fromhex("4e487b71")
ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")


@cache
def _abis() -> dict[str, list]:
    return {name: artifact["abi"] for name, artifact in compile_contracts().items()}


def abi_of(name: str) -> list:
    return _abis()[name]


def _chain_id_of(rpc_url: str) -> int:
    # Asked of the node once per process (scf.chain.client keeps the answer).
    return call_node(lambda: get_web3(rpc_url).eth.chain_id, rpc_url=rpc_url)


@cache
def _contract_at(rpc_url: str, name: str, address: str) -> Contract:
    return get_web3(rpc_url).eth.contract(address=Web3.to_checksum_address(address),
                                          abi=abi_of(name))


def platform_contract(name: str, *, rpc_url: str | None = None) -> Contract:
    """The named contract at its recorded address on the node's chain."""
    from django.conf import settings

    rpc_url = rpc_url or settings.SCF_CHAIN_RPC_URL
    chain_id = _chain_id_of(rpc_url)
    address = deployed_addresses(chain_id).get(name)
    if not address:
        forget_chain_id(rpc_url)  # perhaps another node now answers at this URL
        raise ChainUnavailableError(
            f"{name} is not deployed on chain {chain_id}: start the platform with its run "
            "command (it deploys the contracts) or run `manage.py serve --check`."
        )
    return _contract_at(rpc_url, name, address)


def _type_of(param: dict) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_type_of(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return param["type"]


@cache
def _error_table() -> dict[bytes, tuple[str, list[str], list[str]]]:
    table = {}
    for abi in _abis().values():
        for item in abi:
            if item["type"] != "error":
                continue
            types = [_type_of(p) for p in item["inputs"]]
            selector = function_signature_to_4byte_selector(f"{item['name']}({','.join(types)})")
            table[selector] = (item["name"], types, [p["name"] for p in item["inputs"]])
    return table


def _jsonable(value):
    if isinstance(value, bytes):
        return Web3.to_hex(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, int) and abs(value) >= 2**53:
        return str(value)  # JSON numbers lose precision beyond 2**53 in browsers
    return value


def decode_revert(data: str | bytes | None) -> ChainRevertError:
    """A custom error (by name and arguments from the ABIs), a Panic or an Error(string)."""
    raw = Web3.to_bytes(hexstr=data) if isinstance(data, str) else (data or b"")
    selector, body = raw[:4], raw[4:]
    if selector in _error_table():
        name, types, names = _error_table()[selector]
        values = [Web3.to_checksum_address(v) if t == "address" else v
                  for t, v in zip(types, abi_decode(types, body), strict=True)]
        return ChainRevertError(name, {n: _jsonable(v) for n, v in zip(names, values,
                                                                           strict=True)})
    if selector == PANIC_SELECTOR:
        return ChainRevertError("Panic", {"code": abi_decode(["uint256"], body)[0]})
    if selector == ERROR_STRING_SELECTOR:
        return ChainRevertError("Error", {"message": abi_decode(["string"], body)[0]})
    return ChainRevertError("UnknownRevert", {"data": Web3.to_hex(raw)})


@cache
def _event_table() -> dict[tuple[str, bytes], dict]:
    table = {}
    for contract_name, abi in _abis().items():
        for item in abi:
            if item["type"] == "event":
                signature = f"{item['name']}({','.join(_type_of(p) for p in item['inputs'])})"
                table[(contract_name, Web3.keccak(text=signature))] = item
    return table


def decode_log(contract_name: str, topics: list, data: str | bytes) -> tuple[str, dict] | None:
    """(event name, {arg: value}) of a log emitted by a platform contract, None if unknown."""
    if not topics:
        return None
    event = _event_table().get((contract_name, bytes(HexBytes(topics[0]))))
    if event is None:
        return None
    indexed = [p for p in event["inputs"] if p["indexed"]]
    plain = [p for p in event["inputs"] if not p["indexed"]]
    args = {}
    for param, topic in zip(indexed, topics[1:], strict=True):
        value = abi_decode([_type_of(param)], bytes(HexBytes(topic)))[0]
        args[param["name"]] = _checksummed(param, value)
    raw = bytes(HexBytes(data))  # raw JSON-RPC logs carry hex strings, web3's carry bytes
    for param, value in zip(plain, abi_decode([_type_of(p) for p in plain], raw), strict=True):
        args[param["name"]] = _checksummed(param, value)
    return event["name"], {name: _jsonable(value) for name, value in args.items()}


def _checksummed(param: dict, value):
    return Web3.to_checksum_address(value) if param["type"] == "address" else value


def coerce_args(contract_name: str, function: str, args: list) -> list:
    """JSON-stored arguments (hex strings, decimal strings) as the ABI types expect them."""
    candidates = [item for item in _abis()[contract_name]
                  if item["type"] == "function" and item["name"] == function
                  and len(item["inputs"]) == len(args)]
    if not candidates:
        raise ValueError(f"{contract_name} has no function {function} taking {len(args)} args")
    return [_coerce(_type_of(p), a) for p, a in zip(candidates[0]["inputs"], args, strict=True)]


def _coerce(abi_type: str, value):
    if abi_type.endswith("[]"):
        return [_coerce(abi_type[:-2], v) for v in value]
    if abi_type == "address":
        return Web3.to_checksum_address(value)
    if abi_type.startswith(("uint", "int")):
        return int(value)
    if abi_type.startswith("bytes") and isinstance(value, str):
        return Web3.to_bytes(hexstr=value)
    return value
