"""One lock and one claims registry per piece, across receivables and banking, through the
public APIs on a real anvil node; and an early refusal reads as the contract's own revert."""

import pytest

from banking.models import FinancingApplication
from receivables import services
from receivables.models import PieceOperation
from receivables.selectors import voucher_invoice_numbers
from scf.chain.errors import ChainRevertError
from scf.chain.models import ChainIntent, PieceState
from scf.pieces.claims import piece_claims

pytestmark = pytest.mark.django_db

FACE = 100_000_000  # fen: the Api helper's default face value
APPLY = "/api/financing/applications/create"


def apply_body(token_id: int, amount_fen: int, banks) -> dict:
    """An application citing the invoices that back the piece's voucher."""
    root_id = PieceState.objects.get(token_id=token_id).root_id
    return {"token_id": token_id, "amount_fen": amount_fen, "bank_ids": [b.pk for b in banks],
            "invoice_numbers": sorted(voucher_invoice_numbers(root_id))}


def test_a_financing_application_sees_a_split_in_flight(cast, api):
    """The split is submitted (its intent not yet executed: no on-commit work runs outside the
    Api helper); banking's application on the same piece is refused by receivables' claim."""
    t1 = cast.tier1.users_by_role["operator"]
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    split = services.piece_split(user=t1, token_id=token_id, amounts_fen=[1_000, FACE - 1_000])
    assert split.status == PieceOperation.Status.SUBMITTED
    assert [claim.kind for claim in piece_claims(token_id)] == ["operation_in_flight"]
    intents = ChainIntent.objects.count()

    response = api.post(t1, APPLY, apply_body(token_id, 5_000, [cast.bank]))

    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "operation_in_flight"
    assert body["extra"]["piece_operation_id"] == split.pk
    assert body["extra"]["operation_id"] == split.intent_id
    assert body["extra"]["token_id"] == token_id
    assert " / " in body["message"]
    assert not FinancingApplication.objects.exists()
    assert ChainIntent.objects.count() == intents


def test_a_split_of_a_piece_under_application_reads_the_same_early_and_mined(
        cast, api, monkeypatch):
    """A one-bank application locks the whole piece on chain. The split is refused by the
    pre-flight with the ledger's own error; with the platform's checks bypassed, the ledger
    refuses the same split with the same error, arguments and message."""
    t1 = cast.tier1.users_by_role["operator"]
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    applied = api.post(t1, APPLY, apply_body(token_id, FACE, [cast.bank]))
    assert applied.status_code == 202, applied.json()
    application = FinancingApplication.objects.get()
    assert (application.status, application.locked_token_id) == ("submitted", token_id)
    split = {"amounts_fen": [1_000, FACE - 1_000]}

    early = api.post(t1, f"/api/pieces/{token_id}/split", split)

    assert early.status_code == 409, early.json()
    early = early.json()
    assert early["code"] == ChainRevertError.code == "chain_revert"
    assert early["extra"]["error"] == "VoucherLedgerPieceLocked"
    assert early["extra"]["args"] == {"tokenId": token_id,
                                      "lockBank": cast.bank.chain_account.address}
    assert not PieceOperation.objects.exists()

    # the same split past every platform check: the ledger itself refuses it
    monkeypatch.setattr(services.pieces, "check_piece_movable", lambda piece, ledger: None)
    monkeypatch.setattr(services.pieces, "require_unclaimed", lambda *a, **k: None)
    accepted = api.ok(api.post(t1, f"/api/pieces/{token_id}/split", split), 202)
    mined = api.operation(t1, accepted["operation_id"])
    assert mined["status"] == "failed" and mined["final"] is True
    assert PieceOperation.objects.get(pk=accepted["piece_operation_id"]).status == "failed"
    assert mined["error"]["name"] == early["extra"]["error"]
    assert mined["error"]["args"] == early["extra"]["args"]
    assert mined["error"]["message"] == early["message"]
    intent = ChainIntent.objects.get(pk=accepted["operation_id"])
    decoded = ChainRevertError(intent.error_name, intent.error_args)
    assert (decoded.code, decoded.status_code) == (early["code"], 409)


def test_several_partial_transfers_of_one_piece_fly_at_once_as_long_as_they_fit(cast, api):
    """A supplier paying several suppliers from one piece is not refused while the first
    payment is on its way: each transfer reserves its amount; what does not fit beside them is
    refused with what is available; a split (the whole piece) waits. Once mined, the amounts
    add up on chain."""
    from scf.chain.outbox import intent_execute

    t1 = cast.tier1.users_by_role["operator"]
    token_id = api.issue(cast.core, cast.tier1, cast.bank)["token_id"]
    amounts = [10_000_000, 20_000_000, 30_000_000]
    receivers = [cast.tier2, cast.tier3, cast.tier2]
    sent = [services.piece_transfer(user=t1, token_id=token_id, to_organisation=receiver,
                                    amount_fen=amount)
            for receiver, amount in zip(receivers, amounts, strict=True)]
    assert {op.status for op in sent} == {PieceOperation.Status.SUBMITTED}

    too_much = api.post(t1, f"/api/pieces/{token_id}/transfer",
                        {"to_organisation": cast.tier3.pk, "amount_fen": 40_000_001})
    assert too_much.status_code == 409, too_much.json()
    body = too_much.json()
    assert body["code"] == "operation_in_flight"
    assert (body["extra"]["reserved_fen"], body["extra"]["available_fen"]) == (
        60_000_000, 40_000_000)
    assert "400,000.00" in body["message"] and " / " in body["message"]
    split = api.post(t1, f"/api/pieces/{token_id}/split",
                     {"amounts_fen": [1_000, FACE - 1_000]})
    assert split.status_code == 409 and split.json()["code"] == "operation_in_flight"
    applied = api.post(t1, APPLY, apply_body(token_id, 5_000, [cast.bank]))
    assert applied.status_code == 409 and applied.json()["code"] == "operation_in_flight"

    for operation in sent:
        assert intent_execute(intent_id=operation.intent_id) == "confirmed"
    assert {op.status for op in PieceOperation.objects.filter(pk__in=[o.pk for o in sent])} == {
        PieceOperation.Status.CONFIRMED}
    from scf.chain.readers import piece_of

    assert piece_of(token_id).balance == FACE - sum(amounts)
    assert piece_claims(token_id) == []
