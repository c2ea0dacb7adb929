"""Health of each part the platform needs: database, broker, chain. Each check returns a dict
with `ok` and, when down, `error` saying what failed and how to fix it."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.utils import timezone
from kombu import Connection

from scf.accounts.permissions import is_platform_operator
from scf.chain.client import chain_status
from scf.chain.deployment import deployed_addresses
from scf.errors import ApplicationError


def check_database() -> dict:
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"ok": False, "vendor": vendor,
                "error": f"数据库不可用 / Database unavailable ({vendor}): {exc}".strip()}
    return {"ok": True, "vendor": vendor}


def _redact(url: str) -> str:
    return Connection(url).as_uri()  # hides the password


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:  # kombu raises transport-specific errors  # noqa: BLE001
        return {"ok": False, "mode": "broker", "url": _redact(url),
                "error": f"消息队列不可用 / Broker unavailable at {_redact(url)}: {exc}"}
    return {"ok": True, "mode": "broker", "url": _redact(url)}


def check_chain() -> dict:
    try:
        status = chain_status()
    except ApplicationError as exc:
        return {"ok": False, "rpc_url": settings.SCF_CHAIN_RPC_URL, "error": exc.message}
    try:
        contracts = deployed_addresses(status["chain_id"])
    except DatabaseError:
        contracts = None  # recorded in the database, whose own check says it is down
    return {"ok": True, "rpc_url": settings.SCF_CHAIN_RPC_URL, **status, "contracts": contracts}


def check_gateway(latest_block: int | None, chain_id: int | None) -> dict:
    """Up, but behind: operations not final for longer than the resume interval (stuck: the
    resume task should have finished them), and an indexer lagging the node's head. Either makes
    the platform `degraded`: it still takes requests, but what users see is late."""
    from scf.chain.models import ChainCursor, ChainIntent

    resume_after = settings.SCF_CHAIN_RESUME_AFTER
    stuck = ChainIntent.objects.not_final().filter(
        created_at__lt=timezone.now() - timedelta(seconds=resume_after))
    oldest = stuck.order_by("created_at").values_list("created_at", flat=True).first()
    check = {"ok": True, "stuck_intents": stuck.count(),
             "oldest_stuck_seconds": int((timezone.now() - oldest).total_seconds())
             if oldest else 0}
    warnings = []
    if check["stuck_intents"]:
        warnings.append(f"{check['stuck_intents']} 笔链上操作超过 {resume_after} 秒未完成 / "
                        f"{check['stuck_intents']} chain operations not final after "
                        f"{resume_after}s (is the worker or the node down?)")
    if latest_block is not None:
        indexed = ChainCursor.objects.filter(chain_id=chain_id).values_list(
            "block_number", flat=True).first()
        check["indexer_lag_blocks"] = latest_block - (indexed if indexed is not None else -1)
        if check["indexer_lag_blocks"] > settings.SCF_INDEXER_MAX_LAG:
            warnings.append(f"索引落后 {check['indexer_lag_blocks']} 个区块 / The indexer is "
                            f"{check['indexer_lag_blocks']} blocks behind the node "
                            f"(more than SCF_INDEXER_MAX_LAG={settings.SCF_INDEXER_MAX_LAG})")
        elif check["indexer_lag_blocks"] < 0:  # indexed blocks the node no longer has
            lost = -check["indexer_lag_blocks"]
            warnings.append(f"节点区块高度低于已索引高度 {lost} 个区块 / The node is {lost} "
                            "blocks below what was indexed: it lost blocks (restarted without "
                            "its latest state?)")
    warnings += _reconcile_warnings(check)
    if warnings:
        check["degraded"] = True
        check["warning"] = "; ".join(warnings)
    return check


def _reconcile_warnings(check: dict) -> list[str]:
    """The last reconcile run (scf.chain.reconcile_run): drift between the business records and
    the chain makes the platform degraded until a clean run."""
    from scf.chain.reconcile_run import last_reconcile_run

    run = last_reconcile_run()
    if run is None:
        check["reconcile"] = None
        return []
    check["reconcile"] = {"run": run.pk, "finished_at": run.finished_at.isoformat(),
                          "full": run.full, "block": run.block, "drift": run.drift_count,
                          "error": run.error}
    if not run.drift_count:
        return []
    return [f"上次对账发现 {run.drift_count} 处链上与数据库不一致 / The last reconcile run found "
            f"{run.drift_count} difference(s) between chain and database (manage.py reconcile)"]


def platform_health() -> dict:
    checks = {"database": check_database(), "broker": check_broker(), "chain": check_chain()}
    if checks["database"]["ok"]:
        chain = checks["chain"]
        checks["gateway"] = check_gateway(chain.get("latest_block") if chain["ok"] else None,
                                          chain.get("chain_id"))
    down = [name for name, check in checks.items() if not check["ok"]]
    degraded = [name for name, check in checks.items() if check.get("degraded")]
    status = "down" if down else "degraded" if degraded else "ok"
    return {"status": status, "down": down, "degraded": degraded, "checks": checks}


def health_visible_to(user, health: dict) -> dict:
    """What a caller may see: the details (versions, addresses, error texts that name hosts) are
    for the platform operator's users; everyone else, anonymous included, gets the bare status."""
    return health if is_platform_operator(user) else {"status": health["status"]}
