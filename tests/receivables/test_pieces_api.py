"""Splits and transfers across three tiers through the public API on a real anvil node, with
conservation checked on chain (the ledger's views, not the projection) after every step and the
API's holdings, pieces and lineage compared with the chain; every bad movement is a clear 4xx
that writes nothing; a revert that slips past the checks fails the operation and changes
nothing."""

import hashlib

import pytest

from banking.models import FinancingApplication
from receivables import services
from receivables.models import DebtorNotice, PieceOperation
from scf.accounts.models import Organisation, OrganisationKind
from scf.audit.models import AuditEntry
from scf.chain.contracts import platform_contract
from scf.chain.models import ChainEvent, ChainIntent
from scf.chain.node import chain_travel
from scf.chain.outbox import intent_execute
from scf.chain.revert_messages import revert_message
from scf.chain.services import organisation_intent_enqueue
from scf.notifications.models import Notification
from tests.factories import credit_code, organisation_factory
from tests.receivables.helpers import assert_conserved, chain_pieces

pytestmark = pytest.mark.django_db

YUAN = 100  # fen
MODELS = (PieceOperation, DebtorNotice, ChainIntent, AuditEntry, Notification)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def ledger():
    return platform_contract("VoucherLedger").functions


def holdings_match_chain(api, organisation, chain: dict[int, dict]) -> dict:
    """The organisation's holdings through the API equal what the chain says it holds."""
    held = {token_id: piece for token_id, piece in chain.items()
            if piece["owner"] == organisation.chain_account.address
            and piece["status"] in ("active", "locked", "overdue")}
    body = api.ok(api.get(organisation.users_by_role["operator"], "/api/holdings"))
    assert body["total_fen"] == sum(p["balance"] for p in held.values())
    assert body["total_pieces"] == len(held)
    tokens = sorted(t for group in body["results"] for t in group["token_ids"])
    assert tokens == sorted(held)
    for group in body["results"]:
        yuan, fen = divmod(group["total_fen"], 100)
        assert group["total_yuan"] == f"{yuan:,}.{fen:02d}"
    return body


def lineage_matches_chain(api, user, token_id: int, root_id: int,
                          chain: dict[int, dict]) -> dict:
    """The API's lineage tree is the chain's set of pieces, with holders and creating txs."""
    lineage = api.ok(api.get(user, f"/api/pieces/{token_id}/lineage"))
    assert lineage["tree_visible"]
    tree = {node["token_id"]: node for node in lineage["tree"]}
    assert set(tree) == set(chain)
    for token, piece in chain.items():
        node = tree[token]
        assert (node["holder"]["address"], node["balance_fen"], node["status"],
                node["parent_id"], node["frozen"]) == (
            piece["owner"], piece["balance"], piece["status"], piece["parent"], piece["frozen"])
        created = ChainEvent.objects.filter(name__in=["PieceDerived", "VoucherIssued"],
                                            args__tokenId=token).get()
        assert node["created_tx_hash"] == created.tx_hash
    assert lineage["conserved"] and lineage["outstanding_fen"] == lineage["face_value_fen"]
    assert [node["token_id"] for node in lineage["ancestry"]][0] == root_id
    assert lineage["ancestry"][-1]["token_id"] == token_id
    return lineage


