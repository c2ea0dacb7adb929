"""Documents show nobody more than the API does (issue 11, defect 2): generating or downloading
a document needs read access to its subject through the API's own selectors, a subject one
cannot see is 404 (never 409), a holder's settlement statement lists only its own pieces, and
only users who may act send the anchoring transaction."""

import pytest

from receivables.models import Voucher
from scf.documents.models import Document
from tests.documents.conftest import needs_poppler, pdf_text
from tests.factories import api_client

FACE = 50_000_000  # ¥500,000.00
TO_TIER2 = 12_345_600


def generate(api, user, kind, subject_id):
    return api.post(user, "/api/documents/generate", {"kind": kind, "subject_id": subject_id})


@pytest.fixture
def root(api, cast):
    """A voucher held by tier1, part of it transferred on to tier2."""
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=FACE)
    api.act(cast.tier1.users_by_role["operator"], f"/api/pieces/{voucher['token_id']}/transfer",
            {"to_organisation": cast.tier2.pk, "amount_fen": TO_TIER2})
    return voucher


@pytest.fixture
def application(api, cast, root):
    numbers = list(Voucher.objects.get(token_id=root["token_id"]).invoice_links.values_list(
        "invoice__number", flat=True))
    body = api.post(cast.tier1.users_by_role["operator"], "/api/financing/applications/create",
                    {"token_id": root["token_id"], "amount_fen": 1_000_000,
                     "bank_ids": [cast.bank.pk], "invoice_numbers": numbers})
    assert body.status_code in (200, 202), body.json()
    data = body.json()
    return data["application_id"] if body.status_code == 202 else data["id"]


def test_a_financing_summary_is_hidden_from_whoever_cannot_read_the_application(
        api, cast, application):
    core = cast.core.users_by_role["operator"]
    stranger = cast.tier2.users_by_role["operator"]
    for user in (core, stranger):
        assert api.get(user, f"/api/financing/applications/{application}").status_code in (
            403, 404)
        response = generate(api, user, "financing", application)
        # 404, not 409 "not approved yet": nothing about an invisible application leaks
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == "not_found"
    # the applicant sees it, and learns it is not approved yet
    response = generate(api, cast.tier1.users_by_role["operator"], "financing", application)
    assert (response.status_code, response.json()["code"]) == (409, "financing_not_approved")


@needs_poppler
def test_a_holder_gets_a_statement_of_its_own_pieces_and_the_debtor_of_all(
        api, cast, root, tmp_path):
    root_id = root["token_id"]
    holder = cast.tier2.users_by_role["operator"]
    own = api.ok(generate(api, holder, "settlement", root_id), 202)
    full = api.ok(generate(api, cast.core.users_by_role["operator"], "settlement", root_id), 202)
    assert own["id"] != full["id"]

    def text_of(user, document):
        response = api_client(user).get(f"/api/documents/{document['id']}/download")
        assert response.status_code == 200
        return pdf_text(b"".join(response.streaming_content), tmp_path)

    own_text = text_of(holder, own)
    assert cast.tier2.name in own_text and cast.tier2.credit_code in own_text
    assert cast.tier1.name not in own_text and cast.tier1.credit_code not in own_text
    assert "123,456.00" in own_text and "本结算单仅列示该持有人的凭证与合计" in own_text
    full_text = text_of(cast.core.users_by_role["operator"], full)
    assert cast.tier1.credit_code in full_text and cast.tier2.credit_code in full_text

    # tier1 cannot open tier2's statement, nor tier2 the debtor's full one
    tier1 = cast.tier1.users_by_role["operator"]
    assert api.get(tier1, f"/api/documents/{own['id']}").status_code == 404
    assert api.get(holder, f"/api/documents/{full['id']}").status_code == 404
    assert Document.objects.get(pk=own["id"]).audience_id == cast.tier2.pk


def test_viewers_the_regulator_and_suspended_organisations_send_no_anchoring_transaction(
        api, cast, root):
    from scf.accounts.services import organisation_suspend

    root_id = root["token_id"]
    for user in (cast.tier1.users_by_role["viewer"], cast.regulator.users_by_role["viewer"],
                 cast.regulator.users_by_role["operator"]):
        response = generate(api, user, "certificate", root_id)
        assert response.status_code == 403, (user.username, response.json())
        assert " / " in response.json()["message"]
    organisation_suspend(organisation=cast.tier1, actor=cast.platform.users_by_role["admin"],
                         reason="test")
    response = generate(api, cast.tier1.users_by_role["operator"], "certificate", root_id)
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_seller_can_no_longer_download_the_certificate_of_a_piece_it_sold(api, cast):
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=FACE)
    seller = cast.tier1.users_by_role["operator"]
    document = api.ok(generate(api, seller, "certificate", voucher["token_id"]), 202)
    assert api_client(seller).get(f"/api/documents/{document['id']}/download").status_code == 200
    operation = api.act(seller, f"/api/pieces/{voucher['token_id']}/transfer",
                        {"to_organisation": cast.tier2.pk, "amount_fen": FACE})
    assert operation["outcome"]["status"] == "confirmed"

    assert api_client(seller).get(f"/api/documents/{document['id']}/download").status_code == 404
    assert api.get(cast.core.users_by_role["viewer"],
                   f"/api/documents/{document['id']}").status_code == 200
