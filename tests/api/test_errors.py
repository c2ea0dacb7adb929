"""The one error shape and its status codes (scf/errors.py): validation 400, forbidden 403, not
found 404, invalid state and chain revert 409, unavailable 503, a misconfigured server 500."""

import logging

import pytest
from django.http import Http404
from rest_framework import exceptions as drf_exceptions

from scf.chain.errors import (
    ChainNodeError,
    ChainRevertError,
    ChainUnavailableError,
    CompilationError,
    DeploymentError,
)
from scf.chain.keys import KeyDecryptionError
from scf.errors import (
    ConfigurationError,
    ForbiddenError,
    InvalidStateError,
    NotFoundError,
    api_exception_handler,
    field_error,
)


def answer(exc: Exception):
    response = api_exception_handler(exc, {})
    assert set(response.data) == {"message", "code", "extra"}, response.data
    return response.status_code, response.data


@pytest.mark.parametrize(("exc", "status", "code"), [
    (field_error("amount_fen", "金额有误 / Bad amount"), 400, "validation_error"),
    (drf_exceptions.ValidationError({"x": ["y"]}), 400, "validation_error"),
    (ForbiddenError("不行 / No"), 403, "permission_denied"),
    (NotFoundError(), 404, "not_found"),
    (Http404("no such piece"), 404, "not_found"),
    (InvalidStateError("状态不对 / Wrong state"), 409, "invalid_state"),
    (ChainRevertError("VoucherLedgerPieceFrozen", {"tokenId": 1}), 409, "chain_revert"),
    (ChainUnavailableError("节点不可用 / Node down"), 503, "chain_unavailable"),
])
def test_each_error_class_answers_its_status_in_the_one_shape(exc, status, code):
    assert answer(exc)[0] == status
    assert answer(exc)[1]["code"] == code


def test_not_found_is_bilingual_also_for_djangos_http404():
    for exc in (NotFoundError(), Http404("no such subject")):
        assert answer(exc)[1]["message"] == "未找到 / Not found"


def test_a_field_error_lists_the_field():
    _, body = answer(field_error("limit_fen", "额度过大 / Too large"))
    assert body["extra"] == {"fields": {"limit_fen": ["额度过大 / Too large"]}}


@pytest.mark.parametrize("exc", [
    KeyDecryptionError("A chain account key cannot be decrypted with SCF_KEY_ENCRYPTION_KEYS"),
    CompilationError("ParserError: Expected ';'"),
    ChainNodeError("anvil is not installed"),
    DeploymentError("CreditLines already serves another ledger"),
])
def test_configuration_errors_answer_500_and_are_logged_not_shown(exc, caplog):
    assert isinstance(exc, ConfigurationError)
    with caplog.at_level(logging.ERROR, logger="scf.errors"):
        status, body = answer(exc)
    assert status == 500
    assert body["code"] == exc.code and "/" in body["message"]
    assert exc.message not in body["message"]  # the detail is for the operators' log
    assert exc.message in caplog.text
