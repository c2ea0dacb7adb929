"""Issue 11 against the run command's real server (a subprocess on its embedded defaults:
SQLite, eager Celery, anvil), as an outside tester meets it: defects 1 (a request that kills the
server, bodies parsed without bound, the chain outliving the web process), 7 (parallel writes
on SQLite answer 500 "database is locked") and, in part, 6 (/static/../manage.py answers 500)."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from scf.chain.node import free_port
from tests.factories import credit_code
from tests.test_serve import ROOT, run_manage, serve_env

PASSWORD = "Kx9!mP2qLw7#zR4v-serve"


def wait_until_up(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    for _ in range(900):
        try:
            urllib.request.urlopen(f"{base_url}/api/health", timeout=2)  # noqa: S310 (http)
            return
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    pytest.fail("the server never answered:\n" + log_path.read_text()[-3000:])


def start_server(tmp_path: Path) -> tuple[subprocess.Popen, str, dict, Path]:
    port, env = free_port(), serve_env(tmp_path)
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:  # the child keeps its own copy of the descriptor
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}", "--no-demo"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    wait_until_up(base_url, server, log_path)
    return server, base_url, env, log_path


def request(base_url: str, path: str, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, dict | str]:
    req = urllib.request.Request(  # noqa: S310 (our own http:// server)
        base_url + path, data=body, method="POST" if body else "GET",
        headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def anvil_answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}", timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def pids_listening_as_anvil(port: int) -> list[int]:
    """The anvil started for `port` (to clean up after a failed run, by its exact command)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(arg.endswith(b"anvil") for arg in argv[:1]) and str(port).encode() in argv:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("live")
    server, base_url, env, log_path = start_server(tmp_path)
    try:
        yield base_url, env, server, log_path
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def test_deeply_nested_json_is_a_400_and_the_server_stays_up(live):
    base_url, _env, server, log_path = live
    nested = b"[" * 90_000 + b"]" * 90_000  # ~180 KB: the report's request

    status, body = request(base_url, "/api/auth/token", nested)

    assert status == 400, body
    assert body["code"] == "parse_error" and body["extra"] == {}
    assert "嵌套" in body["message"] and "nested deeper than 32" in body["message"]
    assert server.poll() is None, log_path.read_text()[-3000:]
    assert request(base_url, "/api/health")[0] == 200


def test_a_body_over_the_cap_is_refused_unparsed(live):
    base_url, _env, server, _log = live
    big = json.dumps({"username": "x" * (2 * 1024 * 1024), "password": "y"}).encode()

    status, body = request(base_url, "/api/auth/token", big)

    assert status == 413, body
    assert body["code"] == "request_too_large"
    assert "请求内容过大" in body["message"] and "too large" in body["message"]
    assert server.poll() is None


def test_a_path_out_of_the_static_folder_is_404_not_500(live):
    base_url, *_ = live
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=10)
    connection.request("GET", "/static/../manage.py")  # sent as is, not normalised

    response = connection.getresponse()

    assert response.status == 404
    assert b"def main" not in response.read()


def test_twenty_parallel_writes_on_sqlite_never_answer_500(live):
    """The write: the platform operator admitting organisations (each a row, its first
    administrator and hash-chained audit entries: every request reads the chain's head and
    appends to it), twenty at once."""
    base_url, env, *_ = live
    boot = run_manage({**env, "SCF_BOOTSTRAP_PASSWORD": PASSWORD}, "bootstrap_platform",
                      "--name", "平台运营方", "--credit-code", credit_code(7_000_001),
                      "--legal-representative", "张三", "--registered-address", "苏州",
                      "--username", "platform-admin", "--person-id", "13900000009")
    assert boot.returncode == 0, boot.stderr
    status, body = request(base_url, "/api/auth/token", json.dumps(
        {"username": "platform-admin", "password": PASSWORD}).encode())
    assert status == 200, body
    token = {"Authorization": f"Token {body['token']}"}

    def admit(n: int):
        return request(base_url, "/api/organisations/create", json.dumps({
            "kind": "supplier", "name": f"并发供应商 {n}",
            "credit_code": credit_code(7_100_000 + n),
            "legal_representative": "李四", "registered_address": "无锡"}).encode(), token)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(admit, range(20)))

    statuses = [status for status, _body in results]
    assert 500 not in statuses, [body for status, body in results if status == 500][:1]
    assert statuses == [201] * 20, results


def test_the_chain_stops_when_the_web_process_is_killed(tmp_path):
    server, _base_url, env, log_path = start_server(tmp_path)
    anvil_port = int(env["SCF_ANVIL_PORT"])
    assert anvil_answers(anvil_port)

    os.kill(server.pid, signal.SIGKILL)  # no `finally`, no signal handler runs
    server.wait(timeout=30)
    try:
        deadline = time.monotonic() + 30
        while anvil_answers(anvil_port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not anvil_answers(anvil_port), "anvil outlived the web process"
    finally:
        for pid in pids_listening_as_anvil(anvil_port):  # only after a failure
            os.kill(pid, signal.SIGKILL)
    # It was stopped, not killed: it saved the ledger on the way out.
    assert (tmp_path / "chain" / "anvil-state.json").exists(), log_path.read_text()[-2000:]
