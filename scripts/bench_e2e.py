"""End-to-end benchmark: the platform against its own chain, side by side, in one run (issue 12).

    .venv/bin/python scripts/bench_e2e.py [--ops 1000] [--clients 8] [--workers 2]
                                          [--config production|embedded|both] [--reads] [--quick]

Per configuration it starts its own stack in a temporary folder: a throw-away anvil node, behind
a small counting JSON-RPC proxy, and for `production` PostgreSQL (a fresh database
scf_bench_<pid>, dropped at the end), Redis (a database number of its own, flushed), W Celery
workers, celery beat and the web server (gunicorn if installed, else runserver); for `embedded`
SQLite, eager Celery and `manage.py serve`. It seeds holders (scripts/bench_e2e_seed.py), then

  (a) raw: N transferValue transactions pre-signed with the holders' keys, sent straight to the
      node from C threads (eth_sendRawTransaction), until every receipt is in; on a chain
      snapshot, reverted afterwards, so the platform part starts from the seeded state;
  (b) platform: N transfers through the REST API from C clients, each counted once its operation
      is projected (GET /api/operations/<id>),

and prints ops/s, their ratio, latency, CPU per operation per process (from /proc), JSON-RPC
calls per operation, the decline over the run, deadlocks, and the targets met or not.
Figures only: nothing asserts on time (the machine may be shared; the load average is shown)."""

import argparse
import http.client
import http.server
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from django.conf import settings  # noqa: E402

# scf.chain.node finds the anvil binary from BASE_DIR only: no need for the project's settings
# (and their side effects) in this process, which only drives the stack.
settings.configure(BASE_DIR=str(ROOT))

from scf.chain.client import RpcCounter  # noqa: E402
from scf.chain.node import AnvilNode, free_port, rpc_call  # noqa: E402

# anvil's first well-known development account (scf.settings.ANVIL_DEV_KEY): the platform operator
# on the throw-away chain. Not the project's settings module: importing it here would configure
# this process for one stack.
OPERATOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # noqa: S105
CHAIN_ID = 31337
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
REDIS = ("127.0.0.1", 6379)
AMOUNT_FEN = 100  # each transfer sends 1 yuan; the holder keeps the rest on the same piece
POLL_SECONDS = 0.02
OPERATION_TIMEOUT = 120.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
TARGETS = {"ratio": 0.5, "cpu_vs_node": 3.0, "decline": 0.10, "read_p95_ms": 50.0,
           "read_cpu_ms": 5.0}


_T0 = time.monotonic()


def say(text: str) -> None:
    print(text, flush=True)


def step(config: str, text: str) -> None:
    say(f"[{config} +{time.monotonic() - _T0:.0f}s] {text}")


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

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL)
        log.close()

    def start_platform(self) -> str:
        """Web server (and workers, beat); returns which web server runs."""
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
                                    f"127.0.0.1:{self.web_port}", "--noreload"])
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
                say(f"cleanup: {exc}")


# --- (a) raw: pre-signed transactions straight to the node ----------------------------------------

class Rpc:
    """A keep-alive JSON-RPC connection of one thread."""

    def __init__(self, url: str):
        parsed = urlparse(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)

    def call(self, payload):
        self.conn.request("POST", "/", json.dumps(payload), {"Content-Type": "application/json"})
        return json.loads(self.conn.getresponse().read())


