import hashlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from scf.accounts.services import member_kyc_expiry_seconds, member_ref_hash
from scf.audit.models import AuditEntry
from scf.audit.selectors import audit_chain_verify
from scf.chain.models import ChainIntent
from scf.chain.services import operator_chain_account
from scf.kyc.models import KycCase, KycDocument
from tests.factories import api_client, kyc_case_factory
from tests.kyc.documents import elf_bytes, jpeg_bytes, pdf_bytes, pe_bytes, png_bytes

pytestmark = pytest.mark.django_db


def upload(client, case_id, kind, name, data, content_type="application/pdf"):
    return client.post(f"/api/kyc/cases/{case_id}/documents",
                       {"kind": kind, "file": SimpleUploadedFile(name, data, content_type)},
                       format="multipart")


@pytest.fixture
def draft_case(supplier_operator):
    response = api_client(supplier_operator).post("/api/kyc/cases/create")
    assert response.status_code == 201
    return KycCase.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(("make", "name"), [(elf_bytes, "licence.pdf"), (pe_bytes, "licence.pdf"),
                                            (elf_bytes, "licence.png")])
def test_a_renamed_executable_is_refused(supplier_operator, draft_case, make, name):
    response = upload(api_client(supplier_operator), draft_case.pk, "business_licence", name,
                      make(), content_type="application/pdf")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_document"
    assert "可执行程序" in body["message"] and "executable" in body["message"]
    assert body["extra"]["fields"]["file"] == [body["message"]]
    assert not KycDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(settings, supplier_operator, draft_case):
    settings.SCF_KYC_MAX_UPLOAD_BYTES = 1000
    data = pdf_bytes()
    assert len(data) > 1000

    response = upload(api_client(supplier_operator), draft_case.pk, "business_licence",
                      "licence.pdf", data)

    assert response.status_code == 400
    assert "文件过大" in response.json()["message"]
    assert "at most 1000 bytes" in response.json()["message"]


def test_an_oversized_body_is_refused_before_parsing(settings, supplier_operator, draft_case):
    settings.SCF_KYC_MAX_UPLOAD_BYTES = 1000

    response = upload(api_client(supplier_operator), draft_case.pk, "business_licence",
                      "licence.pdf", b"%PDF-1.4\n" + b"0" * 200_000)

    assert response.status_code == 400
    assert "文件过大" in response.json()["message"]


@pytest.mark.parametrize(("make", "name", "declared", "detected"), [
    (pdf_bytes, "营业执照.pdf", "application/pdf", "application/pdf"),
    (png_bytes, "scan.pdf", "application/octet-stream", "image/png"),
    (jpeg_bytes, "photo", "text/plain", "image/jpeg"),
])
def test_real_documents_are_accepted_by_content_with_their_sha256(
        supplier_operator, draft_case, media_root, make, name, declared, detected):
    data = make()

    response = upload(api_client(supplier_operator), draft_case.pk, "business_licence", name,
                      data, content_type=declared)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == detected
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size"] == len(data) and body["original_name"] == name
    document = KycDocument.objects.get(pk=body["id"])
    stored = document.file.name
    assert stored.startswith(f"kyc/{draft_case.organisation_id}/{draft_case.pk}/")
    assert stored.endswith({"application/pdf": ".pdf", "image/png": ".png",
                            "image/jpeg": ".jpg"}[detected])
    assert (media_root / stored).read_bytes() == data


def test_a_new_upload_supersedes_the_old_one_of_the_same_kind(supplier_operator, draft_case):
    client = api_client(supplier_operator)
    upload(client, draft_case.pk, "business_licence", "a.pdf", pdf_bytes("a"))
    upload(client, draft_case.pk, "business_licence", "b.png", png_bytes(), "image/png")

    documents = client.get(f"/api/kyc/cases/{draft_case.pk}").json()["documents"]

    assert [(d["kind"], d["content_type"]) for d in documents] == [
        ("business_licence", "image/png")]
    assert KycDocument.objects.filter(case=draft_case).count() == 2


