"""Chinese VAT invoice numbers: the 20-digit number of a fully digital invoice (全面数字化的
电子发票, 数电票, issued since December 2021), or the older pair of an invoice code (10 digits for
special VAT invoices, 12 for ordinary and electronic ones) and an 8-digit invoice number."""

import re
from dataclasses import dataclass
from datetime import date

from scf import clock

FULLY_DIGITAL = re.compile(r"\d{20}")
LEGACY_CODE = re.compile(r"\d{10}|\d{12}")
LEGACY_NUMBER = re.compile(r"\d{8}")
FIRST_FULLY_DIGITAL_YEAR = 21  # 数电票 pilots began in 2021


class InvoiceNumberError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class InvoiceNumber:
    number: str
    code: str = ""

    @property
    def key(self) -> str:
        """One canonical text per invoice: what its on-chain hash is taken over."""
        return f"{self.code}:{self.number}" if self.code else self.number


def parse_invoice_number(*, number: str, code: str = "", today: date | None = None
                         ) -> InvoiceNumber:
    number, code = (number or "").strip(), (code or "").strip()
    if not code:
        if not FULLY_DIGITAL.fullmatch(number):
            raise InvoiceNumberError(
                "number", "数电票号码应为20位数字；旧版发票请同时填写发票代码 / A fully digital "
                "invoice number has 20 digits; for an older invoice give its code too")
        year = int(number[:2])
        this_year = (today or clock.today()).year % 100
        if not FIRST_FULLY_DIGITAL_YEAR <= year <= this_year:
            raise InvoiceNumberError(
                "number", f"数电票号码前两位应为开票年份（{FIRST_FULLY_DIGITAL_YEAR}–{this_year}）"
                f" / The first two digits are the year of issue ({FIRST_FULLY_DIGITAL_YEAR}–"
                f"{this_year})")
        return InvoiceNumber(number=number)
    if not LEGACY_CODE.fullmatch(code):
        raise InvoiceNumberError(
            "code", "发票代码应为10位或12位数字 / An invoice code has 10 or 12 digits")
    if not LEGACY_NUMBER.fullmatch(number):
        raise InvoiceNumberError(
            "number", "发票号码应为8位数字 / An invoice number with a code has 8 digits")
    return InvoiceNumber(number=number, code=code)
