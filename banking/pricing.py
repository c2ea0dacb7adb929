"""Discount pricing (贴现): interest = face × annual rate × days / 360, the Chinese bill-discount
convention; net proceeds = face − interest − fees. Computed in Decimal and rounded once, at the
end, ROUND_HALF_UP to the fen. Every term is returned so the officer and the supplier see how
the figure was reached."""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from scf import clock
from scf.errors import ApplicationError
from scf.money import format_yuan

DAY_COUNT_BASIS = 360
MAX_ANNUAL_RATE = Decimal("0.36")  # above this a "discount" is usury, not pricing


class PricingError(ApplicationError):
    code = "invalid_pricing"


@dataclass(frozen=True)
class DiscountQuote:
    face_fen: int
    annual_rate: Decimal
    value_date: date
    maturity_date: date
    days: int
    interest_fen: int
    fees_fen: int
    net_proceeds_fen: int

    @property
    def formula(self) -> str:
        rate_percent = (self.annual_rate * 100).normalize()
        return (f"利息 = 票面 {format_yuan(self.face_fen)} × 年利率 {rate_percent}% × "
                f"{self.days} 天 / {DAY_COUNT_BASIS} = {format_yuan(self.interest_fen)}; "
                f"实付 = {format_yuan(self.face_fen)} − {format_yuan(self.interest_fen)} − "
                f"费用 {format_yuan(self.fees_fen)} = {format_yuan(self.net_proceeds_fen)} / "
                f"interest = face × annual rate × days / {DAY_COUNT_BASIS}; "
                "net proceeds = face − interest − fees")

    def as_dict(self) -> dict:
        data = asdict(self)
        data["annual_rate"] = str(self.annual_rate)
        data["value_date"] = self.value_date.isoformat()
        data["maturity_date"] = self.maturity_date.isoformat()
        data["day_count_basis"] = DAY_COUNT_BASIS
        data["formula"] = self.formula
        return data


def discount_quote(*, face_fen: int, annual_rate: Decimal, value_date: date,
                   maturity_date: date, fees_fen: int = 0) -> DiscountQuote:
    if not isinstance(face_fen, int) or face_fen <= 0:
        message = "票面金额必须为正整数分 / Face value must be a positive number of fen"
        raise PricingError(message, extra={"fields": {"face_fen": [message]}})
    if not isinstance(annual_rate, Decimal) or not (0 <= annual_rate <= MAX_ANNUAL_RATE):
        message = (f"年利率须在 0 与 {MAX_ANNUAL_RATE:%} 之间 / Annual rate must be between 0 and "
                   f"{MAX_ANNUAL_RATE:%}")
        raise PricingError(message, extra={"fields": {"annual_rate": [message]}})
    if not isinstance(fees_fen, int) or fees_fen < 0:
        message = "费用不能为负 / Fees cannot be negative"
        raise PricingError(message, extra={"fields": {"fees_fen": [message]}})
    days = clock.days_between(value_date, maturity_date)  # business dates, Asia/Shanghai
    if days <= 0:
        message = "起息日须早于到期日 / The value date must be before maturity"
        raise PricingError(message, extra={"fields": {"value_date": [message]}})
    interest = (Decimal(face_fen) * annual_rate * days / DAY_COUNT_BASIS).quantize(
        Decimal(1), rounding=ROUND_HALF_UP)
    net = face_fen - int(interest) - fees_fen
    if net <= 0:
        message = "利息与费用不能超过票面金额 / Interest and fees exceed the face value"
        raise PricingError(message, extra={"fields": {"fees_fen": [message]}})
    return DiscountQuote(face_fen=face_fen, annual_rate=annual_rate, value_date=value_date,
                         maturity_date=maturity_date, days=days, interest_fen=int(interest),
                         fees_fen=fees_fen, net_proceeds_fen=net)