def test_submit_needs_every_document(supplier_operator, draft_case):
    client = api_client(supplier_operator)
    upload(client, draft_case.pk, "business_licence", "a.pdf", pdf_bytes())

    response = client.post(f"/api/kyc/cases/{draft_case.pk}/submit")

    assert response.status_code == 400
    assert response.json()["code"] == "kyc_documents_missing"
    assert response.json()["extra"]["missing"] == [
        "legal_representative_id", "authorisation_letter", "bank_account_proof"]


def test_documents_cannot_change_under_review(supplier_operator, supplier_org):
    case = kyc_case_factory(supplier_org, supplier_operator)

    response = upload(api_client(supplier_operator), case.pk, "business_licence", "a.pdf",
                      pdf_bytes())

    assert response.status_code == 409


def test_approval_creates_the_chain_account_and_registers_the_member(
        supplier_operator, supplier_org, platform_approver):
    case = kyc_case_factory(supplier_org, supplier_operator)
    expires_on = timezone.localdate() + timedelta(days=365)
    reviewer = api_client(platform_approver)

    queue = reviewer.get("/api/kyc/review-queue").json()
    assert [c["id"] for c in queue["results"]] == [case.pk]
    response = reviewer.post(f"/api/kyc/cases/{case.pk}/approve",
                             {"expires_on": expires_on.isoformat()}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["expires_on"] == expires_on.isoformat()
    supplier_org.refresh_from_db()
    account = supplier_org.chain_account
    assert account is not None and account.address.startswith("0x")
    intent = ChainIntent.objects.get()
    assert intent.sender == operator_chain_account()
    assert (intent.contract, intent.function) == ("MemberRegistry", "registerMember")
    assert intent.args == [account.address, 2, member_kyc_expiry_seconds(expires_on),
                           member_ref_hash(supplier_org)]
    assert intent.idempotency_key == f"member-register:{supplier_org.pk}:{case.pk}"
    assert intent.requested_by == platform_approver
    assert response.json()["chain_intent"]["function"] == "registerMember"
    assert reviewer.get("/api/kyc/review-queue").json()["count"] == 0
    actions = list(AuditEntry.objects.filter(organisation=supplier_org).order_by("sequence")
                   .values_list("action", flat=True))
    assert actions == ["kyc.create"] + ["kyc.document_upload"] * 4 + ["kyc.submit",
                                                                      "kyc.approve"]
    approval = AuditEntry.objects.get(action="kyc.approve")
    assert approval.actor == platform_approver
    assert approval.after["chain_intent"] == intent.pk
    assert approval.after["chain_address"] == account.address
    assert audit_chain_verify()[1] is None


def test_kyc_expiry_on_chain_is_the_midnight_after_the_expiry_date(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 2027-03-31 valid through the day in Beijing: expires 2027-04-01T00:00+08:00
    assert member_kyc_expiry_seconds(date(2027, 3, 31)) == 1806508800


def test_reject_then_resubmit_then_approve(supplier_operator, supplier_org, platform_approver):
    case = kyc_case_factory(supplier_org, supplier_operator)
    reviewer, preparer = api_client(platform_approver), api_client(supplier_operator)

    empty = reviewer.post(f"/api/kyc/cases/{case.pk}/reject", {"reason": "  "}, format="json")
    assert empty.status_code == 400
    rejected = reviewer.post(f"/api/kyc/cases/{case.pk}/reject",
                             {"reason": "营业执照已过期 / business licence expired"},
                             format="json")
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert preparer.get(f"/api/kyc/cases/{case.pk}").json()["rejection_reason"].startswith(
        "营业执照已过期")
    assert not ChainIntent.objects.exists()

    assert upload(preparer, case.pk, "business_licence", "new.png", png_bytes(),
                  "image/png").status_code == 201
    assert preparer.post(f"/api/kyc/cases/{case.pk}/submit").status_code == 409
    resubmitted = preparer.post(f"/api/kyc/cases/{case.pk}/resubmit")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted" and resubmitted.json()["revision"] == 2

    approved = reviewer.post(f"/api/kyc/cases/{case.pk}/approve",
                             {"expires_on": str(timezone.localdate() + timedelta(days=30))},
                             format="json")
    assert approved.status_code == 200
    assert ChainIntent.objects.get().function == "registerMember"


def test_expiry_date_must_be_in_the_future(supplier_operator, supplier_org, platform_approver):
    case = kyc_case_factory(supplier_org, supplier_operator)

    response = api_client(platform_approver).post(
        f"/api/kyc/cases/{case.pk}/approve", {"expires_on": str(timezone.localdate())},
        format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["expires_on"] == [
        "有效期须晚于今天 / The expiry date must be after today"]
    assert not ChainIntent.objects.exists()


def test_a_suspended_organisation_is_not_approved(supplier_operator, supplier_org,
                                                 platform_approver):
    case = kyc_case_factory(supplier_org, supplier_operator)
    supplier_org.status = "suspended"
    supplier_org.save()

    response = api_client(platform_approver).post(
        f"/api/kyc/cases/{case.pk}/approve",
        {"expires_on": str(timezone.localdate() + timedelta(days=9))}, format="json")

    assert response.status_code == 409
    supplier_org.refresh_from_db()
    assert supplier_org.chain_account is None and not ChainIntent.objects.exists()


def test_the_platform_cannot_review_its_own_submission_alone(platform_org, platform_admin):
    """platform_admin is admin + operator: it may prepare its own organisation's case and, were
    it also an approver, still not approve what it submitted."""
    from scf.accounts.models import Role, UserRole

    UserRole.objects.create(user=platform_admin, role=Role.APPROVER)
    case = kyc_case_factory(platform_org, platform_admin)

    response = api_client(platform_admin).post(
        f"/api/kyc/cases/{case.pk}/approve",
        {"expires_on": str(timezone.localdate() + timedelta(days=9))}, format="json")

    assert response.status_code == 403


def test_platform_organisation_is_registered_with_the_operator_account(
        platform_org, platform_admin, platform_approver):
    case = kyc_case_factory(platform_org, platform_admin)

    api_client(platform_approver).post(
        f"/api/kyc/cases/{case.pk}/approve",
        {"expires_on": str(timezone.localdate() + timedelta(days=9))}, format="json")

    platform_org.refresh_from_db()
    assert platform_org.chain_account == operator_chain_account()
    assert ChainIntent.objects.get().args[1] == 16  # OPERATOR


def test_documents_download_for_the_organisation_and_the_platform_only(
        supplier_operator, supplier_org, platform_approver, regulator_user,
        other_supplier_operator):
    case = kyc_case_factory(supplier_org, supplier_operator, submit=False)
    document = case.documents.get(kind="business_licence")
    url = f"/api/kyc/documents/{document.pk}/download"

    own = api_client(supplier_operator).get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(b"".join(own.streaming_content)).hexdigest() == document.sha256
    assert api_client(platform_approver).get(url).status_code == 200
    assert api_client(regulator_user).get(url).status_code == 403
    assert api_client(other_supplier_operator).get(url).status_code == 404


def test_one_case_per_organisation(supplier_operator, draft_case):
    response = api_client(supplier_operator).post("/api/kyc/cases/create")

    assert response.status_code == 409
    assert response.json()["code"] == "kyc_case_exists"


def test_case_lists_are_scoped(supplier_operator, draft_case, other_supplier_operator,
                               regulator_user, platform_approver):
    api_client(other_supplier_operator).post("/api/kyc/cases/create")

    assert api_client(supplier_operator).get("/api/kyc/cases").json()["count"] == 1
    assert api_client(regulator_user).get("/api/kyc/cases").json()["count"] == 2
    drafts = api_client(platform_approver).get("/api/kyc/cases?status=draft").json()
    assert drafts["count"] == 2
    assert api_client(platform_approver).get("/api/kyc/cases?status=approved").json()[
        "count"] == 0
