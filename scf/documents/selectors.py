"""Reads of the documents app: who may see a subject or a document, the subject's cheap content
version (for the once-only key), and each document's data filled in from the models. Only this
module knows the receivables, banking, KYC and audit models; the PDF builders see dataclasses."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from scf.accounts.models import Organisation
from scf.accounts.permissions import is_member, reads_all_organisations
from scf.chain.models import ChainEvent, PieceState, SlotState
from scf.clock import date_of
from scf.documents.access import subject_readable
from scf.documents.data import (
    Action,
    CertificateData,
    DebtorNoticeData,
    EvidenceData,
    FinancingData,
    KycFile,
    LineageStep,
    Party,
    SettlementData,
    SettlementLine,
)
from scf.documents.models import Document
from scf.errors import NotFoundError

Kind = Document.Kind
Progress = Callable[[int], None]


def local(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _maturity(timestamp: int) -> str:
    value = date_of(timestamp)
    return value.isoformat() if value else ""


def _orgs(addresses) -> dict[str, Organisation]:
    return {org.chain_account.address: org for org in Organisation.objects.select_related(
        "chain_account").filter(chain_account__address__in={a for a in addresses if a})}


def _party(org: Organisation | None, address: str = "") -> Party:
    if org is None:
        return Party(name=address or "—", address=address)
    return Party(name=org.name, credit_code=org.credit_code,
                 address=org.chain_account.address if org.chain_account_id else address)


# --- subjects: existence, parties, anchor token, content version -------------------------------

@dataclass
class Subject:
    kind: str
    subject_id: int
    token_id: int | None  # what the hash is anchored against; None: nothing to anchor against
    root_id: int | None
    parties: list[Organisation] = field(default_factory=list)
    version: str = "1"
    debtors: list[Organisation] = field(default_factory=list)
    audience: Organisation | None = None  # set: the document shows this organisation's part


def _piece_version(piece: PieceState) -> str:
    # What the document shows, not updated_block: anchoring a document touches the piece too.
    return (f"{piece.token_id}.{piece.owner}.{piece.balance}.{piece.status}.{piece.frozen}."
            f"{piece.lock_bank}")


def _piece_subject(token_id: int) -> Subject:
    piece = get_object_or_404(PieceState, token_id=token_id)
    slot = SlotState.objects.filter(root_id=piece.root_id).first()
    addresses = [piece.owner, piece.lock_bank] + ([slot.debtor, slot.bank] if slot else [])
    return Subject(Kind.CERTIFICATE, token_id, token_id, piece.root_id,
                   list(_orgs(addresses).values()),
                   _piece_version(piece))


def _notice_subject(pk: int) -> Subject:
    from receivables.models import DebtorNotice

    notice = get_object_or_404(DebtorNotice.objects.select_related(
        "debtor", "from_organisation", "to_organisation"), pk=pk)
    return Subject(Kind.DEBTOR_NOTICE, pk, notice.to_token_id, notice.root_id,
                   [notice.debtor, notice.from_organisation, notice.to_organisation])


def _financing_subject(pk: int) -> Subject:
    from banking.models import FinancingApplication

    application = get_object_or_404(FinancingApplication.objects.select_related(
        "accepted_quote__bank", "applicant", "lock_bank"), pk=pk)
    quote = application.accepted_quote
    if quote is None:
        from scf.errors import InvalidStateError

        raise InvalidStateError("该融资尚未批准 / The financing has no approved quote yet",
                                code="financing_not_approved")
    slot = SlotState.objects.filter(root_id=application.root_id).first()
    parties = [application.applicant, quote.bank] + list(
        _orgs([slot.debtor] if slot else []).values())
    token_id = application.locked_token_id or application.token_id
    return Subject(Kind.FINANCING, pk, token_id, application.root_id, parties,
                   f"{application.status}.{quote.pk}.{quote.status}")


def _settlement_subject(root_id: int) -> Subject:
    slot = get_object_or_404(SlotState, root_id=root_id)
    pieces = list(PieceState.objects.filter(root_id=root_id).order_by("token_id"))
    debtor = _orgs([slot.debtor]).get(slot.debtor)
    version = hashlib.sha256("|".join([str(slot.settled_amount)] + [
        _piece_version(p) for p in pieces]).encode()).hexdigest()
    # The whole statement belongs to the debtor; holders get statements of their own part.
    parties = [debtor] if debtor else []
    return Subject(Kind.SETTLEMENT, root_id, root_id, root_id, parties, version,
                   debtors=parties)


def _evidence_subject(pk: int) -> Subject:
    from receivables.models import PieceOperation
    from scf.audit.models import AuditEntry

    organisation = get_object_or_404(Organisation, pk=pk)
    last_entry = AuditEntry.objects.filter(organisation=organisation).aggregate(
        last=Max("sequence"))["last"] or 0
    kyc_case = getattr(organisation, "kyc_case", None)
    # Anchored against the last piece the organisation acted on (none: stored, not anchored).
    operation = PieceOperation.objects.filter(organisation=organisation).order_by("-pk").first()
    token_id = operation.token_id if operation else None
    if token_id is None and organisation.chain_account_id:
        piece = PieceState.objects.filter(owner=organisation.chain_account.address).first()
        token_id = piece.token_id if piece else None
    return Subject(Kind.EVIDENCE, pk, token_id, None, [organisation],
                   f"{last_entry}.{kyc_case.updated_at.timestamp() if kyc_case else 0}")


SUBJECTS = {Kind.CERTIFICATE: _piece_subject, Kind.DEBTOR_NOTICE: _notice_subject,
            Kind.FINANCING: _financing_subject, Kind.SETTLEMENT: _settlement_subject,
            Kind.EVIDENCE: _evidence_subject}


def subject_require_readable(*, user, kind: str, subject_id: int) -> None:
    """404, as for any object one cannot see, unless the user reads the subject."""
    if not subject_readable(user=user, kind=kind, subject_id=subject_id):
        raise NotFoundError()


def subject_get(*, user, kind: str, subject_id: int) -> Subject:
    """The subject if the user may read it through the API of the app that owns it; otherwise
    404, as for any object one cannot see (asked before the subject is built, so nothing about
    an invisible subject leaks, not even its state)."""
    subject_require_readable(user=user, kind=kind, subject_id=subject_id)
    subject = SUBJECTS[kind](subject_id)
    if kind == Kind.SETTLEMENT and not sees_every_holder(user, subject):
        # A holder's statement lists its own pieces and totals only: a document of its own.
        own = Organisation.objects.get(pk=user.organisation_id)
        subject.audience = own
        subject.parties = [own]
        subject.version = f"{subject.version}.{own.pk}"
    return subject


def sees_every_holder(user, subject: Subject) -> bool:
    """The debtor of the voucher, the platform operator and the regulator see the statement of
    every holder; a holder sees its own lines."""
    return reads_all_organisations(user) or any(
        org.pk == user.organisation_id for org in subject.debtors)


# --- documents -----------------------------------------------------------------------------------

def document_list(*, user) -> QuerySet[Document]:
    if not is_member(user):
        return Document.objects.none()
    documents = Document.objects.all()
    if reads_all_organisations(user):
        return documents
    return documents.filter(parties=user.organisation_id).distinct()


def document_get(*, user, pk: int) -> Document:
    """A document the user is a party to AND whose subject the user may still read (a piece
    sold on is no longer the seller's to read, nor its certificate to download)."""
    document = get_object_or_404(document_list(user=user), pk=pk)
    if not subject_readable(user=user, kind=document.kind, subject_id=document.subject_id):
        raise NotFoundError()
    return document


def document_by_public_id(*, public_id) -> Document:
    return get_object_or_404(Document, public_id=public_id)


def document_by_sha256(*, sha256: str) -> Document | None:
    return Document.objects.filter(sha256=sha256).order_by("pk").first()


def anchor_event(*, document: Document) -> ChainEvent | None:
    """The DocumentAnchored event of the document's file hash against its piece, as indexed."""
    if not document.sha256:
        return None
    for event in ChainEvent.objects.filter(contract="VoucherLedger", name="DocumentAnchored",
                                           args__docHash=f"0x{document.sha256}"):
        if int(event.args.get("tokenId", -1)) == document.token_id:
            return event
    return None


# --- the data of each document --------------------------------------------------------------------

def _created_events(root_id: int) -> dict[int, ChainEvent]:
    events = ChainEvent.objects.filter(
        Q(name="PieceDerived", args__rootId=root_id) | Q(name="VoucherIssued",
                                                         args__tokenId=root_id),
        contract="VoucherLedger").order_by("block_number", "log_index")
    created: dict[int, ChainEvent] = {}
    for event in events:
        created.setdefault(int(event.args["tokenId"]), event)
    return created


def certificate_data(token_id: int, progress: Progress | None = None) -> CertificateData:
    from receivables.models import Voucher

    piece = PieceState.objects.get(token_id=token_id)
    slot = SlotState.objects.get(root_id=piece.root_id)
    pieces = {p.token_id: p for p in PieceState.objects.filter(root_id=piece.root_id)}
    orgs = _orgs([p.owner for p in pieces.values()] + [slot.debtor, slot.bank])
    created = _created_events(piece.root_id)
    chain, current = [], piece
    while current is not None:
        chain.append(current)
        current = pieces.get(current.parent_id) if current.parent_id else None
    lineage = []
    for step in reversed(chain):
        event = created.get(step.token_id)
        holder = orgs.get(step.owner)
        lineage.append(LineageStep(
            token_id=step.token_id, parent_id=step.parent_id,
            holder=holder.name if holder else step.owner, amount_fen=step.balance,
            tx_hash=event.tx_hash if event else "", block=event.block_number if event else None))
    voucher = (Voucher.objects.select_related("trade_contract")
               .prefetch_related("invoice_links__invoice").filter(token_id=piece.root_id).first())
    issued, own = created.get(piece.root_id), created.get(token_id)
    return CertificateData(
        token_id=token_id, root_id=piece.root_id, parent_id=piece.parent_id,
        debtor=_party(orgs.get(slot.debtor), slot.debtor),
        holder=_party(orgs.get(piece.owner), piece.owner),
        bank=_party(orgs.get(slot.bank), slot.bank) if slot.bank else None,
        amount_fen=piece.balance, face_value_fen=slot.face_value,
        maturity_date=_maturity(slot.maturity),
        status=PieceState.Status(piece.status).label + (" · 已冻结 / frozen" if piece.frozen
                                                        else ""),
        issued_tx_hash=issued.tx_hash if issued else "",
        issued_block=issued.block_number if issued else None,
        piece_tx_hash=own.tx_hash if own else "", piece_block=own.block_number if own else None,
        trade_contract=(f"{voucher.trade_contract.number} {voucher.trade_contract.title}"
                        if voucher else ""),
        invoices=[link.invoice.number for link in voucher.invoice_links.all()] if voucher else [],
        lineage=lineage)


def debtor_notice_data(pk: int, progress: Progress | None = None) -> DebtorNoticeData:
    from receivables.models import DebtorNotice

    notice = DebtorNotice.objects.select_related(
        "debtor__chain_account", "from_organisation__chain_account",
        "to_organisation__chain_account").get(pk=pk)
    return DebtorNoticeData(
        notice_id=notice.pk, kind=notice.kind, debtor=_party(notice.debtor),
        transferor=_party(notice.from_organisation), transferee=_party(notice.to_organisation),
        root_id=notice.root_id, from_token_id=notice.from_token_id,
        to_token_id=notice.to_token_id, amount_fen=notice.amount_fen,
        maturity_date=notice.maturity_date.isoformat() if notice.maturity_date else "",
        tx_hash=notice.tx_hash, block=notice.block_number, notified_at=local(notice.created_at))


def financing_data(pk: int, progress: Progress | None = None) -> FinancingData:
    from banking.models import FinancingApplication

    application = FinancingApplication.objects.select_related(
        "applicant__chain_account", "accepted_quote__bank__chain_account").get(pk=pk)
    quote = application.accepted_quote
    slot = SlotState.objects.filter(root_id=application.root_id).first()
    debtor = _orgs([slot.debtor]).get(slot.debtor) if slot else None
    approved = ChainEvent.objects.filter(
        contract="VoucherLedger", name="FinancingApproved",
        args__tokenId=application.locked_token_id or application.token_id).last()
    rate = (quote.annual_rate * 100).normalize()
    return FinancingData(
        application_id=application.pk, quote_id=quote.pk, applicant=_party(application.applicant),
        bank=_party(quote.bank), debtor=_party(debtor, slot.debtor if slot else ""),
        token_id=application.locked_token_id or application.token_id,
        root_id=application.root_id, face_fen=quote.face_fen, annual_rate=f"{rate}%",
        value_date=quote.value_date.isoformat(), maturity_date=quote.maturity_date.isoformat(),
        days=quote.days, day_count=int(quote.terms.get("day_count_basis", 360)),
        interest_fen=quote.interest_fen, fees_fen=quote.fees_fen,
        net_proceeds_fen=quote.net_proceeds_fen, formula=quote.formula,
        status=application.get_status_display(),
        approved_at=local(quote.accepted_at or quote.decided_at),
        tx_hash=approved.tx_hash if approved else "",
        block=approved.block_number if approved else None)


def settlement_data(root_id: int, progress: Progress | None = None,
                    audience: Organisation | None = None) -> SettlementData:
    """Every holder's line, or with `audience` that organisation's lines and totals only."""
    from banking.models import ClearingItem

    slot = SlotState.objects.get(root_id=root_id)
    items = {item.token_id: item for item in ClearingItem.objects.select_related(
        "batch", "operation__intent").filter(root_id=root_id)}
    settled = {int(e.args["tokenId"]): e for e in ChainEvent.objects.filter(
        contract="VoucherLedger", name="PieceSettled", args__rootId=root_id)}
    pieces = list(PieceState.objects.filter(root_id=root_id).exclude(
        status=PieceState.Status.CANCELLED).exclude(balance=0, status=PieceState.Status.ACTIVE)
        .order_by("token_id"))
    orgs = _orgs([p.owner for p in pieces] + [slot.debtor, slot.bank])
    if audience is not None:
        own = audience.chain_account.address if audience.chain_account_id else None
        pieces = [p for p in pieces if p.owner == own]
    lines, batch = [], None
    for index, piece in enumerate(pieces):
        item, event = items.get(piece.token_id), settled.get(piece.token_id)
        batch = batch or (item.batch if item else None)
        holder = orgs.get(piece.owner)
        amount = int(event.args.get("value", piece.balance)) if event else (
            item.amount_fen if item else piece.balance)
        if not amount:
            continue
        reference = event.tx_hash if event else (
            f"未清分 not settled: {item.blocked_reason or item.get_status_display()}" if item
            else "未清分 / not settled")
        lines.append(SettlementLine(
            token_id=piece.token_id, holder=holder.name if holder else piece.owner,
            holder_credit_code=holder.credit_code if holder else "", amount_fen=amount,
            status=PieceState.Status(piece.status).label, reference=reference))
        if progress and index % 200 == 0:
            progress(min(9, 1 + 8 * index // max(len(pieces), 1)))
    return SettlementData(
        root_id=root_id, debtor=_party(orgs.get(slot.debtor), slot.debtor),
        bank=_party(orgs.get(slot.bank), slot.bank) if slot.bank else None,
        face_value_fen=slot.face_value,
        settled_fen=slot.settled_amount if audience is None else sum(
            line.amount_fen for line in lines if line.reference.startswith("0x")),
        audience=_party(audience) if audience is not None else None,
        maturity_date=_maturity(slot.maturity),
        payment_reference=batch.payment_reference if batch else "",
        paid_on=batch.paid_on.isoformat() if batch and batch.paid_on else "", lines=lines)


def evidence_data(pk: int, progress: Progress | None = None) -> EvidenceData:
    from scf.audit.models import AuditEntry

    organisation = Organisation.objects.select_related("chain_account").get(pk=pk)
    kyc_case = getattr(organisation, "kyc_case", None)
    files = []
    if kyc_case is not None:
        files = [KycFile(kind=d.get_kind_display(), original_name=d.original_name,
                         sha256=d.sha256, uploaded_at=local(d.uploaded_at))
                 for d in kyc_case.documents.order_by("kind", "uploaded_at")]
    entries = AuditEntry.objects.filter(organisation=organisation).order_by("sequence")
    total = entries.count()
    actions = []
    for index, entry in enumerate(entries.iterator()):
        actions.append(Action(sequence=entry.sequence, at=local(entry.created_at),
                              actor=entry.actor_username, action=entry.action,
                              subject=f"{entry.object_type}:{entry.object_id}",
                              tx_hash=entry.tx_hash, entry_hash=entry.entry_hash))
        if progress and index % 200 == 0:
            progress(min(9, 1 + 8 * index // max(total, 1)))
    return EvidenceData(
        organisation=_party(organisation), kind=organisation.get_kind_display(),
        legal_representative=organisation.legal_representative,
        registered_address=organisation.registered_address,
        kyc_status=kyc_case.get_status_display() if kyc_case else "无 / none",
        kyc_reviewed_at=local(kyc_case.reviewed_at) if kyc_case else "",
        kyc_expires_on=kyc_case.expires_on.isoformat() if kyc_case and kyc_case.expires_on
        else "", kyc_files=files, actions=actions)


DATA = {Kind.CERTIFICATE: certificate_data, Kind.DEBTOR_NOTICE: debtor_notice_data,
        Kind.FINANCING: financing_data, Kind.SETTLEMENT: settlement_data,
        Kind.EVIDENCE: evidence_data}


def document_data(document: Document, progress: Progress | None = None):
    """The data a document shows, for its audience when it has one."""
    if document.kind == Kind.SETTLEMENT:
        return settlement_data(document.subject_id, progress=progress,
                               audience=document.audience)
    return DATA[document.kind](document.subject_id, progress=progress)
