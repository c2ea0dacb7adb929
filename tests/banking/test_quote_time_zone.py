"""A discount quote is priced on business dates (Asia/Shanghai, scf.clock): the display time
zone (SCF_TIME_ZONE → settings.TIME_ZONE) changes neither the maturity date, nor the day count,
nor the interest. The maturities sit half an hour either side of a Shanghai midnight, where Los
Angeles (a day behind) and Kiritimati (a day ahead) read another date."""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from scf import clock
from tests.banking.conftest import issue
from tests.banking.test_financing import apply, quote

pytestmark = pytest.mark.django_db(transaction=True)

FACE = 100_000_000
RATE = "0.0385"


def interest(days: int) -> int:
    return int((Decimal(FACE) * Decimal(RATE) * days / 360).quantize(Decimal(1),
                                                                     rounding=ROUND_HALF_UP))


def at(day, hour: int, minute: int) -> int:
    """Unix seconds of hour:minute of `day` in Shanghai."""
    return int(datetime.combine(day, time(hour, minute), tzinfo=clock.BUSINESS_ZONE).timestamp())


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_the_display_time_zone_changes_no_quote(world, settings, zone):
    maturity_date = clock.today() + timedelta(days=30)
    after_midnight = issue(world.core, world.bank, world.supplier, FACE,
                           maturity=at(maturity_date, 0, 30))
    before_midnight = issue(world.core, world.bank, world.supplier, FACE,
                            maturity=at(maturity_date, 23, 30))
    settings.TIME_ZONE = zone
    assert timezone.get_current_timezone_name() == zone  # the setting took effect
    operator = world.client(world.bank)

    # an explicit value date: only the maturity's conversion could move the day count
    response = apply(world, after_midnight, FACE, [world.bank])
    assert response.status_code == 202, response.json()
    application = response.json()["application"]
    assert application["maturity_date"] == str(maturity_date)
    value_date = clock.today() + timedelta(days=1)  # not in the past in any of the zones
    response = quote(operator, application["id"], rate=RATE, value_date=value_date)
    assert response.status_code == 201, response.json()
    terms = response.json()
    assert (terms["value_date"], terms["maturity_date"]) == (str(value_date), str(maturity_date))
    assert terms["days"] == 29
    assert terms["interest_fen"] == interest(29) == 310_139

    # the default value date is the business date too
    response = apply(world, before_midnight, FACE, [world.bank])
    assert response.status_code == 202, response.json()
    application = response.json()["application"]
    assert application["maturity_date"] == str(maturity_date)
    before = clock.today()
    response = quote(operator, application["id"], rate=RATE)
    assert response.status_code == 201, response.json()
    terms = response.json()
    assert terms["value_date"] in {str(before), str(clock.today())}
    days = (maturity_date - datetime.fromisoformat(terms["value_date"]).date()).days
    assert (terms["maturity_date"], terms["days"]) == (str(maturity_date), days)
    assert terms["interest_fen"] == interest(days)
