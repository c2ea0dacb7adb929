"""The PDF builders: A4, Chinese first with English labels, every page in the embedded Noto Sans
SC subset (scf.documents.fonts). Each builder takes a Meta and its data dataclass and returns the
PDF's bytes; `progress(percent)` is called while large tables are laid out."""

import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from scf.documents.data import (
    CertificateData,
    DebtorNoticeData,
    EvidenceData,
    FinancingData,
    Meta,
    Party,
    SettlementData,
)
from scf.documents.fonts import FONT, FONT_BOLD, register_fonts
from scf.money import amount_in_capitals, format_yuan

Progress = Callable[[int], None]
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
RULE = colors.HexColor("#d1d5db")
BAND = colors.HexColor("#f3f4f6")
ACCENT = colors.HexColor("#b91c1c")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          wordWrap="CJK", bulletFontName=FONT)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=20, leading=26,
                                textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, leading=13, textColor=MUTED),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=12, leading=16,
                             spaceBefore=8, spaceAfter=4, keepWithNext=True),
        "label": ParagraphStyle("label", base, fontName=FONT_BOLD, fontSize=9, leading=11.5),
        "value": ParagraphStyle("value", base),
        "mono": ParagraphStyle("mono", base, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10.5),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8, leading=10.5),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=10, textColor=MUTED),
    }


S: dict[str, ParagraphStyle] = {}


def _s(name: str) -> ParagraphStyle:
    if not S:
        S.update(_styles())
    return S[name]


def p(text: str, style: str = "value") -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), _s(style))


def bilingual(zh: str, en: str, style: str = "label") -> Paragraph:
    return Paragraph(f"{escape(zh)}<br/><font size='7' color='#6b7280'>{escape(en)}</font>",
                     _s(style))


def money(fen: int) -> str:
    return f"¥{format_yuan(fen)}"


def money_both(fen: int) -> str:
    return f"{money(fen)}（人民币{amount_in_capitals(fen)}）"


def party(value: Party | None) -> str:
    if value is None:
        return "—"
    lines = [value.name]
    if value.credit_code:
        lines.append(f"统一社会信用代码 USCC: {value.credit_code}")
    if value.address:
        lines.append(f"链上地址 Chain address: {value.address}")
    return "\n".join(lines)


# The parties each kind of document prints, in order: (attribute of its data, label in Chinese,
# in English, printed when absent). The builders print these rows and the public verification
# page repeats them (printed_parties), so both say the same thing.
PARTIES: dict[str, list[tuple[str, str, str, bool]]] = {
    "certificate": [("debtor", "债务人（核心企业）", "Debtor (core enterprise)", True),
                    ("holder", "持有人", "Holder", True),
                    ("bank", "授信银行", "Credit line bank", True)],
    "debtor_notice": [("debtor", "债务人", "Debtor", True),
                      ("transferor", "转让人", "Assignor", True),
                      ("transferee", "受让人", "Assignee", True)],
    "financing": [("applicant", "融资申请人（持有人）", "Applicant (holder)", True),
                  ("bank", "融资银行", "Financing bank", True),
                  ("debtor", "债务人（核心企业）", "Debtor (core enterprise)", True)],
    "settlement": [("debtor", "债务人（付款人）", "Debtor (payer)", True),
                   ("bank", "授信银行", "Credit line bank", True),
                   ("audience", "本单持有人", "Statement for", False)],
    "evidence": [("organisation", "机构", "Organisation", True)],
}


def party_rows(kind: str, data) -> list[tuple[str, str, str]]:
    return [(zh, en, party(getattr(data, attr))) for attr, zh, en, always in PARTIES[kind]
            if always or getattr(data, attr) is not None]


def printed_parties(kind: str, data) -> list[dict]:
    """The parties as the document prints them (an absent one is not a party)."""
    out = []
    for attr, zh, en, _always in PARTIES[kind]:
        value: Party | None = getattr(data, attr)
        if value is not None:
            out.append({"role_zh": zh, "role_en": en, "name": value.name,
                        "credit_code": value.credit_code, "address": value.address})
    return out


def or_dash(value) -> str:
    return "—" if value in (None, "") else str(value)


# --- building blocks ----------------------------------------------------------------------------