def test_split_and_transfer_across_three_tiers(cast, api):
    core_user = cast.core.users_by_role["operator"]
    t1, t2, t3 = (cast.tier1.users_by_role["operator"], cast.tier2.users_by_role["operator"],
                  cast.tier3.users_by_role["operator"])
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=1_000_000 * YUAN)
    root = voucher["token_id"]
    assert_conserved(root)

    def step_checks():
        chain = assert_conserved(root)  # read on chain once per step
        for organisation in (cast.tier1, cast.tier2, cast.tier3):
            holdings_match_chain(api, organisation, chain)
        return lineage_matches_chain(api, core_user, root, root, chain)

    # 1. tier 1 splits the root into 300k + 300k + 400k: the last part stays on the root
    split = api.act(t1, f"/api/pieces/{root}/split",
                    {"amounts_fen": [300_000 * YUAN, 300_000 * YUAN, 400_000 * YUAN]})
    assert split["outcome"]["status"] == "confirmed"
    a, b = split_ids = api.ok(api.get(t1, f"/api/piece-operations/{split['piece_operation_id']}"))[
        "new_token_ids"]
    assert split_ids == [a, b] and a != b
    chain = step_checks()
    balances = {node["token_id"]: node["balance_fen"] for node in chain["tree"]}
    assert balances == {root: 400_000 * YUAN, a: 300_000 * YUAN, b: 300_000 * YUAN}

    # 2. tier 1 hands piece A over whole to tier 2 (transferPiece: same token id)
    whole = api.act(t1, f"/api/pieces/{a}/transfer",
                    {"to_organisation": cast.tier2.pk, "amount_fen": 300_000 * YUAN})
    assert whole["outcome"]["function"] == "transferPiece"
    assert whole["outcome"]["status"] == "confirmed"
    assert ledger().ownerOf(a).call() == cast.tier2.chain_account.address
    step_checks()

    # 3. tier 1 sends 150k of the root to tier 3 (transferValue: a new piece), by credit code
    part = api.act(t1, f"/api/pieces/{root}/transfer",
                   {"to_credit_code": cast.tier3.credit_code, "amount_fen": 150_000 * YUAN})
    assert part["outcome"]["function"] == "transferValue"
    c = api.ok(api.get(t1, f"/api/piece-operations/{part['piece_operation_id']}"))[
        "new_token_ids"][0]
    step_checks()

    # 4. tier 2 sends 100k of piece A on to tier 3: the third tier
    onward = api.act(t2, f"/api/pieces/{a}/transfer",
                     {"to_organisation": cast.tier3.pk, "amount_fen": 100_000 * YUAN})
    d = api.ok(api.get(t2, f"/api/piece-operations/{onward['piece_operation_id']}"))[
        "new_token_ids"][0]
    step_checks()

    # 5. tier 3 splits piece C into 50k + 100k
    api.act(t3, f"/api/pieces/{c}/split", {"amounts_fen": [50_000 * YUAN, 100_000 * YUAN]})
    chain = step_checks()
    balances = {node["token_id"]: node["balance_fen"] for node in chain["tree"]}
    assert sum(balances.values()) == 1_000_000 * YUAN
    assert balances[root] == 250_000 * YUAN and balances[a] == 200_000 * YUAN

    # holdings per tier, grouped by debtor and maturity, with yuan strings
    chain = chain_pieces(root)
    tier3 = holdings_match_chain(api, cast.tier3, chain)
    assert tier3["total_yuan"] == "250,000.00"
    assert tier3["results"][0]["debtor"]["organisation_id"] == cast.core.pk
    assert tier3["results"][0]["maturity_date"] == voucher["maturity_date"]

    # tier 3's piece D: its ancestry to the root (through tier 2 and tier 1), not the tree
    lineage = api.ok(api.get(t3, f"/api/pieces/{d}/lineage"))
    assert [n["token_id"] for n in lineage["ancestry"]] == [root, a, d]
    assert [n["holder"]["organisation_id"] for n in lineage["ancestry"]] == [
        cast.tier1.pk, cast.tier2.pk, cast.tier3.pk]
    assert lineage["tree_visible"] is False and lineage["tree"] is None
    # the piece's detail carries the root voucher's business data
    detail = api.ok(api.get(t3, f"/api/pieces/{d}"))
    assert detail["voucher"]["id"] == voucher["id"]
    assert detail["voucher"]["trade_contract"]["number"] == voucher["trade_contract"]["number"]
    assert detail["voucher"]["invoices"][0]["chain_hash"] == voucher["invoices"][0]["chain_hash"]
    assert detail["balance_yuan"] == "100,000.00" and detail["held_by_me"] is True
    assert detail["debtor"]["organisation_id"] == cast.core.pk
    # a tier cannot see another tier's pieces; the debtor sees every piece of its voucher
    assert api.get(t2, f"/api/pieces/{c}").status_code == 404
    pieces = api.ok(api.get(core_user, "/api/pieces", {"root": root}))
    assert pieces["count"] == len(chain) == 6

    # a debtor notice per transfer and per derived split piece, visible to the core enterprise
    notices = api.ok(api.get(core_user, "/api/debtor-notices"))["results"]
    transfers = [n for n in notices if n["kind"] == "transfer"]
    assert len(transfers) == 3 and len(notices) == 6
    assert {(n["from_organisation"]["id"], n["to_organisation"]["id"], n["amount_fen"],
             n["from_token_id"], n["to_token_id"]) for n in transfers} == {
        (cast.tier1.pk, cast.tier2.pk, 300_000 * YUAN, a, a),
        (cast.tier1.pk, cast.tier3.pk, 150_000 * YUAN, root, c),
        (cast.tier2.pk, cast.tier3.pk, 100_000 * YUAN, a, d)}
    for notice in transfers:
        assert notice["debtor"]["id"] == cast.core.pk and notice["root_id"] == root
        event_txs = set(ChainEvent.objects.filter(block_number=notice["block_number"])
                        .values_list("tx_hash", flat=True))
        assert notice["tx_hash"] in event_txs
        assert "债权转让通知书" in notice["text"] and notice["amount_yuan"] in notice["text"]
    # both parties see their notices; an outsider's list is empty
    tier2_notices = api.ok(api.get(t2, "/api/debtor-notices"))["results"]
    assert {n["id"] for n in tier2_notices} == {
        n["id"] for n in transfers if cast.tier2.pk in (n["from_organisation"]["id"],
                                                        n["to_organisation"]["id"])}
    assert api.ok(api.get(cast.bank2.users_by_role["operator"], "/api/debtor-notices"))[
        "count"] == 0
    assert Notification.objects.filter(organisation=cast.core, kind="debtor_notice").count() == 6
    assert Notification.objects.filter(organisation=cast.tier3, kind="piece.received").count() == 2


