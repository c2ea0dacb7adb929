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
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import requests

# The sibling module first: it puts the repository on sys.path and configures Django minimally.
from bench_e2e_stack import CHAIN_ID, CpuMeter, Stack, postgres_available

from scf.chain.node import rpc_call

AMOUNT_FEN = 100  # each transfer sends 1 yuan; the holder keeps the rest on the same piece
POLL_SECONDS = 0.05  # a client's interval between two looks at its operation
POLL_COST_SAMPLES = 100
OPERATION_TIMEOUT = 120.0
TARGETS = {"ratio": 0.5, "cpu_vs_node": 3.0, "decline": 0.10, "read_p95_ms": 50.0,
           "read_cpu_ms": 5.0}


_T0 = time.monotonic()


def say(text: str) -> None:
    print(text, flush=True)


def step(config: str, text: str) -> None:
    say(f"[{config} +{time.monotonic() - _T0:.0f}s] {text}")


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
    result["post"] = accepted - started
    body = response.json()
    result["operation_url"] = body["operation_url"]
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


class _NewConnections(requests.Session):
    """A session that closes its connection after each answer (read in full by then)."""

    def send(self, request, **kwargs):
        try:
            return super().send(request, **kwargs)
        finally:
            self.close()


def api_session(token: str, keepalive: bool) -> requests.Session:
    """A client of the API, signed in with its token. Keep-alive, as browsers and API clients
    are, unless asked: runserver answers in two writes without TCP_NODELAY, so on a kept-alive
    connection each answer can wait ~40 ms for the client's delayed ACK (Nagle)."""
    session = requests.Session() if keepalive else _NewConnections()
    session.headers["Authorization"] = f"Token {token}"
    return session


def platform_part(stack: Stack, seed: dict, ops: int, clients: int, keepalive: bool) -> dict:
    base, receiver = stack.base_url, seed["receiver"]["organisation"]
    holders = seed["holders"][:clients]
    sessions = [api_session(holder["api_token"], keepalive) for holder in holders]

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
            result["client"] = i
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
    totals = sorted(r["total"] * 1000 for r in results if "done" in r)
    posts = sorted(r["post"] * 1000 for r in results if "done" in r)
    http_errors = Counter(r["http_error"] for r in results if "http_error" in r)
    poll_errors = sum((r.get("poll_errors", Counter()) for r in results), Counter())
    lost = [r["lost"] for r in results if "lost" in r]
    polled = next((r for r in results if "done" in r), None)
    poll_cpu_ms = polled and _poll_cost(stack, sessions[polled["client"]],
                                        polled["operation_url"])
    return {"ops": len(done), "seconds": elapsed, "ops_per_s": len(done) / elapsed,
            "poll_cpu_ms": poll_cpu_ms,
            "p50_ms": _quantile(latencies, 50), "p95_ms": _quantile(latencies, 95),
            "total_p50_ms": _quantile(totals, 50), "total_p95_ms": _quantile(totals, 95),
            "post_p50_ms": _quantile(posts, 50), "post_p95_ms": _quantile(posts, 95),
            "http_errors": dict(http_errors), "poll_errors": dict(poll_errors),
            "error_sample": next((r["body"] for r in results if "body" in r), ""),
            "lost": lost, "polls": sum(r.get("polls", 0) for r in results),
            "cpu": cpu, "rpc_calls": stack.proxy.counter.total_calls,
            "rpc_http": stack.proxy.counter.http_requests,
            "rpc_methods": stack.proxy.counter.calls.most_common(6),
            "decline": _decline(done), "deadlocks": (
                None if deadlocks_before is None else deadlocks_after - deadlocks_before)}


def _poll_cost(stack: Stack, session: requests.Session, operation_url: str) -> float:
    """CPU (all platform processes) of one look at a finished operation, measured after the run:
    the share of the platform's CPU per operation that its clients' status polls cost."""
    groups = {name: pids for name, pids in stack.cpu_groups().items() if name != "anvil"}
    meter = CpuMeter(groups).start()
    for _ in range(POLL_COST_SAMPLES):
        response = session.get(f"{stack.base_url}{operation_url}", timeout=OPERATION_TIMEOUT)
        if response.status_code != 200:
            raise SystemExit(f"GET {operation_url}: HTTP {response.status_code}")
    return sum(meter.stop().values()) * 1000 / POLL_COST_SAMPLES


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


def reads_part(stack: Stack, seed: dict, quick: bool, keepalive: bool) -> list[dict]:
    holder = seed["holders"][0]
    paths = ["/api/holdings", f"/api/vouchers/{holder['voucher']}",
             f"/api/pieces/{holder['token_id']}/lineage", "/api/pieces"]
    groups = {name: pids for name, pids in stack.cpu_groups().items()
              if name in ("web", "postgres")}
    local = threading.local()

    def read(path: str) -> float:
        if not hasattr(local, "session"):
            local.session = api_session(holder["api_token"], keepalive)
        started = time.perf_counter()
        response = local.session.get(stack.base_url + path, timeout=60)
        if response.status_code != 200:
            raise SystemExit(f"read {path}: HTTP {response.status_code} {response.text[:300]}")
        return (time.perf_counter() - started) * 1000

    rows = []
    for path in paths:
        for clients in ((1, 2) if quick else (1, 10, 50)):
            count = clients * (2 if quick else READS_PER_CLIENT)
            stack.proxy.counter.reset()
            meter = CpuMeter(groups).start()
            with ThreadPoolExecutor(clients) as pool:
                walls = sorted(pool.map(read, [path] * count))
            cpu = sum(meter.stop().values())
            rows.append({"path": path, "clients": clients, "p50": _quantile(walls, 50),
                         "p95": _quantile(walls, 95), "p99": _quantile(walls, 99),
                         "cpu_ms": cpu * 1000 / count,
                         "rpc": stack.proxy.counter.total_calls / count})
    return rows


