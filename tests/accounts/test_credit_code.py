import pytest
from django.core.exceptions import ValidationError

from scf.accounts.credit_code import check_character, validate_credit_code
from tests.factories import credit_code

# Real codes of real companies, as printed on their business licences.
VALID = [
    "91350100M000100Y43",  # the GB 32100 worked example
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "914403001922038216",  # 华为技术有限公司
    "91330100716105852F",
    "91110000802100433B",
    "91110108551385082Q",
    " 91350100m000100y43 ",  # normalised: trimmed and upper-cased
]

INVALID = [
    ("91350100M000100Y44", "校验位错误 / Invalid check character"),
    ("9144030071526726XA", "校验位错误 / Invalid check character"),
    ("914403001922038217", "校验位错误 / Invalid check character"),
    ("91350100M000100Y4", "应为 18 位 / The unified social credit code must be 18 characters"),
    ("91350100M000100Y433", "应为 18 位"),
    ("", "应为 18 位"),
    ("91350100I000100Y43", "无效字符 I / Invalid characters"),  # I is not in the charset
    ("91350100O000100Y43", "无效字符 O"),
    ("9135010-M000100Y43", "无效字符 -"),
    ("91AB0100M000100Y43", "行政区划码"),
]


@pytest.mark.parametrize("code", VALID)
def test_real_credit_codes_are_valid(code):
    validate_credit_code(code)


@pytest.mark.parametrize(("code", "message"), INVALID)
def test_invalid_credit_codes_name_the_problem_in_chinese_and_english(code, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    text = " ".join(excinfo.value.messages)
    for part in message.split(" / "):
        assert part in text
    assert " / " in text


def test_check_character_is_31_minus_weighted_sum_mod_31():
    # 91350100M000100Y4: sum of value x weight = 1640; 1640 mod 31 = 28; 31 - 28 = 3 -> "3"
    assert check_character("91350100M000100Y4") == "3"
    # 9144030071526726X: 1782 mod 31 = 15; 31 - 15 = 16 -> CHARSET[16] = "G"
    assert check_character("9144030071526726X") == "G"
    # A remainder of 0 gives 31, which maps back to "0"
    first17 = next(f"91110000{n:09d}" for n in range(10**6)
                   if sum(int(c) * w for c, w in zip(f"91110000{n:09d}",
                                                    (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
                                                     8, 24, 10, 30, 28), strict=True)) % 31 == 0)
    assert check_character(first17) == "0"


def test_factory_codes_are_valid_and_distinct():
    codes = {credit_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        validate_credit_code(code)
