"""Health of each part the platform needs: database, broker, chain. Each check returns a dict
with `ok` and, when down, `error` saying what failed and how to fix it."""

from django.conf import settings
from django.db import connection
from django.db.utils import Error as DatabaseError
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
    return {"ok": True, "rpc_url": settings.SCF_CHAIN_RPC_URL, **status,
            "contracts": deployed_addresses(status["chain_id"])}


def platform_health() -> dict:
    checks = {"database": check_database(), "broker": check_broker(), "chain": check_chain()}
    down = [name for name, check in checks.items() if not check["ok"]]
    return {"status": "down" if down else "ok", "down": down, "checks": checks}


def health_visible_to(user, health: dict) -> dict:
    """What a caller may see: the details (versions, addresses, error texts that name hosts) are
    for the platform operator's users; everyone else, anonymous included, gets the bare status."""
    return health if is_platform_operator(user) else {"status": health["status"]}
