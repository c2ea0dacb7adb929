"""Serializer fields shared by every API, so that an amount, an id, a date or a reason is parsed
once, with one bilingual message per failure ("中文 / English"; DRF's own come in one language).

Amounts and ids are whole numbers: a JSON integer, or a string of the ASCII digits 0-9 (what a
multipart form sends). Anything else is refused, not coerced: DRF's IntegerField would turn
1000.0, "100.0" and "12.00" into integers, and Python's int() reads "١٢٣" and "１２３"."""

import re
from collections.abc import Callable
from datetime import date

from django.db import connection
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scf.money import format_yuan

# Ids are database keys (bigint).
ID_MAX = 2**63 - 1
# Every reason (a rejection, a freeze, a suspension) is kept in full and hashed on chain.
REASON_MAX_LENGTH = 2000

COMMON_ERRORS = {
    "required": "必填 / This field is required",
    "null": "不能为空 / This field may not be null",
    "blank": "不能为空 / This field may not be blank",
    "invalid": "格式有误 / This value is not valid",
}

MSG_FEN_INTEGER = ("金额须为整数分，不能有小数 / Amounts are whole numbers of fen: no fractions "
                   "and no decimal numbers")
MSG_FEN_DIGITS = "金额须用半角数字 0-9 书写 / Write amounts with the digits 0-9"
MSG_FEN_POSITIVE = "金额须大于零 / The amount must be greater than zero"
MSG_FEN_NOT_NEGATIVE = "金额不能为负 / The amount cannot be negative"
MSG_FEN_TOO_LARGE = "金额过大 / The amount is too large"

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class WholeNumberField(serializers.Field):
    """An integer between `min_value` and `max_value`, never a float, a boolean, a decimal
    string or non-ASCII digits. Subclasses name the messages: integer, digits, too_small,
    too_large."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool):
            self.fail("integer")
        if isinstance(data, int):
            value = data
        elif isinstance(data, str):
            text = data.strip()
            if not text.isascii():
                self.fail("digits" if any(ch.isdigit() for ch in text) else "integer")
            if not _WHOLE_NUMBER.fullmatch(text):
                self.fail("integer")
            if len(text) > len(str(self.max_value)) + 1:  # never feed int() a huge string
                self.fail("too_large")
            value = int(text)
        else:
            self.fail("integer")
        if value < self.min_value:
            self.fail("too_small")
        if value > self.max_value:
            self.fail("too_large")
        return value

    def to_representation(self, value) -> int:
        return int(value)


class WholeNumberFieldSchema(OpenApiSerializerFieldExtension):
    """In the OpenAPI schema a whole number shows its bounds, so a client (or a fuzzer) knows
    that 0 is not an id and 2**63 is not an amount before the server says so."""

    target_class = WholeNumberField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "integer", "minimum": self.target.min_value,
                "maximum": self.target.max_value}


def stored_fen_max() -> int:
    """The largest amount a fen column (PositiveBigIntegerField) holds, from the database
    backend. The chain's bound (CreditLines.MAX_LIMIT, type(uint96).max) is larger: the services
    that send an amount to the chain check it there (scf.chain.limits)."""
    return connection.ops.integer_field_range("PositiveBigIntegerField")[1]


class FenField(WholeNumberField):
    """An amount in integer fen: greater than zero (zero too when `allow_zero`), at most
    `max_value` (default: what a fen column holds, so no amount can overflow the database)."""

    def __init__(self, *, max_value: int | None = None, allow_zero: bool = False, **kwargs):
        max_value = stored_fen_max() if max_value is None else max_value
        kwargs["error_messages"] = {
            **COMMON_ERRORS, "integer": MSG_FEN_INTEGER, "digits": MSG_FEN_DIGITS,
            "too_small": MSG_FEN_NOT_NEGATIVE if allow_zero else MSG_FEN_POSITIVE,
            "too_large": MSG_FEN_TOO_LARGE, **kwargs.get("error_messages", {})}
        super().__init__(min_value=0 if allow_zero else 1, max_value=max_value, **kwargs)


class IdField(WholeNumberField):
    """The id of an object named in a request (an organisation, a contract, a piece)."""

    default_error_messages = {
        **COMMON_ERRORS,
        "integer": "须为整数编号 / A whole-number id is required",
        "digits": "编号须用半角数字 0-9 书写 / Write ids with the digits 0-9",
        "too_small": "编号须为正整数 / An id is a positive whole number",
        "too_large": "编号过大 / The id is too large"}

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


# The business dates this platform can mean: a contract signed, an invoice issued, a maturity,
# an expiry. Outside them a date is a typo (0001-01-01, 9999-12-31), and far dates overflow the
# chain's timestamps and the day counts of pricing.
FIRST_BUSINESS_DATE = date(2000, 1, 1)
LAST_BUSINESS_DATE = date(2100, 12, 31)


class DateField(serializers.DateField):
    """A date written YYYY-MM-DD in ASCII digits, between FIRST_BUSINESS_DATE and
    LAST_BUSINESS_DATE."""

    default_error_messages = {
        **COMMON_ERRORS,
        "invalid": "日期格式应为 YYYY-MM-DD / Dates are written YYYY-MM-DD",
        "datetime": "须为日期而非时间 / A date is required, not a time",
        "out_of_range": (f"日期须在 {FIRST_BUSINESS_DATE} 与 {LAST_BUSINESS_DATE} 之间 / The date "
                         f"must lie between {FIRST_BUSINESS_DATE} and {LAST_BUSINESS_DATE}")}

    def to_internal_value(self, value):
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")
        parsed = super().to_internal_value(value)
        if not FIRST_BUSINESS_DATE <= parsed <= LAST_BUSINESS_DATE:
            self.fail("out_of_range")
        return parsed


class TextField(serializers.CharField):
    """Text with bilingual messages; its length limit is named in them."""

    def __init__(self, **kwargs):
        max_length, min_length = kwargs.get("max_length"), kwargs.get("min_length")
        messages = {**COMMON_ERRORS, "invalid": "须为文本 / Text is required"}
        if max_length is not None:
            messages["max_length"] = (f"最多 {max_length} 个字符 / At most {max_length} "
                                      "characters")
        if min_length is not None:
            messages["min_length"] = (f"至少 {min_length} 个字符 / At least {min_length} "
                                      "characters")
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class ReasonField(TextField):
    """Why a user rejects, declines, freezes or suspends: required, at most
    REASON_MAX_LENGTH characters, for every reason alike."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = REASON_MAX_LENGTH
        kwargs.setdefault("error_messages", {
            "required": "请填写原因 / A reason is required",
            "blank": "请填写原因 / A reason is required"})
        super().__init__(**kwargs)