def presign(seed: dict, rpc_url: str, ops: int) -> list[list[bytes]]:
    """N transferValue transactions, round-robin over the holders, each holder's in nonce order."""
    from eth_abi import encode
    from eth_account import Account
    from eth_utils import function_signature_to_4byte_selector

    (abi,) = seed["transfer_abi"]
    types = [item["type"] for item in abi["inputs"]]
    selector = function_signature_to_4byte_selector(f"transferValue({','.join(types)})")
    receiver = seed["receiver"]["address"]
    per_holder: list[list[bytes]] = []
    for i, holder in enumerate(seed["holders"]):
        count = ops // len(seed["holders"]) + (i < ops % len(seed["holders"]))
        data = "0x" + (selector + encode(types, [holder["token_id"], receiver, AMOUNT_FEN])).hex()
        call = {"from": holder["address"], "to": seed["ledger"], "data": data}
        gas = int(rpc_call(rpc_url, "eth_estimateGas", [call]), 16) * 2
        nonce = int(rpc_call(rpc_url, "eth_getTransactionCount", [holder["address"], "pending"]),
                    16)
        per_holder.append([bytes(Account.sign_transaction(
            {"to": seed["ledger"], "data": data, "gas": gas, "gasPrice": 0, "nonce": nonce + k,
             "chainId": CHAIN_ID, "value": 0}, holder["private_key"]).raw_transaction)
            for k in range(count)])
    return per_holder


def raw_part(stack: Stack, seed: dict, ops: int, clients: int) -> dict:
    url = stack.node.url  # the node itself, not the proxy
    signed = presign(seed, url, ops)
    hashes: list[str] = []
    lock = threading.Lock()

    def send(transactions: list[bytes]) -> None:
        rpc = Rpc(url)
        for k, raw in enumerate(transactions):
            reply = rpc.call({"jsonrpc": "2.0", "id": k, "method": "eth_sendRawTransaction",
                              "params": ["0x" + raw.hex()]})
            if "error" in reply:
                raise SystemExit(f"raw: eth_sendRawTransaction refused: {reply['error']}")
            with lock:
                hashes.append(reply["result"])

    meter = CpuMeter({"anvil": lambda: [stack.node.process.pid]}).start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, signed))
    receipts: dict[str, dict] = {}
    rpc = Rpc(url)
    while len(receipts) < len(hashes):
        waiting = [h for h in hashes if h not in receipts]
        for start in range(0, len(waiting), 200):
            batch = [{"jsonrpc": "2.0", "id": n, "method": "eth_getTransactionReceipt",
                      "params": [h]} for n, h in enumerate(waiting[start:start + 200])]
            for reply in rpc.call(batch):
                if reply.get("result"):
                    receipts[reply["result"]["transactionHash"]] = reply["result"]
        if len(receipts) < len(hashes):
            time.sleep(0.05)
    elapsed = time.perf_counter() - started
    cpu = meter.stop()
    failed = sum(receipt["status"] != "0x1" for receipt in receipts.values())
    return {"ops": len(hashes), "seconds": elapsed, "ops_per_s": len(hashes) / elapsed,
            "failed": failed, "cpu": cpu}


# --- (b) platform: transfers through the REST API ------------------------------------------------

def _transfer_until_projected(session: requests.Session, base: str, holder: dict, receiver: int,
                              result: dict) -> None:
    """One transfer: POST, then the operation polled until projected. Fills `result`."""
    started = time.perf_counter()
    response = session.post(f"{base}/api/pieces/{holder['token_id']}/transfer",
                            json={"to_organisation": receiver, "amount_fen": AMOUNT_FEN},
                            timeout=OPERATION_TIMEOUT)
    if response.status_code != 202:
        result["http_error"] = response.status_code
        result["body"] = response.text[:300]
        return
    accepted = time.perf_counter()
    body = response.json()
    deadline = accepted + OPERATION_TIMEOUT
    while not body.get("projected"):
        if time.perf_counter() > deadline:
            result["lost"] = "timeout"
            return
        time.sleep(POLL_SECONDS)
        reply = session.get(f"{base}{body['operation_url']}", timeout=OPERATION_TIMEOUT)
        result["polls"] = result.get("polls", 0) + 1
        if reply.status_code != 200:
            result.setdefault("poll_errors", Counter())[reply.status_code] += 1
            continue
        body = {**reply.json(), "operation_url": body["operation_url"]}
    if body.get("status") == "failed":
        result["lost"] = f"failed: {body.get('error')}"
        return
    done = time.perf_counter()
    result.update(done=done, latency=done - accepted, total=done - started)


