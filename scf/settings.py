"""Settings for scf. Every value comes from the environment, with an embedded default that runs
the whole platform on one machine: SQLite under var/, Celery eager, a local anvil node.
.env.example documents each variable."""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from scf.database import sqlite_options
from scf.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SCF_VAR_DIR") or BASE_DIR / "var")

# --- Django core -------------------------------------------------------------------------------
# Production unless told otherwise. The embedded demo (debug pages, the in-repo development keys)
# is selected explicitly: `manage.py serve` (what `bin/scf run` starts) sets SCF_DEBUG=true for
# itself unless SCF_DEBUG is given, and the test settings (tests/settings.py) do the same.
DEBUG = env_bool("SCF_DEBUG", False)
# Names of the variables production must set; the process refuses to start without them
# (checked once, at the end of this module, so one line names every missing one).
_MISSING_IN_PRODUCTION: list[str] = []
SECRET_KEY = env_str("SCF_SECRET_KEY") or ("insecure-dev-only-key" if DEBUG else "")
if not SECRET_KEY:
    _MISSING_IN_PRODUCTION.append("SCF_SECRET_KEY")
ALLOWED_HOSTS = env_list("SCF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SCF_CSRF_TRUSTED_ORIGINS", [])
# Django's admin site at /admin/: off unless asked for (it is a second way into every table).
SCF_ADMIN_ENABLED = env_bool("SCF_ADMIN_ENABLED", False)

