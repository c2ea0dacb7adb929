"""Issuance (开立) through the public API on a real anvil node: the core enterprise's operator
proposes, a different approver approves, the voucher lands on chain within the credit line, the
supplier accepts or rejects; and every bad input of the issue is a clear 4xx that writes
nothing."""

import hashlib
from datetime import timedelta

import pytest

from receivables.models import Invoice, TradeContract, Voucher, VoucherInvoice
from scf import clock
from scf.accounts.models import OrganisationKind, Role
from scf.approvals.models import ApprovalRequest
from scf.audit.models import AuditEntry
from scf.chain.contracts import platform_contract
from scf.chain.models import ChainEvent, ChainIntent
from scf.chain.outbox import intent_execute
from scf.chain.services import organisation_intent_enqueue
from scf.notifications.models import Notification
from tests.factories import user_factory
from tests.kyc.documents import elf_bytes, pdf_bytes
from tests.receivables.helpers import assert_conserved, credit_available, future

pytestmark = pytest.mark.django_db

LINE = 1_000_000_000  # the cast's credit line: ¥10,000,000.00
MODELS = (Voucher, VoucherInvoice, ApprovalRequest, ChainIntent, AuditEntry, Notification,
          TradeContract, Invoice)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def ledger():
    return platform_contract("VoucherLedger").functions


def test_issue_approve_accept_through_the_api(cast, api):
    operator, approver = cast.core.users_by_role["operator"], cast.core.users_by_role["approver"]
    contract, invoices = api.trade(cast.core, cast.tier1, invoices=(60_000_000, 40_000_000))
    maturity = future(120)

    proposed = api.ok(api.propose(cast.core, cast.bank, contract, invoices,
                                  maturity=maturity), 201)
    assert proposed["status"] == "proposed"
    assert proposed["face_value_yuan"] == "1,000,000.00"
    assert proposed["face_value_in_capitals"] == "壹佰万元整"
    assert proposed["approval_status"] == "proposed"
    assert proposed["token_id"] is None
    assert credit_available(cast.bank, cast.core) == LINE  # nothing on chain yet

    approval = api.approve(approver, proposed["approval_id"])
    assert approval["status"] == "executed"
    assert approval["result"]["voucher_id"] == proposed["id"]
    operation = api.operation(approver, approval["result"]["operation_id"])
    assert operation["status"] == "confirmed" and operation["function"] == "issue"

    voucher = api.ok(api.get(operator, f"/api/vouchers/{proposed['id']}"))
    token_id = voucher["token_id"]
    assert voucher["status"] == "pending" and voucher["chain_status"] == "pending"
    assert voucher["tx_hash"] == operation["tx_hash"]
    assert voucher["block_number"] == operation["block_number"]
    assert voucher["approved_by"] == approver.username
    # on chain: the supplier holds the pending root; the credit is consumed; the invoices and
    # the trade are registered by hash; maturity is 00:00 of the date in Asia/Shanghai
    owner, root, parent, balance, status, _, frozen = ledger().pieceOf(token_id).call()
    assert (owner, root, parent, balance, status, frozen) == (
        cast.tier1.chain_account.address, token_id, 0, 100_000_000, 1, False)
    debtor, bank, chain_maturity, face, settled = ledger().slotInfo(token_id).call()
    assert (debtor, bank, face, settled) == (cast.core.chain_account.address,
                                             cast.bank.chain_account.address, 100_000_000, 0)
    assert chain_maturity == clock.start_of_day(clock.today() + timedelta(days=120))
    assert credit_available(cast.bank, cast.core) == LINE - 100_000_000
    for invoice in invoices:
        assert ledger().invoiceHolder(bytes.fromhex(invoice["chain_hash"][2:])).call() == token_id
    issued = ChainEvent.objects.get(name="VoucherIssued")
    assert issued.args["tradeHash"] == contract["chain_hash"]

    # the supplier's inbox, and its notification
    supplier_operator = cast.tier1.users_by_role["operator"]
    inbox = api.ok(api.get(supplier_operator, "/api/vouchers", {"awaiting_my_acceptance": True}))
    assert [v["id"] for v in inbox["results"]] == [voucher["id"]]
    assert Notification.objects.filter(organisation=cast.tier1, kind="voucher.to_accept").exists()

    accepted = api.act(supplier_operator, f"/api/vouchers/{voucher['id']}/accept")
    assert accepted["voucher_id"] == voucher["id"] and accepted["token_id"] == token_id
    assert accepted["outcome"]["status"] == "confirmed"
    voucher = api.ok(api.get(supplier_operator, f"/api/vouchers/{voucher['id']}"))
    assert voucher["status"] == "accepted" and voucher["chain_status"] == "active"
    assert ledger().pieceOf(token_id).call()[4] == 2  # ACTIVE
    assert_conserved(token_id)
    inbox = api.ok(api.get(supplier_operator, "/api/vouchers", {"awaiting_my_acceptance": True}))
    assert inbox["count"] == 0
    # the issuer's view by maturity
    maturities = api.ok(api.get(operator, "/api/vouchers/maturities"))
    assert maturities["results"] == [{
        "debtor": {"id": cast.core.pk, "name": cast.core.name,
                   "credit_code": cast.core.credit_code, "kind": "core_enterprise"},
        "maturity_date": maturity, "vouchers": 1, "face_value_fen": 100_000_000,
        "face_value_yuan": "1,000,000.00"}]
    # every step is in the audit log, attributed
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"voucher.propose", "voucher.issue", "voucher.issued", "voucher.accept",
            "voucher.accept_confirmed", "approval.propose", "approval.approve"} <= actions


