"""Errors of the chain gateway, translated from web3 and the node so callers never see web3's."""

from scf.chain.revert_messages import revert_message
from scf.errors import ApplicationError, InvalidStateError, ServiceUnavailableError


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


class CompilationError(ApplicationError):
    """The Solidity compiler refused the sources; the message is the compiler's own."""

    code = "compilation_failed"


class ChainNodeError(ApplicationError):
    """The embedded anvil node could not be started or stopped."""

    code = "chain_node_failed"