# --- Transport security: on in production (HTTPS only), off for the embedded demo on http:// ----
SECURE_SSL_REDIRECT = env_bool("SCF_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SCF_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto (only then, since a
# client could send the header itself).
if env_bool("SCF_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "csp",
    "scf.accounts",
    "scf.audit",
    "scf.approvals",
    "scf.kyc",
    "scf.notifications",
    "scf.chain",
    "scf.pieces",
    "receivables",
    "banking",
    "scf.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication's middleware: Idempotency-Key on state-changing API requests.
    "scf.api.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in that django-axes refused into the API's 429 (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scf.urls"
WSGI_APPLICATION = "scf.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Content-Security-Policy (django-csp) for the single-page application ----------------------
# Scripts only from our own origin (the Vite build has no inline script); antd writes its styles
# into <style> elements at run time, hence 'unsafe-inline' for styles only; documents are
# previewed from blob: URLs (PDF in a frame, images); no other origin is named anywhere.
# /api/docs (Swagger UI) loads its script from a CDN and inline: it is left out of the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "blob:"],
        # The previewed PDF's blob: document inherits this policy, and Chromium's PDF viewer
        # counts as a plugin there: 'none' would blank the preview.
        "object-src": ["'self'", "blob:"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Database: SQLite under var/ unless DATABASE_URL names another -----------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'scf.sqlite3'}",
        conn_max_age=env_int("SCF_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create the folder of its file
    # Parallel requests: WAL, writers queue (IMMEDIATE), each waits up to the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        sqlite_options(timeout=env_int("SCF_SQLITE_TIMEOUT", 20)))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail in seconds, not minutes, when the server is away: the run command and /api/health
    # must be able to say so.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5

# --- Internationalisation: Chinese first, English second ---------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# How times are displayed only: business dates (maturities, expiries, day counts, "today") are
# always Asia/Shanghai, in scf.clock.
TIME_ZONE = env_str("SCF_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("SCF_MEDIA_ROOT") or VAR_DIR / "media")
# KYC documents: PDF/JPEG/PNG checked by content, at most this many bytes each.
SCF_KYC_MAX_UPLOAD_BYTES = env_int("SCF_KYC_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Documents (scf.documents): the public address printed in their QR codes (the verification
# page is <SCF_PUBLIC_URL>/verify?doc=<id>; unset: the address the document was asked for on),
# the largest file the verification endpoint hashes, the anonymous verification requests per
# client address (a DRF rate), and where the embedded CJK font is (default: the npm package
# under node_modules).
SCF_PUBLIC_URL = env_str("SCF_PUBLIC_URL", "")
SCF_DOCUMENTS_MAX_VERIFY_BYTES = env_int("SCF_DOCUMENTS_MAX_VERIFY_BYTES", 50 * 1024 * 1024)
SCF_DOCUMENTS_VERIFY_RATE = env_str("SCF_DOCUMENTS_VERIFY_RATE", "60/min")
SCF_DOCUMENTS_FONT_DIR = env_str("SCF_DOCUMENTS_FONT_DIR") or None

# --- API -----------------------------------------------------------------------------------------
# Largest request body read into memory (JSON, forms; uploaded files are streamed to disk and
# bounded by their own settings), and the deepest JSON nesting the API parses.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SCF_MAX_REQUEST_BYTES", 1024 * 1024)
SCF_MAX_JSON_DEPTH = env_int("SCF_MAX_JSON_DEPTH", 32)
# How long a retry with the same Idempotency-Key gets the first answer back (scf.api.idempotency).
SCF_IDEMPOTENCY_TTL_HOURS = env_int("SCF_IDEMPOTENCY_TTL_HOURS", 24)
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": [
        "scf.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Token first: it acts only when an Authorization header is present, and as the first class
    # it makes DRF answer 401 (WWW-Authenticate: Token), not 403, to an anonymous request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "scf.accounts.authentication.ExpiringTokenAuthentication",
        "scf.accounts.authentication.SessionAuthentication",
    ],
    # The client's address is REMOTE_ADDR unless the operator says how many proxies to trust:
    # DRF's default would believe any X-Forwarded-For, so a throttle keyed on it is void.
    "NUM_PROXIES": env_int("SCF_NUM_PROXIES", 0),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "scf.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["scf.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "scf.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "scf.errors.api_exception_handler",
}
# --- Accounts (OWASP ASVS L2): passwords, sign-in throttles and lock-out, tokens, TOTP ----------
# Every password set through the API passes these (scf.accounts.security.password_validate).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": max(10, env_int("SCF_PASSWORD_MIN_LENGTH", 10))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SCF_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SCF_LOGIN_COOLOFF_MINUTES", 15))
# Per username and address: an attacker elsewhere cannot lock a user out of their own desk; the
# per-username throttle below bounds guesses spread over many addresses.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "scf.accounts.security.lockout_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("SCF_CLIENT_IP_HEADERS", ["REMOTE_ADDR"])
AXES_VERBOSE = False
# Sign-in requests (session and token) per client address and per username (any address), as
# DRF rates; the lock-out above counts failures, these count every attempt.
SCF_AUTH_THROTTLE_RATES = {
    "auth_ip": env_str("SCF_AUTH_RATE_PER_IP", "30/min"),
    "auth_username": env_str("SCF_AUTH_RATE_PER_USERNAME", "10/min"),
}
# API tokens (django-rest-knox): hashed at rest, one per sign-in, idle and absolute expiry.
REST_KNOX = {
    "TOKEN_TTL": timedelta(minutes=env_int("SCF_TOKEN_IDLE_MINUTES", 8 * 60)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(minutes=env_int("SCF_TOKEN_MAX_MINUTES", 24 * 60)),
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}
# Tokens a user may hold at once (one per signed-in client); the oldest go first.
SCF_TOKENS_PER_USER = env_int("SCF_TOKENS_PER_USER", 10)
OTP_TOTP_ISSUER = env_str("SCF_TOTP_ISSUER", "scf")
# The web front end's session ends this long after sign-in (Django's default is two weeks).
SESSION_COOKIE_AGE = env_int("SCF_SESSION_MAX_MINUTES", 12 * 60) * 60

SPECTACULAR_SETTINGS = {
    "TITLE": "scf API",
    "DESCRIPTION": "电子债权凭证 supply-chain finance platform",
    "VERSION": "0.1.0",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "scf.api.schema.add_error_responses",
                             "scf.api.idempotency.add_idempotency_key_header"],
}

# --- Celery: eager in one process unless a broker is named --------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"


def _default_result_backend(broker_url: str) -> str:
    if broker_url.startswith(("redis://", "rediss://")):
        return broker_url
    if broker_url.startswith(("amqp://", "pyamqp://")):
        return "rpc://"
    return "cache+memory://"


CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or _default_result_backend(
    CELERY_BROKER_URL
)
# A request that enqueues a task must not hang while the broker is away (the work is already in
# the database; the periodic catch-up tasks send it later: scf.tasks.enqueue_after_commit), so
# connecting fails in seconds and a publish is retried once. The Redis transport and the Redis
# result store take their own connect timeouts; the result store would otherwise retry 20 times.
SCF_BROKER_TIMEOUT = env_int("SCF_BROKER_TIMEOUT", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = SCF_BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": SCF_BROKER_TIMEOUT}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = SCF_BROKER_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "chain-index": {"task": "chain.index", "schedule": 5.0},
    "chain-intents-resume": {"task": "chain.intents_resume", "schedule": 60.0},
    # One receipt collector for the node (a lease keeps a second one out): mined, final, lost.
    "chain-collect-receipts": {"task": "chain.collect_receipts", "schedule": 1.0},
}
# Documents asked for while the broker was down stay queued: sent again after this long.
SCF_DOCUMENT_RESUME_AFTER = env_int("SCF_DOCUMENT_RESUME_AFTER", 60)
CELERY_BEAT_SCHEDULE["documents-resume"] = {"task": "documents.resume", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["accounts-idempotency-purge"] = {"task": "accounts.idempotency_purge",
                                                      "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["kyc-expire-due"] = {"task": "kyc.expire_due", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["banking-clearing-run"] = {"task": "banking.clearing_run", "schedule": 900.0}
CELERY_BEAT_SCHEDULE["banking-credit-lines-expire"] = {
    "task": "banking.credit_lines_expire_due", "schedule": 3600.0}

# --- Chain ---------------------------------------------------------------------------------------
# Unset SCF_CHAIN_RPC_URL means: the run command starts a local anvil node whose state lives in
# var/chain/, so a restart keeps the ledger.
SCF_CHAIN_RPC_URL = env_str("SCF_CHAIN_RPC_URL")
SCF_CHAIN_EMBEDDED = not SCF_CHAIN_RPC_URL
SCF_ANVIL_HOST = "127.0.0.1"
SCF_ANVIL_PORT = env_int("SCF_ANVIL_PORT", 8545)
SCF_ANVIL_STATE_PATH = VAR_DIR / "chain" / "anvil-state.json"
# Seconds between the embedded node's state saves: what a kill -9 of the node can lose, and
# how long an operation on it waits to be final (scf.chain.finality).
SCF_ANVIL_STATE_INTERVAL = env_int("SCF_ANVIL_STATE_INTERVAL", 1)
if SCF_CHAIN_EMBEDDED:
    SCF_CHAIN_RPC_URL = f"http://{SCF_ANVIL_HOST}:{SCF_ANVIL_PORT}"
# Expected chain id; 0 accepts whatever the node reports (anvil's is 31337).
SCF_CHAIN_ID = env_int("SCF_CHAIN_ID", 31337 if SCF_CHAIN_EMBEDDED else 0)
SCF_CHAIN_CONFIRMATIONS = env_int("SCF_CHAIN_CONFIRMATIONS", 0)
# The state file of a node that saves its state on an interval (the embedded anvil): a block is
# final only once a save includes it. Empty for a node that keeps every block it mined.
SCF_CHAIN_STATE_FILE = env_str("SCF_CHAIN_STATE_FILE") or (
    str(SCF_ANVIL_STATE_PATH) if SCF_CHAIN_EMBEDDED else "")
# Consortium chains (Besu QBFT) run with free gas; anvil is started the same way.
SCF_CHAIN_GAS_PRICE = env_int("SCF_CHAIN_GAS_PRICE", 0)
SCF_CHAIN_POA = env_bool("SCF_CHAIN_POA", False)
SCF_CHAIN_TIMEOUT = env_int("SCF_CHAIN_TIMEOUT", 10)
# The platform operator's key deploys the contracts and administers the member registry.
# The embedded default is anvil's first well-known development key: never use it elsewhere.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # noqa: S105
SCF_CHAIN_OPERATOR_KEY = env_str("SCF_CHAIN_OPERATOR_KEY") or (
    ANVIL_DEV_KEY if SCF_CHAIN_EMBEDDED and DEBUG else ""
)
if not SCF_CHAIN_OPERATOR_KEY and not DEBUG:
    _MISSING_IN_PRODUCTION.append("SCF_CHAIN_OPERATOR_KEY")

# Private keys of the organisations' chain accounts are encrypted at rest with Fernet keys from
# the environment: the first key encrypts, all of them decrypt (`manage.py rotate_chain_keys`
# re-encrypts with the first). The embedded default is for a laptop only.
DEV_KEY_ENCRYPTION_KEY = "c2NmLWRldmVsb3BtZW50LW9ubHkta2V5LTMyYnl0ZXM="  # noqa: S105
SCF_KEY_ENCRYPTION_KEYS = env_list(
    "SCF_KEY_ENCRYPTION_KEYS", [DEV_KEY_ENCRYPTION_KEY] if DEBUG else []
)
if not SCF_KEY_ENCRYPTION_KEYS:
    _MISSING_IN_PRODUCTION.append("SCF_KEY_ENCRYPTION_KEYS")
# The audit log's hashes are keyed with this secret (HMAC-SHA256), kept outside the database, so
# that a database writer cannot recompute a rewritten chain. The embedded default is for a laptop.
DEV_AUDIT_HMAC_KEY = "scf-development-only-audit-key"  # noqa: S105
SCF_AUDIT_HMAC_KEY = env_str("SCF_AUDIT_HMAC_KEY") or (DEV_AUDIT_HMAC_KEY if DEBUG else "")
if not SCF_AUDIT_HMAC_KEY:
    _MISSING_IN_PRODUCTION.append("SCF_AUDIT_HMAC_KEY")
# The natural person behind accounts is stored only as HMAC-SHA256 of their mobile or ID number
# keyed with this secret (scf/accounts/persons.py). Changing it unlinks every recorded person.
DEV_PERSON_HASH_KEY = "scf-development-only-person-key"  # noqa: S105
SCF_PERSON_HASH_KEY = env_str("SCF_PERSON_HASH_KEY") or (DEV_PERSON_HASH_KEY if DEBUG else "")
if not SCF_PERSON_HASH_KEY:
    _MISSING_IN_PRODUCTION.append("SCF_PERSON_HASH_KEY")
# The audit head is anchored on chain every this many entries (0: only on schedule) and by the
# beat task every SCF_AUDIT_ANCHOR_SECONDS when entries were added since the last anchor.
SCF_AUDIT_ANCHOR_EVERY = env_int("SCF_AUDIT_ANCHOR_EVERY", 100)
SCF_AUDIT_ANCHOR_SECONDS = env_int("SCF_AUDIT_ANCHOR_SECONDS", 600)
CELERY_BEAT_SCHEDULE["audit-anchor-head"] = {"task": "audit.anchor_head",
                                             "schedule": float(SCF_AUDIT_ANCHOR_SECONDS)}
# Outbox worker: how often a pending intent is retried on a transient RPC error.
SCF_CHAIN_MAX_ATTEMPTS = env_int("SCF_CHAIN_MAX_ATTEMPTS", 8)
# An intent untouched this long while pending or submitted is picked up by the resume task.
SCF_CHAIN_RESUME_AFTER = env_int("SCF_CHAIN_RESUME_AFTER", 30)
# How long an execution waits for its transaction to be mined and final before it leaves the
# intent to the receipt collector (scf.chain.receipts): a worker looks once and goes on to the
# next intent (pipelining: many transactions of a sender in one block, and a stuck receipt
# never holds a worker slot); eager (the embedded default) waits, so a request usually answers
# with the outcome.
SCF_CHAIN_RECEIPT_TIMEOUT = env_int("SCF_CHAIN_RECEIPT_TIMEOUT",
                                    10 if CELERY_TASK_ALWAYS_EAGER else 0)
# /api/health says "degraded" when the indexer is more blocks than this behind the node.
SCF_INDEXER_MAX_LAG = env_int("SCF_INDEXER_MAX_LAG", 20)
# The reconciler (scf/chain/reconcile_run.py) runs every SCF_RECONCILE_SECONDS; an incremental
# run re-checks what changed since the last clean run less SCF_RECONCILE_WINDOW seconds.
SCF_RECONCILE_SECONDS = env_int("SCF_RECONCILE_SECONDS", 600)
SCF_RECONCILE_WINDOW = env_int("SCF_RECONCILE_WINDOW", 3600)
CELERY_BEAT_SCHEDULE["chain-reconcile"] = {"task": "chain.reconcile",
                                           "schedule": float(SCF_RECONCILE_SECONDS)}

# --- Solidity ------------------------------------------------------------------------------------
SCF_SOLC_VERSION = "0.8.28"
# cancun: the newest fork both anvil and Hyperledger Besu run, and OpenZeppelin 5.7 needs mcopy.
SCF_EVM_VERSION = env_str("SCF_EVM_VERSION", "cancun")
SCF_SOLC_OPTIMIZER_RUNS = env_int("SCF_SOLC_OPTIMIZER_RUNS", 200)
SCF_CONTRACTS_DIR = BASE_DIR / "contracts_sol"
SCF_ARTIFACTS_DIR = VAR_DIR / "build" / "contracts"

# --- Logging: one line per event, never a private key -------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SCF_LOG_LEVEL", "INFO")},
    # One line per task is noise in the run command (the demo runs hundreds of eager tasks).
    "loggers": {"web3": {"level": "WARNING"}, "urllib3": {"level": "WARNING"},
                "celery.app.trace": {"level": "WARNING"},
                # django-axes logs every sign-in at INFO; failures and lock-outs stay (WARNING).
                "axes": {"level": "WARNING"}},
}

# --- Production refuses to start on missing secrets: one line, no traceback --------------------
if _MISSING_IN_PRODUCTION:
    raise SystemExit(
        "scf: production mode (SCF_DEBUG unset or false) needs "
        + ", ".join(_MISSING_IN_PRODUCTION)
        + " — set them (see .env.example), or run the embedded demo with SCF_DEBUG=true"
    )
