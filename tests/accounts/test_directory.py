"""The member directory (会员名录, GET /api/members/directory): a business finds the admitted,
active businesses it may deal with by name or unified social credit code and sees who they are,
never their internal data; the platform operator and the regulator see every organisation. And
the counterparty lookup every action shares: by id as before, or by credit code with a clear
bilingual error for a malformed or an unknown one."""

from datetime import timedelta

import pytest

from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.accounts.selectors import counterparty_get
from scf.chain.services import chain_account_create
from scf.errors import FieldValidationError
from scf.kyc.models import KycCase
from tests.factories import api_client, credit_code, organisation_factory, user_factory

pytestmark = pytest.mark.django_db

K = OrganisationKind
URL = "/api/members/directory"
PUBLIC_FIELDS = {"id", "name", "credit_code", "kind", "kind_display", "status",
                 "status_display", "admitted"}


def admitted(kind, **fields) -> Organisation:
    """An organisation whose KYC the platform approved (it has its chain account)."""
    organisation = organisation_factory(kind, **fields)
    organisation.chain_account = chain_account_create(label=organisation.name)
    organisation.save(update_fields=["chain_account"])
    KycCase.objects.create(organisation=organisation, status=KycCase.Status.APPROVED,
                           expires_on=organisation.created_at.date() + timedelta(days=365))
    return organisation


@pytest.fixture
def world():
    """Businesses admitted or not, suspended or not, and the two that read everything."""
    return {
        "core": admitted(K.CORE_ENTERPRISE, name="华东重工集团有限公司"),
        "supplier": admitted(K.SUPPLIER, name="苏州精密零部件有限公司"),
        "other_supplier": admitted(K.SUPPLIER, name="无锡精工机械有限公司"),
        "bank": admitted(K.BANK, name="贵阳银行股份有限公司"),
        "suspended": admitted(K.SUPPLIER, name="常州停业贸易有限公司",
                              status=Organisation.Status.SUSPENDED,
                              suspension_reason="涉嫌虚假贸易"),
        "not_admitted": organisation_factory(K.SUPPLIER, name="南通待审核材料有限公司"),
        "expired": _expired(admitted(K.SUPPLIER, name="扬州过期电子有限公司")),
        "platform": organisation_factory(K.PLATFORM, name="链融平台运营有限公司"),
        "regulator": organisation_factory(K.REGULATOR, name="地方金融监督管理局"),
    }


def _expired(organisation):
    KycCase.objects.filter(organisation=organisation).update(status=KycCase.Status.EXPIRED)
    return organisation


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


def member(world, key, role=Role.OPERATOR):
    return api_client(user_factory(world[key], role))


def test_a_supplier_sees_the_admitted_active_businesses_and_nothing_internal(world):
    response = member(world, "supplier", Role.VIEWER).get(URL)

    assert sorted(names(response)) == sorted([
        "华东重工集团有限公司", "苏州精密零部件有限公司", "无锡精工机械有限公司",
        "贵阳银行股份有限公司"])
    for row in response.json()["results"]:
        assert set(row) == PUBLIC_FIELDS  # no representative, address, bank account, chain key
        assert row["admitted"] is True and row["status"] == "active"
    bank = next(r for r in response.json()["results"] if r["kind"] == "bank")
    assert bank["credit_code"] == world["bank"].credit_code
    assert bank["kind_display"] == "银行 / bank"
    assert "涉嫌虚假贸易" not in response.content.decode()


@pytest.mark.parametrize("key", ["platform", "regulator"])
def test_the_platform_and_the_regulator_see_every_organisation(world, key):
    response = member(world, key, Role.VIEWER).get(URL)

    assert len(names(response)) == len(world)
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["南通待审核材料有限公司"]["admitted"] is False
    assert rows["扬州过期电子有限公司"]["admitted"] is False
    assert rows["常州停业贸易有限公司"]["status"] == "suspended"


def test_search_by_part_of_the_name(world):
    client = member(world, "core")

    assert sorted(names(client.get(URL, {"search": "精"}))) == sorted([
        "无锡精工机械有限公司", "苏州精密零部件有限公司"])
    assert names(client.get(URL, {"search": "无锡"})) == ["无锡精工机械有限公司"]


def test_search_by_credit_code_whole_or_in_part_in_any_case(world):
    code = world["other_supplier"].credit_code
    client = member(world, "core")

    assert names(client.get(URL, {"search": code})) == ["无锡精工机械有限公司"]
    assert names(client.get(URL, {"search": f"  {code.lower()} "})) == ["无锡精工机械有限公司"]
    assert "无锡精工机械有限公司" in names(client.get(URL, {"search": code[-6:]}))


def test_search_never_finds_what_the_member_may_not_see(world):
    client = member(world, "core")
    for hidden in ("suspended", "not_admitted", "expired", "platform", "regulator"):
        assert names(client.get(URL, {"search": world[hidden].credit_code})) == []


