"""Authorisation matrix of documents (issue 11): every document kind × every role of every
organisation that takes part or stands outside, for asking for a document and for reading and
downloading one. The expectations are written out, not derived from the code under test: a
subject one cannot read through the API is 404 whatever one's role; one that can be read may be
asked for by users who may act (operator, approver, admin), not by viewers nor the regulator."""

import pytest

from receivables.models import DebtorNotice, Voucher
from tests.factories import api_client

pytestmark = pytest.mark.django_db

FACE = 50_000_000
# Who reads each kind's subject (through the API's selectors), by the cast's names.
READERS = {
    "certificate": {"core", "tier1", "regulator", "platform"},       # tier1's own piece
    "debtor_notice": {"core", "tier1", "tier2", "regulator", "platform"},
    "financing": {"tier1", "bank", "regulator", "platform"},
    "settlement": {"core", "tier1", "tier2", "bank", "regulator", "platform"},
    "evidence": {"tier1", "regulator", "platform"},
}
USERS = [("core", "operator"), ("core", "viewer"), ("tier1", "operator"), ("tier1", "viewer"),
         ("tier2", "operator"), ("tier3", "operator"), ("bank", "operator"),
         ("bank2", "operator"), ("regulator", "operator"), ("regulator", "viewer"),
         ("platform", "admin")]
ACTS = {"operator", "approver", "admin"}


@pytest.fixture
def subjects(api, cast):
    """One subject of each kind: tier1 holds a voucher, passed part of it on to tier2 (a debtor
    notice), and applied to the first bank for financing on its remainder."""
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=FACE)
    root = voucher["token_id"]
    api.act(cast.tier1.users_by_role["operator"], f"/api/pieces/{root}/transfer",
            {"to_organisation": cast.tier2.pk, "amount_fen": 10_000_000})
    numbers = list(Voucher.objects.get(token_id=root).invoice_links.values_list(
        "invoice__number", flat=True))
    applied = api.post(cast.tier1.users_by_role["operator"], "/api/financing/applications/create",
                       {"token_id": root, "amount_fen": 1_000_000, "bank_ids": [cast.bank.pk],
                        "invoice_numbers": numbers})
    assert applied.status_code == 202, applied.json()
    return {"certificate": root, "debtor_notice": DebtorNotice.objects.get(kind="transfer").pk,
            "financing": applied.json()["application_id"], "settlement": root,
            "evidence": cast.tier1.pk}


def expected_generate(kind: str, org: str, role: str) -> set[int]:
    if org not in READERS[kind]:
        return {404}
    if role not in ACTS or org == "regulator":
        return {403}
    # the financing summary exists once a quote is approved: asking before is a state error
    return {409} if kind == "financing" else {200, 202}


@pytest.mark.parametrize("kind", sorted(READERS))
def test_who_may_ask_for_and_read_each_kind_of_document(api, cast, subjects, kind):
    subject_id = subjects[kind]
    mismatches = []
    for org, role in USERS:
        user = getattr(cast, org).users_by_role[role]
        response = api.post(user, "/api/documents/generate",
                            {"kind": kind, "subject_id": subject_id})
        if response.status_code not in expected_generate(kind, org, role):
            mismatches.append(f"generate {kind} as {org}/{role}: {response.status_code} "
                              f"{response.json()}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("kind", ["certificate", "debtor_notice", "settlement", "evidence"])
def test_a_document_is_read_and_downloaded_only_by_its_readers(api, cast, subjects, kind):
    maker = {"certificate": cast.tier1, "debtor_notice": cast.core, "settlement": cast.core,
             "evidence": cast.tier1}[kind]
    document = api.ok(api.post(maker.users_by_role["operator"], "/api/documents/generate",
                               {"kind": kind, "subject_id": subjects[kind]}), 202)
    # a settlement statement made by the debtor lists every holder: the debtor's and those who
    # read everything; the holders get statements of their own part instead
    readers = ({"core", "regulator", "platform"} if kind == "settlement" else READERS[kind])
    mismatches = []
    for org, role in USERS:
        user = getattr(cast, org).users_by_role[role]
        detail = api.get(user, f"/api/documents/{document['id']}").status_code
        download = api_client(user).get(f"/api/documents/{document['id']}/download").status_code
        want = 200 if org in readers else 404
        if (detail, download) != (want, want):
            mismatches.append(f"{kind} as {org}/{role}: detail {detail}, download {download}, "
                              f"want {want}")
    assert not mismatches, "\n".join(mismatches)
