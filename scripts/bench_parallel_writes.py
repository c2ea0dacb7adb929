"""Parallel chain-backed writes through the HTTP API of a running platform (issue 12): N clients,
each a supplier's operator from the demo, split pieces their organisation holds at the same
time. Prints the HTTP statuses seen and the errors' messages ("database is locked" was the
embedded SQLite's); nothing asserts.

    .venv/bin/python manage.py serve 127.0.0.1:8000        # seeds the demo when empty
    .venv/bin/python scripts/bench_parallel_writes.py http://127.0.0.1:8000 8 5"""

import json
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

PASSWORD = "demo-password-2026"  # the demo's, printed by `manage.py demo`  # noqa: S105


def call(base: str, path: str, body: dict | None = None, token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the URL given on the command line)
        base + path, data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Token {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"message": raw.decode(errors="replace")[:200]}


def client(base: str, n: int, splits: int) -> list[tuple[int, str]]:
    status, body = call(base, "/api/auth/token",
                        {"username": f"supplier{n:02d}_operator", "password": PASSWORD})
    if status != 200:
        return [(status, body.get("message", ""))]
    token = body["token"]
    results = []
    for _ in range(splits):
        status, body = call(base, "/api/pieces?held_by_me=true&status=active", token=token)
        pieces = [p for p in body.get("results", []) if p.get("balance_fen", 0) >= 2] \
            if status == 200 else []
        if not pieces:
            results.append((status, body.get("message", "no active piece to split")))
            break
        piece = max(pieces, key=lambda p: p["balance_fen"])
        status, body = call(base, f"/api/pieces/{piece['token_id']}/split",
                            {"amounts_fen": [1, piece["balance_fen"] - 1]}, token=token)
        results.append((status, body.get("message", "") if status >= 400 else ""))
    return results


def main(base: str, clients: int = 8, splits: int = 5) -> None:
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(lambda n: client(base, n, splits),
                                        range(1, clients + 1)) for r in rs]
    elapsed = time.monotonic() - started
    print(f"{clients} clients x {splits} splits in {elapsed:.1f} s: "
          f"{dict(Counter(status for status, _ in results))}")
    for message, count in Counter(m for status, m in results if status >= 400).most_common(5):
        print(f"  {count} x {message[:160]}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
