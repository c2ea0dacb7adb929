"""A catalogue of notification wording: each app keeps its own (`receivables/messages.py`,
`banking/messages.py`) and renders through this one class, so every title reads
"中文 / English" the same way and a call site passes only a key and its parameters.

A key is the notification kind, or `kind:variant` when one kind is worded differently for
different readers (the kind stored is the part before the colon). Templates use `str.format`
fields; `{amount_fen:yuan}` writes an amount in fen as yuan (`scf.money.format_yuan`), and
`{label:zh}` / `{label:en}` one half of a bilingual "中文 / English" choice label. A
parameter missing, or one the templates do not name, is a `TypeError`: a typo at a call site
must not send a notification with a hole in it."""

from dataclasses import dataclass
from string import Formatter

from scf.money import format_yuan


class _Formatter(Formatter):
    def format_field(self, value, format_spec: str) -> str:
        if format_spec == "yuan":
            return format_yuan(value)
        if format_spec in ("zh", "en"):  # one half of a bilingual label, e.g. a choice's
            zh, separator, en = value.partition(" / ")
            if not separator:
                raise TypeError(f"{value!r} is not a bilingual '中文 / English' label")
            return zh if format_spec == "zh" else en
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


@dataclass(frozen=True)
class Message:
    """A title in both languages; a body in both languages (a pair), or one template that only
    shows what someone wrote (a reason, a pricing formula, an error message) as written."""

    zh: str
    en: str
    body: tuple[str, str] | str = ""

    def templates(self) -> list[str]:
        body = list(self.body) if isinstance(self.body, tuple) else [self.body]
        return [self.zh, self.en, *body]

    def fields(self) -> set[str]:
        return {name.split(".")[0].split("[")[0]
                for template in self.templates()
                for _, name, _, _ in _FORMATTER.parse(template) if name}


def bilingual(zh: str, en: str) -> str:
    return f"{zh} / {en}"


class Catalogue:
    def __init__(self, messages: dict[str, Message]):
        self.messages = messages

    def notification(self, key: str, **params) -> dict[str, str]:
        """The `kind`, `title` and `body` of `notification_send` for one catalogue entry."""
        try:
            message = self.messages[key]
        except KeyError:
            raise KeyError(f"no notification wording for {key!r}: add it to the app's "
                           "messages catalogue") from None
        missing = message.fields() - params.keys()
        unexpected = params.keys() - message.fields()
        if missing or unexpected:
            raise TypeError(f"notification {key!r}: missing parameters {sorted(missing)}, "
                            f"unexpected parameters {sorted(unexpected)}")

        def render(template: str) -> str:
            return _FORMATTER.vformat(template, (), params)

        if isinstance(message.body, tuple):
            body = bilingual(*(render(part) for part in message.body))
        else:
            body = render(message.body)
        return {"kind": key.split(":")[0],
                "title": bilingual(render(message.zh), render(message.en)),
                "body": body}
