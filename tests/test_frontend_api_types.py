"""The front end's API types are generated from the server's OpenAPI schema and checked in
(frontend/src/services/generated/): regenerating them from the live schema must give the same
files, or a changed API would leave the SPA's types silently wrong. Fix: `npm run gen:api` in
frontend/."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
GENERATED = FRONTEND / "src" / "services" / "generated"


def test_the_checked_in_api_types_match_the_live_schema(tmp_path):
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "openapi-typescript").is_dir():
        skip_or_fail("node or frontend/node_modules (openapi-typescript) is missing")

    subprocess.run([node, "scripts/gen-api.mjs", "--out-dir", str(tmp_path)], cwd=FRONTEND,
                   env={**os.environ, "SCF_PYTHON": sys.executable},
                   check=True, capture_output=True, timeout=300)

    for name in ("schema.yml", "schema.d.ts"):
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        checked_in = (GENERATED / name).read_text(encoding="utf-8")
        assert fresh == checked_in, (
            f"frontend/src/services/generated/{name} is stale: run `npm run gen:api` in frontend/")
    assert "/api/auth/me" in fresh and 'components["schemas"]' in fresh
