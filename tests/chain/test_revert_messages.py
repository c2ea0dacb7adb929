"""One bilingual message per custom error the contracts declare, used by the pre-flight and by
the decoding of reverts alike."""

import re
from pathlib import Path

import pytest
from eth_utils import function_signature_to_4byte_selector

from scf.chain.contracts import decode_revert
from scf.chain.errors import ChainRevertError
from scf.chain.revert_messages import MESSAGES, revert_message

INTERFACES = Path(__file__).resolve().parents[2] / "contracts_sol" / "interfaces"
DECLARATION = re.compile(r"^\s*error\s+(\w+)\(([^)]*)\);", re.MULTILINE)


def declared_errors() -> dict[str, list[str]]:
    errors = {}
    for source in sorted(INTERFACES.glob("*.sol")):
        for name, params in DECLARATION.findall(source.read_text()):
            errors[name] = [p.split()[-1] for p in params.split(",") if p.strip()]
    return errors


def test_every_declared_error_has_one_bilingual_message_and_no_other():
    declared = declared_errors()
    assert len(declared) >= 40  # the three interfaces' errors, parsed
    assert set(MESSAGES) == set(declared)
    for name, message in MESSAGES.items():
        chinese, separator, english = message.partition(" / ")
        assert separator and chinese.strip() and english.strip(), name
        assert re.search(r"[\u4e00-\u9fff]", chinese) and re.search("[A-Za-z]", english), name


@pytest.mark.parametrize("name", sorted(declared_errors()))
def test_each_message_formats_with_the_declared_arguments(name):
    args = {param: 7 for param in declared_errors()[name]}
    message = revert_message(name, args)
    assert "{" not in message and "Rejected on chain" not in message, message
    placeholders = set(re.findall(r"{(\w+)}", MESSAGES[name])) - {"statusZh", "statusEn"}
    assert placeholders <= set(declared_errors()[name]), name


def test_status_is_named_in_both_languages_and_unknown_errors_fall_back():
    assert revert_message("VoucherLedgerInvalidStatus", {"tokenId": 5, "status": 1}) == (
        "凭证 5 状态为「待签收」，不能执行此操作 / Piece 5 is pending acceptance: this is not "
        "possible")
    assert revert_message("Panic", {"code": 17}) == "链上拒绝 / Rejected on chain: Panic"
    assert revert_message("VoucherLedgerPieceFrozen", {}) == (
        "链上拒绝 / Rejected on chain: VoucherLedgerPieceFrozen")


def test_a_decoded_revert_and_an_early_refusal_carry_the_same_message():
    selector = function_signature_to_4byte_selector("VoucherLedgerPieceFrozen(uint256)")
    decoded = decode_revert(selector + (42).to_bytes(32, "big"))
    early = ChainRevertError("VoucherLedgerPieceFrozen", {"tokenId": 42})
    assert (decoded.error_name, decoded.error_args) == ("VoucherLedgerPieceFrozen",
                                                        {"tokenId": 42})
    assert decoded.message == early.message == "凭证 42 已被司法冻结 / Piece 42 is frozen by a " \
                                               "judicial order"
    assert (decoded.code, decoded.status_code, decoded.extra) == (
        early.code, early.status_code, early.extra) == (
        "chain_revert", 409, {"error": "VoucherLedgerPieceFrozen", "args": {"tokenId": 42}})
