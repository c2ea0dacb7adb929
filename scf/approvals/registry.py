"""The actions that maker-checker can execute. A domain registers each action once, when its
app is ready (receivables/hooks.py `connect`, banking/apps.py `ready`):

    register_action(services.ISSUE_ACTION, services.voucher_issue_execute,
                    organisation_kinds=[OrganisationKind.CORE_ENTERPRISE], replace=True)

The handler is called as handler(payload=..., approver=...) (plus approval=<ApprovalRequest>
when it accepts that keyword) inside the approval's transaction; it returns a JSON-able dict
(stored as the request's result) or None, and raises an ApplicationError to fail cleanly.
`input_serializer`, when given, validates the payload and allows proposing the action through
the generic POST /api/approvals/propose; without it the action is proposed only by its own
domain endpoint, which validates the payload itself.

By default an operator proposes and an approver of the same organisation decides. An action may
name other roles (`proposer_roles`, `checker_roles`), let an administrator of the platform
decide requests of any organisation (`platform_decides`), and add its own refusal of a checker
(`checker_check(request, user)`, raising an ApplicationError), e.g. a role grant that the
grantee may not approve. An `administrative` action (a role grant) is the organisation's own
administration, not business: the regulator, which does no business, may propose and decide it.
Whatever the action, the proposer's person never decides (scf/approvals/services.py)."""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rest_framework.serializers import Serializer

from scf.accounts.models import Role
from scf.accounts.validation import field_error


@dataclass(frozen=True)
class ApprovalAction:
    name: str
    handler: Callable[..., dict | None]
    input_serializer: type[Serializer] | None
    organisation_kinds: frozenset[str] | None
    passes_approval: bool
    proposer_roles: frozenset[str] = frozenset({Role.OPERATOR})
    checker_roles: frozenset[str] = frozenset({Role.APPROVER})
    platform_decides: bool = False
    checker_check: Callable[..., None] | None = None
    administrative: bool = False

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
                    proposer_roles: Iterable[str] = (Role.OPERATOR,),
                    checker_roles: Iterable[str] = (Role.APPROVER,),
                    platform_decides: bool = False,
                    checker_check: Callable[..., None] | None = None,
                    administrative: bool = False,
                    replace: bool = False) -> ApprovalAction:
    if name in _ACTIONS and not replace:
        raise ValueError(f"approval action {name!r} is already registered")
    action = ApprovalAction(
        name=name, handler=handler, input_serializer=input_serializer,
        organisation_kinds=frozenset(organisation_kinds) if organisation_kinds else None,
        passes_approval=_accepts_approval(handler), proposer_roles=frozenset(proposer_roles),
        checker_roles=frozenset(checker_roles), platform_decides=platform_decides,
        checker_check=checker_check, administrative=administrative)
    _ACTIONS[name] = action
    return action


def unregister_action(name: str) -> None:
    _ACTIONS.pop(name, None)


def get_action(name: str) -> ApprovalAction:
    try:
        return _ACTIONS[name]
    except KeyError:
        raise field_error("action", f"未知操作 {name} / Unknown action {name}") from None


def find_action(name: str) -> ApprovalAction:
    """The action's registration, or the default policy (operator proposes, approver decides)
    for a request whose action is no longer registered: it can still be rejected."""
    return _ACTIONS.get(name) or ApprovalAction(
        name=name, handler=lambda **kwargs: None, input_serializer=None,
        organisation_kinds=None, passes_approval=False)


def registered_actions() -> list[str]:
    return sorted(_ACTIONS)


def platform_decided_actions() -> list[str]:
    """The actions whose requests an administrator of the platform may decide for any
    organisation (and therefore sees)."""
    return sorted(name for name, action in _ACTIONS.items() if action.platform_decides)