# --- the report -----------------------------------------------------------------------------------

def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(config: str, server: str, raw: dict, plat: dict, reads: list[dict] | None,
           args: argparse.Namespace) -> dict:
    ratio = plat["ops_per_s"] / raw["ops_per_s"] if raw["ops_per_s"] else 0.0
    per_op = {name: seconds * 1000 / max(plat["ops"], 1) for name, seconds in plat["cpu"].items()}
    node_raw = raw["cpu"]["anvil"] * 1000 / max(raw["ops"], 1)
    platform_cpu = sum(v for name, v in per_op.items() if name != "anvil")
    polls_per_op = plat["polls"] / max(plat["ops"], 1)
    polls_cpu = polls_per_op * (plat["poll_cpu_ms"] or 0.0)
    say(f"\n=== {config}: {args.ops} operations, {args.clients} clients"
        + (f", {args.workers} workers" if config == "production" else "") + f"; web: {server}; "
        + ("a new connection per request" if args.no_keepalive else "keep-alive connections"))
    say(f"{'':34}{'ops':>7}{'seconds':>10}{'ops/s':>10}")
    say(f"{'(a) raw: pre-signed transferValue':34}{raw['ops']:>7}{raw['seconds']:>10.2f}"
        f"{raw['ops_per_s']:>10.1f}   failed receipts: {raw['failed']}")
    say(f"{'(b) platform: POST transfer':34}{plat['ops']:>7}{plat['seconds']:>10.2f}"
        f"{plat['ops_per_s']:>10.1f}")
    say(f"ratio platform/raw: {ratio:.3f}x")
    say(f"POST -> 202: p50 {_ms(plat['post_p50_ms'])} ms, p95 {_ms(plat['post_p95_ms'])} ms "
        f"(the request's own time, as its client sees it)")
    say(f"202 -> projected: p50 {_ms(plat['p50_ms'])} ms, p95 {_ms(plat['p95_ms'])} ms; "
        f"POST -> projected: p50 {_ms(plat['total_p50_ms'])} ms, "
        f"p95 {_ms(plat['total_p95_ms'])} ms; "
        f"status polls per op: {polls_per_op:.1f} (every {POLL_SECONDS * 1000:.0f} ms)")
    errors = ", ".join(f"{k}: {v}" for k, v in plat["http_errors"].items()) or "none"
    say(f"HTTP errors (POST): {errors}" + (f" — e.g. {plat['error_sample']}"
                                           if plat["error_sample"] else ""))
    if plat["poll_errors"]:
        say(f"HTTP errors (GET operation): {plat['poll_errors']}")
    say(f"lost operations: {len(plat['lost'])}" + (f" — e.g. {plat['lost'][0]}"
                                                   if plat["lost"] else ""))
    say("CPU ms per operation: " + ", ".join(f"{name} {v:.1f}" for name, v in per_op.items())
        + f"; anvil in the raw part {node_raw:.2f}"
        + ("; postgres = its backends serving the bench database, sampled from /proc every "
           "0.5 s" + (" (the web server's, one per request here, are mostly missed)"
                      if args.no_keepalive and "runserver" in server else "")
           if config == "production" else ""))
    if plat["poll_cpu_ms"] is not None:
        say(f"of which status polls: {polls_per_op:.1f} x {plat['poll_cpu_ms']:.1f} ms "
            f"(one GET of an operation, measured after the run) = {polls_cpu:.1f} ms")
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
        say(f"{'read (web and postgres CPU)':40}{'clients':>8}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'cpu ms':>9}{'rpc':>6}")
        for row in reads:
            say(f"{row['path']:40}{row['clients']:>8}{_ms(row['p50']):>9}{_ms(row['p95']):>9}"
                f"{_ms(row['p99']):>9}{row['cpu_ms']:>9.2f}{row['rpc']:>6.1f}")
    return {"ratio": ratio, "platform_cpu": platform_cpu, "node_cpu": node_raw,
            "polls_cpu": polls_cpu,
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
    if figures["polls_cpu"]:
        without = figures["platform_cpu"] - figures["polls_cpu"]
        say(f"  the same without the clients' status polls: {without:.1f} ms = "
            f"{without / figures['node_cpu']:.1f}x  "
            f"{mark(without <= TARGETS['cpu_vs_node'] * figures['node_cpu'])}"
            if figures["node_cpu"] else "")
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
        server = stack.start_platform(keepalive=not args.no_keepalive)
        step(config, f"(b) platform: {args.ops} transfers through the API …")
        plat = platform_part(stack, seed, args.ops, args.clients, not args.no_keepalive)
        reads = None
        if args.reads:
            step(config, "reads …")
            reads = reads_part(stack, seed, args.quick, not args.no_keepalive)
        return report(config, server, raw, plat, reads, args)
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
    parser.add_argument("--no-keepalive", action="store_true",
                        help="a new HTTP connection per request (see api_session)")
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
