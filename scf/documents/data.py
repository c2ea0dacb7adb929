"""What each document says, as small dataclasses the selectors fill in: the PDF builders depend
on these, never on the models. `canonical_json` is the document's content in one byte string,
whose SHA-256 is the verification code printed on it (see scf.documents.services)."""

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass
class Party:
    name: str
    credit_code: str = ""
    address: str = ""  # chain account


@dataclass
class Meta:
    kind: str
    number: str
    public_id: str
    verify_url: str
    generated_at: str  # Asia/Shanghai, "YYYY-MM-DD HH:MM:SS"


@dataclass
class LineageStep:
    token_id: int
    parent_id: int
    holder: str
    amount_fen: int
    tx_hash: str
    block: int | None


@dataclass
class CertificateData:
    token_id: int
    root_id: int
    parent_id: int
    debtor: Party
    holder: Party
    bank: Party | None
    amount_fen: int
    face_value_fen: int
    maturity_date: str
    status: str
    issued_tx_hash: str
    issued_block: int | None
    piece_tx_hash: str
    piece_block: int | None
    trade_contract: str = ""
    invoices: list[str] = field(default_factory=list)
    lineage: list[LineageStep] = field(default_factory=list)


@dataclass
class DebtorNoticeData:
    notice_id: int
    kind: str
    debtor: Party
    transferor: Party
    transferee: Party
    root_id: int
    from_token_id: int
    to_token_id: int
    amount_fen: int
    maturity_date: str
    tx_hash: str
    block: int
    notified_at: str


@dataclass
class FinancingData:
    application_id: int
    quote_id: int
    applicant: Party
    bank: Party
    debtor: Party
    token_id: int
    root_id: int
    face_fen: int
    annual_rate: str  # as a percentage string, e.g. "3.6500%"
    value_date: str
    maturity_date: str
    days: int
    day_count: int
    interest_fen: int
    fees_fen: int
    net_proceeds_fen: int
    formula: str
    status: str
    approved_at: str
    tx_hash: str = ""
    block: int | None = None


@dataclass
class SettlementLine:
    token_id: int
    holder: str
    holder_credit_code: str
    amount_fen: int
    status: str
    reference: str  # the settlement transaction hash, or why it is not settled


@dataclass
class SettlementData:
    root_id: int
    debtor: Party
    bank: Party | None
    face_value_fen: int
    settled_fen: int
    maturity_date: str
    payment_reference: str
    paid_on: str
    lines: list[SettlementLine] = field(default_factory=list)
    audience: Party | None = None  # set: the statement lists this holder's pieces only


@dataclass
class KycFile:
    kind: str
    original_name: str
    sha256: str
    uploaded_at: str


@dataclass
class Action:
    sequence: int
    at: str
    actor: str
    action: str
    subject: str
    tx_hash: str
    entry_hash: str


@dataclass
class EvidenceData:
    organisation: Party
    kind: str
    legal_representative: str
    registered_address: str
    kyc_status: str
    kyc_reviewed_at: str
    kyc_expires_on: str
    kyc_files: list[KycFile] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def canonical_json(meta: Meta, data) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8: the same content, the same bytes."""
    content = {"kind": meta.kind, "number": meta.number, "generated_at": meta.generated_at,
               "data": asdict(data)}
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode()


def verification_code(meta: Meta, data) -> str:
    return hashlib.sha256(canonical_json(meta, data)).hexdigest()
