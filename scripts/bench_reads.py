"""Read benchmark: p50/p95/p99 latency and CPU per read of the read endpoints at 1/10/50 clients,
through Django's test client in threads against the configured database (seed it first).

    .venv/bin/python scripts/bench_reads.py USERNAME /api/holdings /api/pieces/7/lineage ...

Prints figures only; nothing asserts on time (a shared 2-core machine makes times noisy)."""

import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scf.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from scf.accounts.models import User  # noqa: E402

READS_PER_CLIENT = 20
_local = threading.local()


def _client(user) -> Client:
    if not hasattr(_local, "client"):
        _local.client = Client()
        _local.client.force_login(user)
    return _local.client


def _read(user, path: str) -> tuple[float, float]:
    client = _client(user)
    wall, cpu = time.perf_counter(), time.thread_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - wall, time.thread_time() - cpu


def bench(user, path: str, clients: int) -> None:
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda _: _read(user, path), range(clients * READS_PER_CLIENT)))
    walls = sorted(w * 1000 for w, _ in results)
    q = statistics.quantiles(walls, n=100)
    cpu = statistics.mean(c for _, c in results) * 1000
    print(f"{path:40} clients={clients:3} p50={q[49]:7.1f}ms p95={q[94]:7.1f}ms "
          f"p99={q[98]:7.1f}ms cpu/read={cpu:6.2f}ms")


def main(username: str, *paths: str) -> None:
    user = User.objects.get(username=username)
    connection.close()
    for path in paths:
        for clients in (1, 10, 50):
            bench(user, path, clients)


if __name__ == "__main__":
    main(*sys.argv[1:])
