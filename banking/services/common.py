"""Shared by the banking services: transition tables, the transition helper and small lookups."""

import logging
from collections.abc import Iterable

from banking import messages
from banking.models import (
    ClearingBatch,
    ClearingItem,
    CreditLine,
    CreditLineChange,
    FinancingAddressee,
    FinancingApplication,
    FinancingQuote,
)
from scf.accounts.models import Organisation, User
from scf.accounts.permissions import ForbiddenError
from scf.approvals.models import ApprovalRequest
from scf.chain.models import ChainIntent, PieceState
from scf.errors import InvalidStateError
from scf.notifications.services import notification_send
from scf.transitions import outcome_transition, transition  # noqa: F401

logger = logging.getLogger(__name__)


# Lock the row itself only: FOR UPDATE over a nullable select_related join is refused by
# PostgreSQL (SQLite ignores FOR UPDATE altogether).
SELF = ("self",)
ACTION_CREDIT_LINE_SET = "credit_line.set"
ACTION_FINANCING_QUOTE = "financing.quote"
MAX_BANKS_PER_APPLICATION = 5
MAX_INVOICE_REFERENCES = 20

Line = CreditLine.Status
Change = CreditLineChange.Status
App = FinancingApplication.Status
Quote = FinancingQuote.Status
Addressee = FinancingAddressee.Status
Batch = ClearingBatch.Status
Item = ClearingItem.Status
PieceStatus = PieceState.Status

# --- transition tables: action -> {from status: to status} ------------------------------------

LINE_TRANSITIONS: dict[str, dict] = {
    "grant": {None: Line.ACTIVE},
    # CreditLines.setLine keeps a frozen line frozen; a new expiry revives an expired line.
    "adjust": {Line.ACTIVE: Line.ACTIVE, Line.EXPIRED: Line.ACTIVE, Line.FROZEN: Line.FROZEN},
    "freeze": {Line.ACTIVE: Line.FROZEN, Line.EXPIRED: Line.FROZEN},
    "unfreeze": {Line.FROZEN: Line.ACTIVE},
    "expire": {Line.ACTIVE: Line.EXPIRED},
}
CHANGE_TRANSITIONS: dict[str, dict] = {
    "approve": {Change.PROPOSED: Change.SUBMITTED},
    "reject": {Change.PROPOSED: Change.REJECTED},
    "confirm": {Change.SUBMITTED: Change.APPLIED},
    "fail": {Change.SUBMITTED: Change.FAILED},
}
APPLICATION_TRANSITIONS: dict[str, dict] = {
    "lock_confirmed": {App.LOCKING: App.SUBMITTED},
    "lock_failed": {App.LOCKING: App.FAILED},
    "accept": {App.SUBMITTED: App.ACCEPTING},
    "accept_confirmed": {App.ACCEPTING: App.APPROVING},
    "accept_failed": {App.ACCEPTING: App.SUBMITTED},
    "approve": {App.SUBMITTED: App.APPROVING},
    "approve_confirmed": {App.APPROVING: App.FINANCED},
    "approve_failed": {App.APPROVING: App.SUBMITTED},
    "decline": {App.SUBMITTED: App.DECLINING},
    "decline_confirmed": {App.DECLINING: App.DECLINED},
    "decline_failed": {App.DECLINING: App.SUBMITTED},
    "all_declined": {App.SUBMITTED: App.DECLINED},
    "withdraw": {App.SUBMITTED: App.WITHDRAWING},
    "withdraw_unlocked": {App.SUBMITTED: App.WITHDRAWN},
    "withdraw_confirmed": {App.WITHDRAWING: App.WITHDRAWN},
    "withdraw_failed": {App.WITHDRAWING: App.SUBMITTED},
    "disburse": {App.FINANCED: App.DISBURSED},
}
QUOTE_TRANSITIONS: dict[str, dict] = {
    "approve_locked": {Quote.PROPOSED: Quote.ACCEPTED},
    "approve_offer": {Quote.PROPOSED: Quote.OFFERED},
    "accept": {Quote.OFFERED: Quote.ACCEPTED},
    "financed": {Quote.ACCEPTED: Quote.FINANCED},
    "accept_failed": {Quote.ACCEPTED: Quote.OFFERED},
    "finance_failed": {Quote.ACCEPTED: Quote.FAILED},
    "reject": {Quote.PROPOSED: Quote.REJECTED, Quote.OFFERED: Quote.REJECTED},
    "lapse": {Quote.PROPOSED: Quote.LAPSED, Quote.OFFERED: Quote.LAPSED},
    "checker_reject": {Quote.PROPOSED: Quote.REJECTED},
    "approval_failed": {Quote.PROPOSED: Quote.FAILED},
}
ADDRESSEE_TRANSITIONS: dict[str, dict] = {
    # An approval confirmed after the accepted quote's lock already selected the bank.
    "select": {Addressee.OPEN: Addressee.SELECTED, Addressee.SELECTED: Addressee.SELECTED},
    "decline": {Addressee.OPEN: Addressee.DECLINED, Addressee.SELECTED: Addressee.DECLINED},
    "lapse": {Addressee.OPEN: Addressee.LAPSED},
}
BATCH_TRANSITIONS: dict[str, dict] = {
    "confirm": {Batch.AWAITING_FUNDING: Batch.SETTLING},
    "settled": {Batch.SETTLING: Batch.SETTLED, Batch.PARTIALLY_SETTLED: Batch.SETTLED},
    "partial": {Batch.SETTLING: Batch.PARTIALLY_SETTLED},
    "resume": {Batch.PARTIALLY_SETTLED: Batch.SETTLING},
}
ITEM_TRANSITIONS: dict[str, dict] = {
    "settle": {Item.PENDING: Item.SETTLING, Item.BLOCKED: Item.SETTLING,
               Item.FAILED: Item.SETTLING},
    "block": {Item.PENDING: Item.BLOCKED, Item.BLOCKED: Item.BLOCKED, Item.FAILED: Item.BLOCKED},
    "settled": {Item.SETTLING: Item.SETTLED, Item.PENDING: Item.SETTLED,
                Item.BLOCKED: Item.SETTLED, Item.FAILED: Item.SETTLED},
    "fail": {Item.SETTLING: Item.FAILED},
}


