"""A request's pre-flight checks read the projection, not the node: what the projection allows
is queued with no JSON-RPC call; what it refuses is asked of the chain again (the projection
lags by the blocks not yet indexed), and what the chain has overtaken since fails on chain,
visibly, changing nothing. On a real anvil node."""

import pytest

from receivables import services
from receivables.models import PieceOperation
from scf.chain import readers
from scf.chain.client import rpc_counter
from scf.chain.indexer import index_until_head
from scf.chain.models import PieceState
from scf.chain.node import chain_travel
from scf.chain.outbox import intent_execute
from scf.chain.projection import PROJECTION
from scf.chain.services import organisation_intent_enqueue
from scf.errors import ForbiddenError
from tests.receivables.helpers import chain_pieces

pytestmark = pytest.mark.django_db

YUAN = 100
DAY = 86_400


@pytest.fixture
def held_piece(cast, api):
    """Tier 1 holds an accepted voucher; every block is indexed (members, slot, piece)."""
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    for organisation in (cast.tier2, cast.regulator):
        assert organisation.chain_account_id
    index_until_head()
    return token_id


def test_what_the_projection_allows_is_queued_without_a_node_call(
        cast, held_piece, django_capture_on_commit_callbacks):
    holder = cast.tier1.users_by_role["operator"]
    rpc_counter.reset()
    with django_capture_on_commit_callbacks(execute=False):  # the worker's part is not ours
        transfer = services.piece_transfer(user=holder, token_id=held_piece,
                                           to_organisation=cast.tier2, amount_fen=1_000 * YUAN)
        freeze = services.piece_freeze(user=cast.regulator.users_by_role["operator"],
                                       token_id=held_piece, reason="（2026）沪0115执保1号")
    assert rpc_counter.total_calls == 0, dict(rpc_counter.calls)
    assert transfer.status == freeze.status == PieceOperation.Status.SUBMITTED
    assert transfer.intent.function == "transferValue"


def test_a_split_accepted_by_the_projection_makes_no_node_call(
        cast, held_piece, django_capture_on_commit_callbacks):
    balance = PieceState.objects.get(token_id=held_piece).balance
    rpc_counter.reset()
    with django_capture_on_commit_callbacks(execute=False):
        split = services.piece_split(user=cast.tier1.users_by_role["operator"],
                                     token_id=held_piece,
                                     amounts_fen=[balance // 4, balance - balance // 4])
    assert rpc_counter.total_calls == 0, dict(rpc_counter.calls)
    assert split.intent.function == "split"


def test_a_piece_the_indexer_has_not_seen_is_judged_by_the_chain(
        cast, held_piece, django_capture_on_commit_callbacks):
    """A piece received a moment ago is not projected yet: the projection's "no such piece"
    is not the last word, the chain's yes is."""
    PieceState.objects.filter(token_id=held_piece).delete()
    rpc_counter.reset()
    with django_capture_on_commit_callbacks(execute=True):
        operation = services.piece_transfer(user=cast.tier1.users_by_role["operator"],
                                            token_id=held_piece, to_organisation=cast.tier2,
                                            amount_fen=500 * YUAN)
    assert rpc_counter.calls["eth_call"] > 0  # asked the chain
    operation.refresh_from_db()
    assert operation.status == PieceOperation.Status.CONFIRMED


def test_a_refusal_the_chain_confirms_stands(cast, held_piece):
    with pytest.raises(ForbiddenError):  # tier 2 holds nothing of it, on either ledger
        services.piece_transfer(user=cast.tier2.users_by_role["operator"],
                                token_id=held_piece, to_organisation=cast.tier3,
                                amount_fen=100)
    assert not PieceOperation.objects.exists()


def test_a_yes_the_chain_has_overtaken_fails_on_chain_and_changes_nothing(
        cast, held_piece, django_capture_on_commit_callbacks):
    """The regulator's freeze is mined but not indexed: the projection still says movable, the
    request is queued, and the ledger refuses it with its own error."""
    freeze = organisation_intent_enqueue(
        organisation=cast.regulator, contract="VoucherLedger", function="freeze",
        args=[held_piece, "0x" + "ab" * 32], idempotency_key="freeze-behind-the-projection",
        requested_by=None)
    assert intent_execute(intent_id=freeze.pk) == "confirmed"
    assert PieceState.objects.get(token_id=held_piece).frozen is False  # not indexed yet
    before = chain_pieces(held_piece)

    with django_capture_on_commit_callbacks(execute=True):
        operation = services.piece_transfer(user=cast.tier1.users_by_role["operator"],
                                            token_id=held_piece, to_organisation=cast.tier2,
                                            amount_fen=100 * YUAN)

    operation.refresh_from_db()
    assert (operation.status, operation.error_name) == ("failed", "VoucherLedgerPieceFrozen")
    assert chain_pieces(held_piece) == before


def test_the_projected_clock_follows_the_chain_and_its_time_travel(held_piece):
    assert abs(PROJECTION.now() - readers.chain_now()) <= 2
    chain_travel(3 * DAY)
    assert abs(PROJECTION.now() - readers.chain_now()) <= 2
