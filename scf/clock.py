"""The business clock: one fixed time zone (Asia/Shanghai) for every date the platform reasons
about. A voucher's maturity is a date in China; the chain stores instants. Converting between
the two, counting the days a discount runs and answering "today" all happen here, so a server
setting (SCF_TIME_ZONE / settings.TIME_ZONE, which only changes how times are displayed) can
never change a maturity, an expiry, a day count or the interest priced on it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BUSINESS_ZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """The business date now (wall clock, Asia/Shanghai)."""
    return datetime.now(tz=BUSINESS_ZONE).date()


def start_of_day(day: date) -> int:
    """Unix seconds of 00:00 of `day`. A voucher is due ON its maturity date: from this instant
    nothing moves and settlement is possible, so clearing pays during the maturity date itself
    (到期日兑付)."""
    return int(datetime.combine(day, time.min, tzinfo=BUSINESS_ZONE).timestamp())


def end_of_day(day: date) -> int:
    """Valid through `day`: the chain's expiry (of a credit line, of a KYC) is the following
    midnight."""
    return start_of_day(day + timedelta(days=1))


def date_of(timestamp: int | None) -> date | None:
    """The business date of a chain timestamp (None for 0 / None: no such date)."""
    if not timestamp:
        return None
    return datetime.fromtimestamp(int(timestamp), tz=BUSINESS_ZONE).date()


def days_between(start: date, end: date) -> int:
    """Calendar days from `start` to `end` (the discount's day count: value date to maturity,
    both business dates)."""
    return (end - start).days
