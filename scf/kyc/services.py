"""Writes of the KYC process: the organisation prepares and submits its case, the platform
operator approves (the organisation becomes a member on chain) or rejects it, and approved cases
expire."""

import hashlib
import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from scf import clock
from scf.accounts.models import Organisation, User
from scf.accounts.persons import require_different_person
from scf.accounts.services import member_register_or_update
from scf.accounts.validation import field_error
from scf.audit.services import audit_record
from scf.errors import ApplicationError, InvalidStateError
from scf.kyc.filetypes import DocumentTypeError, detect_document_type
from scf.kyc.models import KycCase, KycDocument

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
Status = KycCase.Status

# action -> {from status: to status}
KYC_TRANSITIONS: dict[str, dict[str, str]] = {
    "submit": {Status.DRAFT: Status.SUBMITTED},
    "resubmit": {Status.REJECTED: Status.SUBMITTED, Status.EXPIRED: Status.SUBMITTED},
    "approve": {Status.SUBMITTED: Status.APPROVED},
    "reject": {Status.SUBMITTED: Status.REJECTED},
    "expire": {Status.APPROVED: Status.EXPIRED},
}
# The organisation may change its documents only while the case is not under review or approved.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.REJECTED, Status.EXPIRED})
REQUIRED_DOCUMENT_KINDS = tuple(KycDocument.Kind.values)
# The reviewer is never the submitter, nor another account of the submitter's person (the
# platform's reviewer may also be an organisation's administrator).
MSG_OWN_CASE = "不能审核自己提交的 KYC / You cannot review a KYC case you submitted"


def max_upload_bytes() -> int:
    return getattr(settings, "SCF_KYC_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def kyc_case_summary(case: KycCase) -> dict:
    return {
        "status": case.status,
        "revision": case.revision,
        "expires_on": case.expires_on,
        "rejection_reason": case.rejection_reason,
        "documents": {doc.kind: doc.sha256 for doc in case.documents.filter(is_current=True)},
    }


def _transition(case: KycCase, action: str) -> str:
    new_status = KYC_TRANSITIONS[action].get(case.status)
    if new_status is None:
        raise InvalidStateError(
            f"KYC 案件状态为 {case.status}，不能执行 {action} / "
            f"Cannot {action} a KYC case whose status is {case.status}",
            extra={"status": case.status, "action": action})
    return new_status


def _locked(case: KycCase) -> KycCase:
    return KycCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)


@transaction.atomic
def kyc_case_create(*, organisation: Organisation, actor: User) -> KycCase:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if KycCase.objects.filter(organisation=organisation).exists():
        raise InvalidStateError("本机构已有 KYC 案件 / The organisation already has a KYC case",
                                code="kyc_case_exists")
    case = KycCase.objects.create(organisation=organisation, created_by=actor)
    audit_record(actor=actor, organisation=organisation, action="kyc.create", obj=case,
                 before={}, after=kyc_case_summary(case))
    return case


