"""The stack scripts/bench_e2e.py runs against: a throw-away anvil node behind a counting
JSON-RPC proxy, PostgreSQL/Redis or SQLite, Celery workers and beat, the web server, each in a
temporary folder; and the CPU each process spent, read from /proc."""

import http.client
import http.server
import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not settings.configured:
    # scf.chain.node finds the anvil binary from BASE_DIR only: no need for the project's
    # settings (and their side effects) in this process, which only drives the stack.
    settings.configure(BASE_DIR=str(ROOT))

from scf.chain.client import RpcCounter  # noqa: E402
from scf.chain.node import AnvilNode, free_port  # noqa: E402

# anvil's first well-known development account (scf.settings.ANVIL_DEV_KEY): the platform operator
# on the throw-away chain. Not the project's settings module: importing it here would configure
# this process for one stack.
OPERATOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # noqa: S105
CHAIN_ID = 31337
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)
CLK_TCK = os.sysconf("SC_CLK_TCK")

# --- the counting JSON-RPC proxy ------------------------------------------------------------------

class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as web3's session expects
    # The answer leaves in one segment (headers and body buffered, flushed after the method),
    # without Nagle's delay: the proxy must not add 40 ms stalls to every call it counts.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            payload = json.loads(body)
            calls = payload if isinstance(payload, list) else [payload]
            methods = [str(call.get("method", "?")) for call in calls]
        except (ValueError, AttributeError):
            methods = ["?"]
        self.server.counter.add(methods)
        local = self.server.local
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(*self.server.upstream, timeout=60)
        try:
            local.conn.request("POST", "/", body, {"Content-Type": "application/json"})
            response = local.conn.getresponse()
            data, status = response.read(), response.status
        except (OSError, http.client.HTTPException):
            local.conn.close()
            local.conn = None
            data, status = b'{"error": "proxy: node unreachable"}', 502
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class RpcProxy:
    """Between the stack and the node: counts every JSON-RPC call (a batch's calls one by one)
    of every process behind it, with the platform's own RpcCounter."""

    def __init__(self, upstream_url: str):
        parsed = urlparse(upstream_url)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _ProxyHandler)
        self.server.daemon_threads = True
        self.server.upstream = (parsed.hostname, parsed.port)
        self.server.local = threading.local()
        self.server.counter = self.counter = RpcCounter()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "RpcProxy":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- CPU of processes, from /proc -----------------------------------------------------------------

