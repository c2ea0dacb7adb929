"""Fixtures of the receivables tests: a temporary MEDIA_ROOT, a credit line set on chain from
the bank's own account (credit lines are banking's; these tests only need one to exist), an
API helper that runs the on-commit work (the eager outbox, the indexer) of each request, and a
cast of onboarded organisations."""

import itertools
import time

import pytest

from scf.chain.outbox import intent_execute
from scf.chain.services import organisation_intent_enqueue
from tests.factories import fast_password_hasher  # noqa: F401  (autouse fixture)
from tests.receivables.helpers import Api, Cast

_lines = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def credit_line(platform):
    """credit_line(bank, core, limit_fen, days=365): setLine from the bank's account."""
    def make(bank, core, limit_fen: int, *, days: int = 365):
        intent = organisation_intent_enqueue(
            organisation=bank, contract="CreditLines", function="setLine",
            args=[core.chain_account.address, limit_fen, int(time.time()) + days * 86400],
            idempotency_key=f"test-credit-line:{next(_lines)}", requested_by=None)
        assert intent_execute(intent_id=intent.pk) == "confirmed", intent.error_message
        return intent
    return make


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    return Api(django_capture_on_commit_callbacks)


@pytest.fixture
def cast(onboard, credit_line):
    return Cast(onboard, credit_line)
