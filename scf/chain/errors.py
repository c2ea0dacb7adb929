"""Errors of the chain gateway, translated from web3 and the node so callers never see web3's."""

from scf.chain.revert_messages import revert_message
from scf.errors import (
    ConfigurationError,
    InvalidStateError,
    ServiceUnavailableError,
)


class ChainUnavailableError(ServiceUnavailableError):
    """The node cannot be reached or answered with an RPC error."""

    code = "chain_unavailable"


class ChainRevertError(InvalidStateError):
    """A transaction or call reverted, or the pre-flight (scf.chain.preflight) knows it would;
    `name` and `args` are the custom error as the ABI declares it. The message comes from the
    one catalogue (scf.chain.revert_messages); an explicit message is only for errors that no
    contract declares (a nonce used elsewhere) or for the operator's deployment commands."""

    code = "chain_revert"

    def __init__(self, name: str, args: dict | None = None, *, message: str | None = None):
        self.error_name = name
        self.error_args = args or {}
        super().__init__(message or revert_message(name, self.error_args),
                         extra={"error": name, "args": self.error_args})


class IdempotencyKeyReusedError(InvalidStateError):
    """An idempotency key already names another request: a replay must ask the very same."""

    code = "idempotency_key_reused"

    def __init__(self, key: str):
        super().__init__(
            f"幂等键 {key} 已用于另一笔不同的请求 / The idempotency key {key} was already used "
            "for a different request (sender, contract, function or arguments differ)",
            extra={"idempotency_key": key})


class CompilationError(ConfigurationError):
    """The Solidity compiler refused the sources (or is missing); the message is its own."""

    code = "compilation_failed"


class ChainNodeError(ConfigurationError):
    """The embedded anvil node could not be started or stopped."""

    code = "chain_node_failed"


class DeploymentError(ConfigurationError):
    """The platform contracts could not be deployed or wired together as configured."""

    code = "deployment_failed"