def _lock_on_chain(holder, token_id: int, value: int, bank) -> int:
    """What banking's financing application does: lockForFinancing from the holder's account."""
    intent = organisation_intent_enqueue(
        organisation=holder, contract="VoucherLedger", function="lockForFinancing",
        args=[token_id, value, bank.chain_account.address], idempotency_key=f"lock-{token_id}",
        requested_by=None)
    assert intent_execute(intent_id=intent.pk) == "confirmed", intent.error_message
    intent.refresh_from_db()
    return next(e["args"]["tokenId"] for e in intent.result["events"]
                if e["event"] == "FinancingLocked")


def _refresh_projection():
    from scf.chain.indexer import index_until_head

    index_until_head()


def test_bad_movements_are_clear_4xx_and_write_nothing(cast, api, anvil_rpc_url, monkeypatch):
    t1 = cast.tier1.users_by_role["operator"]
    active = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]        # 1,000,000.00
    pending = api.issue(cast.core, cast.tier1, cast.bank, accept=False)["token_id"]
    frozen = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    api.act(cast.regulator.users_by_role["operator"], f"/api/pieces/{frozen}/freeze",
            {"reason": "（2026）沪0115执保1234号"})
    locked = _lock_on_chain(cast.tier1, active, 10_000_000, cast.bank)
    _refresh_projection()
    balance = ledger().balanceOf(active).call()
    stranger = organisation_factory(OrganisationKind.SUPPLIER)  # never onboarded
    suspended = cast.tier3
    Organisation.objects.filter(pk=suspended.pk).update(status="suspended")
    cast.tier2, cast.platform  # onboarded before counting  # noqa: B018
    before, next_id = counts(), ledger().nextTokenId().call()
    chain_before = {root: chain_pieces(root) for root in (active, pending, frozen)}

    transfer = f"/api/pieces/{active}/transfer"
    good = {"to_organisation": cast.tier2.pk, "amount_fen": 1_000}
    cases = [
        # (user, path, body, status, code, field)
        (t1, transfer, {**good, "amount_fen": 0}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {**good, "amount_fen": -5}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {**good, "amount_fen": 1.5}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {**good, "amount_fen": "12.30"}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {**good, "amount_fen": 100.0}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {**good, "amount_fen": True}, 400, "validation_error", "amount_fen"),
        (t1, transfer, {"to_organisation": cast.tier2.pk}, 400, "validation_error",
         "amount_fen"),
        (t1, transfer, {**good, "amount_fen": balance + 1}, 400, "validation_error",
         "amount_fen"),
        (t1, transfer, {**good, "to_organisation": stranger.pk}, 400, "validation_error",
         "to_organisation"),
        (t1, transfer, {**good, "to_organisation": suspended.pk}, 400, "validation_error",
         "to_organisation"),
        (t1, transfer, {**good, "to_organisation": cast.core.pk}, 400, "validation_error",
         "to_organisation"),
        (t1, transfer, {**good, "to_organisation": 999_999}, 400, "validation_error",
         "to_organisation"),
        (t1, transfer, {"amount_fen": 1_000}, 400, "validation_error", "to_organisation"),
        # by the unified social credit code the member directory shows: unknown, malformed
        (t1, transfer, {"to_credit_code": credit_code(888_001), "amount_fen": 1_000}, 400,
         "unknown_member", "to_organisation"),
        (t1, transfer, {"to_credit_code": "91320500ABC", "amount_fen": 1_000}, 400,
         "invalid_credit_code", "to_organisation"),
        (t1, transfer, {"to_credit_code": suspended.credit_code, "amount_fen": 1_000}, 400,
         "validation_error", "to_organisation"),
        (t1, transfer, {**good, "to_organisation": cast.tier1.pk}, 400, "validation_error",
         "to_organisation"),
        # not mine: unseen -> 404; the debtor, the regulator, the platform see it -> 403
        (cast.tier2.users_by_role["operator"], transfer, good, 404, "not_found", None),
        (cast.core.users_by_role["operator"], transfer, good, 403, "permission_denied", None),
        (cast.regulator.users_by_role["operator"], transfer, good, 403, "permission_denied",
         None),
        (cast.platform.users_by_role["admin"], transfer, good, 403, "permission_denied", None),
        (cast.tier1.users_by_role["viewer"], transfer, good, 403, "permission_denied", None),
        (t1, "/api/pieces/999999/transfer", good, 404, "not_found", None),
        # states the ledger would refuse: its own error, as a mined revert would say it
        (t1, f"/api/pieces/{pending}/transfer", good, 409,
         "chain_revert:VoucherLedgerInvalidStatus", None),
        (t1, f"/api/pieces/{frozen}/transfer", good, 409, "chain_revert:VoucherLedgerPieceFrozen",
         None),
        (t1, f"/api/pieces/{locked}/transfer", good, 409, "chain_revert:VoucherLedgerPieceLocked",
         None),
        (t1, f"/api/pieces/{frozen}/split", {"amounts_fen": [1, balance - 1]}, 409,
         "chain_revert:VoucherLedgerPieceFrozen", None),
        # splits that do not add up, or are no split at all
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [1_000, 2_000]}, 400,
         "validation_error", "amounts_fen"),
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [balance, 1]}, 400,
         "validation_error", "amounts_fen"),
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [balance]}, 400,
         "validation_error", "amounts_fen"),
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [1] * 20 + [balance - 20]}, 400,
         "validation_error", "amounts_fen"),
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [0, balance]}, 400,
         "validation_error", "amounts_fen"),
        (t1, f"/api/pieces/{active}/split", {"amounts_fen": [0.5, balance - 0.5]}, 400,
         "validation_error", "amounts_fen"),
    ]
    for user, path, body, status, code, field in cases:
        response = api.post(user, path, body)
        case = f"{user.username} {path} {body}"
        error = response.json()
        assert response.status_code == status, (case, error)
        assert set(error) == {"message", "code", "extra"}, case
        code, _, chain_error = code.partition(":")
        assert error["code"] == code, (case, error)
        if chain_error:
            assert error["extra"]["error"] == chain_error, (case, error)
            assert error["extra"]["args"]["tokenId"] == int(path.split("/")[3]), (case, error)
            assert error["message"] == revert_message(chain_error, error["extra"]["args"])
        if field:
            assert field in error["extra"]["fields"], (case, error)
            messages = error["extra"]["fields"][field]
            if isinstance(messages, dict):  # a list's items: errors by index
                messages = [m for item in messages.values() for m in item]
            assert messages and all(" / " in message for message in messages), error
        if status == 409:
            assert " / " in error["message"], error
        assert counts() == before, case
    refused = api.post(t1, transfer, {"to_credit_code": suspended.credit_code.lower(),
                                      "amount_fen": 1_000})
    assert refused.json()["extra"]["fields"]["to_organisation"] == [
        f"受让方{suspended.name}（{suspended.credit_code}）不能持有凭证：机构已暂停 / The receiver "
        f"{suspended.name} ({suspended.credit_code}) cannot hold vouchers: The organisation is "
        "suspended"]
    adds_up = api.post(t1, f"/api/pieces/{active}/split", {"amounts_fen": [1_000, 2_000]})
    assert "拆分金额之和须等于余额" in adds_up.json()["extra"]["fields"]["amounts_fen"][0]
    assert "split amounts must add up to the balance" in adds_up.json()["extra"]["fields"][
        "amounts_fen"][0]

    # a piece a multi-bank financing application reserves (banking's claim; no chain lock yet)
    application = FinancingApplication.objects.create(
        applicant=cast.tier1, applied_by=t1, status="submitted", multi_bank=True,
        token_id=active, root_id=active, amount_fen=1_000, maturity=0,
        maturity_date="2027-01-01")
    response = api.post(t1, transfer, good)
    assert (response.status_code, response.json()["code"]) == (409, "piece_reserved")
    assert response.json()["extra"]["financing_application"] == application.pk
    assert response.json()["extra"]["token_id"] == active
    assert f"#{application.pk}" in response.json()["message"]
    assert counts() == before
    FinancingApplication.objects.filter(pk=application.pk).update(status="withdrawn")

    # after maturity nothing moves; after settlement neither
    maturity = ledger().slotInfo(active).call()[2]
    now = platform_contract("VoucherLedger").w3.eth.get_block("latest")["timestamp"]
    chain_travel(maturity - now + 60)
    response = api.post(t1, transfer, good)
    assert (response.status_code, response.json()["code"]) == (409, "chain_revert")
    assert response.json()["extra"] == {"error": "VoucherLedgerMatured",
                                        "args": {"tokenId": active, "maturity": maturity}}
    assert counts() == before
    settle = organisation_intent_enqueue(
        organisation=cast.core, contract="VoucherLedger", function="settle",
        args=[[active], "0x" + "cd" * 32], idempotency_key="settle-active", requested_by=None)
    assert intent_execute(intent_id=settle.pk) == "confirmed", settle.error_message
    before = counts()
    response = api.post(t1, transfer, good)
    assert (response.status_code, response.json()["code"]) == (409, "chain_revert")
    assert response.json()["extra"] == {"error": "VoucherLedgerInvalidStatus",
                                        "args": {"tokenId": active, "status": 4}}
    assert "「已清分」" in response.json()["message"] and "is settled" in response.json()["message"]
    assert counts() == before

    assert ledger().nextTokenId().call() == next_id
    assert {root: chain_pieces(root) for root in (pending, frozen)} == {
        root: chain_before[root] for root in (pending, frozen)}


