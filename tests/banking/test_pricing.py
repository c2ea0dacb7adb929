from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from banking.pricing import PricingError, discount_quote


def test_a_million_yuan_at_3_85_percent_for_90_days():
    quote = discount_quote(face_fen=100_000_000, annual_rate=Decimal("0.0385"),
                           value_date=date(2026, 1, 1), maturity_date=date(2026, 4, 1),
                           fees_fen=50_000)

    # 100,000,000 × 0.0385 × 90 / 360 = 962,500 fen exactly
    assert (quote.days, quote.interest_fen, quote.net_proceeds_fen) == (90, 962_500, 98_987_500)
    assert "× 90 天 / 360" in quote.formula and "9,625.00" in quote.formula


def test_rounding_is_half_up_once_at_the_end():
    # 1,234,567 × 0.0437 × 37 / 360 = 5,544.92… → 5,545
    quote = discount_quote(face_fen=1_234_567, annual_rate=Decimal("0.0437"),
                           value_date=date(2026, 3, 1), maturity_date=date(2026, 4, 7))
    assert quote.interest_fen == 5_545
    # exactly half a fen rounds up: 1,000 × 0.18 × 1 / 360 = 0.5 → 1
    half = discount_quote(face_fen=1_000, annual_rate=Decimal("0.18"),
                          value_date=date(2026, 1, 1), maturity_date=date(2026, 1, 2))
    assert half.interest_fen == 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"face_fen": 0}, "face_fen"),
    ({"annual_rate": Decimal("-0.01")}, "annual_rate"),
    ({"annual_rate": Decimal("0.5")}, "annual_rate"),
    ({"maturity_date": date(2026, 1, 1)}, "value_date"),
    ({"fees_fen": -1}, "fees_fen"),
    ({"fees_fen": 100_000_000}, "fees_fen"),
])
def test_bad_terms_name_the_field(kwargs, field):
    terms = {"face_fen": 100_000_000, "annual_rate": Decimal("0.04"),
             "value_date": date(2026, 1, 1), "maturity_date": date(2026, 7, 1), **kwargs}
    with pytest.raises(PricingError) as caught:
        discount_quote(**terms)
    assert field in caught.value.extra["fields"]


@given(face=st.integers(1_00, 10**12), rate_bp=st.integers(0, 3600), days=st.integers(1, 366),
       fees=st.integers(0, 10_000))
def test_terms_add_up_to_the_face_value(face, rate_bp, days, fees):
    start = date(2026, 1, 1)
    try:
        quote = discount_quote(face_fen=face, annual_rate=Decimal(rate_bp) / 10_000,
                               value_date=start, maturity_date=start + timedelta(days=days),
                               fees_fen=fees)
    except PricingError:
        return  # fees and interest above face: refused, never negative proceeds
    assert quote.interest_fen + quote.fees_fen + quote.net_proceeds_fen == face
    assert quote.net_proceeds_fen > 0
