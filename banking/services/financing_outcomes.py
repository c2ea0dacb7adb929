"""Chain outcomes of financing operations: lock, approval, decline, withdrawal."""

import logging

from django.utils import timezone

from banking.models import (
    FinancingApplication,
    FinancingOperation,
    FinancingQuote,
)
from scf.accounts.models import Organisation
from scf.audit.services import audit_record
from scf.chain.models import ChainIntent
from scf.chain.readers import slot_of
from scf.pieces.notices import record_debtor_notice

from .common import (
    ADDRESSEE_TRANSITIONS,
    APPLICATION_TRANSITIONS,
    QUOTE_TRANSITIONS,
    SELF,
    Quote,
    event_args,
    notify,
    organisations_by_address,
    outcome_transition,
)
from .financing_applications import (
    close_for_banks,
    financing_application_summary,
    financing_operation,
    locked_application,
)

logger = logging.getLogger(__name__)


def financing_operation_on_outcome(intent: ChainIntent) -> None:
    """lockForFinancing / approveFinancing / declineFinancing / withdrawFinancing confirmed or
    failed: move the application (and its quote) on, or back, recording the error."""
    operation = (FinancingOperation.objects.select_for_update(of=SELF)
                 .select_related("bank", "quote").filter(intent=intent).first())
    if operation is None or operation.handled:
        return
    application = locked_application(operation.application_id)
    before = financing_application_summary(application)
    confirmed = intent.status == ChainIntent.Status.CONFIRMED  # a failure is last_error
    handler = {FinancingOperation.Kind.LOCK: _on_lock,
               FinancingOperation.Kind.APPROVE: _on_approve,
               FinancingOperation.Kind.DECLINE: _on_decline,
               FinancingOperation.Kind.WITHDRAW: _on_withdraw}[operation.kind]
    handler(operation, application, intent, confirmed)
    application.save()
    operation.handled = True
    operation.save(update_fields=["handled"])
    audit_record(actor=intent.requested_by, organisation=application.applicant,
                 action=f"financing.{operation.kind}.{'confirmed' if confirmed else 'failed'}",
                 obj=application, before=before,
                 after=financing_application_summary(application), tx_hash=intent.tx_hash)


def _moved(table, row, action: str):
    """The row's status after an outcome; unchanged (and logged) when the table disallows it."""
    return outcome_transition(table, row.status, action, row=row) or row.status


def _set_status(application: FinancingApplication, action: str) -> bool:
    new_status = outcome_transition(APPLICATION_TRANSITIONS, application.status, action,
                                    row=application)
    if new_status:
        application.status = new_status
    return new_status is not None


def _on_lock(operation, application, intent, confirmed) -> None:
    link = f"/api/financing/applications/{application.pk}"
    if operation.quote_id is None:  # one bank: the lock made at application time
        if not confirmed:
            _set_status(application, "lock_failed")
            application.lock_bank = None
            notify(application.applicant, "financing.failed:lock", link=link,
                   error_name=intent.error_name)
            return
        if _set_status(application, "lock_confirmed"):
            _lock_confirmed(application, intent)
            notify(operation.bank, "financing.applied", link=link,
                   applicant=application.applicant.name, amount_fen=application.amount_fen)
        return
    quote = FinancingQuote.objects.select_for_update(of=SELF).get(pk=operation.quote_id)
    if not confirmed:  # the supplier's acceptance did not take: its offer stands
        if _set_status(application, "accept_failed"):
            quote.status = _moved(QUOTE_TRANSITIONS, quote, "accept_failed")
            quote.accepted_at = None
            quote.save()
            application.accepted_quote = None
        return
    if not _set_status(application, "accept_confirmed"):
        return
    _lock_confirmed(application, intent)
    application.lock_bank = operation.bank
    chosen = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    chosen.status = _moved(ADDRESSEE_TRANSITIONS, chosen, "select")
    chosen.decided_at = timezone.now()
    chosen.save()
    close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                     except_bank_id=operation.bank_id,
                     notice="financing.lapse:other_accepted")
    financing_operation(
        application=application, kind=FinancingOperation.Kind.APPROVE, bank=operation.bank,
        sender=operation.bank, function="approveFinancing",
        args=[str(application.locked_token_id)], user=quote.decided_by, quote=quote)


