"""Every business row that waits on a chain intent reads its chain facts from the intent."""

import pytest

from banking.models import (
    ClearingItem,
    ClearingOperation,
    CreditLineChange,
    FinancingApplication,
    FinancingOperation,
)
from receivables.models import PieceOperation, Voucher
from scf.approvals.models import ApprovalRequest
from scf.chain.models import ChainIntent
from scf.chain.operations import ChainOperation

Status = ChainIntent.Status
COPIES = {"tx_hash", "block_number", "error_name", "error_args", "error_message", "error",
          "last_error"}


def failed(**fields) -> ChainIntent:
    return ChainIntent(pk=7, status=Status.FAILED, tx_hash="0x" + "ab" * 32, block_number=12,
                       error_name="VoucherLedgerPieceFrozen", error_args={"tokenId": 3},
                       error_message="frozen", **fields)


@pytest.mark.parametrize("model", [Voucher, PieceOperation, CreditLineChange,
                                   FinancingOperation, ClearingOperation])
def test_rows_waiting_on_an_intent_are_chain_operations_without_copied_columns(model):
    assert issubclass(model, ChainOperation)
    columns = {field.name for field in model._meta.concrete_fields}
    assert not columns & COPIES


@pytest.mark.parametrize("model", [FinancingApplication, ClearingItem])
def test_rows_around_operations_copy_no_error_either(model):
    assert not {field.name for field in model._meta.concrete_fields} & COPIES


def test_a_piece_operation_reads_hash_block_and_error_from_its_intent():
    operation = PieceOperation(intent=failed())
    assert operation.tx_hash == "0x" + "ab" * 32 and operation.block_number == 12
    assert operation.error == {"name": "VoucherLedgerPieceFrozen", "args": {"tokenId": 3},
                               "message": "frozen"}
    assert operation.error_name == "VoucherLedgerPieceFrozen"
    operation.intent = ChainIntent(status=Status.CONFIRMED, tx_hash="0x01", block_number=13)
    assert operation.error is None and operation.error_name == "" and operation.block_number == 13
    assert PieceOperation().tx_hash == "" and PieceOperation().error is None


def test_a_voucher_error_is_its_answer_s_then_its_issue_s_then_its_approval_s():
    issued = ChainIntent(status=Status.CONFIRMED, tx_hash="0x02", block_number=3)
    voucher = Voucher(issue_intent=issued, response_intent=failed(), status=Voucher.Status.PENDING)
    assert voucher.tx_hash == "0x02"  # the issue's
    assert voucher.error_name == "VoucherLedgerPieceFrozen"
    voucher.response_intent = None
    assert voucher.error is None
    voucher.issue_intent = failed()
    assert voucher.error["message"] == "frozen"

    declined = Voucher(status=Voucher.Status.DECLINED,
                       approval=ApprovalRequest(rejection_reason="价格不对 / wrong price"))
    assert declined.error == {"name": "", "args": {}, "message": "价格不对 / wrong price"}
    broken = Voucher(status=Voucher.Status.FAILED, approval=ApprovalRequest(
        status=ApprovalRequest.Status.FAILED,
        result={"error": "e", "code": "not_a_member", "extra": {"a": 1}}))
    assert broken.error == {"name": "not_a_member", "args": {"a": 1}, "message": "e"}


def test_a_credit_line_change_error_names_its_operation():
    change = CreditLineChange(intent=failed())
    assert change.error == {"name": "VoucherLedgerPieceFrozen", "args": {"tokenId": 3},
                            "message": "frozen", "operation_id": 7}
    assert CreditLineChange().error == {}
