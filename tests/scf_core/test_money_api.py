"""GET /api/money/capitals: the amounts a confirmation shows, in yuan and in capitals (大写),
from the one implementation (scf.money), for members only; bad amounts get the amount
messages every endpoint gives."""

import pytest

from scf.accounts.models import OrganisationKind, Role
from tests.factories import api_client, fast_password_hasher, member_factory  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/money/capitals"


def test_each_amount_in_yuan_and_in_capitals_in_the_order_asked():
    client = api_client(member_factory(OrganisationKind.SUPPLIER, Role.VIEWER))

    response = client.get(f"{URL}?fen=15000000&fen=75000000&fen=100005&fen=0")

    assert response.status_code == 200, response.json()
    assert response.json() == {"amounts": [
        {"fen": 15_000_000, "yuan": "150,000.00", "capitals": "壹拾伍万元整"},
        {"fen": 75_000_000, "yuan": "750,000.00", "capitals": "柒拾伍万元整"},
        {"fen": 100_005, "yuan": "1,000.05", "capitals": "壹仟元零伍分"},
        {"fen": 0, "yuan": "0.00", "capitals": "零元整"}]}


@pytest.mark.parametrize("query", ["", "?fen=1.5", "?fen=-1", "?fen=abc",
                                   "?fen=1000000000000000000", "?" + "&".join(["fen=1"] * 21)])
def test_bad_amounts_are_refused_with_a_bilingual_message(query):
    client = api_client(member_factory(OrganisationKind.SUPPLIER, Role.VIEWER))

    response = client.get(f"{URL}{query}")

    assert response.status_code == 400
    messages = response.json()["extra"]["fields"]["fen"]
    flat = [m for item in (messages.values() if isinstance(messages, dict) else [messages])
            for m in (item if isinstance(item, list) else [item])]
    assert flat and all(" / " in message for message in flat), messages


def test_anonymous_callers_are_refused():
    assert api_client().get(f"{URL}?fen=1").status_code in (401, 403)
