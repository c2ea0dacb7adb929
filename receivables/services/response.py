"""The supplier's acceptance (签收) or rejection (拒签) of a pending voucher, and its chain
outcome."""


from django.db import transaction
from django.utils import timezone

from receivables import messages
from receivables.models import (
    Voucher,
)
from scf.accounts.models import ChainRole, OrganisationKind, User
from scf.accounts.permissions import (
    require_owner,
)
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.chain import preflight
from scf.chain.models import ChainIntent
from scf.chain.projection import Ledger, prejudge
from scf.chain.services import organisation_intent_enqueue
from scf.errors import InvalidStateError
from scf.notifications.services import notification_send

from .common import (
    LEDGER,
    VS,
    chain_address,
    member_problem,
    sha256_hex,
    voucher_outcome,
    voucher_transition,
)
from .issuance import release_invoices, voucher_summary

# --- acceptance (签收) and rejection (拒签) by the supplier ------------------------------------

def _respond_key(voucher: Voucher, verb: str) -> str:
    prefix = f"voucher-respond:{voucher.pk}:"
    attempt = ChainIntent.objects.filter(idempotency_key__startswith=prefix).count() + 1
    return f"{prefix}{attempt}:{verb}"


def _check_pending_root(voucher: Voucher) -> None:
    """accept/reject as the ledger checks them (the supplier's PENDING root, not frozen), then
    the supplier's membership, on the projection (prejudge). Called before the voucher's row is
    locked (no node call while a lock is held); a voucher not on chain yet fails its transition
    instead."""
    if voucher.token_id is None:
        return

    def check(ledger: Ledger) -> None:
        preflight.require_pending_root(ledger.piece_of(voucher.token_id),
                                       token_id=voucher.token_id,
                                       holder=chain_address(voucher.supplier))
        problem = member_problem(voucher.supplier, kinds=(OrganisationKind.SUPPLIER,),
                                  role=ChainRole.SUPPLIER, ledger=ledger)
        if problem:
            raise InvalidStateError(problem, code="not_a_member")

    prejudge(check)


def _locked_voucher(voucher: Voucher) -> Voucher:
    return (Voucher.objects.select_for_update(of=("self",))
            .select_related("debtor", "supplier__chain_account", "bank")
            .get(pk=voucher.pk))


@transaction.atomic
def voucher_accept(*, user: User, voucher: Voucher) -> Voucher:
    """The supplier's operator accepts the pending voucher (accept(tokenId) from its account)."""
    voucher_transition(voucher, "accept")  # as last read: refused before asking the chain
    _check_pending_root(voucher)
    voucher = _locked_voucher(voucher)
    require_owner(user, voucher.supplier_id)
    before = voucher_summary(voucher)
    voucher.status = voucher_transition(voucher, "accept")
    voucher.response_intent = organisation_intent_enqueue(
        organisation=voucher.supplier, contract=LEDGER, function="accept",
        args=[voucher.token_id], idempotency_key=_respond_key(voucher, "accept"),
        requested_by=user)
    voucher.responded_by, voucher.responded_at = user, timezone.now()
    voucher.save()
    audit_record(actor=user, organisation=voucher.supplier, action="voucher.accept",
                 obj=voucher, before=before, after=voucher_summary(voucher))
    return voucher


@transaction.atomic
def voucher_reject(*, user: User, voucher: Voucher, reason: str) -> Voucher:
    """The supplier's operator rejects the pending voucher with a reason: the reason stays here,
    its SHA-256 goes on chain; the chain cancels the voucher and restores the credit."""
    voucher_transition(voucher, "reject")  # as last read: refused before asking the chain
    _check_pending_root(voucher)
    voucher = _locked_voucher(voucher)
    require_owner(user, voucher.supplier_id)
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写拒签原因 / A reason is required")
    before = voucher_summary(voucher)
    voucher.status = voucher_transition(voucher, "reject")
    voucher.rejection_reason = reason
    voucher.rejection_reason_hash = sha256_hex(f"scf-voucher-reject:{voucher.pk}:{reason}")
    voucher.response_intent = organisation_intent_enqueue(
        organisation=voucher.supplier, contract=LEDGER, function="reject",
        args=[voucher.token_id, voucher.rejection_reason_hash],
        idempotency_key=_respond_key(voucher, "reject"), requested_by=user)
    voucher.responded_by, voucher.responded_at = user, timezone.now()
    voucher.save()
    audit_record(actor=user, organisation=voucher.supplier, action="voucher.reject",
                 obj=voucher, before=before,
                 after={**voucher_summary(voucher), "reason": reason})
    return voucher


@transaction.atomic
def voucher_response_outcome(*, intent: ChainIntent) -> Voucher | None:
    """Outcome hook of accept() and reject()."""
    voucher = (Voucher.objects.select_for_update(of=("self",))
               .select_related("debtor", "supplier")
               .filter(response_intent=intent).first())
    if voucher is None or voucher.status not in (VS.ACCEPTING, VS.REJECTING):
        return voucher
    before = voucher_summary(voucher)
    verb = "accept" if voucher.status == VS.ACCEPTING else "reject"
    if intent.status == ChainIntent.Status.CONFIRMED:
        voucher.status = voucher_outcome(voucher, f"{verb}_confirmed", intent)
        if verb == "reject":
            release_invoices(voucher)
        if verb == "accept":
            wording = messages.notification("voucher.accepted", supplier=voucher.supplier.name,
                                            face_value_fen=voucher.face_value_fen)
        else:
            wording = messages.notification("voucher.rejected", supplier=voucher.supplier.name,
                                            face_value_fen=voucher.face_value_fen,
                                            reason=voucher.rejection_reason)
        notification_send(organisation=voucher.debtor, link=f"/api/vouchers/{voucher.pk}",
                          **wording)
    else:
        voucher.status = voucher_outcome(voucher, f"{verb}_failed", intent)
    voucher.save()
    outcome = "failed" if voucher.status == VS.PENDING else "confirmed"
    audit_record(actor=intent.requested_by, organisation=voucher.supplier,
                 action=f"voucher.{verb}_{outcome}", obj=voucher, before=before,
                 after=voucher_summary(voucher), tx_hash=intent.tx_hash)
    return voucher
