"""The debtor notice and the evidence package end to end (API, Celery, anchor, verification);
the financing summary and the settlement statement from their data (the banking flows that
produce their subjects are being finished), each checked by text extraction."""

import pytest

from scf.audit.models import AuditEntry
from scf.documents.data import (
    FinancingData,
    Meta,
    Party,
    SettlementData,
    SettlementLine,
    verification_code,
)
from scf.documents.fonts import missing_glyphs
from scf.documents.models import Document
from scf.documents.pdf import build_financing, build_settlement
from tests.documents.conftest import needs_poppler, pdf_text
from tests.documents.test_certificate import verify
from tests.factories import api_client

YUAN = 100


def download(user, document_id: int) -> bytes:
    response = api_client(user).get(f"/api/documents/{document_id}/download")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@needs_poppler
def test_debtor_notice_of_a_transfer(api, cast, tmp_path):
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=500_000 * YUAN)
    api.act(cast.tier1.users_by_role["operator"], f"/api/pieces/{voucher['token_id']}/transfer",
            {"to_organisation": cast.tier2.pk, "amount_fen": 123_456_78})
    core = cast.core.users_by_role["viewer"]
    notices = api.ok(api.get(core, "/api/debtor-notices"))
    notice = next(n for n in notices.get("results", notices) if n["kind"] == "transfer")
    # an operator asks for it (that anchors it); the viewer reads it
    body = api.ok(api.post(cast.core.users_by_role["operator"], "/api/documents/generate",
                           {"kind": "debtor_notice", "subject_id": notice["id"]}), 202)
    document = api.ok(api.get(core, f"/api/documents/{body['id']}"))
    assert document["status"] == "anchored", document
    content = download(core, document["id"])
    flat = "".join(pdf_text(content, tmp_path).split())
    for expected in ("债权转让通知书", "民法典", cast.core.name.replace(" ", ""),
                     cast.tier1.name.replace(" ", ""), cast.tier2.name.replace(" ", ""),
                     "¥123,456.78", "人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分", document["number"]):
        assert expected in flat, expected
    assert verify(content)["genuine"] is True
    # the assignee sees it too; the third tier does not
    assert api.get(cast.tier2.users_by_role["operator"],
                   f"/api/documents/{document['id']}").status_code == 200
    assert api.get(cast.tier3.users_by_role["operator"],
                   f"/api/documents/{document['id']}").status_code == 404


@needs_poppler
def test_evidence_package_of_an_organisation(api, cast, tmp_path):
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=200_000 * YUAN)
    api.act(cast.tier1.users_by_role["operator"], f"/api/pieces/{voucher['token_id']}/transfer",
            {"to_organisation": cast.tier2.pk, "amount_fen": 50_000 * YUAN})
    entries = list(AuditEntry.objects.filter(organisation=cast.tier1).order_by("sequence"))
    assert entries, "the supplier's actions are audited"
    # the organisation makes its package (that anchors it); the regulator reads it
    regulator = cast.regulator.users_by_role["viewer"]
    own_operator = cast.tier1.users_by_role["operator"]
    body = api.ok(api.post(own_operator, "/api/documents/generate",
                           {"kind": "evidence", "subject_id": cast.tier1.pk}), 202)
    document = api.ok(api.get(regulator, f"/api/documents/{body['id']}"))
    assert document["status"] == "anchored" and document["progress"] == 100, document
    flat = "".join(pdf_text(download(regulator, document["id"]), tmp_path).split())
    for expected in ("一户一档", "目录", "Index", "KYC", cast.tier1.credit_code,
                     *(e.entry_hash for e in entries), *(e.tx_hash for e in entries if e.tx_hash)):
        assert expected in flat, expected
    # an organisation's own package is for itself, the platform and the regulator
    assert api.post(cast.tier2.users_by_role["operator"], "/api/documents/generate",
                    {"kind": "evidence", "subject_id": cast.tier1.pk}).status_code == 404


