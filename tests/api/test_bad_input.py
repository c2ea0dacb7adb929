"""Bad input answers a clear 400 (or 404 for an id no object can have), never a 500 (issue 11,
defect 6): dates outside the business range, ids and filters beyond a bigint, and DRF's own
refusals in both languages."""

import pytest

from receivables.models import TradeContract
from scf.approvals.models import ApprovalRequest

pytestmark = pytest.mark.django_db

BEYOND_BIGINT = 2**63
FAR_DATES = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"]


def bilingual(message: str) -> bool:
    chinese, _, english = message.partition(" / ")
    return bool(english) and not chinese.isascii() and english.isascii()


def field_message(response, field: str) -> str:
    assert response.status_code == 400, response.content
    [message] = response.json()["extra"]["fields"][field]
    assert bilingual(message), message
    return message


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_trade_contract_dated_outside_the_business_range_is_refused(api, cast, day):
    response = api.post(cast.core.users_by_role["operator"], "/api/trade-contracts/create", {
        "supplier": cast.tier1.pk, "number": "HT-FAR", "title": "钢材采购合同",
        "amount_fen": 100_000, "signed_on": day})
    assert "2000-01-01" in field_message(response, "signed_on")
    assert not TradeContract.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31"])
def test_a_credit_line_expiring_in_year_9999_is_refused_at_input(api, cast, day):
    """The first platform accepted it and the approval then stayed 'proposed' for ever."""
    response = api.post(cast.bank.users_by_role["operator"], "/api/credit-line-changes/create", {
        "core_enterprise": cast.core.pk, "limit_fen": 100_000, "expires_on": day})
    field_message(response, "expires_on")
    assert not ApprovalRequest.objects.exists()


@pytest.mark.parametrize("path", [
    f"/api/vouchers/{BEYOND_BIGINT}", f"/api/pieces/{BEYOND_BIGINT}",
    f"/api/trade-contracts/{'9' * 400}", f"/api/financing/applications/{BEYOND_BIGINT}",
    f"/api/operations/{BEYOND_BIGINT}", f"/api/documents/{BEYOND_BIGINT}"])
def test_an_id_in_a_path_beyond_a_bigint_is_not_found(api, cast, path):
    response = api.get(cast.core.users_by_role["operator"], path)
    assert response.status_code == 404, (path, response.content[:300])


@pytest.mark.parametrize("query", [
    ("/api/vouchers", "debtor"), ("/api/pieces", "root"), ("/api/invoices", "trade_contract"),
    ("/api/financing/applications", "amount_min"), ("/api/audit/entries", "organisation")])
@pytest.mark.parametrize("value", [str(BEYOND_BIGINT), "9" * 10_000, "1.5", "-1", "١٢٣"])
def test_a_list_filter_beyond_a_bigint_or_not_a_whole_number_is_a_400(api, cast, query, value):
    path, name = query
    user = cast.platform.users_by_role["admin"]
    response = api.get(user, path, {name: value})
    field_message(response, name)


def test_drf_refusals_read_in_both_languages(api, cast):
    from rest_framework.test import APIClient

    anonymous = APIClient().get("/api/vouchers")
    assert anonymous.status_code in (401, 403) and bilingual(anonymous.json()["message"])
    wrong_method = api.get(cast.core.users_by_role["operator"], "/api/trade-contracts/create")
    assert wrong_method.status_code == 405
    message = wrong_method.json()["message"]
    assert bilingual(message) and '"GET"' in message, message