def test_a_revert_that_slips_past_the_checks_fails_and_changes_nothing(
        cast, api, django_capture_on_commit_callbacks):
    """The holder's request passes every check; before its transaction is mined the regulator
    freezes the piece. The ledger refuses; the operation fails with the decoded error; no
    notice, no new piece."""
    voucher = api.issue(cast.core, cast.tier1, cast.bank)
    token_id = voucher["token_id"]
    before_pieces = chain_pieces(token_id)

    with django_capture_on_commit_callbacks(execute=True):
        operation = services.piece_transfer(
            user=cast.tier1.users_by_role["operator"], token_id=token_id,
            to_organisation=cast.tier2, amount_fen=1_000)
        freeze = organisation_intent_enqueue(
            organisation=cast.regulator, contract="VoucherLedger", function="freeze",
            args=[token_id, "0x" + "ee" * 32], idempotency_key="outside-freeze",
            requested_by=None)
        assert intent_execute(intent_id=freeze.pk) == "confirmed"

    operation.refresh_from_db()
    assert operation.status == "failed"
    assert operation.error_name == "VoucherLedgerPieceFrozen"
    assert operation.error_args == {"tokenId": token_id}
    outcome = api.operation(cast.tier1.users_by_role["operator"], operation.intent_id)
    assert outcome["status"] == "failed" and outcome["error"]["name"] == "VoucherLedgerPieceFrozen"
    assert not DebtorNotice.objects.exists()
    after = chain_pieces(token_id)
    assert {t: {**p, "frozen": False} for t, p in after.items()} == before_pieces
    body = api.ok(api.get(cast.tier1.users_by_role["operator"],
                          f"/api/piece-operations/{operation.pk}"))
    assert body["status"] == "failed" and body["error"]["name"] == "VoucherLedgerPieceFrozen"


