"""The end-to-end benchmark script runs as a user runs it: a subprocess that starts its own
embedded stack, moves money through the API and prints its figures. Nothing here looks at the
figures themselves (times on a shared machine say nothing); only that every operation arrived."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_embedded_run_completes_every_operation_and_prints_the_ratio():
    result = subprocess.run(
        [sys.executable, "scripts/bench_e2e.py", "--quick", "--config", "embedded"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"^ratio platform/raw: \d+\.\d+x$", result.stdout, re.MULTILINE)
    assert re.search(r"^lost operations: 0$", result.stdout, re.MULTILINE)
    assert re.search(r"^\(b\) platform: POST transfer +10 ", result.stdout, re.MULTILINE)
    assert "HTTP errors (POST): none" in result.stdout
