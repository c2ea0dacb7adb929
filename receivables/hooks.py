"""Where the receivables domain plugs into the platform, connected in ReceivablesConfig.ready():
the maker-checker action "voucher.issue", the outcome hooks of its chain functions, and the end
of a proposal its approver rejected (or whose execution failed)."""

from django.db.models.signals import post_save

from receivables import services
from scf.accounts.models import OrganisationKind
from scf.approvals.models import ApprovalRequest
from scf.approvals.registry import register_action
from scf.chain.hooks import on_intent_outcome
from scf.chain.models import ChainIntent

PIECE_FUNCTIONS = ("transferValue", "transferPiece", "split", "freeze", "unfreeze")


def on_issue_outcome(intent: ChainIntent) -> None:
    services.voucher_issue_outcome(intent=intent)


def on_response_outcome(intent: ChainIntent) -> None:
    services.voucher_response_outcome(intent=intent)


def on_piece_operation_outcome(intent: ChainIntent) -> None:
    services.piece_operation_outcome(intent=intent)


def on_approval_saved(sender, instance: ApprovalRequest, created: bool, **kwargs) -> None:
    """A thin receiver: the approvals app has no reject hook, so a declined or failed
    "voucher.issue" request closes its voucher here, in the approval's transaction."""
    if (not created and instance.action == services.ISSUE_ACTION
            and instance.status in (ApprovalRequest.Status.REJECTED,
                                    ApprovalRequest.Status.FAILED)):
        services.voucher_proposal_close(approval=instance)


def connect() -> None:
    register_action(services.ISSUE_ACTION, services.voucher_issue_execute,
                    organisation_kinds=[OrganisationKind.CORE_ENTERPRISE], replace=True)
    on_intent_outcome(services.LEDGER, "issue")(on_issue_outcome)
    on_intent_outcome(services.LEDGER, "accept")(on_response_outcome)
    on_intent_outcome(services.LEDGER, "reject")(on_response_outcome)
    for function in PIECE_FUNCTIONS:
        on_intent_outcome(services.LEDGER, function)(on_piece_operation_outcome)
    post_save.connect(on_approval_saved, sender=ApprovalRequest,
                      dispatch_uid="receivables.voucher_proposal_close")