def test_judicial_freeze_and_unfreeze_by_the_regulator(cast, api):
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    regulator = cast.regulator.users_by_role["operator"]
    t1 = cast.tier1.users_by_role["operator"]
    reason = "（2026）沪0115执保1234号 协助冻结通知书"

    assert api.post(cast.regulator.users_by_role["viewer"], f"/api/pieces/{token_id}/freeze",
                    {"reason": reason}).status_code == 403
    assert api.post(regulator, f"/api/pieces/{token_id}/freeze", {}).status_code == 400
    frozen = api.act(regulator, f"/api/pieces/{token_id}/freeze", {"reason": reason})
    assert frozen["outcome"]["status"] == "confirmed"
    operation = api.ok(api.get(regulator, f"/api/piece-operations/{frozen['piece_operation_id']}"))
    expected = "0x" + hashlib.sha256(
        f"scf-freeze:{operation['id']}:{reason}".encode()).hexdigest()
    assert operation["reason"] == reason and operation["reason_hash"] == expected
    assert ChainEvent.objects.get(name="PieceFrozen").args["reasonHash"] == expected
    assert ledger().pieceOf(token_id).call()[6] is True
    piece = api.ok(api.get(t1, f"/api/pieces/{token_id}"))
    assert piece["frozen"] is True
    assert Notification.objects.filter(organisation=cast.tier1, kind="piece.frozen").exists()

    again = api.post(regulator, f"/api/pieces/{token_id}/freeze", {"reason": reason})
    assert (again.status_code, again.json()["code"]) == (409, "chain_revert")
    assert again.json()["extra"] == {"error": "VoucherLedgerPieceFrozen",
                                     "args": {"tokenId": token_id}}
    moved = api.post(t1, f"/api/pieces/{token_id}/transfer",
                     {"to_organisation": cast.tier2.pk, "amount_fen": 100})
    assert (moved.status_code, moved.json()["code"]) == (409, "chain_revert")
    assert moved.json()["extra"]["error"] == "VoucherLedgerPieceFrozen"
    assert moved.json()["message"] == again.json()["message"]

    api.act(regulator, f"/api/pieces/{token_id}/unfreeze", {"reason": "解除冻结"})
    assert ledger().pieceOf(token_id).call()[6] is False
    twice = api.post(regulator, f"/api/pieces/{token_id}/unfreeze", {"reason": "again"})
    assert (twice.status_code, twice.json()["code"]) == (409, "chain_revert")
    assert twice.json()["extra"] == {"error": "VoucherLedgerPieceNotFrozen",
                                     "args": {"tokenId": token_id}}
    moved = api.act(t1, f"/api/pieces/{token_id}/transfer",
                    {"to_organisation": cast.tier2.pk, "amount_fen": 100})
    assert moved["outcome"]["status"] == "confirmed"
    assert_conserved(token_id)


