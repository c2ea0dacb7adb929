"""The capital numerals (大写金额) the documents print, on the issue's table of amounts."""

import pytest

from scf.money import amount_in_capitals, format_yuan


@pytest.mark.parametrize(("fen", "figures", "capitals"), [
    (1, "0.01", "壹分"),
    (10, "0.10", "壹角整"),
    (1_000, "10.00", "壹拾元整"),
    (10_050, "100.50", "壹佰元伍角整"),
    (100_001_050, "1,000,010.50", "壹佰万零壹拾元伍角整"),
    (10_001_050, "100,010.50", "壹拾万零壹拾元伍角整"),
    (100_000_000, "1,000,000.00", "壹佰万元整"),
    (100_000_000_000, "1,000,000,000.00", "壹拾亿元整"),
    (1_000_000_101, "10,000,001.01", "壹仟万零壹元零壹分"),
])
def test_amount_in_figures_and_capitals(fen, figures, capitals):
    assert format_yuan(fen) == figures
    assert amount_in_capitals(fen) == capitals
