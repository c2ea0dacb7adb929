"""One transition helper, one policy for outcome hooks (scf.transitions)."""

import logging

import pytest

from banking.services import common as banking_common
from receivables.services import common as receivables_common
from scf.errors import InvalidStateError
from scf.transitions import outcome_transition, transition

TABLE = {"confirm": {"submitted": "confirmed"}}


def test_a_service_transition_answers_the_new_status():
    assert transition(TABLE, "submitted", "confirm", "操作 / operation") == "confirmed"


def test_a_disallowed_service_transition_is_refused_with_409():
    with pytest.raises(InvalidStateError) as caught:
        transition(TABLE, "failed", "confirm", "操作 / operation", code="invalid_x")
    error = caught.value
    assert error.status_code == 409 and error.code == "invalid_x"
    assert error.extra == {"status": "failed", "action": "confirm"}
    assert " / " in error.message  # bilingual


def test_an_unexpected_outcome_is_logged_with_row_and_intent_and_never_raises(caplog):
    class Row:
        def __repr__(self):
            return "<row 7>"

    class Intent:
        pk = 42

    with caplog.at_level(logging.WARNING, logger="scf.transitions"):
        assert outcome_transition(TABLE, "failed", "confirm", row=Row(), intent=Intent()) is None
    assert "<row 7>" in caplog.text and "42" in caplog.text and "confirm" in caplog.text


def test_an_expected_outcome_logs_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="scf.transitions"):
        assert outcome_transition(TABLE, "submitted", "confirm", row="r") == "confirmed"
    assert caplog.text == ""


def test_both_apps_apply_the_same_policy(caplog):
    """receivables' and banking's outcome transitions both leave the row and log."""
    voucher = receivables_common.Voucher(pk=1, status=receivables_common.VS.ACCEPTED)
    with caplog.at_level(logging.WARNING, logger="scf.transitions"):
        assert receivables_common.voucher_outcome(voucher, "issue_confirmed", None) == "accepted"
    assert "issue_confirmed" in caplog.text
    assert banking_common.transition is transition
    assert banking_common.outcome_transition is outcome_transition
    with pytest.raises(InvalidStateError):
        receivables_common.voucher_transition(voucher, "approve")
