"""The actions that maker-checker can execute. A domain registers each action once, when its
app is ready (receivables/hooks.py `connect`, banking/apps.py `ready`):

    register_action(services.ISSUE_ACTION, services.voucher_issue_execute,
                    organisation_kinds=[OrganisationKind.CORE_ENTERPRISE], replace=True)

The handler is called as handler(payload=..., approver=...) (plus approval=<ApprovalRequest>
when it accepts that keyword) inside the approval's transaction; it returns a JSON-able dict
(stored as the request's result) or None, and raises an ApplicationError to fail cleanly.
`input_serializer`, when given, validates the payload and allows proposing the action through
the generic POST /api/approvals/propose; without it the action is proposed only by its own
domain endpoint, which validates the payload itself."""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rest_framework.serializers import Serializer

from scf.accounts.validation import field_error


@dataclass(frozen=True)
class ApprovalAction:
    name: str
    handler: Callable[..., dict | None]
    input_serializer: type[Serializer] | None
    organisation_kinds: frozenset[str] | None
    passes_approval: bool

    def execute(self, *, payload: dict, approver, approval) -> dict | None:
        if self.passes_approval:
            return self.handler(payload=payload, approver=approver, approval=approval)
        return self.handler(payload=payload, approver=approver)


_ACTIONS: dict[str, ApprovalAction] = {}


def _accepts_approval(handler: Callable) -> bool:
    parameters = inspect.signature(handler).parameters.values()
    return any(p.name == "approval" or p.kind is inspect.Parameter.VAR_KEYWORD
               for p in parameters)


def register_action(name: str, handler: Callable[..., dict | None], *,
                    input_serializer: type[Serializer] | None = None,
                    organisation_kinds: Iterable[str] | None = None,
                    replace: bool = False) -> ApprovalAction:
    if name in _ACTIONS and not replace:
        raise ValueError(f"approval action {name!r} is already registered")
    action = ApprovalAction(
        name=name, handler=handler, input_serializer=input_serializer,
        organisation_kinds=frozenset(organisation_kinds) if organisation_kinds else None,
        passes_approval=_accepts_approval(handler))
    _ACTIONS[name] = action
    return action


def unregister_action(name: str) -> None:
    _ACTIONS.pop(name, None)


def get_action(name: str) -> ApprovalAction:
    try:
        return _ACTIONS[name]
    except KeyError:
        raise field_error("action", f"未知操作 {name} / Unknown action {name}") from None


def registered_actions() -> list[str]:
    return sorted(_ACTIONS)