def test_progress_is_written_while_generating(api, cast, monkeypatch):
    import scf.documents.services as services

    seen = []

    real = services._progress_writer

    def spy(document_id):
        write = real(document_id)

        def record(percent):
            write(percent)
            seen.append(Document.objects.get(pk=document_id).progress)
        return record

    monkeypatch.setattr(services, "_progress_writer", spy)
    own_operator = cast.tier1.users_by_role["operator"]
    body = api.ok(api.post(own_operator, "/api/documents/generate",
                           {"kind": "evidence", "subject_id": cast.tier1.pk}), 202)
    assert seen and seen == sorted(seen) and 0 < seen[0] < 100, seen
    assert Document.objects.get(pk=body["id"]).progress == 100


def _meta(kind: str) -> Meta:
    return Meta(kind=kind, number=f"SCF-{kind}-TEST", public_id="x",
                verify_url="http://127.0.0.1:8000/verify?doc=x",
                generated_at="2026-11-21 10:00:00")


@needs_poppler
def test_financing_summary_shows_the_terms_and_the_formula(tmp_path):
    data = FinancingData(
        application_id=3, quote_id=4, applicant=Party("苏州精密零部件有限公司", "91320500MA1X"),
        bank=Party("贵阳银行股份有限公司"), debtor=Party("华东重工集团有限公司"), token_id=9,
        root_id=1, face_fen=100_000_000, annual_rate="3.65%", value_date="2026-11-21",
        maturity_date="2027-02-19", days=90, day_count=360, interest_fen=912_500,
        fees_fen=10_000, net_proceeds_fen=99_077_500,
        formula="利息 = 票面 1,000,000.00 × 年利率 3.65% × 90 天 / 360 = 9,125.00",
        status="已放款 / disbursed", approved_at="2026-11-21 10:00:00", tx_hash="0x" + "ab" * 32,
        block=12)
    meta = _meta("financing")
    content = build_financing(meta, data, verification_code(meta, data))
    flat = "".join(pdf_text(content, tmp_path).split())
    for expected in ("融资协议摘要", "贵阳银行股份有限公司", "3.65%", "90天", "¥9,125.00",
                     "人民币玖仟壹佰贰拾伍元整", "¥990,775.00", "人民币玖拾玖万零柒佰柒拾伍元整",
                     "利息=票面1,000,000.00×年利率3.65%×90天/360=9,125.00", "0x" + "ab" * 32):
        assert expected in flat, expected


@needs_poppler
def test_settlement_statement_lists_every_holder_over_pages(tmp_path):
    lines = [SettlementLine(token_id=n, holder=f"供应商 {n} 号", holder_credit_code=f"9132{n:06d}",
                            amount_fen=1_000_00 + n, status="已清分 / settled",
                            reference=f"0x{n:064x}") for n in range(1, 301)]
    data = SettlementData(root_id=1, debtor=Party("华东重工集团有限公司"), bank=None,
                          face_value_fen=sum(line.amount_fen for line in lines),
                          settled_fen=sum(line.amount_fen for line in lines),
                          maturity_date="2027-02-19", payment_reference="PAY-001",
                          paid_on="2027-02-19", lines=lines)
    meta, progress = _meta("settlement"), []
    content = build_settlement(meta, data, verification_code(meta, data),
                               progress=progress.append)
    assert progress == sorted(progress) and progress[-1] >= 90
    text = pdf_text(content, tmp_path)
    flat = "".join(text.split())
    assert text.count("\f") > 5  # many pages, the header repeated on each
    for n in (1, 150, 300):
        assert f"供应商{n}号" in flat and f"0x{n:064x}" in flat
    assert "PAY-001" in flat and "到期清分结算单" in flat


@pytest.mark.parametrize("text", ["电子债权凭证 债权转让通知书 融资协议摘要 到期清分结算单",
                                  "一户一档 证据包 目录",
                                  "壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整零 ¥ · — （）：、",
                                  "民法典第五百四十六条 统一社会信用代码 验真 校验码 北京时间"])
def test_font_covers_what_documents_print(text):
    assert missing_glyphs(text) == set()
