"""Fixtures of the API edge tests: the receivables cast and API helper."""

from tests.receivables.conftest import api, cast, credit_line, media_root  # noqa: F401