@transaction.atomic
def kyc_document_upload(*, case: KycCase, actor: User, kind: str,
                        file: UploadedFile) -> KycDocument:
    """Store a PDF/JPEG/PNG document, checked by its content, size-limited, with its SHA-256.
    A newer upload of the same kind supersedes the older one."""
    if kind not in KycDocument.Kind.values:
        raise field_error("kind", f"未知文件类别 {kind} / Unknown document kind {kind}")
    limit = max_upload_bytes()
    if file.size is None or file.size > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    if file.size == 0:
        raise DocumentTypeError("文件为空 / The file is empty")
    case = _locked(case)
    if case.status not in EDITABLE_STATUSES:
        raise InvalidStateError(
            f"KYC 案件状态为 {case.status}，不能修改文件 / "
            f"Documents cannot change while the case is {case.status}",
            extra={"status": case.status})
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise DocumentTypeError(
            f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")
    detected = detect_document_type(data)
    digest = hashlib.sha256(data).hexdigest()
    KycDocument.objects.filter(case=case, kind=kind, is_current=True).update(is_current=False)
    document = KycDocument(case=case, kind=kind, original_name=(file.name or "")[-255:],
                           content_type=detected.content_type, size=len(data), sha256=digest,
                           uploaded_by=actor)
    document.file.save(f"document.{detected.extension}", ContentFile(data), save=False)
    try:
        document.save()
        audit_record(actor=actor, organisation=case.organisation, action="kyc.document_upload",
                     obj=case, before={},
                     after={"document": document.pk, "kind": kind, "sha256": digest,
                            "size": len(data), "content_type": detected.content_type})
    except Exception:
        document.file.delete(save=False)  # no orphan file for a row that was never written
        raise
    return document


def _submit(case: KycCase, actor: User, action: str) -> KycCase:
    case = _locked(case)
    new_status = _transition(case, action)
    present = set(case.documents.filter(is_current=True).values_list("kind", flat=True))
    missing = [kind for kind in REQUIRED_DOCUMENT_KINDS if kind not in present]
    if missing:
        labels_zh = "、".join(str(KycDocument.Kind(kind).label).split(" / ")[0] for kind in missing)
        raise ApplicationError(
            f"缺少文件：{labels_zh} / Missing documents: {', '.join(missing)}",
            code="kyc_documents_missing", extra={"missing": missing})
    before = kyc_case_summary(case)
    case.status = new_status
    case.revision += 1
    case.submitted_by = actor
    case.submitted_at = timezone.now()
    case.save()
    audit_record(actor=actor, organisation=case.organisation, action=f"kyc.{action}", obj=case,
                 before=before, after=kyc_case_summary(case))
    return case


@transaction.atomic
def kyc_case_submit(*, case: KycCase, actor: User) -> KycCase:
    return _submit(case, actor, "submit")


@transaction.atomic
def kyc_case_resubmit(*, case: KycCase, actor: User) -> KycCase:
    """After a rejection or an expiry, with the documents brought up to date."""
    return _submit(case, actor, "resubmit")


@transaction.atomic
def kyc_case_approve(*, case: KycCase, actor: User, expires_on: date) -> KycCase:
    """Approve until `expires_on`. In the same transaction the organisation gets its chain
    account (first approval) and the member registry intent is enqueued: registerMember the
    first time, updateMember after an expiry."""
    case = _locked(case)
    new_status = _transition(case, "approve")
    if expires_on <= clock.today():
        raise field_error("expires_on", "有效期须晚于今天 / The expiry date must be after today")
    require_different_person(case.submitted_by, actor, same_account_message=MSG_OWN_CASE)
    organisation = Organisation.objects.select_for_update().get(pk=case.organisation_id)
    if not organisation.is_active:
        raise InvalidStateError("机构已暂停 / The organisation is suspended")
    before = kyc_case_summary(case)
    intent = member_register_or_update(organisation=organisation, expires_on=expires_on,
                                       requested_by=actor, case_pk=case.pk,
                                       revision=case.revision)
    case.status = new_status
    case.expires_on = expires_on
    case.rejection_reason = ""
    case.reviewed_by = actor
    case.reviewed_at = timezone.now()
    case.chain_intent = intent
    case.save()
    audit_record(actor=actor, organisation=organisation, action="kyc.approve", obj=case,
                 before=before,
                 after={**kyc_case_summary(case), "chain_intent": intent.pk,
                        "chain_function": intent.function,
                        "chain_address": organisation.chain_account.address})
    return case


@transaction.atomic
def kyc_case_reject(*, case: KycCase, actor: User, reason: str) -> KycCase:
    case = _locked(case)
    new_status = _transition(case, "reject")
    if not reason.strip():
        raise field_error("reason", "请填写驳回原因 / A reason is required")
    require_different_person(case.submitted_by, actor, same_account_message=MSG_OWN_CASE)
    before = kyc_case_summary(case)
    case.status = new_status
    case.rejection_reason = reason.strip()
    case.reviewed_by = actor
    case.reviewed_at = timezone.now()
    case.save()
    audit_record(actor=actor, organisation=case.organisation, action="kyc.reject", obj=case,
                 before=before, after=kyc_case_summary(case))
    return case


@transaction.atomic
def kyc_case_expire(*, case: KycCase, today: date | None = None) -> KycCase:
    """Mark an approved case expired once its expiry date has passed. Nothing is sent to the
    chain: the member registry compares the expiry with the block time itself."""
    case = _locked(case)
    today = today or clock.today()
    if case.status == Status.APPROVED and case.expires_on and case.expires_on >= today:
        raise InvalidStateError(
            f"KYC 有效期至 {case.expires_on}，尚未过期 / The KYC is valid until {case.expires_on}")
    new_status = _transition(case, "expire")
    before = kyc_case_summary(case)
    case.status = new_status
    case.save(update_fields=["status", "updated_at"])
    audit_record(actor=None, organisation=case.organisation, action="kyc.expire", obj=case,
                 before=before, after=kyc_case_summary(case))
    return case


def kyc_cases_expire_due(*, today: date | None = None) -> list[int]:
    """Expire every approved case whose expiry date is before `today`; one transaction each.
    Returns the ids expired."""
    today = today or clock.today()
    expired = []
    due = KycCase.objects.filter(status=Status.APPROVED, expires_on__lt=today)
    for case in due.order_by("pk").only("pk"):
        try:
            kyc_case_expire(case=case, today=today)
        except InvalidStateError:  # changed meanwhile (resubmitted or already expired)
            continue
        expired.append(case.pk)
    if expired:
        logger.info("kyc: expired %d case(s): %s", len(expired), expired)
    return expired