def test_rejection_cancels_on_chain_restores_credit_and_frees_invoices(cast, api):
    voucher = api.issue(cast.core, cast.tier1, cast.bank, accept=False)
    assert credit_available(cast.bank, cast.core) == LINE - 100_000_000
    supplier_operator = cast.tier1.users_by_role["operator"]

    missing = api.post(supplier_operator, f"/api/vouchers/{voucher['id']}/reject", {})
    assert missing.status_code == 400 and "reason" in missing.json()["extra"]["fields"]

    rejected = api.act(supplier_operator, f"/api/vouchers/{voucher['id']}/reject",
                       {"reason": "货物未到，金额不符"})
    assert rejected["outcome"]["status"] == "confirmed"
    after = api.ok(api.get(supplier_operator, f"/api/vouchers/{voucher['id']}"))
    assert after["status"] == "rejected" and after["chain_status"] == "cancelled"
    assert after["rejection_reason"] == "货物未到，金额不符"
    expected_hash = "0x" + hashlib.sha256(
        f"scf-voucher-reject:{voucher['id']}:货物未到，金额不符".encode()).hexdigest()
    assert after["rejection_reason_hash"] == expected_hash
    event = ChainEvent.objects.get(name="VoucherRejected")
    assert event.args["reasonHash"] == expected_hash  # only the hash is on chain
    assert credit_available(cast.bank, cast.core) == LINE
    assert all(invoice["released"] for invoice in after["invoices"])
    assert Notification.objects.filter(organisation=cast.core, kind="voucher.rejected").exists()

    # the freed invoice can back a new voucher (the chain released it too)
    invoice = after["invoices"][0]
    assert ledger().invoiceHolder(bytes.fromhex(invoice["chain_hash"][2:])).call() == 0
    again = api.ok(api.propose(cast.core, cast.bank, after["trade_contract"],
                               [{"id": invoice["id"]}]), 201)
    api.approve(cast.core.users_by_role["approver"], again["approval_id"])
    assert Voucher.objects.get(pk=again["id"]).status == "pending"

    # a rejected voucher cannot be accepted any more
    late = api.post(supplier_operator, f"/api/vouchers/{voucher['id']}/accept")
    assert late.status_code == 409 and late.json()["code"] == "invalid_voucher_status"


def test_the_approver_declining_frees_the_invoices(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1)
    proposed = api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)
    declined = api.post(cast.core.users_by_role["approver"],
                        f"/api/approvals/{proposed['approval_id']}/reject", {"reason": "金额有误"})
    assert declined.status_code == 200
    voucher = api.ok(api.get(cast.core.users_by_role["operator"],
                             f"/api/vouchers/{proposed['id']}"))
    assert voucher["status"] == "declined" and voucher["invoices"][0]["released"]
    assert not ChainIntent.objects.filter(function="issue").exists()
    api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)  # usable again


def test_the_proposer_cannot_approve_their_own_proposal(cast, api):
    both = user_factory(cast.core, Role.OPERATOR, Role.APPROVER)
    cast.core.users_by_role["operator"] = both
    contract, invoices = api.trade(cast.core, cast.tier1)
    proposed = api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)
    before = counts()

    response = api.post(both, f"/api/approvals/{proposed['approval_id']}/approve")

    assert response.status_code == 403
    assert set(response.json()) == {"message", "code", "extra"}
    assert counts() == before
    assert Voucher.objects.get(pk=proposed["id"]).status == "proposed"
    assert credit_available(cast.bank, cast.core) == LINE


