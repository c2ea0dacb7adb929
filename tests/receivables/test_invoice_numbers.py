from datetime import date

import pytest

from receivables.invoice_numbers import InvoiceNumberError, parse_invoice_number

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(("number", "code", "key"), [
    ("25442000000123456789", "", "25442000000123456789"),
    (" 26312000000000000001 ", "", "26312000000000000001"),
    ("01234567", "4400231130", "4400231130:01234567"),
    ("87654321", "044002300111", "044002300111:87654321"),
])
def test_valid_invoice_numbers(number, code, key):
    assert parse_invoice_number(number=number, code=code, today=TODAY).key == key


@pytest.mark.parametrize(("number", "code", "field"), [
    ("2544200000012345678", "", "number"),       # 19 digits
    ("2544200000012345678X", "", "number"),      # not a digit
    ("19442000000123456789", "", "number"),      # before fully digital invoices existed
    ("27442000000123456789", "", "number"),      # a year still to come
    ("01234567", "440023113", "code"),           # 9-digit code
    ("0123456", "4400231130", "number"),         # 7-digit number with a code
    ("", "", "number"),
])
def test_invalid_invoice_numbers_name_the_field(number, code, field):
    with pytest.raises(InvoiceNumberError) as caught:
        parse_invoice_number(number=number, code=code, today=TODAY)
    assert caught.value.field == field
    assert " / " in caught.value.message  # Chinese, then English