# --- shared helpers ------------------------------------------------------------------------------

def address(organisation: Organisation) -> str:
    if organisation.chain_account_id is None:
        raise InvalidStateError(
            f"{organisation.name} 尚未上链 / {organisation.name} has no chain account yet: its "
            "KYC must be approved first", code="no_chain_account")
    return organisation.chain_account.address


def organisations_by_address(addresses: Iterable[str]) -> dict[str, Organisation]:
    return {org.chain_account.address: org for org in Organisation.objects.select_related(
        "chain_account").filter(chain_account__address__in=set(addresses))}


def event_args(intent: ChainIntent, name: str) -> list[dict]:
    return [event["args"] for event in intent.result.get("events", [])
            if event.get("event") == name]


def require_active_member(user: User, kind: str) -> Organisation:
    organisation = user.organisation
    if organisation is None or organisation.kind != kind:
        raise ForbiddenError("本机构不能执行此操作 / Your organisation cannot do this")
    if not organisation.is_active:
        raise ForbiddenError("机构已暂停，只能查看 / The organisation is suspended: read only")
    return organisation


def raise_if_approval_failed(approval: ApprovalRequest) -> None:
    """The handler refused after all: surface its error and roll the approval back with the
    rest of the caller's transaction (nothing half-written)."""
    if approval.status == ApprovalRequest.Status.FAILED:
        result = approval.result or {}
        raise InvalidStateError(result.get("error", "执行失败 / The action failed"),
                                code=result.get("code"), extra=result.get("extra") or {})


def notify(organisation: Organisation | None, key: str, *, link: str = "", **params) -> None:
    """Send the notification `key` of banking's catalogue (`banking/messages.py`), worded with
    `params`; nobody to tell (no organisation) sends nothing."""
    if organisation is not None:
        notification_send(organisation=organisation, link=link,
                          **messages.notification(key, **params))