def test_issuing_beyond_the_credit_line_is_refused(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1, amount_fen=3 * LINE,
                                   invoices=(3 * LINE,))
    cast.bank, cast.bank2  # onboarded before counting  # noqa: B018
    before = counts()
    response = api.propose(cast.core, cast.bank, contract, invoices, face_value_fen=LINE + 1)
    assert response.status_code == 400
    assert "授信" in response.json()["extra"]["fields"]["face_value_fen"][0]
    assert counts() == before

    # proposals reserve credit: a second one that would overrun the line is refused too
    api.ok(api.propose(cast.core, cast.bank, contract, invoices[:1],
                       face_value_fen=LINE - 100), 201)
    contract2, invoices2 = api.trade(cast.core, cast.tier1)
    before = counts()
    response = api.propose(cast.core, cast.bank, contract2, invoices2, face_value_fen=101)
    assert response.status_code == 400
    assert "可用 1.00 元" in response.json()["extra"]["fields"]["face_value_fen"][0]
    assert counts() == before

    # a bank without a line for this core enterprise
    response = api.propose(cast.core, cast.bank2, contract2, invoices2, face_value_fen=100)
    assert response.status_code == 400 and "bank" in response.json()["extra"]["fields"]


BAD_ISSUE_INPUTS = [
    ("face_value_fen", 0, "大于零"),
    ("face_value_fen", -100, "大于零"),
    ("face_value_fen", 1.5, "整数分"),
    ("face_value_fen", 100.0, "整数分"),
    ("face_value_fen", "100.50", "整数分"),
    ("face_value_fen", True, "整数分"),
    ("face_value_fen", "一百", "整数分"),
    ("face_value_fen", None, "不能为空"),
    ("face_value_fen", 150_000_001, "发票"),      # beyond the cited invoices' total
    ("face_value_fen", 300_000_001, "贸易合同"),  # beyond the trade contract
    ("maturity_date", "yesterday", "到期日"),
    ("maturity_date", "today", "到期日"),
    ("maturity_date", "2027-02-30", "YYYY-MM-DD"),
    ("invoices", [], "发票"),
    ("invoices", "21 of them", "20"),
    ("invoices", "duplicate", "重复"),
    ("invoices", "another trade's", "不属于"),
    ("invoices", [999_999], "无此发票"),
    ("bank", "a supplier", "类型"),
    ("bank", 999_999, "无此机构"),
    ("trade_contract", 999_999, "无此贸易合同"),
]


def test_bad_issue_input_is_a_field_error_and_writes_nothing(cast, api):
    """Nothing is written by any of them, so they share one world."""
    contract, invoices = api.trade(cast.core, cast.tier1, amount_fen=300_000_000,
                                   invoices=(100_000_000, 50_000_000))
    _, other = api.trade(cast.core, cast.tier1)
    today = clock.today()
    named = {"yesterday": str(today - timedelta(days=1)), "today": str(today),
             "21 of them": list(range(1, 22)), "duplicate": [invoices[0]["id"]] * 2,
             "another trade's": [other[0]["id"]], "a supplier": cast.tier2.pk}
    valid = {"trade_contract": contract["id"], "bank": cast.bank.pk,
             "face_value_fen": 100_000_000, "maturity_date": future(),
             "invoices": [i["id"] for i in invoices]}
    before = counts()
    for field, value, fragment in BAD_ISSUE_INPUTS:
        value = named.get(value, value) if isinstance(value, str) else value
        response = api.post(cast.core.users_by_role["operator"], "/api/vouchers/issue",
                            {**valid, field: value})

        case = f"{field}={value!r}"
        assert response.status_code == 400, (case, response.json())
        error = response.json()
        assert set(error) == {"message", "code", "extra"}, case
        assert error["code"] == "validation_error", case
        messages = " ".join(error["extra"]["fields"][field])
        assert fragment in messages, (case, messages)
        assert " / " in messages, (case, messages)  # Chinese / English
        assert counts() == before, case


def test_a_reused_invoice_names_the_voucher_that_holds_it(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1)
    first = api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)
    before = counts()

    response = api.propose(cast.core, cast.bank, contract, invoices)

    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "invoice_already_used"
    assert error["extra"]["voucher"] == first["id"]
    assert str(first["id"]) in error["message"]
    assert counts() == before

    # still after it is issued and accepted
    api.approve(cast.core.users_by_role["approver"], first["approval_id"])
    assert api.propose(cast.core, cast.bank, contract, invoices).status_code == 409


