"""The shared input fields (scf/api/fields.py): what they accept, what they refuse and that
every refusal is bilingual."""

import pytest
from rest_framework import serializers

from scf.api.fields import (
    ID_MAX,
    REASON_MAX_LENGTH,
    ChoiceField,
    DateField,
    FenField,
    IdField,
    ListField,
    ReasonInputSerializer,
    TextField,
)


def errors(field: serializers.Field, value) -> list[str]:
    class Input(serializers.Serializer):
        x = field

    serializer = Input(data={"x": value})
    assert not serializer.is_valid(), serializer.validated_data
    return [str(message) for message in serializer.errors["x"]]


def parsed(field: serializers.Field, value):
    class Input(serializers.Serializer):
        x = field

    serializer = Input(data={"x": value})
    assert serializer.is_valid(), serializer.errors
    return serializer.validated_data["x"]


def bilingual(message: str) -> bool:
    chinese, _, english = message.partition(" / ")
    return bool(chinese) and bool(english) and not chinese.isascii() and english.isascii()


# A fen column holds 2**63 - 1 (PositiveBigIntegerField); more would overflow the database.
COLUMN_MAX = 2**63 - 1


@pytest.mark.parametrize(("value", "expected"), [
    (1, 1), (100_000, 100_000), ("100000", 100_000), (" 42 ", 42), (COLUMN_MAX, COLUMN_MAX),
    (str(COLUMN_MAX), COLUMN_MAX)])
def test_fen_accepts_a_json_integer_or_ascii_digits(value, expected):
    assert parsed(FenField(), value) == expected


@pytest.mark.parametrize(("value", "words"), [
    (1000.0, "整数分"), (1.5, "整数分"), ("100.0", "整数分"), ("12.00", "整数分"),
    (True, "整数分"), (False, "整数分"), ("1e3", "整数分"), (1e3, "整数分"), ("+5", "整数分"),
    ("12,000", "整数分"), ("一百", "整数分"), ("", "整数分"), ([1], "整数分"), ({"a": 1}, "整数分"),
    ("١٢٣", "0-9"), ("１２３", "0-9"), ("१२३", "0-9"),
    (0, "大于零"), (-1, "大于零"), ("-5", "大于零"),
    (COLUMN_MAX + 1, "过大"), (str(COLUMN_MAX + 1), "过大"), (2**96, "过大"), ("9" * 5000, "过大"),
    (None, "不能为空")])
def test_fen_refuses_what_is_not_a_positive_whole_number_of_fen(value, words):
    [message] = errors(FenField(), value)
    assert words in message and bilingual(message), message


def test_fen_takes_a_maximum_and_may_allow_zero():
    assert "过大" in errors(FenField(max_value=100), 101)[0]
    assert parsed(FenField(max_value=100), 100) == 100
    assert parsed(FenField(allow_zero=True), 0) == 0
    assert "不能为负" in errors(FenField(allow_zero=True), -1)[0]
    assert "必填" in errors(FenField(), serializers.empty)[0]


@pytest.mark.parametrize("value", [1.0, "7.0", True, "٧", "０", 0, -3, ID_MAX + 1, "x"])
def test_ids_are_positive_ascii_whole_numbers(value):
    [message] = errors(IdField(), value)
    assert "编号" in message and bilingual(message), message


def test_ids_accept_integers_and_digit_strings_up_to_bigint():
    assert parsed(IdField(), 7) == 7 and parsed(IdField(), "7") == 7
    assert parsed(IdField(), ID_MAX) == ID_MAX


@pytest.mark.parametrize("value", ["2027-02-30", "tomorrow", "２０２７-01-01", "2027-٠١-01"])
def test_dates_are_written_yyyy_mm_dd_in_ascii(value):
    [message] = errors(DateField(), value)
    assert "YYYY-MM-DD" in message and bilingual(message), message


def test_one_reason_limit_for_every_reason_with_bilingual_messages():
    longest = "因" * REASON_MAX_LENGTH
    assert ReasonInputSerializer(data={"reason": longest}).is_valid()
    for body, words in [({"reason": longest + "因"}, str(REASON_MAX_LENGTH)), ({}, "原因"),
                        ({"reason": "  "}, "原因")]:
        serializer = ReasonInputSerializer(data=body)
        assert not serializer.is_valid()
        [message] = serializer.errors["reason"]
        assert words in message and bilingual(message), message


def test_text_names_its_limit_in_both_languages():
    [message] = errors(TextField(max_length=3), "abcd")
    assert message == "最多 3 个字符 / At most 3 characters"


def test_lists_and_choices_answer_in_both_languages():
    for field, value, words in [
            (ListField(child=IdField(), min_length=2), [1], "至少 2 项"),
            (ListField(child=IdField(), max_length=1), [1, 2], "最多 1 项"),
            (ListField(child=IdField()), "1,2", "列表"),
            (ListField(child=IdField(), allow_empty=False), [], "空列表"),
            (ChoiceField(choices=["bank"]), "shop", "「shop」")]:
        [message] = errors(field, value)
        assert words in message and bilingual(message), message