def test_filter_by_kinds(world):
    client = member(world, "supplier")

    assert names(client.get(URL, {"kind": "bank"})) == ["贵阳银行股份有限公司"]
    both = names(client.get(f"{URL}?kind=bank&kind=core_enterprise"))
    assert sorted(both) == sorted(["贵阳银行股份有限公司", "华东重工集团有限公司"])
    assert client.get(URL, {"kind": "nonsense"}).status_code == 400


def test_the_directory_is_paginated(world):
    for n in range(55):
        admitted(K.SUPPLIER, name=f"分页测试供应商 {n:02d}")
    client = member(world, "core")

    first = client.get(URL, {"search": "分页测试"}).json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["next"]
    second = client.get(URL, {"search": "分页测试", "page": 2}).json()
    assert len(second["results"]) == 5


def test_anonymous_callers_get_nothing(world):
    assert api_client().get(URL).status_code in (401, 403)


# --- the counterparty lookup of every action ----------------------------------------------------

def test_a_counterparty_is_found_by_id_or_by_credit_code_in_any_case(world):
    supplier = world["supplier"]

    assert counterparty_get(field="supplier", pk=supplier.pk) == supplier
    assert counterparty_get(field="supplier", credit_code=supplier.credit_code) == supplier
    assert counterparty_get(field="supplier",
                            credit_code=f" {supplier.credit_code.lower()} ") == supplier


def test_an_unknown_credit_code_is_named_in_both_languages(world):
    code = credit_code(987654)
    with pytest.raises(FieldValidationError) as caught:
        counterparty_get(field="supplier", credit_code=code)

    message = caught.value.extra["fields"]["supplier"][0]
    assert caught.value.code == "unknown_member"
    assert message == (f"统一社会信用代码为 {code} 的机构不是平台会员 / No member of the "
                       f"platform has the unified social credit code {code}")


def test_a_malformed_credit_code_says_what_is_wrong(world):
    code = world["supplier"].credit_code
    wrong_check = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(FieldValidationError) as caught:
        counterparty_get(field="to_organisation", credit_code=wrong_check)
    assert caught.value.extra["fields"]["to_organisation"] == [
        "统一社会信用代码校验位错误 / Invalid check character in the unified social credit code"]

    with pytest.raises(FieldValidationError) as caught:
        counterparty_get(field="to_organisation", credit_code="1234")
    assert "18" in caught.value.extra["fields"]["to_organisation"][0]


def test_trade_contract_names_its_supplier_by_credit_code(world):
    """The core enterprise registers a trade with a supplier it found in the directory: by its
    credit code, the number no internal id stands for; an unknown code or a bank is refused
    with the field's message, and nothing is written."""
    from receivables.models import TradeContract

    client = api_client(user_factory(world["core"], Role.OPERATOR))
    body = {"number": "HT-2026-001", "title": "钢材采购合同", "amount_fen": 100_000_000,
            "signed_on": "2026-01-05"}

    created = client.post("/api/trade-contracts/create",
                          {**body, "supplier_credit_code": world["supplier"].credit_code.lower()},
                          format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["supplier"] == {
        "id": world["supplier"].pk, "name": "苏州精密零部件有限公司", "kind": "supplier",
        "credit_code": world["supplier"].credit_code}

    unknown = client.post("/api/trade-contracts/create",
                          {**body, "number": "HT-2", "supplier_credit_code": credit_code(424242)},
                          format="json")
    assert unknown.status_code == 400
    assert "不是平台会员" in unknown.json()["extra"]["fields"]["supplier"][0]

    bank = client.post("/api/trade-contracts/create",
                       {**body, "number": "HT-3",
                        "supplier_credit_code": world["bank"].credit_code}, format="json")
    assert bank.status_code == 400
    assert bank.json()["extra"]["fields"]["supplier"] == [
        f"交易对手须为供应商：贵阳银行股份有限公司（{world['bank'].credit_code}）不是供应商 / The "
        f"counterparty must be a supplier: 贵阳银行股份有限公司 ({world['bank'].credit_code}) is "
        "not one"]

    suspended = client.post("/api/trade-contracts/create",
                            {**body, "number": "HT-4",
                             "supplier_credit_code": world["suspended"].credit_code},
                            format="json")
    assert suspended.status_code == 400
    assert "已暂停" in suspended.json()["extra"]["fields"]["supplier"][0]

    neither = client.post("/api/trade-contracts/create", {**body, "number": "HT-5"},
                          format="json")
    assert neither.status_code == 400
    assert neither.json()["extra"]["fields"]["supplier"] == ["请选择供应商 / Choose the supplier"]

    by_id = client.post("/api/trade-contracts/create",
                        {**body, "number": "HT-6", "supplier": world["supplier"].pk},
                        format="json")
    assert by_id.status_code == 201  # as before
    assert TradeContract.objects.count() == 2
