"""Issue 11, defect 1, in process: the recursion limit the chain libraries raise is put back,
and the API's JSON parser refuses bodies too large or too deeply nested, in the error shape."""

import json
import subprocess
import sys

import pytest

from scf.parsers import json_nesting_depth
from tests.test_serve import ROOT


def test_the_recursion_limit_is_sane_after_setup_and_the_chain_gateway_import():
    """py_ecc (under web3) raises it to 100,000 at import; scf.chain puts it back. A fresh
    interpreter, as the server starts."""
    script = ("import sys, django; django.setup(); import scf.chain.client, web3, eth_account; "
              "import py_ecc; print(sys.getrecursionlimit())")

    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == 1000


def test_the_recursion_limit_is_sane_in_this_process():
    import scf.chain.client  # noqa: F401

    assert sys.getrecursionlimit() <= 10_000


@pytest.mark.parametrize(("raw", "depth"), [
    (b"{}", 1), (b'{"a": [1, {"b": []}]}', 4), (b'"[[[[{{{{"', 0),
    (b'{"a": "]]]", "b": [["\\"[["]]}', 3), (b"[" * 50 + b"]" * 50, 33),
])
def test_nesting_depth_counts_brackets_outside_strings(raw, depth):
    assert json_nesting_depth(raw, stop_above=32) == depth


def post_json(client, body: bytes):
    return client.post("/api/auth/token", data=body, content_type="application/json")


@pytest.mark.django_db
def test_nesting_at_the_limit_is_parsed_one_deeper_is_a_400(client):
    at_limit = b'{"username": "u", "password": "p", "x": ' + b"[" * 31 + b"]" * 31 + b"}"
    too_deep = b'{"username": "u", "password": "p", "x": ' + b"[" * 32 + b"]" * 32 + b"}"

    assert post_json(client, at_limit).json()["code"] == "invalid_credentials"
    response = post_json(client, too_deep)
    assert response.status_code == 400
    assert response.json() == {
        "message": "JSON 嵌套层数超过 32 层 / JSON nested deeper than 32 levels",
        "code": "parse_error", "extra": {}}


@pytest.mark.django_db
def test_a_body_over_the_cap_is_a_413_in_the_error_shape(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "u" * 1000, "password": "p"}).encode()

    response = post_json(client, body)

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "1000" in response.json()["message"] and "/ Request body too large" in (
        response.json()["message"])


@pytest.mark.django_db
def test_malformed_json_is_a_bilingual_400(client):
    response = post_json(client, b'{"username": ')

    assert response.status_code == 400
    assert response.json()["message"].startswith("JSON 格式错误 / JSON parse error")
    assert response.json()["code"] == "parse_error"


def test_every_api_view_parses_json_with_the_bounded_parser():
    """A view that lists DRF's own JSONParser would parse any size and depth again."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.parsers import JSONParser

    from scf.parsers import BoundedJSONParser

    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    checked = 0
    for view in views(get_resolver().url_patterns):
        for parser in getattr(view, "parser_classes", []):
            if issubclass(parser, JSONParser):
                assert issubclass(parser, BoundedJSONParser), view
                checked += 1
    assert checked > 50
