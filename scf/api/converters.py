"""URL path converters: an id in a path is a whole number a bigint column can hold. Django's
`int` takes any number of digits, and a lookup of 2**63 then overflows SQLite (a 500)."""

from scf.api.fields import ID_MAX


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("beyond a bigint: no such object")  # no match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
