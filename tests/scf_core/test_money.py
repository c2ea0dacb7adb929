import pytest
from hypothesis import given
from hypothesis import strategies as st

from scf.money import amount_in_capitals, format_yuan


@pytest.mark.parametrize(("fen", "capitals"), [
    (1, "壹分"),
    (10, "壹角整"),
    (1_000, "壹拾元整"),
    (10_001_050, "壹拾万零壹拾元伍角整"),
    (10_010_050, "壹拾万零壹佰元伍角整"),
    (100_000_000_000, "壹拾亿元整"),
    (100_000_000, "壹佰万元整"),
    (0, "零元整"),
    (100_005, "壹仟元零伍分"),
    (100_400, "壹仟零肆元整"),
    (1_000_010_000, "壹仟万零壹佰元整"),
    (10_000_000_100, "壹亿零壹元整"),
    (10_001_000_000, "壹亿零壹万元整"),
    (12_345_678_901, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
    (105_020, "壹仟零伍拾元贰角整"),
    (1_000_000_000_000_000, "壹拾万亿元整"),
])
def test_capital_numerals_as_written_on_bills(fen, capitals):
    assert amount_in_capitals(fen) == capitals


@given(st.integers(min_value=0, max_value=10**17))
def test_capitals_never_double_a_zero_nor_start_or_end_with_one(fen):
    text = amount_in_capitals(fen)
    assert "零零" not in text
    assert not text.startswith("零") or fen == 0
    assert text.endswith(("整", "分"))


@pytest.mark.parametrize("bad", [-1, 1.5, True, "100"])
def test_capitals_refuse_anything_but_non_negative_integer_fen(bad):
    with pytest.raises(ValueError):
        amount_in_capitals(bad)


@pytest.mark.parametrize(("fen", "text"), [
    (0, "0.00"), (1, "0.01"), (100_000_000, "1,000,000.00"), (-12_345, "-123.45"),
])
def test_yuan_strings_have_thousands_separators(fen, text):
    assert format_yuan(fen) == text


def test_yuan_strings_refuse_floats():
    with pytest.raises(TypeError):
        format_yuan(1.0)