def platform_part(stack: Stack, seed: dict, ops: int, clients: int) -> dict:
    base, receiver = stack.base_url, seed["receiver"]["organisation"]
    holders = seed["holders"][:clients]
    sessions = []
    for holder in holders:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {holder['api_token']}"
        sessions.append(session)

    # Warm-up, not counted: one transfer per client (imports, connections, workers ready).
    with ThreadPoolExecutor(clients) as pool:
        warm = list(pool.map(lambda i: _run_one(sessions[i], base, holders[i], receiver),
                             range(clients)))
    bad = [r for r in warm if "done" not in r]
    if bad:
        raise SystemExit(f"platform warm-up failed: {bad[0]}\n" + stack.log_tail("web"))

    issued = iter(range(ops))
    lock = threading.Lock()
    results: list[dict] = []

    def client(i: int) -> None:
        while True:
            with lock:
                if next(issued, None) is None:
                    return
            result = _run_one(sessions[i], base, holders[i], receiver)
            with lock:
                results.append(result)
            if "http_error" in result:
                time.sleep(0.1)  # do not spin on a refusal

    stack.proxy.counter.reset()
    deadlocks_before = stack.deadlocks()
    meter = CpuMeter(stack.cpu_groups()).start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    cpu = meter.stop()
    deadlocks_after = stack.deadlocks()
    done = sorted(r["done"] - started for r in results if "done" in r)
    latencies = sorted(r["latency"] * 1000 for r in results if "done" in r)
    http_errors = Counter(r["http_error"] for r in results if "http_error" in r)
    poll_errors = sum((r.get("poll_errors", Counter()) for r in results), Counter())
    lost = [r["lost"] for r in results if "lost" in r]
    return {"ops": len(done), "seconds": elapsed, "ops_per_s": len(done) / elapsed,
            "p50_ms": _quantile(latencies, 50), "p95_ms": _quantile(latencies, 95),
            "http_errors": dict(http_errors), "poll_errors": dict(poll_errors),
            "error_sample": next((r["body"] for r in results if "body" in r), ""),
            "lost": lost, "polls": sum(r.get("polls", 0) for r in results),
            "cpu": cpu, "rpc_calls": stack.proxy.counter.total_calls,
            "rpc_http": stack.proxy.counter.http_requests,
            "rpc_methods": stack.proxy.counter.calls.most_common(6),
            "decline": _decline(done), "deadlocks": (
                None if deadlocks_before is None else deadlocks_after - deadlocks_before)}


def _run_one(session, base, holder, receiver) -> dict:
    result: dict = {}
    try:
        _transfer_until_projected(session, base, holder, receiver, result)
    except requests.RequestException as exc:
        result["http_error"] = type(exc).__name__
    return result


def _quantile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _decline(done: list[float]) -> dict | None:
    """Throughput of the first vs the last thousand operations (thirds below 3,000)."""
    k = 1000 if len(done) >= 3000 else len(done) // 3
    if k < 2:
        return None
    first = k / done[k - 1]
    last = k / (done[-1] - done[-k - 1])
    return {"k": k, "first": first, "last": last, "decline": 1 - last / first}


# --- --reads: latency and CPU per read through HTTP -----------------------------------------------

READS_PER_CLIENT = 20  # as scripts/bench_reads.py


def reads_part(stack: Stack, seed: dict, quick: bool) -> list[dict]:
    holder = seed["holders"][0]
    paths = ["/api/holdings", f"/api/vouchers/{holder['voucher']}",
             f"/api/pieces/{holder['token_id']}/lineage", "/api/pieces"]
    groups = {name: pids for name, pids in stack.cpu_groups().items()
              if name in ("web", "postgres")}
    local = threading.local()

    def read(path: str) -> float:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = f"Token {holder['api_token']}"
        started = time.perf_counter()
        response = local.session.get(stack.base_url + path, timeout=60)
        if response.status_code != 200:
            raise SystemExit(f"read {path}: HTTP {response.status_code} {response.text[:300]}")
        return (time.perf_counter() - started) * 1000

    rows = []
    for path in paths:
        for clients in ((1, 2) if quick else (1, 10, 50)):
            count = clients * (2 if quick else READS_PER_CLIENT)
            meter = CpuMeter(groups).start()
            with ThreadPoolExecutor(clients) as pool:
                walls = sorted(pool.map(read, [path] * count))
            cpu = sum(meter.stop().values())
            rows.append({"path": path, "clients": clients, "p50": _quantile(walls, 50),
                         "p95": _quantile(walls, 95), "p99": _quantile(walls, 99),
                         "cpu_ms": cpu * 1000 / count})
    return rows


