"""The reconciler's registry of business checks: each app registers, in its AppConfig.ready(),
a function that compares its business records with the chain (a voucher marked issued has its
token on chain, a financing marked financed has its piece owned by the bank...). The reconcile
run (scf.chain.reconcile_run) calls them all and records what they found.

A check is `check(since) -> iterable of Finding`: `since` is None for a full run, else the time
from which rows changed must be looked at (the last clean run, less a window). Checks read the
chain through scf.chain.readers, in batches: they run in a task, never on a request."""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True)
class Finding:
    """One difference: which check saw it, what it is about, what differs (readable)."""

    check: str
    subject: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"


Check = Callable[[datetime | None], Iterable[Finding]]
_checks: dict[str, Check] = {}


def register_check(name: str, check: Check) -> Check:
    """Register (or replace: ready() may run twice) the check called `name`."""
    _checks[name] = check
    return check


def registered_checks() -> dict[str, Check]:
    return dict(_checks)
