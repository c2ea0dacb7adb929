"""Issue 11, defect 9: production is the default. Without SCF_DEBUG the platform runs with
debug off, refuses to start on the in-repo development keys, passes `check --deploy` with no
warning once its secrets are set; the run command alone selects the embedded demo."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.test_serve import ROOT, serve_env

PRODUCTION_SECRETS = {
    "SCF_SECRET_KEY": "t3sT-only-but-long-and-random-enough-" + "x7Qp2Lm9Zr4Vw8Ks" * 3,
    "SCF_KEY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "SCF_CHAIN_OPERATOR_KEY": "0x" + "5a" * 32,
    "SCF_AUDIT_HMAC_KEY": "audit-" + "k3Yq9Wm2" * 4,
    "SCF_PERSON_HASH_KEY": "person-" + "p7Rt2Xn5" * 4,
}


def production_env(tmp_path, **extra: str) -> dict:
    """The environment of a production process: no SCF_DEBUG, the project's own settings (not
    the test suite's, which select the embedded demo)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SCF_")}
    env.update({"DJANGO_SETTINGS_MODULE": "scf.settings", "SCF_VAR_DIR": str(tmp_path),
                "SCF_ALLOWED_HOSTS": "scf.example.com", **extra})
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_check_deploy_with_production_settings_gives_no_warning(tmp_path):
    result = manage(production_env(tmp_path, **PRODUCTION_SECRETS), "check", "--deploy")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_is_the_default_and_debug_is_off(tmp_path):
    result = manage(production_env(tmp_path, **PRODUCTION_SECRETS), "shell", "-v", "0", "-c",
                    "from django.conf import settings as s; "
                    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
                    "s.SCF_ADMIN_ENABLED, s.SECRET_KEY == 'insecure-dev-only-key')")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "False", "False"]


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SECRETS))
def test_production_without_a_secret_refuses_to_start_with_one_line(tmp_path, missing):
    secrets = {name: value for name, value in PRODUCTION_SECRETS.items() if name != missing}

    result = manage(production_env(tmp_path, **secrets), "check")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and missing in lines[0] and "production" in lines[0], result.stderr


def test_the_run_command_alone_selects_the_embedded_demo(tmp_path):
    """What `bin/scf run` does: `manage.py serve` with nothing set runs on the embedded
    defaults; the same environment is production for any other command."""
    env = serve_env(tmp_path)
    env.pop("SCF_DEBUG", None)
    env["DJANGO_SETTINGS_MODULE"] = "scf.settings"

    served = manage(env, "serve", "--check")
    other = manage(env, "check")

    assert served.returncode == 0, served.stderr
    assert "Platform ready" in served.stdout
    assert other.returncode != 0 and "SCF_SECRET_KEY" in other.stderr


@pytest.mark.django_db
def test_the_admin_site_is_off_unless_enabled(client, settings):
    from importlib import reload

    from django.urls import clear_url_caches

    import scf.urls

    assert client.get("/admin/login/").status_code == 404
    try:
        settings.SCF_ADMIN_ENABLED = True
        reload(scf.urls)
        clear_url_caches()
        assert client.get("/admin/login/").status_code == 200
    finally:
        settings.SCF_ADMIN_ENABLED = False
        reload(scf.urls)
        clear_url_caches()
    assert client.get("/admin/login/").status_code == 404


@pytest.mark.django_db
def test_the_single_page_application_is_served_with_a_content_security_policy(client):
    policy = client.get("/vouchers")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert all("http" not in sources for sources in directives.values())  # no other origin
    assert "blob:" in directives["frame-src"]  # documents are previewed from blob: URLs
