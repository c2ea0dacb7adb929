"""Seeding help for the browser end-to-end run (frontend/e2e), for what the API cannot do yet:
the regulator cannot prepare a KYC case (it reads only), so nothing registers it on chain, and a
freeze needs it there. Run inside the server's environment:

    python manage.py shell -c "from tests.e2e.onboard import register; register('<credit code>')"
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from scf.accounts.models import Organisation
from scf.accounts.services import member_register_or_update
from scf.chain.models import ChainIntent
from scf.chain.outbox import intent_execute


def register(credit_code: str, *, days: int = 365) -> str:
    """Register the organisation in the member registry (as a KYC approval would); returns the
    transaction hash."""
    organisation = Organisation.objects.get(credit_code=credit_code)
    with transaction.atomic():
        intent = member_register_or_update(
            organisation=organisation, expires_on=timezone.localdate() + timedelta(days=days),
            requested_by=None, case_pk=0, revision=0)
    outcome = intent_execute(intent_id=intent.pk)
    intent = ChainIntent.objects.get(pk=intent.pk)
    if outcome != "confirmed":
        raise RuntimeError(f"registration failed: {intent.error_name} {intent.error_message}")
    print(intent.tx_hash)
    return intent.tx_hash
