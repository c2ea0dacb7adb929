"""The pieces tests drive both apps' APIs on one piece: they reuse the receivables cast."""

from tests.receivables.conftest import api, cast, credit_line, media_root  # noqa: F401