def _issue_directly_on_chain(cast, invoice_hash: str, key: str) -> int:
    """The core enterprise's account cites the invoice without the platform's database (another
    front end, a script): only the chain can tell."""
    intent = organisation_intent_enqueue(
        organisation=cast.core, contract="VoucherLedger", function="issue",
        args=[cast.bank.chain_account.address, cast.tier1.chain_account.address, 1000,
              clock.start_of_day(clock.today() + timedelta(days=30)), "0x" + "ab" * 32,
              [invoice_hash]], idempotency_key=key, requested_by=None)
    assert intent_execute(intent_id=intent.pk) == "confirmed", intent.error_message
    intent.refresh_from_db()
    return next(event["args"]["tokenId"] for event in intent.result["events"]
                if event["event"] == "VoucherIssued")


def test_an_invoice_used_on_chain_is_refused_before_anything_is_written(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1)
    token_id = _issue_directly_on_chain(cast, invoices[0]["chain_hash"], "outside-1")
    before = counts()

    response = api.propose(cast.core, cast.bank, contract, invoices)

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_already_used"
    assert response.json()["extra"]["token_id"] == token_id
    assert counts() == before


def test_a_reuse_that_slips_past_the_checks_fails_on_chain_and_changes_nothing(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1)
    proposed = api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)
    # between proposal and approval the invoice gets used outside the platform
    _issue_directly_on_chain(cast, invoices[0]["chain_hash"], "outside-2")
    available = credit_available(cast.bank, cast.core)
    next_id = ledger().nextTokenId().call()

    approval = api.approve(cast.core.users_by_role["approver"], proposed["approval_id"])

    operation = api.operation(cast.core.users_by_role["approver"],
                              approval["result"]["operation_id"])
    assert operation["status"] == "failed"
    assert operation["error"]["name"] == "VoucherLedgerInvoiceAlreadyUsed"
    voucher = api.ok(api.get(cast.core.users_by_role["operator"],
                             f"/api/vouchers/{proposed['id']}"))
    assert voucher["status"] == "failed" and voucher["token_id"] is None
    assert voucher["error"]["name"] == "VoucherLedgerInvoiceAlreadyUsed"
    assert voucher["invoices"][0]["released"]
    assert credit_available(cast.bank, cast.core) == available
    assert ledger().nextTokenId().call() == next_id


def test_an_approval_after_the_maturity_date_has_passed_fails_cleanly(cast, api):
    contract, invoices = api.trade(cast.core, cast.tier1)
    proposed = api.ok(api.propose(cast.core, cast.bank, contract, invoices,
                                  maturity=future(1)), 201)
    Voucher.objects.filter(pk=proposed["id"]).update(maturity_date=clock.today())

    approval = api.approve(cast.core.users_by_role["approver"], proposed["approval_id"])

    assert approval["status"] == "failed"
    assert "maturity_date" in approval["result"]["extra"]["fields"]
    voucher = Voucher.objects.get(pk=proposed["id"])
    assert voucher.status == "failed" and voucher.issue_intent is None
    assert not VoucherInvoice.objects.filter(voucher=voucher, released_at__isnull=True).exists()


def test_acting_on_another_organisations_objects(cast, api, onboard, credit_line):
    other_core = onboard(OrganisationKind.CORE_ENTERPRISE, Role.OPERATOR, Role.APPROVER)
    credit_line(cast.bank, other_core, LINE)
    contract, invoices = api.trade(cast.core, cast.tier1)
    voucher = api.ok(api.propose(cast.core, cast.bank, contract, invoices), 201)
    cast.tier2  # onboarded before counting  # noqa: B018
    before = counts()

    # another core enterprise cannot cite this trade or its invoices
    response = api.propose(other_core, cast.bank, contract, invoices)
    assert response.status_code == 400
    assert "trade_contract" in response.json()["extra"]["fields"]
    # nor approve its proposal (another organisation's request: not found)
    response = api.post(other_core.users_by_role["approver"],
                        f"/api/approvals/{voucher['approval_id']}/approve")
    assert response.status_code == 404
    # nor record an invoice on it
    response = api.post(other_core.users_by_role["operator"], "/api/invoices/create", {
        "trade_contract": contract["id"], "number": "26000000000000999999",
        "amount_fen": 1, "issued_on": str(clock.today())})
    assert response.status_code == 400
    assert counts() == before

    api.approve(cast.core.users_by_role["approver"], voucher["approval_id"])
    before = counts()
    # a supplier that is not the payee cannot see it, the bank that can see it cannot accept it
    assert api.post(cast.tier2.users_by_role["operator"],
                    f"/api/vouchers/{voucher['id']}/accept").status_code == 404
    assert api.post(cast.bank.users_by_role["operator"],
                    f"/api/vouchers/{voucher['id']}/accept").status_code == 403
    assert api.get(cast.bank.users_by_role["operator"],
                   f"/api/vouchers/{voucher['id']}").status_code == 200
    # the payee's viewer may look but not accept
    assert api.post(cast.tier1.users_by_role["viewer"],
                    f"/api/vouchers/{voucher['id']}/accept").status_code == 403
    assert counts() == before


