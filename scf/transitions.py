"""One helper for the explicit transition tables of every app (action -> {from: to}), and one
policy for the transitions that chain outcome hooks apply.

- A service (a person asked for something) uses `transition`: an action the table does not
  allow from the current status is refused with InvalidStateError (409), before anything is
  written, and the user reads why.
- An outcome hook (the chain has spoken) uses `outcome_transition`: an unexpected current
  status is logged as a warning naming the row and the intent, the row is left unchanged and
  the hook goes on; it never raises.

Why the hooks do not raise: the transaction is already mined, so refusing it changes nothing on
chain. A raising hook rolls back, leaves the intent's `hooks_done` false and is retried by the
resume task forever, never making progress (and the operation never becomes `projected`, so
the front end waits for ever). An unexpected status means the row has already moved on (a hook
that ran twice, or a person acted meanwhile); the warning is for an operator to look at, and
the reconciler compares the projection with the chain."""

import logging

from scf.errors import InvalidStateError

logger = logging.getLogger(__name__)
Table = dict[str, dict]


def transition(table: Table, current, action: str, what: str, *,
               code: str = "invalid_state") -> str:
    """The status `action` leads to from `current`; InvalidStateError (409) if not allowed.
    `what` names the row for the user, bilingual ("凭证 / voucher")."""
    new_status = table[action].get(current)
    if new_status is None:
        raise InvalidStateError(
            f"{what}状态为 {current}，不能执行 {action} / Cannot {action} a {what} whose status "
            f"is {current}", code=code, extra={"status": current, "action": action})
    return new_status


def outcome_transition(table: Table, current, action: str, *, row, intent=None):
    """The status `action` leads to from `current` in an outcome hook, or None when the table
    does not allow it: then a warning names the row and the intent, and the caller leaves the
    row unchanged (see the module docstring for why this never raises)."""
    new_status = table[action].get(current)
    if new_status is None:
        logger.warning("outcome %s ignored for %r in status %s (intent %s)", action, row,
                       current, getattr(intent, "pk", intent))
    return new_status