def _on_approve(operation, application, intent, confirmed) -> None:
    quote = FinancingQuote.objects.select_for_update(of=SELF).get(pk=operation.quote_id)
    link = f"/api/financing/applications/{application.pk}"
    if not confirmed:
        if _set_status(application, "approve_failed"):
            quote.status = _moved(QUOTE_TRANSITIONS, quote, "finance_failed")
            quote.save()
            application.accepted_quote = None
            notify(operation.bank, "financing.failed:approve", link=link,
                   error_name=intent.error_name)
        return
    if not _set_status(application, "approve_confirmed"):
        return
    quote.status = _moved(QUOTE_TRANSITIONS, quote, "financed")
    quote.save()
    chosen = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    chosen.status = _moved(ADDRESSEE_TRANSITIONS, chosen, "select")
    chosen.decided_by, chosen.decided_at = quote.decided_by, timezone.now()
    chosen.save()
    notify(application.applicant, "financing.financed", link=link, bank=operation.bank.name,
           net_proceeds_fen=quote.net_proceeds_fen, formula=quote.formula)
    _debtor_notice(application, intent, kind="financing", to_organisation=operation.bank,
                   from_token_id=application.locked_token_id)


def _debtor_notice(application: FinancingApplication, intent: ChainIntent, *, kind: str,
                   to_organisation: Organisation, from_token_id: int) -> None:
    """The debtor is told of every split and transfer (债权转让通知): the part split off for the
    lock ("split"), the piece passing to the bank ("financing"). The notice is a receivables
    document: banking records it through scf's hook, which receivables provides."""
    slot = slot_of(application.root_id)
    debtor = organisations_by_address([slot.debtor]).get(slot.debtor) if slot else None
    if debtor is None:
        logger.warning("application %s: the debtor is no platform organisation", application.pk)
        return
    record_debtor_notice(kind=kind, intent=intent, debtor=debtor,
                         from_organisation=application.applicant,
                         to_organisation=to_organisation, root_id=application.root_id,
                         from_token_id=from_token_id, to_token_id=application.locked_token_id,
                         amount_fen=application.amount_fen)


def _lock_confirmed(application: FinancingApplication, intent: ChainIntent) -> None:
    """Record the locked piece; when the lock split it off the applied piece, notify the
    debtor of the split."""
    application.locked_token_id = int(event_args(intent, "FinancingLocked")[0]["tokenId"])
    if application.locked_token_id != application.token_id:
        _debtor_notice(application, intent, kind="split",
                       to_organisation=application.applicant,
                       from_token_id=application.token_id)


def _on_decline(operation, application, intent, confirmed) -> None:
    if not confirmed:
        _set_status(application, "decline_failed")
        return
    if not _set_status(application, "decline_confirmed"):
        return
    application.lock_bank = None
    addressee = application.addressees.select_for_update(of=SELF).get(bank=operation.bank)
    addressee.status = _moved(ADDRESSEE_TRANSITIONS, addressee, "decline")
    addressee.reason = operation.reason
    addressee.decided_by, addressee.decided_at = intent.requested_by, timezone.now()
    addressee.save()
    for quote in application.quotes.select_for_update(of=SELF).filter(
            status__in=[Quote.PROPOSED, Quote.OFFERED]):
        quote.status = QUOTE_TRANSITIONS["reject"][quote.status]
        quote.save(update_fields=["status"])
    notify(application.applicant, "financing.declined:lock_released",
           link=f"/api/financing/applications/{application.pk}", bank=operation.bank.name,
           reason=operation.reason)


def _on_withdraw(operation, application, intent, confirmed) -> None:
    if not confirmed:
        _set_status(application, "withdraw_failed")
        return
    if _set_status(application, "withdraw_confirmed"):
        application.lock_bank = None
        close_for_banks(application, quote_action="lapse", addressee_action="lapse",
                         notice="financing.lapse:withdrawn")