def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of a live process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def tree_pids(root: int) -> list[int]:
    parents = {}
    for pid in _all_pids():
        stat = _stat(pid)
        if stat:
            parents[pid] = stat[0]
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def pg_backend_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving the bench database (their title names it)."""
    return [pid for pid in _all_pids()
            if _cmdline(pid).startswith("postgres: ") and f" {database} " in _cmdline(pid)]


class CpuMeter:
    """CPU seconds per group of processes between start() and stop(), sampled every half second
    so that processes started meanwhile are counted (one that lives less than a sample is not:
    the stack keeps its database connections open, SCF_DB_CONN_MAX_AGE)."""

    def __init__(self, groups: dict):
        self.groups = groups  # name -> callable returning the group's pids now
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, baseline: bool) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                stat = _stat(pid)
                if stat is None:
                    continue
                key = (name, pid)
                self.first.setdefault(key, stat[1] if baseline else 0.0)
                self.last[key] = stat[1]

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample(baseline=False)

    def start(self) -> "CpuMeter":
        self._sample(baseline=True)
        self._thread.start()
        return self

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._sample(baseline=False)
        totals = dict.fromkeys(self.groups, 0.0)
        for (name, pid), last in self.last.items():
            totals[name] += last - self.first[(name, pid)]
        return totals


# --- the stack ------------------------------------------------------------------------------------

def postgres_available() -> str:
    """'' when PostgreSQL and Redis answer, else why not."""
    try:
        import psycopg2

        psycopg2.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except Exception as exc:  # noqa: BLE001 (any failure means: not reachable)
        return f"PostgreSQL at {PG['host']}:{PG['port']} not reachable ({exc})".strip()
    try:
        import redis

        redis.Redis(*REDIS, socket_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {REDIS[0]}:{REDIS[1]} not reachable ({exc})"
    return ""


def _pg(sql: str, database: str = "postgres", params=()) -> list:
    import psycopg2

    connection = psycopg2.connect(dbname=database, connect_timeout=5, **PG)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


class Stack:
    """One configuration's processes, all in a temporary folder, all stopped by stop()."""

    def __init__(self, config: str, workdir: Path, workers: int):
        self.config = config
        self.dir = workdir / config
        self.dir.mkdir(parents=True)
        self.workers = workers
        self.processes: dict[str, subprocess.Popen] = {}
        self.database = f"scf_bench_{os.getpid()}"
        self.redis_db = 1 + os.getpid() % 14  # not 0 (a default) nor 15 (the test suite's)
        self.web_port = free_port()
        self.node = AnvilNode(state_path=None, log_path=self.dir / "anvil.log")
        self.proxy = None
        self.env: dict[str, str] = {}

    @property
    def production(self) -> bool:
        return self.config == "production"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SCF_", "CELERY_", "DATABASE_URL", "DJANGO_"))}
        env.update({"SCF_VAR_DIR": str(self.dir / "var"), "SCF_CHAIN_RPC_URL": self.proxy.url,
                    "SCF_CHAIN_ID": str(CHAIN_ID), "SCF_CHAIN_OPERATOR_KEY": OPERATOR_KEY,
                    "SCF_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "scf.settings",
                    "PYTHONUNBUFFERED": "1"})
        if self.production:
            from cryptography.fernet import Fernet

            # Production mode, with secrets of its own (see .env.example), on plain http.
            env.update({
                "SCF_DEBUG": "false", "SCF_SECRET_KEY": secrets.token_urlsafe(50),
                "SCF_KEY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "SCF_AUDIT_HMAC_KEY": secrets.token_urlsafe(32),
                "SCF_PERSON_HASH_KEY": secrets.token_urlsafe(32),
                "SCF_SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/"
                                f"{self.database}",
                "SCF_DB_CONN_MAX_AGE": "60",
                "CELERY_BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{self.redis_db}"})
        else:
            env["SCF_DEBUG"] = "true"  # what `manage.py serve` selects for itself
        return env

    def start_chain(self) -> None:
        self.node.start()
        self.proxy = RpcProxy(self.node.url).start()
        self.env = self._environment()
        if self.production:
            _pg(f'CREATE DATABASE "{self.database}"')
            self._redis().flushdb()
        # The compiled contracts are cached by source fingerprint: reuse the repository's, or
        # the previous configuration's.
        for cache in (ROOT / "var" / "build", self.dir.parent / "build"):
            if cache.is_dir():
                shutil.copytree(cache, self.dir / "var" / "build")
                break

    def _redis(self):
        import redis

        return redis.Redis(*REDIS, db=self.redis_db)

    def seed(self, clients: int) -> dict:
        out = self.dir / "seed.json"
        env = {k: v for k, v in self.env.items() if k != "CELERY_BROKER_URL"}  # seeded eagerly
        result = subprocess.run([sys.executable, "scripts/bench_e2e_seed.py", str(out),
                                 str(clients)], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=900)
        if result.returncode != 0:
            raise SystemExit(f"seeding failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        build, cache = self.dir / "var" / "build", self.dir.parent / "build"
        if build.is_dir() and not cache.exists():
            shutil.copytree(build, cache)  # for the next configuration
        return json.loads(out.read_text())

    def _spawn(self, name: str, args: list[str], **env: str) -> None:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env={**self.env, **env},
                                                stdout=log,
                                                stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL)
        log.close()

    def start_platform(self, keepalive: bool = True) -> str:
        """Web server (and workers, beat); returns which web server runs. runserver runs a thread
        per client connection, and a thread's database connection lives as long as its client's:
        without keep-alive, persistent database connections (SCF_DB_CONN_MAX_AGE) pile up in it
        until PostgreSQL refuses more (seen: 'too many clients'), so they are off there then."""
        if self.production:
            for i in range(self.workers):
                self._spawn(f"worker{i}", [sys.executable, "-m", "celery", "-A", "scf", "worker",
                                           "--concurrency", "1", "-n", f"bench{i}@%h",
                                           "-l", "warning"])
            self._spawn("beat", [sys.executable, "-m", "celery", "-A", "scf", "beat", "-l",
                                 "warning", "-s", str(self.dir / "celerybeat-schedule")])
            if shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
                server = "gunicorn"
                self._spawn("web", [sys.executable, "-m", "gunicorn", "scf.wsgi", "-w", "4",
                                    "-b", f"127.0.0.1:{self.web_port}"])
            else:
                server = "runserver --noreload (gunicorn not installed)"
                self._spawn("web", [sys.executable, "manage.py", "runserver",
                                    f"127.0.0.1:{self.web_port}", "--noreload"],
                            **({} if keepalive else {"SCF_DB_CONN_MAX_AGE": "0"}))
        else:
            server = "manage.py serve (runserver)"
            self._spawn("web", [sys.executable, "manage.py", "serve",
                                f"127.0.0.1:{self.web_port}", "--no-demo"])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise SystemExit(f"{name} exited with {process.returncode}:\n"
                                     + self.log_tail(name))
            try:
                requests.get(f"{self.base_url}/api/health", timeout=2)
                return server
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit("the web server did not answer within 120 s:\n" + self.log_tail("web"))

    def log_tail(self, name: str, size: int = 3000) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def cpu_groups(self) -> dict:
        groups = {"web": lambda: tree_pids(self.processes["web"].pid)}
        if self.production:
            groups["workers"] = lambda: [pid for i in range(self.workers)
                                         for pid in tree_pids(self.processes[f"worker{i}"].pid)]
            groups["beat"] = lambda: tree_pids(self.processes["beat"].pid)
            groups["postgres"] = lambda: pg_backend_pids(self.database)
        groups["anvil"] = lambda: [self.node.process.pid]
        return groups

    def deadlocks(self) -> int | None:
        if not self.production:
            return None
        rows = _pg("SELECT deadlocks FROM pg_stat_database WHERE datname = %s",
                   params=(self.database,))
        return rows[0][0] if rows else None

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.proxy:
            self.proxy.stop()
        self.node.stop()
        if self.production and self.env:
            try:
                _pg(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                self._redis().flushdb()
            except Exception as exc:  # noqa: BLE001 (report, keep stopping)
                print(f"cleanup: {exc}", file=sys.stderr)
