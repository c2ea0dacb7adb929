"""Writes of the documents app: ask for a document (once), generate it, anchor its hash on
chain, and verify an uploaded file.

The hashing scheme. A file cannot contain its own SHA-256 (writing the hash changes the bytes it
hashes), so each PDF carries three things that do not depend on its own bytes:
- a document number (SCF-<kind>-<date>-<id>) and a QR code to `<origin>/verify?doc=<public id>`,
  the public verification page, which shows the file's SHA-256 as registered (the origin is
  SCF_PUBLIC_URL when set, else the address the requester reached the platform on);
- a verification code: the SHA-256 of the document's canonical content (the sorted-key, compact
  UTF-8 JSON of its kind, number, generation time and fields, scf.documents.data.canonical_json),
  printed on every page; it identifies the content, whatever the rendering;
- a statement that the file's SHA-256 is registered on chain.
After rendering, the SHA-256 of the PDF bytes is stored on the Document row and anchored on
chain by the platform operator with VoucherLedger.anchorDocument(tokenId, sha256, kind) through
the outbox, against the voucher piece the document is about. The file is stored once and never
regenerated under the same row, so the registered hash stays the hash of the file users hold.

Verification (no login) hashes the uploaded bytes and is positive only when both hold: a stored
document has exactly that SHA-256, and the chain's DocumentAnchored event (as indexed; the
indexer is run once if it is missing) records that hash against that document's piece. Any
changed byte gives another hash: not genuine.

Once only: a document is keyed by kind, subject and the subject's content version (its chain
state, its audit head...), so asking again for unchanged content returns the existing row; a
changed subject yields a new document. A failed generation is retried on the same row.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from scf import clock
from scf.accounts.permissions import ForbiddenError
from scf.audit.services import audit_record
from scf.chain.errors import ChainUnavailableError
from scf.chain.models import ChainEvent
from scf.chain.services import intent_enqueue, operator_chain_account
from scf.documents import selectors
from scf.documents.access import may_request_documents
from scf.documents.data import Meta, verification_code
from scf.documents.models import Document
from scf.documents.pdf import BUILDERS, printed_parties
from scf.tasks import enqueue_after_commit

logger = logging.getLogger(__name__)
Kind = Document.Kind
RESUME_BATCH = 500  # documents sent again per run of the resume task: a bound on each run
# The `kind` byte of anchorDocument.
KIND_CODES = {Kind.CERTIFICATE: 1, Kind.DEBTOR_NOTICE: 2, Kind.FINANCING: 3,
              Kind.SETTLEMENT: 4, Kind.EVIDENCE: 5}
PREFIXES = {Kind.CERTIFICATE: "VC", Kind.DEBTOR_NOTICE: "DN", Kind.FINANCING: "FA",
            Kind.SETTLEMENT: "ST", Kind.EVIDENCE: "EP"}
TITLES = {Kind.CERTIFICATE: "电子债权凭证", Kind.DEBTOR_NOTICE: "债权转让通知书",
          Kind.FINANCING: "融资协议摘要", Kind.SETTLEMENT: "到期清分结算单",
          Kind.EVIDENCE: "一户一档证据包"}


def verify_base(request_origin: str = "") -> str:
    """The origin printed in the documents' verification link: SCF_PUBLIC_URL when the
    deployment sets it (behind a proxy the platform cannot know its public name), else the
    origin the request came to (its Host, checked against ALLOWED_HOSTS)."""
    return (settings.SCF_PUBLIC_URL or request_origin).rstrip("/")


def verify_url(document: Document) -> str:
    return f"{document.verify_base}/verify?doc={document.public_id}"


def document_request(*, user, kind: str, subject_id: int,
                     request_origin: str = "") -> tuple[Document, bool]:
    """The document of `kind` about `subject_id` as it stands now: the existing row if the same
    content was asked for before (True when a generation was queued by this call).
    `request_origin` (scheme://host of the request) is the verification link's origin unless
    SCF_PUBLIC_URL is set."""
    # In this order: an invisible subject is 404 (nothing leaks), then who may ask is 403, and
    # only then the subject's own state (a financing not approved yet) is asked.
    selectors.subject_require_readable(user=user, kind=kind, subject_id=subject_id)
    if not may_request_documents(user):
        raise ForbiddenError(
            "只有可办理业务的用户可以生成文件（生成会上链存证）；查看人员与监管机构可下载已生成的文件"
            " / Only users who may act can generate documents (each is anchored on chain); "
            "viewers and the regulator download those already made")
    subject = selectors.subject_get(user=user, kind=kind, subject_id=subject_id)
    version = hashlib.sha256(subject.version.encode()).hexdigest()[:16]
    key = f"{kind}:{subject_id}:{version}"
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(unique_key=key).first()
        if document is not None:
            if document.status != Document.Status.FAILED:
                return document, False
            document.status, document.progress, document.error = Document.Status.QUEUED, 0, ""
            document.save(update_fields=["status", "progress", "error", "updated_at"])
        else:
            try:
                with transaction.atomic():
                    document = Document(kind=kind, subject_id=subject_id, unique_key=key,
                                        token_id=subject.token_id, root_id=subject.root_id,
                                        title=TITLES[kind], requested_by=user,
                                        audience=subject.audience,
                                        verify_base=verify_base(request_origin))
                    document.number = (f"SCF-{PREFIXES[kind]}-{clock.today():%Y%m%d}-"
                                       f"{document.public_id.hex[:8].upper()}")
                    document.save()
            except IntegrityError:  # asked for concurrently
                return Document.objects.get(unique_key=key), False
            document.parties.set(subject.parties)

        from scf.documents.tasks import document_generate_task

        enqueue_after_commit(document_generate_task, document.pk)
    return document, True


def documents_resume(*, older_than: timedelta | None = None) -> int:
    """Send again the documents still queued after `older_than` (SCF_DOCUMENT_RESUME_AFTER):
    their task was never sent (the broker was down when they were asked for) or was lost. A
    duplicate delivery is harmless: document_generate leaves a document past `queued` alone."""
    from scf.documents.tasks import document_generate_task

    if older_than is None:
        older_than = timedelta(seconds=settings.SCF_DOCUMENT_RESUME_AFTER)
    stale = list(Document.objects.filter(
        status=Document.Status.QUEUED, updated_at__lt=timezone.now() - older_than,
    ).order_by("pk").values_list("pk", flat=True)[:RESUME_BATCH])
    for document_id in stale:
        document_generate_task.delay(document_id)
    return len(stale)


def _progress_writer(document_id: int):
    last = [0]

    def write(percent: int) -> None:
        if percent > last[0]:
            last[0] = percent
            Document.objects.filter(pk=document_id).update(progress=percent)
    return write


def document_generate(*, document_id: int) -> Document:
    """Render the PDF, store it with its SHA-256 and have the hash anchored on chain. Runs in
    a Celery task; a document past `queued` is left as it is (a duplicate delivery)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != Document.Status.QUEUED:
            return document
        document.status, document.progress = Document.Status.GENERATING, 1
        document.save(update_fields=["status", "progress", "updated_at"])

    progress = _progress_writer(document.pk)
    try:
        data = selectors.document_data(document, progress=progress)
        meta = Meta(kind=document.kind, number=document.number,
                    public_id=str(document.public_id), verify_url=verify_url(document),
                    generated_at=selectors.local(timezone.now()))
        code = verification_code(meta, data)
        progress(10)
        content = BUILDERS[document.kind](meta, data, code, progress=progress)
    except Exception as exc:
        logger.exception("document %s failed to generate", document.number)
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now())
        document.refresh_from_db()
        return document

    sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        document.file.save(f"{document.public_id.hex}.pdf", ContentFile(content), save=False)
        document.size, document.sha256, document.verification_code = len(content), sha256, code
        document.printed = {"generated_at": meta.generated_at,
                            "parties": printed_parties(document.kind, data)}
        document.progress = 100
        if document.token_id:
            document.anchor_intent = intent_enqueue(
                sender=operator_chain_account(), contract="VoucherLedger",
                function="anchorDocument",
                args=[document.token_id, f"0x{sha256}", KIND_CODES[document.kind]],
                idempotency_key=f"document-anchor:{document.public_id}",
                requested_by=document.requested_by)
            document.status = Document.Status.ANCHORING
            requester = document.requested_by
            audit_record(actor=requester,
                         organisation=requester.organisation if requester else None,
                         action="document.anchor", obj=document,
                         after={"number": document.number, "kind": document.kind,
                                "sha256": sha256, "token_id": document.token_id,
                                "intent_id": document.anchor_intent.pk})
        else:
            document.status = Document.Status.STORED
        document.save()
    return document


