"""What the holder sees of its pieces before it tries to move them: a piece a financing
application reserves says so (by which application, for how much) and why it cannot move, so the
holdings page shows a tag instead of buttons that end in a 409; a piece locked on chain, frozen
or matured says why too. And the application names its banks by credit code, as the member
directory shows them."""

import pytest

from scf.accounts.models import Role
from scf.chain.indexer import index_until_head
from tests.banking.conftest import INVOICE, issue, send
from tests.factories import credit_code

pytestmark = pytest.mark.django_db(transaction=True)


def apply_by_codes(world, token_id, amount_fen, banks):
    return world.client(world.supplier).post("/api/financing/applications/create", {
        "token_id": token_id, "amount_fen": amount_fen,
        "bank_credit_codes": [bank.credit_code.lower() for bank in banks],
        "invoice_numbers": [INVOICE]}, format="json")


def my_pieces(world) -> dict[int, dict]:
    body = world.client(world.supplier).get("/api/pieces", {"held_by_me": "true"}).json()
    return {row["token_id"]: row for row in body["results"]}


def test_a_piece_reserved_by_several_banks_quoting_says_by_which_application(world):
    root = issue(world.core, world.bank, world.supplier, 50_000_000)
    free = issue(world.core, world.bank, world.supplier, 10_000_000)
    assert my_pieces(world)[root]["reserved_by"] is None
    assert my_pieces(world)[root]["blocked"] is None

    response = apply_by_codes(world, root, 20_000_000, [world.bank, world.bank2])
    assert response.status_code == 201, response.json()
    application = response.json()
    assert {b["bank"]["id"] for b in application["banks"]} == {world.bank.pk, world.bank2.pk}

    pieces = my_pieces(world)
    assert pieces[root]["status"] == "active"  # the chain knows nothing of it yet
    assert pieces[root]["reserved_by"] == {
        "code": "piece_reserved", "kind": "financing_application", "id": application["id"],
        "amount_fen": None,
        "label": f"该凭证正在融资申请 #{application['id']} 中，不能转让、拆分或再次申请 / The "
                 f"piece is reserved by financing application #{application['id']}"}
    assert pieces[root]["blocked"]["code"] == "piece_reserved"
    assert pieces[free]["reserved_by"] is None and pieces[free]["blocked"] is None
    detail = world.client(world.supplier).get(f"/api/pieces/{root}").json()
    assert detail["reserved_by"]["id"] == application["id"]

    # what the tag promised: moving it is refused with that code
    refused = world.client(world.supplier).post(
        f"/api/pieces/{root}/transfer",
        {"to_credit_code": world.supplier2.credit_code, "amount_fen": 100}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "piece_reserved"

    # withdrawn: the piece is free again
    world.client(world.supplier).post(
        f"/api/financing/applications/{application['id']}/withdraw")
    assert my_pieces(world)[root]["reserved_by"] is None
    assert my_pieces(world)[root]["blocked"] is None


def test_a_part_locked_for_one_bank_says_locked_and_reserved(world):
    root = issue(world.core, world.bank, world.supplier, 50_000_000)

    response = apply_by_codes(world, root, 20_000_000, [world.bank])
    assert response.status_code == 202, response.json()
    application = response.json()["application"]
    locked = application["locked_token_id"]

    pieces = my_pieces(world)
    assert pieces[locked]["status"] == "locked"
    assert pieces[locked]["reserved_by"]["id"] == application["id"]
    assert pieces[locked]["blocked"]["code"] == "piece_locked"
    assert world.bank.name in pieces[locked]["blocked"]["message"]
    # the piece applied for stays reserved while the application lives, and the server
    # refuses to move it with the code the page was told
    assert pieces[root]["blocked"]["code"] == "piece_reserved"
    refused = world.client(world.supplier).post(
        f"/api/pieces/{root}/split", {"amounts_fen": [10_000_000, 20_000_000]}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "piece_reserved"


def test_a_frozen_piece_says_why_it_cannot_move(world, onboard):
    frozen = issue(world.core, world.bank, world.supplier, 10_000_000)
    regulator = onboard("regulator", Role.OPERATOR)
    send(regulator, "VoucherLedger", "freeze", [str(frozen), "0x" + "cd" * 32])
    index_until_head()

    blocked = my_pieces(world)[frozen]["blocked"]
    assert blocked == {
        "code": "piece_frozen",
        "message": "已被司法冻结，不能转让、拆分或融资 / "
                   "Frozen by a judicial order: it cannot move"}


def test_a_matured_piece_waits_for_settlement_by_the_wall_clock():
    """A read makes no node call: maturity is judged by the wall clock (the chain's own check
    still decides a movement)."""
    from receivables.selectors import piece_movement_block
    from scf.chain.models import PieceState

    piece = PieceState(token_id=7, root_id=7, owner="0x1", balance=100,
                       status=PieceState.Status.ACTIVE)
    piece.maturity = 1_000

    assert piece_movement_block(piece, [], now=999) is None
    assert piece_movement_block(piece, [], now=1_000).code == "piece_matured"


def test_an_unknown_bank_credit_code_is_a_field_error_and_nothing_is_reserved(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)
    code = credit_code(777_001)

    response = world.client(world.supplier).post("/api/financing/applications/create", {
        "token_id": root, "amount_fen": 1_000_000, "bank_credit_codes": [code],
        "invoice_numbers": [INVOICE]}, format="json")

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["bank_credit_codes"] == [
        f"统一社会信用代码为 {code} 的机构不是平台会员 / No member of the platform has the "
        f"unified social credit code {code}"]
    assert my_pieces(world)[root]["reserved_by"] is None


def test_a_supplier_named_as_a_bank_is_refused_by_name(world):
    root = issue(world.core, world.bank, world.supplier, 10_000_000)

    response = apply_by_codes(world, root, 1_000_000, [world.supplier2])

    assert response.status_code == 400
    assert world.supplier2.name in response.json()["extra"]["fields"]["bank_ids"][0]
