"""What the signed-in user may do, as /api/auth/me tells the browser: each capability is the
permission class (or classes, all of which must allow) that the API view doing it declares, so
the SPA shows a button exactly when the server would accept the request. Nothing here restates
a rule: a capability is true when those classes' `has_permission` says so for this user.

Object-level rules (one's own organisation's piece, a different maker and checker) are still
checked by the services; a capability says "this kind of request is allowed", not "this one".
"""

from django.http import HttpRequest
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from banking.apis.common import (
    CanApply,
    CanConfirmClearing,
    CanDecideFinancing,
    CanDecideLine,
    CanDisburse,
    CanProposeLine,
    CanQuote,
    CanReadFinancing,
    CanReadLines,
)
from receivables.apis.common import (
    CanFreeze,
    CanMovePieces,
    CanProposeIssue,
    CanRecordInvoice,
    CanRecordTrade,
    CanRespond,
)
from receivables.services import ISSUE_ACTION
from scf.accounts.permissions import IsOrganisationAdmin, IsPlatformAdmin
from scf.approvals.apis import CanDecide, CanPropose
from scf.approvals.registry import get_action
from scf.audit.apis import ReadsAll
from scf.kyc.apis import CanPrepareKyc, CanReviewKyc, CanSeeReviewQueue


def may_use_approval_action(action: str) -> type[BasePermission]:
    """The organisation kinds an approval action was registered for (the approvals service
    refuses a proposal from any other kind, so nobody else has one to approve)."""

    class MayUseApprovalAction(BasePermission):
        def has_permission(self, request, view) -> bool:
            kinds = get_action(action).organisation_kinds
            return kinds is None or request.user.organisation.kind in kinds

    MayUseApprovalAction.__name__ = f"MayUseApprovalAction_{action}"
    return MayUseApprovalAction


# name → the permission classes of the endpoint that does it (receivables/apis, banking/apis,
# scf/kyc/apis.py, scf/approvals/apis.py, scf/accounts/apis.py, scf/audit/apis.py).
CAPABILITIES: dict[str, tuple[type[BasePermission], ...]] = {
    "record_trade": (CanRecordTrade,),
    "record_invoice": (CanRecordInvoice,),
    "issue_voucher": (CanProposeIssue,),
    "approve_issue": (CanDecide, may_use_approval_action(ISSUE_ACTION)),
    "respond_voucher": (CanRespond,),
    "move_pieces": (CanMovePieces,),
    "freeze": (CanFreeze,),
    "read_credit_lines": (CanReadLines,),
    "propose_credit_line": (CanProposeLine,),
    "decide_credit_line": (CanDecideLine,),
    "read_financing": (CanReadFinancing,),
    "apply_financing": (CanApply,),
    "quote": (CanQuote,),
    "decide_financing": (CanDecideFinancing,),
    "disburse": (CanDisburse,),
    "confirm_clearing": (CanConfirmClearing,),
    "prepare_kyc": (CanPrepareKyc,),
    "see_kyc_queue": (CanSeeReviewQueue,),
    "review_kyc": (CanReviewKyc,),
    "propose_approval": (CanPropose,),
    "decide_approval": (CanDecide,),
    "verify_audit": (ReadsAll,),
    "manage_organisations": (IsPlatformAdmin,),
    "manage_users": (IsOrganisationAdmin,),
    "edit_organisation": (IsOrganisationAdmin,),
}


def _allows(permission_classes, request) -> bool:
    # Classes in order, stopping at the first refusal, as DRF's APIView.check_permissions does.
    return all(permission().has_permission(request, None) for permission in permission_classes)


def capabilities_of(request) -> dict[str, bool]:
    """Each capability for the request's user, evaluated by the API's own permission classes."""
    return {name: _allows(classes, request) for name, classes in CAPABILITIES.items()}


def capabilities_for(user) -> dict[str, bool]:
    """The same for a user outside a request (management commands, tests)."""
    request = Request(HttpRequest())
    request.user = user
    return capabilities_of(request)


CapabilitiesOutputSerializer = type("CapabilitiesOutputSerializer", (serializers.Serializer,), {
    name: serializers.BooleanField() for name in CAPABILITIES})