def document_anchor_outcome(*, intent) -> None:
    """The outcome hook of anchorDocument: record the transaction and block, or the failure."""
    from scf.chain.models import ChainIntent

    document = Document.objects.select_for_update().filter(anchor_intent=intent).first()
    if document is None or document.status == Document.Status.ANCHORED:
        return
    if intent.status == ChainIntent.Status.CONFIRMED:
        document.status = Document.Status.ANCHORED
        document.tx_hash, document.block_number = intent.tx_hash, intent.block_number
        document.anchored_at = intent.confirmed_at or timezone.now()
        document.error = ""
    else:
        document.status = Document.Status.FAILED
        document.error = (f"上链存证失败 / anchoring failed: "
                          f"{intent.error_name or intent.error_message}")[:2000]
    document.save()


# --- verification --------------------------------------------------------------------------------

@dataclass
class Verification:
    genuine: bool
    code: str
    message: str
    sha256: str
    document: Document | None = None
    event: ChainEvent | None = None


def document_verify(*, content: bytes) -> Verification:
    """Is this file a document the platform issued and anchored on chain, byte for byte?"""
    sha256 = hashlib.sha256(content).hexdigest()
    document = selectors.document_by_sha256(sha256=sha256)
    if document is None:
        return Verification(
            False, "unknown",
            "验真失败：该文件不是本平台出具的文件，或已被改动（哪怕一个字节） / "
            "NOT GENUINE: this file was not issued by the platform, or it has been altered "
            "(even by a single byte)",
            sha256)
    event = _anchor_event(document)
    if event is None:
        return Verification(
            False, "not_anchored",
            "未能确认：文件与平台存档一致，但其摘要尚未在链上登记 / "
            "NOT CONFIRMED: the file matches the platform's record, but its hash is not (yet) "
            "anchored on chain", sha256, document)
    return Verification(
        True, "genuine",
        "验真通过：文件与平台存档一致，且其 SHA-256 已在链上登记 / GENUINE: the file matches the "
        "platform's record and its SHA-256 is anchored on chain", sha256, document, event)


