"""The natural person behind accounts: a mobile or resident ID number, validated, stored only as
a keyed hash, one account per person and organisation."""

import pytest

from scf.accounts.models import OrganisationKind, Role, User
from scf.accounts.persons import normalise_person_id, person_hash
from tests.factories import api_client, organisation_factory, resident_id, user_factory

pytestmark = pytest.mark.django_db


def create(client, username, person_id, roles=("viewer",)):
    return client.post("/api/users/create", {"username": username, "password": "a-long-password",
                                             "roles": list(roles), "person_id": person_id},
                       format="json")


def test_a_user_is_created_with_the_hash_of_their_number_never_the_number(supplier_admin):
    response = create(api_client(supplier_admin), "li.si", "139 1234 5678")

    assert response.status_code == 201, response.json()
    assert "person_id" not in response.json() and "person_hash" not in response.json()
    user = User.objects.get(username="li.si")
    assert user.person_hash == person_hash("13912345678") and len(user.person_hash) == 64
    assert "13912345678" not in user.person_hash
    assert not User.objects.filter(person_hash__contains="1391234").exists()


def test_the_hash_is_keyed_with_the_secret_from_settings(settings):
    before = person_hash("13912345678")
    settings.SCF_PERSON_HASH_KEY = "another-secret"

    assert person_hash("13912345678") != before
    assert person_hash("+86 139-1234-5678") == person_hash("13912345678")


def test_person_id_is_required_and_validated_in_both_languages(supplier_admin):
    client = api_client(supplier_admin)
    valid_id = resident_id()
    wrong_check = valid_id[:17] + ("0" if valid_id[17] != "0" else "1")

    missing = client.post("/api/users/create", {"username": "u1", "password": "a-long-password",
                                                "roles": ["viewer"]}, format="json")
    assert missing.status_code == 400 and "person_id" in missing.json()["extra"]["fields"]
    for bad, message in (("12912345678", "请填写中国大陆手机号或 18 位居民身份证号 / Give a "
                                         "mainland Chinese mobile number or an 18-character "
                                         "resident ID number"),
                         (wrong_check, "身份证号校验位错误 / Invalid check character in the "
                                       "resident ID number")):
        response = create(client, "u2", bad)
        assert response.status_code == 400
        assert response.json()["extra"]["fields"]["person_id"] == [message]
    assert create(client, "u3", valid_id.lower()).status_code == 201
    assert not User.objects.filter(username="u2").exists()


def test_resident_id_numbers_are_checked():
    valid = resident_id()
    assert normalise_person_id(valid) == ("resident_id", valid)
    assert normalise_person_id("13800001111") == ("mobile", "13800001111")
    with pytest.raises(ValueError, match="出生日期"):
        normalise_person_id(resident_id(born="19901332"))
    with pytest.raises(ValueError, match="校验位"):
        normalise_person_id(valid[:17] + ("1" if valid[17] == "0" else "0"))


def test_one_person_has_one_account_per_organisation_but_may_have_one_elsewhere(
        supplier_admin, supplier_org):
    client = api_client(supplier_admin)
    assert create(client, "first", "13955556666").status_code == 201

    second = create(client, "second", "+86 139 5555 6666")

    assert second.status_code == 400
    assert second.json()["code"] == "same_person"
    assert second.json()["extra"]["fields"]["person_id"] == [
        "此人在本机构已有账户 / This person already has an account in this organisation"]
    assert not User.objects.filter(username="second").exists()
    elsewhere = user_factory(organisation_factory(OrganisationKind.BANK), Role.ADMIN)
    third = create(api_client(elsewhere), "third", "13955556666")
    assert third.status_code == 201, third.json()
    assert (User.objects.get(username="third").person_hash
            == User.objects.get(username="first").person_hash)


def test_the_first_administrator_of_an_organisation_gives_their_number(platform_admin):
    from tests.accounts.test_organisations import new_organisation_payload

    payload = new_organisation_payload()
    del payload["admin_person_id"]

    response = api_client(platform_admin).post("/api/organisations/create", payload,
                                               format="json")

    assert response.status_code == 400
    assert "admin_person_id" in response.json()["extra"]["fields"]


def test_existing_accounts_without_a_person_match_no_one(supplier_org):
    from scf.accounts.persons import same_person

    first = user_factory(supplier_org, Role.OPERATOR, person_hash="")
    second = user_factory(supplier_org, Role.APPROVER, person_hash="")

    assert not same_person(first, second) and same_person(first, first)
