"""Connection to the configured JSON-RPC node, and the translation of its failures."""

import threading
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import TypeVar

import requests
from django.conf import settings
from web3 import HTTPProvider, Web3
from web3.exceptions import TimeExhausted, Web3RPCError
from web3.middleware import ExtraDataToPOAMiddleware

from scf.chain.errors import ChainUnavailableError

T = TypeVar("T")


class RpcCounter:
    """JSON-RPC traffic of this process: HTTP requests made and calls per method (a batch is
    one request of many calls). Read by tests and benchmarks; reset() starts a new count."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.http_requests = 0
            self.calls: Counter[str] = Counter()

    def add(self, methods: list[str]) -> None:
        with self._lock:
            self.http_requests += 1
            self.calls.update(methods)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())


rpc_counter = RpcCounter()


class _NodeProvider(HTTPProvider):
    """The node's HTTP provider: counts its traffic, and asks the chain id once per process
    (web3 asks for it before every signed or built transaction; a node does not change chains
    under a running platform, and health checks compare it with SCF_CHAIN_ID)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._chain_id_response = None

    def make_request(self, method, params):
        if method == "eth_chainId" and self._chain_id_response is not None:
            return {**self._chain_id_response}
        rpc_counter.add([method])
        response = super().make_request(method, params)
        if method == "eth_chainId" and "result" in response:
            self._chain_id_response = response
        return response

    def make_batch_request(self, batch_requests):
        rpc_counter.add([method for method, _ in batch_requests])
        return super().make_batch_request(batch_requests)


@cache
def _web3_for(rpc_url: str, timeout: int, poa: bool) -> Web3:
    # No automatic retries: a caller that must wait retries on its own terms (Celery backoff),
    # and a health check must fail in seconds when the node is away.
    provider = _NodeProvider(rpc_url, request_kwargs={"timeout": timeout},
                             exception_retry_configuration=None)
    w3 = Web3(provider)
    if poa:
        w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return w3


def forget_chain_id(rpc_url: str | None = None) -> None:
    """Ask the node for its chain id again next time (another node may answer at the URL)."""
    get_web3(rpc_url).provider._chain_id_response = None


def get_web3(rpc_url: str | None = None) -> Web3:
    return _web3_for(rpc_url or settings.SCF_CHAIN_RPC_URL, settings.SCF_CHAIN_TIMEOUT,
                     settings.SCF_CHAIN_POA)


def call_node(fn: Callable[[], T], *, rpc_url: str | None = None) -> T:
    """Run a read against the node, turning transport failures into ChainUnavailableError."""
    url = rpc_url or settings.SCF_CHAIN_RPC_URL
    try:
        return fn()
    except (requests.exceptions.RequestException, OSError) as exc:
        raise ChainUnavailableError(
            f"区块链节点不可达 / Chain node unreachable at {url}: {exc.__class__.__name__}. "
            "Start the platform with its run command (it starts anvil) or fix SCF_CHAIN_RPC_URL."
        ) from exc
    except (Web3RPCError, TimeExhausted) as exc:
        raise ChainUnavailableError(f"Chain node at {url} answered with an error: {exc}") from exc


def call_batch(w3: Web3, calls: list, *, rpc_url: str | None = None,
               block: int | None = None) -> list:
    """Many contract reads (`contract.functions.f(args)`) in one JSON-RPC batch request: one
    round trip, results in the order of `calls`; at `block` (None: the latest)."""
    at = "latest" if block is None else block

    def run() -> list:
        with w3.batch_requests() as batch:
            for call in calls:
                batch.add(call.call(block_identifier=at))  # batching: records, does not send
            return batch.execute()
    return call_node(run, rpc_url=rpc_url)


def chain_status(rpc_url: str | None = None) -> dict:
    """chain id and latest block, checked against SCF_CHAIN_ID when one is configured."""
    w3 = get_web3(rpc_url)
    chain_id = call_node(lambda: w3.eth.chain_id, rpc_url=rpc_url)
    block = call_node(lambda: w3.eth.block_number, rpc_url=rpc_url)
    expected = settings.SCF_CHAIN_ID
    if expected and chain_id != expected:
        raise ChainUnavailableError(
            f"The node reports chain id {chain_id}, but SCF_CHAIN_ID is {expected}: "
            "point SCF_CHAIN_RPC_URL at the right network or correct SCF_CHAIN_ID."
        )
    return {"chain_id": chain_id, "latest_block": block}


def rpc_batch(calls: list[tuple[str, list]], *, rpc_url: str | None = None) -> list:
    """Plain JSON-RPC calls `(method, params)` in one batch request: the raw `result` of each,
    in the order of `calls`, None where the node has nothing (a receipt of an unknown
    transaction); web3's own batch would raise for the whole batch. An error in any answer
    raises ChainUnavailableError."""
    if not calls:
        return []
    provider = get_web3(rpc_url).provider

    def run() -> list:
        responses = provider.make_batch_request(calls)
        if not isinstance(responses, list):  # the node refused the batch as a whole
            raise Web3RPCError(str(responses))
        responses = sorted(responses, key=lambda response: response.get("id") or 0)
        errors = [response["error"] for response in responses if response.get("error")]
        if errors:
            raise Web3RPCError(str(errors[0]))
        return [response.get("result") for response in responses]
    return call_node(run, rpc_url=rpc_url)