def test_trade_documents_are_hashed_server_side_and_checked_by_content(cast, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    operator = cast.core.users_by_role["operator"]
    data = pdf_bytes("purchase contract")
    created = api.ok(api.post(operator, "/api/trade-contracts/create", {
        "supplier": cast.tier1.pk, "number": "HT-2026-001", "title": "采购合同",
        "amount_fen": "100000", "signed_on": str(clock.today()),
        "file": SimpleUploadedFile("c.pdf", data, "application/pdf")}, fmt="multipart"), 201)
    assert created["document"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert created["document"]["content_type"] == "application/pdf"
    download = api.get(operator, created["document"]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    # the supplier of the trade sees it too; another supplier does not
    assert api.get(cast.tier1.users_by_role["operator"],
                   f"/api/trade-contracts/{created['id']}").status_code == 200
    assert api.get(cast.tier2.users_by_role["operator"],
                   f"/api/trade-contracts/{created['id']}").status_code == 404

    before = counts()
    refused = api.post(operator, "/api/trade-contracts/create", {
        "supplier": cast.tier1.pk, "number": "HT-2026-002", "title": "采购合同",
        "amount_fen": "100000", "signed_on": str(clock.today()),
        "file": SimpleUploadedFile("c.pdf", elf_bytes(), "application/pdf")}, fmt="multipart")
    assert refused.status_code == 400 and "file" in refused.json()["extra"]["fields"]
    duplicate = api.post(operator, "/api/trade-contracts/create", {
        "supplier": cast.tier1.pk, "number": "HT-2026-001", "title": "采购合同",
        "amount_fen": 100000, "signed_on": str(clock.today())})
    assert duplicate.status_code == 400 and "number" in duplicate.json()["extra"]["fields"]
    assert counts() == before


def test_invoice_numbers_are_validated_and_an_invoice_is_registered_once(cast, api):
    contract, _ = api.trade(cast.core, cast.tier1, invoices=())
    supplier_operator = cast.tier1.users_by_role["operator"]  # either party may record
    body = {"trade_contract": contract["id"], "number": "01234567", "code": "4400231130",
            "amount_fen": 1_000, "issued_on": str(clock.today())}
    created = api.ok(api.post(supplier_operator, "/api/invoices/create", body), 201)
    expected = "0x" + hashlib.sha256(b"scf-invoice:4400231130:01234567").hexdigest()
    assert created["chain_hash"] == expected

    before = counts()
    again = api.post(cast.core.users_by_role["operator"], "/api/invoices/create",
                     {**body, "number": " 01234567 "})
    assert again.status_code == 400 and again.json()["code"] == "invoice_exists"
    bad = api.post(supplier_operator, "/api/invoices/create", {**body, "code": "123"})
    assert bad.status_code == 400 and "code" in bad.json()["extra"]["fields"]
    bad = api.post(supplier_operator, "/api/invoices/create",
                   {**body, "code": "", "number": "1234"})
    assert bad.status_code == 400 and "number" in bad.json()["extra"]["fields"]
    bad = api.post(supplier_operator, "/api/invoices/create", {**body, "amount_fen": 10.5})
    assert bad.status_code == 400 and "amount_fen" in bad.json()["extra"]["fields"]
    assert counts() == before

    # a scan (PNG, judged by content) is hashed; the invoice's identity stays its number
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.kyc.documents import png_bytes

    scan = png_bytes()
    with_scan = api.ok(api.post(supplier_operator, "/api/invoices/create", {
        **body, "code": "", "number": "26000000000000777777", "amount_fen": "2000",
        "file": SimpleUploadedFile("scan.png", scan, "image/png")}, fmt="multipart"), 201)
    assert with_scan["document"]["sha256"] == hashlib.sha256(scan).hexdigest()
    assert with_scan["document"]["content_type"] == "image/png"
    assert with_scan["chain_hash"] == "0x" + hashlib.sha256(
        b"scf-invoice:26000000000000777777").hexdigest()
    assert api.get(cast.core.users_by_role["operator"],
                   with_scan["document"]["download_url"]).status_code == 200
