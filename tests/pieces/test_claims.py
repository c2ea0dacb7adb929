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
    monkeypatch.setattr(services.pieces, "check_piece_movable", lambda piece: None)
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
