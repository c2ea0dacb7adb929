"""Shared by the receivables services: limits, transition tables, hashes of trade documents,
uploads and the membership checks every service makes."""

import hashlib
import json
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from receivables.models import (
    PieceOperation,
    Voucher,
)
from scf.accounts.models import ChainRole, Organisation
from scf.accounts.validation import field_error
from scf.chain.limits import chain_limits
from scf.chain.models import PieceState
from scf.chain.projection import Ledger
from scf.kyc.filetypes import DocumentTypeError, detect_document_type
from scf.kyc.services import max_upload_bytes
from scf.transitions import outcome_transition, transition

logger = logging.getLogger(__name__)


LEDGER = "VoucherLedger"
ISSUE_ACTION = "voucher.issue"
HOLDER_ROLES = ChainRole.SUPPLIER | ChainRole.BANK
PieceStatus = PieceState.Status
VS = Voucher.Status

# action -> {from status: to status}
VOUCHER_TRANSITIONS: dict[str, dict[str, str]] = {
    "approve": {VS.PROPOSED: VS.ISSUING},
    "decline": {VS.PROPOSED: VS.DECLINED},
    "fail_approval": {VS.PROPOSED: VS.FAILED},
    "issue_confirmed": {VS.ISSUING: VS.PENDING},
    "issue_failed": {VS.ISSUING: VS.FAILED},
    "accept": {VS.PENDING: VS.ACCEPTING},
    "accept_confirmed": {VS.ACCEPTING: VS.ACCEPTED},
    "accept_failed": {VS.ACCEPTING: VS.PENDING},
    "reject": {VS.PENDING: VS.REJECTING},
    "reject_confirmed": {VS.REJECTING: VS.REJECTED},
    "reject_failed": {VS.REJECTING: VS.PENDING},
}
# Proposed or issuing vouchers reserve credit the chain does not know about yet.
RESERVING_STATUSES = (VS.PROPOSED, VS.ISSUING)

OPS = PieceOperation.Status
OPERATION_TRANSITIONS: dict[str, dict[str, str]] = {
    "confirm": {OPS.SUBMITTED: OPS.CONFIRMED},
    "fail": {OPS.SUBMITTED: OPS.FAILED},
}


def max_split_parts() -> int:
    """Parts a user may split a piece into: the last part stays on the piece, so the chain
    creates one piece fewer than that, within VoucherLedger.MAX_SPLIT."""
    return chain_limits().max_split


# --- small helpers ------------------------------------------------------------------------------

def sha256_hex(text: str) -> str:
    return "0x" + hashlib.sha256(text.encode()).hexdigest()


def invoice_chain_hash(key: str) -> str:
    """The invoice's identity on chain: the same invoice scanned twice has the same hash."""
    return sha256_hex("scf-invoice:" + key)


def trade_contract_hash(*, debtor: Organisation, supplier: Organisation, number: str,
                        amount_fen: int, signed_on: date, file_sha256: str) -> str:
    """SHA-256 over the canonical record of the trade (parties by credit code, number, amount,
    date and the document's own hash): anyone holding the record can check the chain's
    tradeHash, and no text goes on chain."""
    canonical = json.dumps({
        "debtor": debtor.credit_code, "supplier": supplier.credit_code, "number": number,
        "amount_fen": amount_fen, "signed_on": signed_on.isoformat(),
        "file_sha256": file_sha256,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_hex("scf-trade:" + canonical)


def chain_address(organisation: Organisation | None) -> str | None:
    if organisation is None or not organisation.chain_account_id:
        return None
    return organisation.chain_account.address


def organisation_by_address(address: str | None) -> Organisation | None:
    if not address:
        return None
    return (Organisation.objects.select_related("chain_account")
            .filter(chain_account__address=address).first())


def voucher_transition(voucher: Voucher, action: str) -> str:
    return transition(VOUCHER_TRANSITIONS, voucher.status, action, "凭证 / voucher",
                      code="invalid_voucher_status")


def operation_transition(operation: PieceOperation, action: str) -> str:
    return transition(OPERATION_TRANSITIONS, operation.status, action, "操作 / operation")


def voucher_outcome(voucher: Voucher, action: str, intent) -> str:
    """In an outcome hook: the one policy of scf.transitions (log, leave unchanged)."""
    return outcome_transition(VOUCHER_TRANSITIONS, voucher.status, action, row=voucher,
                              intent=intent) or voucher.status


def operation_outcome(operation: PieceOperation, action: str, intent) -> str:
    return outcome_transition(OPERATION_TRANSITIONS, operation.status, action, row=operation,
                              intent=intent) or operation.status


def read_document(file: UploadedFile) -> tuple[bytes, str, str]:
    """(bytes, detected type, sha256) of an upload: PDF/JPEG/PNG by content, size-limited."""
    limit = max_upload_bytes()
    if file.size is None or file.size > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    if file.size == 0:
        raise DocumentTypeError("文件为空 / The file is empty")
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    detected = detect_document_type(data)
    return data, detected, hashlib.sha256(data).hexdigest()


def attach_document(instance, file: UploadedFile | None, document) -> None:
    if file is None:
        return
    data, detected, digest = document
    instance.file_sha256 = digest
    instance.file_content_type = detected.content_type
    instance.file_size = len(data)
    instance.file_original_name = (file.name or "")[-255:]
    instance.file.save(f"document.{detected.extension}", ContentFile(data), save=False)


def save_with_document(instance, unique_message: tuple[str, str]) -> None:
    """Save; on failure remove the stored file so no orphan remains."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if instance.file:
            instance.file.delete(save=False)
        raise field_error(*unique_message) from exc
    except Exception:
        if instance.file:
            instance.file.delete(save=False)
        raise


def counterparty_problem(organisation: Organisation, problem: str, *, as_zh: str,
                         as_en: str) -> str:
    """A member_problem told of a named counterparty, in one bilingual message: "受让方某公司
    （代码）不能持有凭证：机构已暂停 / The receiver 某公司 (code) cannot hold vouchers: …";
    `as_zh` and `as_en` name it with {who}."""
    zh, _, en = problem.partition(" / ")
    who_zh = f"{organisation.name}（{organisation.credit_code}）"
    who_en = f"{organisation.name} ({organisation.credit_code})"
    return f"{as_zh.format(who=who_zh)}：{zh} / {as_en.format(who=who_en)}: {en or zh}"


def member_problem(organisation: Organisation, *, kinds: tuple[str, ...], role: int,
                   ledger: Ledger) -> str | None:
    """Why the organisation cannot take part on chain (None if it can), as `ledger` has it."""
    if organisation.kind not in kinds:
        return "机构类型不符 / The organisation is of the wrong kind"
    if not organisation.is_active:
        return "机构已暂停 / The organisation is suspended"
    address = chain_address(organisation)
    if address is None:
        return "机构尚未通过KYC上链 / The organisation is not onboarded (no chain account)"
    if not ledger.is_member(address, role):
        return ("机构不是链上有效会员（未登记、KYC已过期或已暂停） / The organisation is not an "
                "active member on chain (not registered, KYC expired or suspended)")
    return None
