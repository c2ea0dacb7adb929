"""Banking's reconcile checks (registered in BankingConfig.ready(), run by the reconciler,
scf.chain.reconcile_run): what the business records say of lines, financings and clearing holds
on chain.

- "banking.credit_lines": an active or frozen line has on chain the limit, the expiry (the
  midnight after `expires_on`) and the frozen flag the database shows.
- "banking.financings": a financed (or disbursed) application's piece exists and is owned by
  the bank that financed it, unless a confirmed whole-piece transfer (transferPiece) moved it
  on since.
- "banking.clearing": a clearing item marked settled is settled on chain."""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Q

from banking.models import ClearingItem, CreditLine, FinancingApplication
from scf import clock
from scf.chain.checks import Finding
from scf.chain.models import ChainIntent
from scf.chain.readers import PieceStatus, line_of, pieces_of

CREDIT_LINES = "banking.credit_lines"
FINANCINGS = "banking.financings"
CLEARING = "banking.clearing"
FINANCED = (FinancingApplication.Status.FINANCED, FinancingApplication.Status.DISBURSED)


def credit_lines_check(since: datetime | None) -> Iterator[Finding]:
    lines = CreditLine.objects.filter(
        status__in=[CreditLine.Status.ACTIVE, CreditLine.Status.FROZEN]).select_related(
        "bank__chain_account", "core_enterprise__chain_account")
    if since is not None:
        lines = lines.filter(updated_at__gte=since)
    for line in lines.order_by("pk"):
        on_chain = line_of(line.bank.chain_account.address,
                           line.core_enterprise.chain_account.address)
        expected = {"limit": line.limit_fen, "expiry": clock.end_of_day(line.expires_on),
                    "frozen": line.status == CreditLine.Status.FROZEN}
        for name, value in expected.items():
            if getattr(on_chain, name) != value:
                yield Finding(CREDIT_LINES, f"credit line {line.pk} [{line.status}]",
                              f"{name}: chain={getattr(on_chain, name)!r} database={value!r}")


def financings_check(since: datetime | None) -> Iterator[Finding]:
    applications = FinancingApplication.objects.filter(
        status__in=FINANCED, locked_token_id__isnull=False).select_related(
        "lock_bank__chain_account", "accepted_quote__bank__chain_account")
    if since is not None:
        applications = applications.filter(updated_at__gte=since)
    applications = list(applications.order_by("pk"))
    token_ids = [a.locked_token_id for a in applications]
    moved_on = _passed_on(set(token_ids))
    pieces = pieces_of(token_ids)
    for application in applications:
        piece = pieces[application.locked_token_id]
        subject = (f"financing application {application.pk} piece "
                   f"{application.locked_token_id} [{application.status}]")
        bank = _financing_bank(application)
        if piece is None:
            yield Finding(FINANCINGS, subject, "financed, but no such piece on chain")
        elif piece.owner.lower() != bank.lower() and piece.token_id not in moved_on:
            yield Finding(FINANCINGS, subject, f"owned by {piece.owner} on chain, by the bank "
                                               f"{bank} in the database")


def _passed_on(token_ids: set[int]) -> set[int]:
    """Pieces whose holder sent them on whole (transferPiece), confirmed: no longer the bank's."""
    sent = ChainIntent.objects.filter(status=ChainIntent.Status.CONFIRMED,
                                      contract="VoucherLedger", function="transferPiece")
    return {int(args[0]) for args in sent.values_list("args", flat=True)
            if args and int(args[0]) in token_ids}


def _financing_bank(application: FinancingApplication) -> str:
    """The address of the bank that financed the application (its lock stays recorded)."""
    bank = application.lock_bank or (application.accepted_quote.bank
                                     if application.accepted_quote else None)
    return bank.chain_account.address if bank is not None else ""


def clearing_check(since: datetime | None) -> Iterator[Finding]:
    items = ClearingItem.objects.filter(status=ClearingItem.Status.SETTLED)
    if since is not None:
        items = items.filter(Q(settled_at__gte=since) | Q(settled_at__isnull=True))
    items = list(items.order_by("pk").only("pk", "batch_id", "token_id"))
    pieces = pieces_of(item.token_id for item in items)
    for item in items:
        piece = pieces[item.token_id]
        if piece is None or piece.status != PieceStatus.SETTLED:
            state = piece.status_name if piece is not None else "absent"
            yield Finding(CLEARING, f"clearing item {item.pk} of batch {item.batch_id} piece "
                                    f"{item.token_id}", f"settled, but {state} on chain")