def document_public(*, public_id) -> Verification:
    """What the verification page says about the document a QR code names (404 for an unknown
    reference): its registered SHA-256 and whether the chain records that hash against it.
    That the file in one's hands is this document is the upload check's answer."""
    document = selectors.document_by_public_id(public_id=public_id)
    event = _anchor_event(document)
    if event is None:
        return Verification(
            False, "not_anchored",
            "未能确认：文件已由平台登记，但其摘要尚未在链上登记 / NOT CONFIRMED: the document is "
            "registered by the platform, but its hash is not (yet) anchored on chain",
            document.sha256, document)
    return Verification(
        True, "genuine",
        "该文件由本平台出具，其 SHA-256 已在链上登记；上传手中的文件可核对是否即为此文件 / "
        "GENUINE: the platform issued this document and its SHA-256 is anchored on chain; upload "
        "the file you hold to check that it is this one", document.sha256, document, event)


def _anchor_event(document: Document) -> ChainEvent | None:
    """The chain's record of the document's hash, indexing once if it is not indexed yet."""
    event = selectors.anchor_event(document=document)
    if event is None and document.anchor_intent_id:
        from scf.chain.indexer import index_until_head

        try:
            index_until_head()
        except ChainUnavailableError:
            logger.warning("verification of %s: chain unavailable for indexing", document.number)
        event = selectors.anchor_event(document=document)
    return event
