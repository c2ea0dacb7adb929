"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a
check character computed from the first 17."""

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character for the given first 17 (already upper-case, from CHARSET)."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    """Raise ValidationError with a bilingual message naming what is wrong."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为 18 位 / The unified social credit code must be 18 characters",
            code="credit_code_length")
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        raise ValidationError(
            f"统一社会信用代码含有无效字符 {''.join(bad)} / "
            f"Invalid characters in the unified social credit code: {''.join(bad)}",
            code="credit_code_charset")
    if not code[2:8].isdigit():
        raise ValidationError(
            "统一社会信用代码第 3–8 位应为行政区划码 / "
            "Characters 3–8 of the unified social credit code must be an area code (digits)",
            code="credit_code_area")
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            "统一社会信用代码校验位错误 / "
            "Invalid check character in the unified social credit code",
            code="credit_code_check")
