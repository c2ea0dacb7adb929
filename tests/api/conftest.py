"""Fixtures of the API edge tests: the receivables cast and API helper."""

from tests.factories import supplier_operator, supplier_org  # noqa: F401
from tests.receivables.conftest import api, cast, credit_line, media_root  # noqa: F401
