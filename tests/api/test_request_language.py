"""Errors in the request's language: Accept-Language zh-CN or en gets the message (and the field
errors) in that language with both under `messages`; no language named keeps "中文 / English"."""

import pytest
from rest_framework.test import APIClient

from scf.i18n import EN, ZH, localise, request_language

WRONG = "用户名或密码错误 / Wrong username or password"


pytestmark = pytest.mark.django_db


def login(language: str | None, supplier_operator):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return APIClient().post("/api/auth/login", {"username": supplier_operator.username,
                                                "password": "nope"}, format="json", **headers)


@pytest.mark.parametrize(("header", "message"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "用户名或密码错误"),
    ("en-US,en;q=0.9", "Wrong username or password"),
    ("fr-FR, en;q=0.5, zh;q=0.4", "Wrong username or password"),  # the best one we speak
])
def test_the_message_comes_in_the_language_asked_for_with_both_kept(
        header, message, supplier_operator):
    body = login(header, supplier_operator).json()
    assert body["message"] == message
    assert body["messages"] == {ZH: "用户名或密码错误", EN: "Wrong username or password"}
    assert body["code"] == "invalid_credentials"


@pytest.mark.parametrize("header", [None, "fr-FR", "de;q=1, *;q=0.1"])
def test_without_a_language_we_speak_the_message_stays_bilingual(header, supplier_operator):
    assert login(header, supplier_operator).json() == {
        "message": WRONG, "code": "invalid_credentials", "extra": {}}


def test_field_errors_and_drf_messages_follow_the_language(db):
    body = APIClient().post("/api/auth/login", {"username": "x" * 1000}, format="json",
                            HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["message"] == "Invalid input" and body["extra"]["fields"]
    assert all(" / " not in text and not any("\u4e00" <= c <= "\u9fff" for c in text)
               for texts in body["extra"]["fields"].values() for text in texts), body
    missing = APIClient().get("/api/auth/me", HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert " / " not in missing["message"] and missing["messages"][EN]
    nowhere = APIClient().get("/api/no-such-endpoint", HTTP_ACCEPT_LANGUAGE="en").json()
    assert nowhere["message"] == "Not found"


def test_only_a_bilingual_message_is_split():
    ambiguous = "凭证 A / B 已拆分 / Piece A / B split"  # which " / " is the one? leave it whole
    assert localise(ambiguous, EN) == ambiguous
    assert localise("Pricing (days / 360)", ZH) == "Pricing (days / 360)"
    assert localise("金额有误 / Bad amount", EN) == "Bad amount"
    assert localise("金额有误 / Bad amount", None) == "金额有误 / Bad amount"


def test_a_huge_or_odd_header_is_no_trouble():
    class Request:
        META = {"HTTP_ACCEPT_LANGUAGE": ",".join(["xx;q=abc"] * 10_000) + ",en"}
    assert request_language(Request()) is None  # only the first 20 ranges are read
    Request.META = {"HTTP_ACCEPT_LANGUAGE": "en;q=0, zh-TW"}
    assert request_language(Request()) == ZH
