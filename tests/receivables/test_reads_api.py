"""The read side: holdings grouped by debtor and maturity with totals, the lists' filters and
pagination, and who sees what (the regulator and the platform everything; others what they
hold, issued, granted the line of, or are the debtor of)."""

import pytest

from scf.accounts.models import OrganisationKind, Role
from tests.receivables.helpers import future

pytestmark = pytest.mark.django_db


def test_holdings_are_grouped_by_debtor_and_maturity_with_totals(cast, api, onboard,
                                                                 credit_line):
    other_core = onboard(OrganisationKind.CORE_ENTERPRISE, Role.OPERATOR, Role.APPROVER)
    credit_line(cast.bank, other_core, 10**10)
    near, far = future(60), future(150)
    v1 = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=100_000, maturity=near)
    v2 = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=250_050, maturity=near)
    v3 = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=7, maturity=far)
    v4 = api.issue(other_core, cast.tier1, cast.bank, face_value_fen=1_000, maturity=near)
    api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=5, accept=False)  # not held yet
    t1 = cast.tier1.users_by_role["operator"]

    body = api.ok(api.get(t1, "/api/holdings"))
    assert body["total_fen"] == 351_057 and body["total_yuan"] == "3,510.57"
    assert body["total_pieces"] == 4 and body["count"] == 3
    groups = [(g["maturity_date"], g["debtor"]["organisation_id"], g["pieces"], g["total_fen"],
               g["total_yuan"], sorted(g["token_ids"])) for g in body["results"]]
    assert sorted(groups) == sorted([
        (near, cast.core.pk, 2, 350_050, "3,500.50", sorted([v1["token_id"], v2["token_id"]])),
        (near, other_core.pk, 1, 1_000, "10.00", [v4["token_id"]]),
        (far, cast.core.pk, 1, 7, "0.07", [v3["token_id"]])])
    assert [g["maturity_date"] for g in body["results"]][-1] == far  # soonest first

    filtered = api.ok(api.get(t1, "/api/holdings", {"debtor": other_core.pk}))
    assert filtered["total_fen"] == 1_000 and filtered["count"] == 1
    filtered = api.ok(api.get(t1, "/api/holdings", {"maturity_from": far}))
    assert filtered["total_fen"] == 7
    assert body["next"] is None and body["previous"] is None  # the global pagination

    # the core enterprise holds nothing, but sees its vouchers by maturity
    assert api.ok(api.get(cast.core.users_by_role["operator"], "/api/holdings"))["count"] == 0
    maturities = api.ok(api.get(cast.core.users_by_role["operator"], "/api/vouchers/maturities"))
    assert [(m["maturity_date"], m["vouchers"], m["face_value_fen"])
            for m in maturities["results"]] == [(near, 2, 350_050), (future(90), 1, 5),
                                                (far, 1, 7)]
    # the regulator sees every debtor's calendar
    regulator = cast.regulator.users_by_role["viewer"]
    everyone = api.ok(api.get(regulator, "/api/vouchers/maturities"))
    assert {m["debtor"]["id"] for m in everyone["results"]} == {cast.core.pk, other_core.pk}
    one = api.ok(api.get(regulator, "/api/vouchers/maturities",
                         {"debtor": other_core.pk, "maturity_from": near}))
    assert [(m["debtor"]["id"], m["face_value_fen"]) for m in one["results"]] == [
        (other_core.pk, 1_000)]


def test_lists_filter_and_scope(cast, api):
    voucher = api.issue(cast.core, cast.tier1, cast.bank)
    pending = api.issue(cast.core, cast.tier1, cast.bank, accept=False)
    t1, t2 = cast.tier1.users_by_role["operator"], cast.tier2.users_by_role["operator"]
    core = cast.core.users_by_role["operator"]
    part = api.act(t1, f"/api/pieces/{voucher['token_id']}/transfer",
                   {"to_organisation": cast.tier2.pk, "amount_fen": 123})

    # vouchers: by status, issued by me, awaiting my acceptance
    assert api.ok(api.get(core, "/api/vouchers", {"issued_by_me": True}))["count"] == 2
    assert api.ok(api.get(core, "/api/vouchers", {"status": "accepted"}))["results"][0][
        "id"] == voucher["id"]
    inbox = api.ok(api.get(t1, "/api/vouchers", {"awaiting_my_acceptance": True}))
    assert [v["id"] for v in inbox["results"]] == [pending["id"]]
    assert api.ok(api.get(cast.bank.users_by_role["operator"], "/api/vouchers"))["count"] == 2
    assert api.ok(api.get(t2, "/api/vouchers"))["count"] == 0  # it holds a piece, no voucher
    # pieces: mine, by status, by root
    mine = api.ok(api.get(t2, "/api/pieces", {"held_by_me": True}))
    assert [p["balance_fen"] for p in mine["results"]] == [123]
    assert mine["results"][0]["balance_yuan"] == "1.23"
    new_piece = mine["results"][0]["token_id"]
    assert api.ok(api.get(t1, "/api/pieces", {"status": "pending"}))["count"] == 1
    assert api.ok(api.get(core, "/api/pieces", {"root": voucher["token_id"]}))["count"] == 2
    assert api.ok(api.get(core, "/api/pieces", {"frozen": True}))["count"] == 0
    # the holder of a piece sees the trade background behind it, not other trades
    trades = api.ok(api.get(t2, "/api/trade-contracts"))
    assert [t["id"] for t in trades["results"]] == [voucher["trade_contract"]["id"]]
    assert api.ok(api.get(t2, "/api/invoices"))["count"] == 1
    assert api.ok(api.get(core, "/api/invoices", {"in_use": True}))["count"] == 2
    assert api.ok(api.get(core, "/api/trade-contracts", {"q": "钢材"}))["count"] == 2
    # operations: the transfer is visible to both parties and the debtor, filterable
    for user in (t1, t2, core):
        operations = api.ok(api.get(user, "/api/piece-operations", {"kind": "transfer"}))
        assert [o["id"] for o in operations["results"]] == [part["piece_operation_id"]]
    assert api.ok(api.get(cast.tier3.users_by_role["operator"], "/api/piece-operations"))[
        "count"] == 0
    notices = api.ok(api.get(core, "/api/debtor-notices", {"to_organisation": cast.tier2.pk}))
    assert [n["to_token_id"] for n in notices["results"]] == [new_piece]
    detail = api.ok(api.get(core, f"/api/debtor-notices/{notices['results'][0]['id']}"))
    assert detail["amount_in_capitals"] == "壹元贰角叁分"
    # the regulator and the platform read everything
    for user in (cast.regulator.users_by_role["viewer"], cast.platform.users_by_role["admin"]):
        assert api.ok(api.get(user, "/api/pieces"))["count"] == 3
        assert api.ok(api.get(user, "/api/vouchers"))["count"] == 2
        assert api.ok(api.get(user, "/api/debtor-notices"))["count"] == 1
        lineage = api.ok(api.get(user, f"/api/pieces/{new_piece}/lineage"))
        assert lineage["tree_visible"] and len(lineage["tree"]) == 2