# --- the report -----------------------------------------------------------------------------------

def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(config: str, server: str, raw: dict, plat: dict, reads: list[dict] | None,
           ops: int, clients: int, workers: int) -> dict:
    ratio = plat["ops_per_s"] / raw["ops_per_s"] if raw["ops_per_s"] else 0.0
    per_op = {name: seconds * 1000 / max(plat["ops"], 1) for name, seconds in plat["cpu"].items()}
    node_raw = raw["cpu"]["anvil"] * 1000 / max(raw["ops"], 1)
    platform_cpu = sum(v for name, v in per_op.items() if name != "anvil")
    say(f"\n=== {config}: {ops} operations, {clients} clients"
        + (f", {workers} workers" if config == "production" else "") + f"; web: {server}")
    say(f"{'':34}{'ops':>7}{'seconds':>10}{'ops/s':>10}")
    say(f"{'(a) raw: pre-signed transferValue':34}{raw['ops']:>7}{raw['seconds']:>10.2f}"
        f"{raw['ops_per_s']:>10.1f}   failed receipts: {raw['failed']}")
    say(f"{'(b) platform: POST transfer':34}{plat['ops']:>7}{plat['seconds']:>10.2f}"
        f"{plat['ops_per_s']:>10.1f}")
    say(f"ratio platform/raw: {ratio:.3f}x")
    say(f"202 -> projected: p50 {_ms(plat['p50_ms'])} ms, p95 {_ms(plat['p95_ms'])} ms; "
        f"status polls per op: {plat['polls'] / max(plat['ops'], 1):.1f}")
    errors = ", ".join(f"{k}: {v}" for k, v in plat["http_errors"].items()) or "none"
    say(f"HTTP errors (POST): {errors}" + (f" — e.g. {plat['error_sample']}"
                                           if plat["error_sample"] else ""))
    if plat["poll_errors"]:
        say(f"HTTP errors (GET operation): {plat['poll_errors']}")
    say(f"lost operations: {len(plat['lost'])}" + (f" — e.g. {plat['lost'][0]}"
                                                   if plat["lost"] else ""))
    say("CPU ms per operation: " + ", ".join(f"{name} {v:.1f}" for name, v in per_op.items())
        + f"; anvil in the raw part {node_raw:.2f}"
        + ("; postgres = its backends serving the bench database, sampled from /proc"
           if config == "production" else ""))
    methods = ", ".join(f"{m} {n / max(plat['ops'], 1):.1f}" for m, n in plat["rpc_methods"])
    say(f"JSON-RPC calls per operation (web and workers, through the counting proxy): "
        f"{plat['rpc_calls'] / max(plat['ops'], 1):.1f} in "
        f"{plat['rpc_http'] / max(plat['ops'], 1):.1f} HTTP requests ({methods})")
    decline = plat["decline"]
    if decline:
        say(f"decline: first {decline['k']} {decline['first']:.1f} ops/s, last {decline['k']} "
            f"{decline['last']:.1f} ops/s ({decline['decline'] * 100:+.1f} %)")
    if plat["deadlocks"] is not None:
        say(f"deadlocks (pg_stat_database): {plat['deadlocks']}")
    if reads:
        say(f"{'read':40}{'clients':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'cpu ms':>9}")
        for row in reads:
            say(f"{row['path']:40}{row['clients']:>8}{_ms(row['p50']):>9}{_ms(row['p95']):>9}"
                f"{_ms(row['p99']):>9}{row['cpu_ms']:>9.2f}")
    return {"ratio": ratio, "platform_cpu": platform_cpu, "node_cpu": node_raw,
            "decline": decline["decline"] if decline else None, "reads": reads}


