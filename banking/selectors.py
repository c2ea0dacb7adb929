"""Reads of bank financing, scoped to what the user may see.

- Credit lines: the bank that granted them and the core enterprise that holds them.
- Financing applications: the applicant and the banks they are addressed to (a bank sees only
  its own quotes); not the core enterprise.
- Clearing batches: the core enterprise (every item), and each holder (its own items).
- The platform operator and the regulator read everything.
Another organisation's object answers 404: its existence is not revealed."""

import time

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from banking.models import (
    ClearingBatch,
    ClearingItem,
    CreditLine,
    CreditLineChange,
    FinancingAddressee,
    FinancingApplication,
    FinancingOperation,
    FinancingQuote,
)
from scf.accounts.models import Organisation, OrganisationKind
from scf.accounts.permissions import is_member, reads_all_organisations
from scf.chain.models import ChainEvent, CreditLineState, PieceState, SlotState
from scf.clock import date_of
from scf.pieces.claims import PIECE_RESERVED, Claim

K = OrganisationKind


def _kind(user) -> str | None:
    return user.organisation.kind if is_member(user) else None


# --- credit lines --------------------------------------------------------------------------------

def credit_line_list(*, user) -> QuerySet[CreditLine]:
    lines = CreditLine.objects.select_related("bank__chain_account",
                                              "core_enterprise__chain_account")
    if reads_all_organisations(user):
        return lines
    if _kind(user) == K.BANK:
        return lines.filter(bank_id=user.organisation_id)
    if _kind(user) == K.CORE_ENTERPRISE:
        return lines.filter(core_enterprise_id=user.organisation_id)
    return lines.none()


def credit_line_get(*, user, pk: int) -> CreditLine:
    return get_object_or_404(credit_line_list(user=user), pk=pk)


def credit_line_use(line: CreditLine) -> dict:
    """Limit, used and available as the chain's projection has them (CreditLines.lineOf and
    availableOf): available is nothing while frozen or after the chain's expiry."""
    bank = line.bank.chain_account.address if line.bank.chain_account_id else ""
    debtor = (line.core_enterprise.chain_account.address
              if line.core_enterprise.chain_account_id else "")
    state = CreditLineState.objects.filter(bank=bank, debtor=debtor).first()
    if state is None:
        return {"limit_fen": 0, "used_fen": 0, "available_fen": 0, "expiry": 0,
                "frozen": False, "block": None}
    usable = not state.frozen and state.expiry > int(time.time())
    return {"limit_fen": int(state.limit), "used_fen": int(state.used),
            "available_fen": int(state.limit - state.used) if usable else 0,
            "expiry": int(state.expiry), "frozen": state.frozen, "block": state.updated_block}


def credit_line_change_list(*, user) -> QuerySet[CreditLineChange]:
    changes = CreditLineChange.objects.select_related(
        "bank", "core_enterprise", "approval", "intent", "proposed_by", "decided_by")
    if reads_all_organisations(user):
        return changes
    if _kind(user) == K.BANK:
        return changes.filter(bank_id=user.organisation_id)
    if _kind(user) == K.CORE_ENTERPRISE:
        # Proposals are the bank's working papers: the core enterprise sees what took effect.
        return changes.filter(core_enterprise_id=user.organisation_id,
                              status=CreditLineChange.Status.APPLIED)
    return changes.none()


def credit_line_change_get(*, user, pk: int) -> CreditLineChange:
    return get_object_or_404(credit_line_change_list(user=user), pk=pk)


# --- financing -----------------------------------------------------------------------------------

def financing_application_list(*, user) -> QuerySet[FinancingApplication]:
    applications = (FinancingApplication.objects
                    .select_related("applicant", "applied_by", "lock_bank", "accepted_quote")
                    .prefetch_related(
                        Prefetch("addressees",
                                 queryset=FinancingAddressee.objects.select_related("bank")),
                        Prefetch("operations",
                                 queryset=FinancingOperation.objects.select_related("intent"))))
    if reads_all_organisations(user):
        return applications
    if _kind(user) == K.SUPPLIER:
        return applications.filter(applicant_id=user.organisation_id)
    if _kind(user) == K.BANK:
        return applications.filter(addressees__bank_id=user.organisation_id).distinct()
    return applications.none()


def financing_application_get(*, user, pk: int) -> FinancingApplication:
    return get_object_or_404(financing_application_list(user=user), pk=pk)


def financing_quote_list(*, user) -> QuerySet[FinancingQuote]:
    quotes = FinancingQuote.objects.select_related("bank", "application", "approval",
                                                   "proposed_by", "decided_by")
    if reads_all_organisations(user):
        return quotes
    if _kind(user) == K.SUPPLIER:
        return quotes.filter(application__applicant_id=user.organisation_id)
    if _kind(user) == K.BANK:
        return quotes.filter(bank_id=user.organisation_id)
    return quotes.none()


def financing_quote_get(*, user, pk: int) -> FinancingQuote:
    return get_object_or_404(financing_quote_list(user=user), pk=pk)


def financing_application_quotes(*, user, application: FinancingApplication
                                 ) -> QuerySet[FinancingQuote]:
    """The quotes on an application the user may see: a bank only its own."""
    return financing_quote_list(user=user).filter(application=application)


