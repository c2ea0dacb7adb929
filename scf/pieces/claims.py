"""Claims on pieces that only the platform knows (the chain has no such state): an operation
on its way to the chain, a financing application reserving the piece while banks quote. Apps
register a provider in their AppConfig.ready(); a service that moves, reserves or finances a
piece asks them all, under the piece's lock (scf.pieces.locks), before it writes.

A provider is a function (token_id) -> Claim | None. It reads the database only: it runs while
the piece's lock is held, where no node call belongs."""

from collections.abc import Callable
from dataclasses import dataclass, field

from scf.errors import InvalidStateError

# The claims' kinds; their codes are the API's error codes.
OPERATION_IN_FLIGHT = "operation_in_flight"
PIECE_RESERVED = "piece_reserved"


@dataclass(frozen=True)
class Claim:
    """`kind` is the error code; `holder` names what holds the claim (its kind and primary key),
    so a service may ignore its own; `message` is bilingual; `extra` goes to the error."""

    kind: str
    holder: tuple[str, int]
    message: str
    extra: dict = field(default_factory=dict)

    def error(self, context: dict | None = None) -> InvalidStateError:
        return InvalidStateError(self.message, code=self.kind,
                                 extra={**(context or {}), **self.extra})


Provider = Callable[[int], "Claim | None"]
_providers: dict[str, Provider] = {}


def register_claim_provider(name: str, provider: Provider) -> Provider:
    """Register (or replace: ready() may run twice) the provider called `name`."""
    _providers[name] = provider
    return provider


def piece_claims(token_id: int) -> list[Claim]:
    """Every claim any app holds on the piece, in the providers' registration order."""
    claims = []
    for provider in list(_providers.values()):
        claim = provider(token_id)
        if claim is not None:
            claims.append(claim)
    return claims


def require_unclaimed(token_id: int, *, except_for: tuple[str, int] | None = None,
                      context: dict | None = None) -> None:
    """409 with the first claim's code (operation_in_flight, piece_reserved) unless no app
    claims the piece; `except_for` is the caller's own claim (an application accepting a quote
    on the piece it reserves); `context` is added to the error's extra."""
    for claim in piece_claims(token_id):
        if except_for is not None and claim.holder == except_for:
            continue
        raise claim.error({"token_id": token_id, **(context or {})})
