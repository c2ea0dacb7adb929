"""Claims on pieces that only the platform knows (the chain has no such state): an operation
on its way to the chain, a financing application reserving the piece while banks quote. Apps
register a provider in their AppConfig.ready(); a service that moves, reserves or finances a
piece asks them all, under the piece's lock (scf.pieces.locks), before it writes.

A provider is a function (token_id) -> Claim | None. It reads the database only: it runs while
the piece's lock is held, where no node call belongs."""

from collections.abc import Callable
from dataclasses import dataclass, field

from scf.errors import InvalidStateError
from scf.money import format_yuan

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
    # What the claim holds of the piece: None is the whole piece; an amount (fen) leaves the
    # rest free for other operations that move only part of it.
    amount_fen: int | None = None

    def error(self, context: dict | None = None) -> InvalidStateError:
        return InvalidStateError(self.message, code=self.kind,
                                 extra={**(context or {}), **self.extra})


Provider = Callable[[int], "Claim | None"]
# The same for many pieces at once (a page of a list): {token_id: claim} for those it claims.
BulkProvider = Callable[[list[int]], "dict[int, Claim]"]
_providers: dict[str, Provider] = {}
_bulk_providers: dict[str, BulkProvider] = {}


def register_claim_provider(name: str, provider: Provider, *,
                            bulk: BulkProvider | None = None) -> Provider:
    """Register (or replace: ready() may run twice) the provider called `name`, with its bulk
    form if it has one (else a list asks it piece by piece)."""
    _providers[name] = provider
    if bulk is None:
        _bulk_providers.pop(name, None)
    else:
        _bulk_providers[name] = bulk
    return provider


def piece_claims(token_id: int) -> list[Claim]:
    """Every claim any app holds on the piece, in the providers' registration order."""
    claims = []
    for provider in list(_providers.values()):
        claim = provider(token_id)
        if claim is not None:
            claims.append(claim)
    return claims


def pieces_claims(token_ids) -> dict[int, list[Claim]]:
    """piece_claims for many pieces, one query per provider with a bulk form: what a list of
    pieces shows beside each (reserved by an application, an operation in flight)."""
    ids = sorted({int(token_id) for token_id in token_ids})
    claims: dict[int, list[Claim]] = {token_id: [] for token_id in ids}
    if not ids:
        return claims
    for name, provider in list(_providers.items()):
        bulk = _bulk_providers.get(name)
        if bulk is not None:
            found = bulk(ids)
        else:
            found = {token_id: claim for token_id in ids
                     if (claim := provider(token_id)) is not None}
        for token_id, claim in found.items():
            claims[token_id].append(claim)
    return claims


def require_unclaimed(token_id: int, *, except_for: tuple[str, int] | None = None,
                      context: dict | None = None, amount_fen: int | None = None,
                      balance_fen: int | None = None) -> None:
    """409 with the first claim's code (operation_in_flight, piece_reserved) unless no app
    claims the piece; `except_for` is the caller's own claim (an application accepting a quote
    on the piece it reserves); `context` is added to the error's extra. A caller moving only
    `amount_fen` of the piece's `balance_fen` may go ahead beside claims on parts of it, as long
    as all of them together fit the balance (a supplier paying five suppliers from one piece)."""
    claims = [claim for claim in piece_claims(token_id)
              if except_for is None or claim.holder != except_for]
    if not claims:
        return
    context = {"token_id": token_id, **(context or {})}
    if amount_fen is not None and all(claim.amount_fen is not None for claim in claims):
        reserved = sum(claim.amount_fen for claim in claims)
        if reserved + amount_fen <= balance_fen:
            return
        available = max(balance_fen - reserved, 0)
        raise InvalidStateError(
            f"该凭证有 {format_yuan(reserved)} 元正在上链处理中，当前可用 {format_yuan(available)} "
            f"元 / {format_yuan(reserved)} yuan of this piece is on its way to the chain: "
            f"{format_yuan(available)} yuan is available now",
            code=claims[0].kind,
            extra={**context, **claims[0].extra, "reserved_fen": reserved,
                   "available_fen": available})
    raise claims[0].error(context)