def financing_reservation_for_piece(*, token_id: int) -> FinancingApplication | None:
    """The live application reserving a piece, if any (the piece applied for, or the piece its
    lock split off): while several banks quote, or while the lock is on its way to the chain, no
    chain lock protects the piece yet, so the platform must not move it."""
    return FinancingApplication.objects.filter(
        Q(token_id=token_id) | Q(locked_token_id=token_id),
        status__in=FinancingApplication.LIVE_STATUSES).order_by("pk").first()


def financing_application_claim(token_id: int) -> Claim | None:
    """banking's claim on a piece (registered with scf.pieces.claims): a live application."""
    application = financing_reservation_for_piece(token_id=token_id)
    return None if application is None else _reservation_claim(application)


def financing_application_claims(token_ids: list[int]) -> dict[int, Claim]:
    """The same for many pieces, in one query."""
    claims: dict[int, Claim] = {}
    wanted = set(token_ids)
    applications = FinancingApplication.objects.filter(
        Q(token_id__in=token_ids) | Q(locked_token_id__in=token_ids),
        status__in=FinancingApplication.LIVE_STATUSES).order_by("pk")
    for application in applications:
        for token_id in (application.token_id, application.locked_token_id):
            if token_id in wanted and token_id not in claims:
                claims[token_id] = _reservation_claim(application)
    return claims


def _reservation_claim(application: FinancingApplication) -> Claim:
    return Claim(
        kind=PIECE_RESERVED, holder=("financing_application", application.pk),
        message=f"该凭证正在融资申请 #{application.pk} 中，不能转让、拆分或再次申请 / The piece is "
                f"reserved by financing application #{application.pk}",
        extra={"financing_application": application.pk,
               "fields": {"token_id": ["already applied for"]}})


def _names(addresses) -> dict[str, str]:
    return dict(Organisation.objects.filter(chain_account__address__in=set(addresses))
                .values_list("chain_account__address", "name"))


def piece_lineage(token_id: int) -> list[dict]:
    """The piece and its ancestors up to the root (from the projection), root last."""
    chain, seen = [], set()
    current = PieceState.objects.filter(token_id=token_id).first()
    while current is not None and current.token_id not in seen:
        seen.add(current.token_id)
        chain.append(current)
        if not current.parent_id:
            break
        current = PieceState.objects.filter(token_id=current.parent_id).first()
    names = _names(piece.owner for piece in chain)
    return [{"token_id": piece.token_id, "parent_id": piece.parent_id, "root_id": piece.root_id,
             "owner": piece.owner, "owner_name": names.get(piece.owner, ""),
             "balance_fen": int(piece.balance), "status": PieceState.Status(piece.status).label,
             "frozen": piece.frozen} for piece in chain]


def root_summary(root_id: int) -> dict | None:
    """The root voucher: debtor, bank, maturity, face value, what it cites (trade and invoice
    hashes from its VoucherIssued event)."""
    slot = SlotState.objects.filter(root_id=root_id).first()
    if slot is None:
        return None
    issued = ChainEvent.objects.filter(contract="VoucherLedger", name="VoucherIssued",
                                       args__tokenId=root_id).first()
    names = _names([slot.debtor, slot.bank])
    return {"root_id": root_id, "debtor": slot.debtor, "debtor_name": names.get(slot.debtor, ""),
            "bank": slot.bank, "bank_name": names.get(slot.bank, ""),
            "maturity": int(slot.maturity), "maturity_date": date_of(int(slot.maturity)),
            "face_value_fen": int(slot.face_value),
            "settled_amount_fen": int(slot.settled_amount),
            "trade_hash": issued.args.get("tradeHash", "") if issued else "",
            "invoice_hashes": issued.args.get("invoiceHashes", []) if issued else [],
            "issue_tx_hash": issued.tx_hash if issued else ""}


def applicant_kyc(organisation: Organisation) -> dict:
    case = getattr(organisation, "kyc_case", None)
    return {"organisation_status": organisation.status,
            "kyc_status": case.status if case else "none",
            "kyc_expires_on": case.expires_on if case else None,
            "kyc_reviewed_at": case.reviewed_at if case else None,
            "on_chain": organisation.chain_account_id is not None}


# --- clearing ------------------------------------------------------------------------------------

def clearing_batch_list(*, user) -> QuerySet[ClearingBatch]:
    batches = ClearingBatch.objects.select_related("core_enterprise", "confirmed_by")
    if reads_all_organisations(user):
        return batches
    if _kind(user) == K.CORE_ENTERPRISE:
        return batches.filter(core_enterprise_id=user.organisation_id)
    if _kind(user) in (K.SUPPLIER, K.BANK):
        return batches.filter(items__holder_id=user.organisation_id).distinct()
    return batches.none()


def clearing_batch_get(*, user, pk: int) -> ClearingBatch:
    return get_object_or_404(clearing_batch_list(user=user), pk=pk)


def clearing_batch_items(*, user, batch: ClearingBatch) -> QuerySet[ClearingItem]:
    """Every item for the debtor and the readers of all; a holder's own for a holder."""
    items = batch.items.select_related("holder", "operation__intent")
    if reads_all_organisations(user) or batch.core_enterprise_id == user.organisation_id:
        return items
    return items.filter(Q(holder_id=user.organisation_id))
