"""Shared by tests/receivables/test_messages.py and tests/banking/test_messages.py: a scan of an
app's source for every notification it sends, and sample parameters for a catalogue entry."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from scf.notifications.catalogue import Catalogue, Message

SENDERS = {"notification_send", "notify"}  # notify(organisation, key, *, link, **params)
WORDING = {"kind", "title", "body"}  # what a call site must no longer write itself
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Send:
    where: str
    key: str
    params: set[str]


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def scan(app_dir: Path) -> tuple[list[Send], list[str]]:
    """Every notification the app's modules (migrations aside) send with a literal key, and
    every call that words one itself: a kind=, title= or body= beside the catalogue (or a title
    passed to notify positionally), a key that is neither a literal nor a forwarded parameter,
    or a notification_send without the catalogue's `**messages.notification(...)`."""
    sends: list[Send] = []
    inline: list[str] = []
    forwarded = set()
    trees = {f"{path.relative_to(app_dir.parent)}": ast.parse(path.read_text(), str(path))
             for path in sorted(app_dir.rglob("*.py"))
             if "migrations" not in path.parts and path.name != "messages.py"}
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{module}:{node.lineno}"
            name = _name(node.func)
            words = {k.arg for k in node.keywords} & WORDING
            if name in SENDERS and words:
                inline.append(f"{where}: {name}(...) writes {sorted(words)} itself")
            if name == "notify" and len(node.args) > 2:
                inline.append(f"{where}: notify(...) given a title of its own")
            if name == "notification_send" and not any(k.arg is None for k in node.keywords):
                inline.append(f"{where}: notification_send(...) without the catalogue")
            if name == "notify" or (name == "notification" and
                                    isinstance(node.func, ast.Attribute)):
                position = 1 if name == "notify" else 0
                key = node.args[position] if len(node.args) > position else None
                params = {k.arg for k in node.keywords if k.arg not in (None, "link")}
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    sends.append(Send(where, key.value, params))
                elif isinstance(key, ast.Name):  # a parameter the enclosing function forwards
                    forwarded.add(key.id)
                else:
                    inline.append(f"{where}: {name}(...) with a key that is not a literal")
    for module, tree in trees.items():  # the literal keys handed to a forwarding function
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (keyword.arg in forwarded and isinstance(keyword.value, ast.Constant)
                            and isinstance(keyword.value.value, str)):
                        sends.append(Send(f"{module}:{node.lineno}", keyword.value.value, set()))
    return sends, inline


def sample(message: Message) -> dict:
    """A value for every parameter the entry names: an amount in fen where it is shown as yuan,
    a bilingual label where one half of it is shown, otherwise a recognisable string."""
    params = {}
    for template in message.templates():
        for _, name, spec, _ in Formatter().parse(template):
            if not name:
                continue
            params[name] = {"yuan": 1234567, "zh": "甲标签 / a-label",
                            "en": "甲标签 / a-label"}.get(spec, f"«{name}»")
    return params


def assert_bilingual(text: str, what: str) -> None:
    zh, separator, en = text.partition(" / ")
    assert separator, f"{what}: {text!r} is not '中文 / English'"
    assert CJK.search(zh), f"{what}: {zh!r} has no Chinese"
    assert re.search("[A-Za-z]", en) and not CJK.search(en), f"{what}: {en!r} is not English"


def check_catalogue(catalogue: Catalogue, app_dir: Path) -> None:
    sends, inline = scan(app_dir)
    assert sends, "the scan found no notification at all: is it looking at the services?"
    assert inline == []
    for send in sends:
        assert send.key in catalogue.messages, f"{send.where}: {send.key!r} has no wording"
        fields = catalogue.messages[send.key].fields()
        assert send.params == fields, (f"{send.where}: {send.key!r} is passed "
                                       f"{sorted(send.params)}, its wording names {sorted(fields)}")
    unused = set(catalogue.messages) - {send.key for send in sends}
    assert not unused, f"catalogue entries nothing sends: {sorted(unused)}"


def check_rendering(catalogue: Catalogue) -> None:
    for key, message in catalogue.messages.items():
        params = sample(message)
        rendered = catalogue.notification(key, **params)
        assert rendered["kind"] == key.split(":")[0]
        assert_bilingual(rendered["title"], key)
        if isinstance(message.body, tuple):
            assert_bilingual(rendered["body"], f"{key} body")
        text = rendered["title"] + rendered["body"]
        for name, value in params.items():
            shown = {1234567: ["12,345.67"], "甲标签 / a-label": ["甲标签", "a-label"]}.get(
                value, [value])
            assert any(part in text for part in shown), f"{key}: {name} is not shown"
        assert "{" not in text and "}" not in text


def check_missing_parameters(catalogue: Catalogue) -> None:
    for key, message in catalogue.messages.items():
        params = sample(message)
        for name in params:
            rest = {other: value for other, value in params.items() if other != name}
            try:
                catalogue.notification(key, **rest)
            except TypeError as error:
                assert name in str(error)
            else:
                raise AssertionError(f"{key} rendered without {name}")
