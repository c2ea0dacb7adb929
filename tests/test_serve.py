"""The run command as a user meets it: a subprocess, its output, its exit code."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scf.chain.node import free_port
from tests.factories import credit_code

ROOT = Path(__file__).resolve().parent.parent


def serve_env(tmp_path: Path, **extra: str) -> dict:
    env = {**os.environ, "SCF_VAR_DIR": str(tmp_path), "SCF_ANVIL_PORT": str(free_port())}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "SCF_CHAIN_RPC_URL"):
        env.pop(name, None)
    env.update(extra)
    return env


def run_manage(env: dict, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def deployed_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith(
        ("MemberRegistry", "CreditLines", "VoucherLedger", "AuditAnchor"))]


def test_check_prepares_everything_and_a_restart_does_not_redeploy(tmp_path):
    env = serve_env(tmp_path)

    first = run_manage(env, "serve", "--check")
    assert first.returncode == 0, first.stderr
    second = run_manage(env, "serve", "--check")
    assert second.returncode == 0, second.stderr

    assert len(deployed_lines(first.stdout)) == 4
    assert deployed_lines(second.stdout) == deployed_lines(first.stdout)
    assert (tmp_path / "chain" / "anvil-state.json").exists()


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("DATABASE_URL", "postgres://nobody@127.0.0.1:{port}/scf", "Database unavailable"),
    ("SCF_CHAIN_RPC_URL", "http://127.0.0.1:{port}", "Chain node unreachable"),
    ("CELERY_BROKER_URL", "redis://127.0.0.1:{port}/0", "Broker unavailable"),
])
def test_a_missing_part_is_one_clear_line_not_a_traceback(tmp_path, variable, value, expected):
    env = serve_env(tmp_path, **{variable: value.format(port=free_port())})

    result = run_manage(env, "serve", "--check", timeout=60)

    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def platform_health(env: dict, port: int) -> dict:
    """/api/health as the platform operator's administrator sees it (created for the test)."""
    password = "Kx9!mP2qLw7#zR4v-health"
    boot = run_manage({**env, "SCF_BOOTSTRAP_PASSWORD": password}, "bootstrap_platform",
                      "--name", "平台运营方", "--credit-code", credit_code(7_200_001),
                      "--legal-representative", "张三", "--registered-address", "苏州",
                      "--username", "platform-admin", "--person-id", "13900000009")
    assert boot.returncode == 0, boot.stderr
    login = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/token", headers={"Content-Type": "application/json"},
        data=json.dumps({"username": "platform-admin", "password": password}).encode())
    with urllib.request.urlopen(login) as response:  # noqa: S310 (our own http:// server)
        token = json.loads(response.read())["token"]
    health = urllib.request.Request(f"http://127.0.0.1:{port}/api/health",
                                    headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(health) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_serves_http_and_stops_the_chain_on_interrupt(tmp_path, stop_signal):
    port = free_port()
    env = serve_env(tmp_path)
    server = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}",
                               "--no-demo"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        health = None
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health") as response:
                    health = json.loads(response.read())
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert health is not None, "the server never answered"
        assert health == {"status": "ok"}  # the details are for the platform operator only
        health = platform_health(env, port)
        assert health["status"] == "ok"
        assert set(health["checks"]["chain"]["contracts"]) == {
            "MemberRegistry", "CreditLines", "VoucherLedger", "AuditAnchor"}
    finally:
        server.send_signal(stop_signal)
        output = server.communicate(timeout=60)[0]
    assert "state saved" in output
    anvil_port = int(env["SCF_ANVIL_PORT"])
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{anvil_port}", timeout=1)



def test_an_empty_platform_is_seeded_with_the_demo_before_serving(tmp_path):
    """What `bin/scf run` does on a fresh machine: the demo scenario, then the server."""
    port = free_port()
    env = serve_env(tmp_path)
    log_path = tmp_path / "serve.log"
    # A file, not a pipe: the demo prints more than a pipe buffers, and an unread pipe would
    # block the server mid-seed.
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        answered = False
        for _ in range(1500):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
                answered = True
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        log.close()
    output = log_path.read_text()
    assert answered, output[-3000:]
    assert "seeding the demo scenario" in output
    assert "demo-password-2026" in output  # the sign-in table for the user
