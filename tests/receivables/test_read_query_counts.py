"""The read endpoints answer in a bounded number of queries, whatever the number of pieces: the
projection rows are built directly (these tests are about queries, not the chain)."""

import pytest

from scf.accounts.models import OrganisationKind, Role
from scf.chain.models import ChainAccount, PieceState, SlotState
from tests.factories import api_client, member_factory

ROOT = 1_000_000
OWNER = "0x" + "ab" * 20


@pytest.fixture
def thousand_pieces(db):
    SlotState.objects.create(root_id=ROOT, debtor="0x" + "cd" * 20, bank="0x" + "ef" * 20,
                             maturity=1_900_000_000, face_value=1_000_000)
    PieceState.objects.bulk_create(
        [PieceState(token_id=ROOT, root_id=ROOT, owner=OWNER, balance=1_000, status=2)]
        + [PieceState(token_id=ROOT + i, root_id=ROOT, parent_id=ROOT + (i - 1) // 2 if i > 1
                      else ROOT, owner=OWNER, balance=1_000, status=2) for i in range(1, 1000)])


@pytest.mark.parametrize("path", ["/api/pieces", f"/api/pieces/{ROOT + 999}",
                                  f"/api/pieces/{ROOT + 999}/lineage"])
def test_piece_reads_of_a_thousand_pieces_are_bounded(path, thousand_pieces,
                                                      django_assert_max_num_queries):
    # the regulator reads every piece and sees the whole tree of the lineage
    client = api_client(member_factory(OrganisationKind.REGULATOR, Role.VIEWER))
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert response.status_code == 200, response.content


def test_holdings_of_a_thousand_pieces_are_bounded(thousand_pieces, django_assert_max_num_queries):
    holder = member_factory("supplier", Role.VIEWER)
    holder.organisation.chain_account = ChainAccount.objects.create(address=OWNER,
                                                                    encrypted_key="-")
    holder.organisation.save()
    client = api_client(holder)
    with django_assert_max_num_queries(10):
        response = client.get("/api/holdings")
    assert response.status_code == 200, response.content
    assert str(ROOT + 999) in response.content.decode()
