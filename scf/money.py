"""Money is an integer number of fen (分) everywhere; these are its only conversions for people:
the yuan string with thousands separators and the capital numerals of Chinese finance (大写)."""

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("仟", "佰", "拾", "")
BIG_UNITS = ("", "万", "亿", "万亿")


def format_yuan(fen: int) -> str:
    """12345678 → '123,456.78' (no float ever touches the amount)."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"amounts are integers in fen, got {fen!r}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def _group_in_capitals(n: int) -> str:
    """0 < n < 10000, with inner zeros collapsed to one 零 (1004 → 壹仟零肆)."""
    out, zero_pending = "", False
    for unit_index, digit in enumerate((n // 1000, n // 100 % 10, n // 10 % 10, n % 10)):
        if digit == 0:
            zero_pending = zero_pending or bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += DIGITS[digit] + SMALL_UNITS[unit_index]
    return out


def _yuan_in_capitals(yuan: int) -> str:
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    if len(groups) > len(BIG_UNITS):
        raise ValueError("amount too large for capital numerals")
    out, zero_pending = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = zero_pending or bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out += "零"
        out += _group_in_capitals(group) + BIG_UNITS[index]
        zero_pending = False
    return out


def amount_in_capitals(fen: int) -> str:
    """The amount as written on Chinese bills: 100001050 fen → 壹佰万零壹拾元伍角整."""
    if not isinstance(fen, int) or isinstance(fen, bool) or fen < 0:
        raise ValueError(f"a non-negative integer amount in fen is needed, got {fen!r}")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    out = _yuan_in_capitals(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen_digit and yuan:
        out += "零"
    if fen_digit:
        out += DIGITS[fen_digit] + "分"
    else:
        out += "整"
    return out