@pytest.mark.django_db(transaction=True)
def test_in_eager_mode_the_202_already_carries_the_final_outcome(onboard, credit_line,
                                                                 monkeypatch):
    """No test transaction around the request: the request commits, the eager outbox runs,
    and the 202 body already says confirmed (or failed, with the decoded error)."""
    from tests.factories import api_client
    from tests.receivables.helpers import Api, Cast

    class Committed(Api):
        def post(self, user, path, data=None, fmt="json"):
            return api_client(user).post(path, data, format=fmt)

        def get(self, user, path, params=None):
            return api_client(user).get(path, params or {})

    api = Committed(None)
    cast = Cast(onboard, credit_line)
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    t1 = cast.tier1.users_by_role["operator"]
    response = api.ok(api.post(t1, f"/api/pieces/{token_id}/transfer",
                               {"to_organisation": cast.tier2.pk, "amount_fen": 500}), 202)
    assert response["status"] == "confirmed" and response["final"] is True
    assert response["projected"] is True  # hooks ran and the eager indexer reached the block
    assert response["piece_operation_status"] == "confirmed"
    assert len(response["new_token_ids"]) == 1 and response["error"] is None

    # a check that let a frozen piece through: the chain refuses, the 202 says so
    api.act(cast.regulator.users_by_role["operator"], f"/api/pieces/{token_id}/freeze",
            {"reason": "r"})
    monkeypatch.setattr(services.pieces, "check_piece_movable", lambda piece, ledger: None)
    response = api.ok(api.post(t1, f"/api/pieces/{token_id}/transfer",
                               {"to_organisation": cast.tier2.pk, "amount_fen": 500}), 202)
    assert response["status"] == "failed" and response["final"] is True
    assert response["error"]["name"] == "VoucherLedgerPieceFrozen"
    assert response["piece_operation_status"] == "failed" and response["new_token_ids"] == []
    assert DebtorNotice.objects.count() == 1
