"""scf.clock: business dates in Asia/Shanghai whatever the display time zone."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from scf import clock


def test_dates_and_chain_timestamps_meet_at_shanghai_midnight(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    # 2027-04-01T00:00+08:00 = 2027-03-31T16:00Z
    assert clock.start_of_day(date(2027, 4, 1)) == 1806508800
    assert clock.end_of_day(date(2027, 3, 31)) == 1806508800
    assert clock.date_of(1806508800) == date(2027, 4, 1)
    assert clock.date_of(1806508800 - 1) == date(2027, 3, 31)
    assert timezone.localtime(datetime.fromtimestamp(1806508800, tz=clock.BUSINESS_ZONE)
                              ).date() == date(2027, 3, 31)  # the display zone differs
    assert clock.date_of(0) is None and clock.date_of(None) is None


def test_today_and_day_counts_are_business_dates(settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"
    before = datetime.now(tz=clock.BUSINESS_ZONE).date()
    assert clock.today() in {before, datetime.now(tz=clock.BUSINESS_ZONE).date()}
    assert clock.days_between(date(2026, 12, 31), date(2027, 3, 1)) == 60
    assert clock.days_between(date(2027, 3, 1), date(2027, 3, 1) + timedelta(days=-1)) == -1