class ListField(serializers.ListField):
    """A list with bilingual messages; pass error_messages to say what the items are."""

    default_error_messages = {
        **COMMON_ERRORS,
        "not_a_list": "须为列表 / A list is required",
        "empty": "不能为空列表 / The list may not be empty",
        "min_length": "至少 {min_length} 项 / At least {min_length} items",
        "max_length": "最多 {max_length} 项 / At most {max_length} items"}


class BoundedListField(ListField):
    """A list whose longest length is a contract's limit: `most()` is read when validating (not
    at import, when no chain may be there), and checked before any item is."""

    def __init__(self, *, most: Callable[[], int], too_long: Callable[[int], str], **kwargs):
        self.most, self.too_long = most, too_long
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list | tuple) and len(data) > (most := self.most()):
            raise serializers.ValidationError(self.too_long(most))
        return super().to_internal_value(data)


class ChoiceField(serializers.ChoiceField):
    default_error_messages = {
        **COMMON_ERRORS,
        "invalid_choice": "「{input}」不是可选的值 / \"{input}\" is not a valid choice"}


class FileField(serializers.FileField):
    """An uploaded document (multipart)."""

    default_error_messages = {
        **COMMON_ERRORS,
        "required": "请选择文件 / A file is required",
        "invalid": "请以 multipart 表单上传文件 / Upload the file as multipart form data",
        "no_name": "文件缺少名称 / The file has no name",
        "empty": "文件为空 / The file is empty"}


@extend_schema_field(OpenApiTypes.STR)
class YuanField(serializers.Field):
    """An amount in fen shown as yuan with thousands separators: 100000000 → "1,000,000.00"."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return format_yuan(int(value))


def yuan(value: int | None) -> str | None:
    return None if value is None else format_yuan(int(value))


class ReasonInputSerializer(serializers.Serializer):
    """The body of every action that takes only a reason."""

    reason = ReasonField()