def targets(config: str, figures: dict) -> None:
    def mark(ok) -> str:
        return "n/a" if ok is None else ("met" if ok else "NOT MET")

    say(f"--- targets ({config})")
    say(f"platform >= {TARGETS['ratio']}x raw: {figures['ratio']:.3f}x  "
        f"{mark(figures['ratio'] >= TARGETS['ratio'])}")
    cpu_ratio = figures["platform_cpu"] / figures["node_cpu"] if figures["node_cpu"] else None
    say(f"platform CPU/op <= {TARGETS['cpu_vs_node']}x the node's (raw): "
        f"{figures['platform_cpu']:.1f} ms vs {figures['node_cpu']:.2f} ms = "
        + (f"{cpu_ratio:.1f}x" if cpu_ratio else "-")
        + f"  {mark(None if cpu_ratio is None else cpu_ratio <= TARGETS['cpu_vs_node'])}")
    decline = figures["decline"]
    say(f"decline <= {TARGETS['decline'] * 100:.0f} %: "
        + ("-" if decline is None else f"{decline * 100:.1f} %")
        + f"  {mark(None if decline is None else decline <= TARGETS['decline'])}")
    reads = figures["reads"]
    if reads:
        at10 = [row for row in reads if row["clients"] == 10]
        worst_p95 = max(row["p95"] for row in at10) if at10 else None
        worst_cpu = max(row["cpu_ms"] for row in reads)
        say(f"read p95 <= {TARGETS['read_p95_ms']:.0f} ms at 10 clients: {_ms(worst_p95)} ms  "
            f"{mark(None if worst_p95 is None else worst_p95 <= TARGETS['read_p95_ms'])}")
        say(f"CPU per read <= {TARGETS['read_cpu_ms']:.0f} ms: {worst_cpu:.2f} ms  "
            f"{mark(worst_cpu <= TARGETS['read_cpu_ms'])}")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"


def run_config(config: str, workdir: Path, args) -> dict:
    stack = Stack(config, workdir, args.workers)
    try:
        step(config, "starting the chain node and the proxy …")
        stack.start_chain()
        step(config, f"seeding {args.clients} holders …")
        seed = stack.seed(args.clients)
        step(config, f"(a) raw: {args.ops} pre-signed transactions …")
        snapshot = rpc_call(stack.node.url, "evm_snapshot")
        raw = raw_part(stack, seed, args.ops, args.clients)
        rpc_call(stack.node.url, "evm_revert", [snapshot])
        step(config, "starting the platform …")
        server = stack.start_platform()
        step(config, f"(b) platform: {args.ops} transfers through the API …")
        plat = platform_part(stack, seed, args.ops, args.clients)
        reads = None
        if args.reads:
            step(config, "reads …")
            reads = reads_part(stack, seed, args.quick)
        return report(config, server, raw, plat, reads, args.ops, args.clients, args.workers)
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--config", choices=["production", "embedded", "both"], default="both")
    parser.add_argument("--reads", action="store_true", help="also measure the read endpoints")
    parser.add_argument("--quick", action="store_true", help="a tiny run (the smoke test)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.ops, args.clients, args.workers = min(args.ops, 10), min(args.clients, 2), 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on `kill` too

    configs = ["production", "embedded"] if args.config == "both" else [args.config]
    if "production" in configs:
        problem = postgres_available()
        if problem:
            say(f"production part skipped: {problem}")
            configs.remove("production")
    if not configs:
        say("nothing to run")
        return 1
    say(f"load average at start: {load_average()}")
    workdir = Path(tempfile.mkdtemp(prefix="scf-bench-"))
    figures = {}
    try:
        for config in configs:
            figures[config] = run_config(config, workdir, args)
    finally:
        if args.keep:
            say(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    say("")
    for config, values in figures.items():
        targets(config, values)
    say(f"load average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