def qr_code(url: str, size: float = 30 * mm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = FONT  # not Times-Roman, which would be an unembedded font
    drawing.add(widget)
    return drawing


def header(meta: Meta, title_zh: str, title_en: str) -> list:
    left = [p(title_zh, "title"), p(title_en, "subtitle"), Spacer(1, 3 * mm),
            p(f"文件编号 Document No.: {meta.number}", "value"),
            p(f"生成时间 Generated: {meta.generated_at}（北京时间 Beijing time）", "small")]
    qr = [qr_code(meta.verify_url), p("扫码验真 Scan to verify", "small")]
    table = Table([[left, qr]], colWidths=[BODY_WIDTH - 34 * mm, 34 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell default would be Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table, Spacer(1, 4 * mm)]


def section(zh: str, en: str) -> Paragraph:
    return Paragraph(f"{escape(zh)} <font size='9' color='#6b7280'>{escape(en)}</font>",
                     _s("h2"))


def fields(rows: Sequence[tuple[str, str, str]], mono: Sequence[str] = ()) -> Table:
    """Label (Chinese over English) and value rows; values of labels in `mono` set smaller."""
    data = [[bilingual(zh, en), p(value, "mono" if en in mono else "value")]
            for zh, en, value in rows]
    table = Table(data, colWidths=[42 * mm, BODY_WIDTH - 42 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell default would be Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), BAND),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def grid(headers: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]],
         widths: Sequence[float], align_right: Sequence[int] = ()) -> Table:
    """A table whose header (Chinese over English) repeats on every page."""
    data = [[bilingual(zh, en, "head") for zh, en in headers]]
    data += [[p(cell, "cell") for cell in row] for row in rows]
    table = Table(data, colWidths=[w * BODY_WIDTH for w in widths], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell default would be Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    table.setStyle(TableStyle(style))
    return table


def verification(meta: Meta, code: str) -> list:
    text = (
        "验真说明：本文件的 SHA-256 摘要已由平台登记于区块链（VoucherLedger.anchorDocument），"
        "可在验真页面上传本 PDF 核验；文件任何一个字节被改动，摘要即不相符。"
        "下方校验码为本文件内容（各字段的规范 JSON）的 SHA-256。\n"
        "Verification: the SHA-256 of this PDF file is registered on chain by the platform "
        "(VoucherLedger.anchorDocument). Upload the file on the verification page to check it; "
        "a single changed byte fails. The verification code below is the SHA-256 of the "
        "document's content (a canonical JSON of its fields).")
    rows = [("验真页面", "Verification page", meta.verify_url),
            ("内容校验码", "Verification code", code)]
    return [Spacer(1, 5 * mm), KeepTogether([section("验真", "Verification"), p(text, "small"),
                                             Spacer(1, 2 * mm),
                                             fields(rows, mono=["Verification code"])])]


def _render(meta: Meta, code: str, story: list, *, progress: Progress | None = None,
            expected_pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    title = meta.number

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 9 * mm,
                          f"{meta.number} · 校验码 Verification code {code[:16]}… · "
                          f"scf 供应链金融平台 supply-chain finance platform")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, f"第 {doc.page} 页 Page {doc.page}")
        canvas.restoreState()
        if progress is not None:
            progress(min(95, 10 + 85 * doc.page // max(expected_pages, 1)))

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=16 * mm, title=title,
                            author="scf", subject=meta.kind, creator="scf documents",
                            initialFontName=FONT,
                            initialFontSize=9)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- the documents -----------------------------------------------------------------------------

def build_certificate(meta: Meta, data: CertificateData, code: str,
                      progress: Progress | None = None) -> bytes:
    story = header(meta, "电子债权凭证", "Electronic Receivable Voucher Certificate")
    story += [section("凭证信息", "Voucher"), fields([
        ("凭证编号", "Piece (token) id", str(data.token_id)),
        ("根凭证编号", "Root voucher id", str(data.root_id)),
        ("父凭证编号", "Parent id", str(data.parent_id) if data.parent_id else "—（根凭证 root）"),
        *party_rows("certificate", data),
        ("金额（小写）", "Amount in figures", money(data.amount_fen)),
        ("金额（大写）", "Amount in capitals", f"人民币{amount_in_capitals(data.amount_fen)}"),
        ("根凭证面额", "Root face value", money_both(data.face_value_fen)),
        ("到期日", "Maturity date", data.maturity_date),
        ("状态", "Status", data.status),
        ("贸易合同", "Trade contract", or_dash(data.trade_contract)),
        ("发票", "Invoices", "、".join(data.invoices) or "—"),
        ("开立交易哈希", "Issue transaction", or_dash(data.issued_tx_hash)),
        ("开立区块", "Issue block", or_dash(data.issued_block)),
        ("本凭证交易哈希", "Piece transaction", or_dash(data.piece_tx_hash)),
        ("本凭证区块", "Piece block", or_dash(data.piece_block)),
    ], mono=["Issue transaction", "Piece transaction"])]
    story += [section("流转路径（至根凭证）", "Lineage (path to the root)"), grid(
        [("凭证", "Piece"), ("父凭证", "Parent"), ("持有人", "Holder"), ("金额", "Amount"),
         ("交易哈希 / 区块", "Transaction / block")],
        [[str(s.token_id), str(s.parent_id or "—"), s.holder, money(s.amount_fen),
          f"{or_dash(s.tx_hash)}\n#{or_dash(s.block)}"] for s in data.lineage],
        [0.09, 0.09, 0.27, 0.17, 0.38])]
    story += verification(meta, code)
    return _render(meta, code, story)


NOTICE_KIND = {"transfer": "转让 / transfer", "split": "拆分 / split",
               "financing": "融资转让 / transfer on financing"}


def build_debtor_notice(meta: Meta, data: DebtorNoticeData, code: str,
                        progress: Progress | None = None) -> bytes:
    story = header(meta, "债权转让通知书", "Notice of Assignment of a Receivable to the Debtor")
    letter = (
        f"致 {data.debtor.name}：\n"
        f"根据《中华人民共和国民法典》第五百四十六条，现通知贵司："
        f"贵司所负根凭证 {data.root_id} 项下"
        f"债权中 {money(data.amount_fen)}（人民币{amount_in_capitals(data.amount_fen)}）已由 "
        f"{data.transferor.name} 转让予 {data.transferee.name}，到期日 {data.maturity_date}。"
        f"请于到期日向受让人（凭证 {data.to_token_id} 的持有人）履行付款义务。\n"
        f"To {data.debtor.name}: under Article 546 of the Civil Code of the PRC, you are notified "
        f"that {money(data.amount_fen)} of the receivable under root voucher {data.root_id} has "
        f"been assigned by {data.transferor.name} to {data.transferee.name}; please pay the "
        f"holder of piece {data.to_token_id} at maturity ({data.maturity_date}).")
    story += [p(letter), Spacer(1, 3 * mm), section("转让明细", "Particulars"), fields([
        ("通知编号", "Notice id", str(data.notice_id)),
        ("类型", "Kind", NOTICE_KIND.get(data.kind, data.kind)),
        *party_rows("debtor_notice", data),
        ("根凭证编号", "Root voucher id", str(data.root_id)),
        ("转出凭证", "From piece", str(data.from_token_id)),
        ("转入凭证", "To piece", str(data.to_token_id)),
        ("金额（小写）", "Amount in figures", money(data.amount_fen)),
        ("金额（大写）", "Amount in capitals", f"人民币{amount_in_capitals(data.amount_fen)}"),
        ("到期日", "Maturity date", data.maturity_date),
        ("交易哈希", "Transaction", data.tx_hash),
        ("区块", "Block", str(data.block)),
        ("通知时间", "Notified at", data.notified_at),
    ], mono=["Transaction"])]
    story += verification(meta, code)
    return _render(meta, code, story)


def build_financing(meta: Meta, data: FinancingData, code: str,
                    progress: Progress | None = None) -> bytes:
    story = header(meta, "融资协议摘要（贴现）", "Financing Agreement Summary (Discount)")
    story += [section("当事人", "Parties"), fields(party_rows("financing", data))]
    story += [section("融资标的与定价", "Piece and pricing"), fields([
        ("申请编号 / 报价编号", "Application / quote", f"{data.application_id} / {data.quote_id}"),
        ("凭证编号", "Piece (token) id", str(data.token_id)),
        ("根凭证编号", "Root voucher id", str(data.root_id)),
        ("票面金额", "Face amount", money_both(data.face_fen)),
        ("年化贴现率", "Annual discount rate", data.annual_rate),
        ("起息日", "Value date", data.value_date),
        ("到期日", "Maturity date", data.maturity_date),
        ("贴现天数", "Days", f"{data.days} 天 days（按 {data.day_count} 天计息 day count)"),
        ("贴现利息", "Interest", money_both(data.interest_fen)),
        ("手续费", "Fees", money_both(data.fees_fen)),
        ("实付金额", "Net proceeds", money_both(data.net_proceeds_fen)),
        ("计算公式", "Formula", data.formula),
        ("状态", "Status", data.status),
        ("批准时间", "Approved at", or_dash(data.approved_at)),
        ("交易哈希", "Transaction", or_dash(data.tx_hash)),
        ("区块", "Block", or_dash(data.block)),
    ], mono=["Transaction"])]
    story += verification(meta, code)
    return _render(meta, code, story)


def build_settlement(meta: Meta, data: SettlementData, code: str,
                     progress: Progress | None = None) -> bytes:
    story = header(meta, "到期清分结算单", "Settlement Statement at Maturity")
    story += [section("根凭证", "Root voucher"), fields([
        ("根凭证编号", "Root voucher id", str(data.root_id)),
        *party_rows("settlement", data),
        ("面额", "Face value", money_both(data.face_value_fen)),
        ("已清分金额", "Settled", money_both(data.settled_fen)),
        ("到期日", "Maturity date", data.maturity_date),
        ("付款参考号", "Payment reference", or_dash(data.payment_reference)),
        ("付款日", "Paid on", or_dash(data.paid_on)),
        ("持有人数", "Holders paid", str(len(data.lines))),
    ])]
    if data.audience:
        story += [p("本结算单仅列示该持有人的凭证与合计 / This statement lists only this holder's "
                    "pieces and totals", "small")]
    story += [section("清分明细", "Holders paid"), grid(
        [("凭证", "Piece"), ("持有人", "Holder"), ("金额", "Amount"), ("状态", "Status"),
         ("参考（交易哈希）", "Reference (transaction)")],
        [[str(line.token_id), f"{line.holder}\n{line.holder_credit_code}", money(line.amount_fen),
          line.status, line.reference] for line in data.lines],
        [0.08, 0.28, 0.16, 0.12, 0.36])]
    story += [Spacer(1, 2 * mm), fields([
        ("合计", "Total", money_both(sum(line.amount_fen for line in data.lines)))])]
    story += verification(meta, code)
    return _render(meta, code, story, progress=progress,
                   expected_pages=1 + len(data.lines) // 28)


def build_evidence(meta: Meta, data: EvidenceData, code: str,
                   progress: Progress | None = None) -> bytes:
    story = header(meta, "一户一档 证据包", "Evidence Package of an Organisation")
    story += [section("目录", "Index"), grid(
        [("部分", "Part"), ("内容", "Contents"), ("条数", "Entries")],
        [["一 / 1", "机构信息 Organisation", "1"],
         ["二 / 2", "KYC 材料及摘要 KYC record and file hashes", str(len(data.kyc_files))],
         ["三 / 3", "凭证操作记录（含交易哈希） Voucher actions with hashes",
          str(len(data.actions))],
         ["四 / 4", "验真 Verification", "1"]],
        [0.15, 0.65, 0.2])]
    story += [section("一、机构信息", "1. Organisation"), fields([
        *party_rows("evidence", data),
        ("类型", "Kind", data.kind),
        ("法定代表人", "Legal representative", data.legal_representative),
        ("注册地址", "Registered address", data.registered_address),
    ])]
    story += [section("二、KYC 材料", "2. KYC record"), fields([
        ("KYC 状态", "KYC status", data.kyc_status),
        ("审核时间", "Reviewed at", or_dash(data.kyc_reviewed_at)),
        ("有效期至", "Valid through", or_dash(data.kyc_expires_on)),
    ]), Spacer(1, 2 * mm), grid(
        [("材料", "Document"), ("文件名", "File name"), ("SHA-256", "SHA-256"),
         ("上传时间", "Uploaded at")],
        [[f.kind, f.original_name, f.sha256, f.uploaded_at] for f in data.kyc_files]
        or [["—", "—", "—", "—"]],
        [0.22, 0.2, 0.4, 0.18])]
    story += [PageBreak(), section("三、凭证操作记录", "3. Voucher actions"), grid(
        [("序号", "Seq."), ("时间", "At"), ("操作人", "Actor"), ("操作", "Action"),
         ("交易哈希 / 审计摘要", "Transaction / audit entry hash")],
        [[str(a.sequence), a.at, a.actor, f"{a.action}\n{a.subject}",
          f"tx {or_dash(a.tx_hash)}\naudit {a.entry_hash}"] for a in data.actions]
        or [["—", "—", "—", "—", "—"]],
        [0.07, 0.15, 0.13, 0.2, 0.45])]
    story += verification(meta, code)
    return _render(meta, code, story, progress=progress,
                   expected_pages=2 + len(data.actions) // 14)


BUILDERS = {"certificate": build_certificate, "debtor_notice": build_debtor_notice,
            "financing": build_financing, "settlement": build_settlement,
            "evidence": build_evidence}
