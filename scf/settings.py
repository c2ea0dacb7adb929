"""Settings for scf. Every value comes from the environment, with an embedded default that runs
the whole platform on one machine: SQLite under var/, Celery eager, a local anvil node.
.env.example documents each variable."""

from pathlib import Path

import dj_database_url

from scf.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SCF_VAR_DIR") or BASE_DIR / "var")

# --- Django core -------------------------------------------------------------------------------
# The embedded default key is for a laptop only; production refuses to start without its own.
DEBUG = env_bool("SCF_DEBUG", True)
SECRET_KEY = env_str("SCF_SECRET_KEY") or ("insecure-dev-only-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SCF_SECRET_KEY must be set when SCF_DEBUG is off")
ALLOWED_HOSTS = env_list("SCF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SCF_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "scf.accounts",
    "scf.audit",
    "scf.approvals",
    "scf.kyc",
    "scf.notifications",
    "scf.chain",
    "receivables",
    "banking",
    "scf.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# --- Database: SQLite under var/ unless DATABASE_URL names another -----------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'scf.sqlite3'}",
        conn_max_age=env_int("SCF_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create the folder of its file
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
# page is <SCF_PUBLIC_URL>/verify?doc=<id>), the largest file the verification endpoint hashes,
# and where the embedded CJK font is (default: the npm package under node_modules).
SCF_PUBLIC_URL = env_str("SCF_PUBLIC_URL", "http://127.0.0.1:8000")
SCF_DOCUMENTS_MAX_VERIFY_BYTES = env_int("SCF_DOCUMENTS_MAX_VERIFY_BYTES", 50 * 1024 * 1024)
SCF_DOCUMENTS_FONT_DIR = env_str("SCF_DOCUMENTS_FONT_DIR") or None

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: it acts only when an Authorization header is present, and as the first class
    # it makes DRF answer 401 (WWW-Authenticate: Token), not 403, to an anonymous request.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "scf.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["scf.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "scf.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "scf.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "scf API",
    "DESCRIPTION": "电子债权凭证 supply-chain finance platform",
    "VERSION": "0.1.0",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "scf.api.schema.add_error_responses"],
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
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "chain-index": {"task": "chain.index", "schedule": 5.0},
    "chain-intents-resume": {"task": "chain.intents_resume", "schedule": 60.0},
}
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
if SCF_CHAIN_EMBEDDED:
    SCF_CHAIN_RPC_URL = f"http://{SCF_ANVIL_HOST}:{SCF_ANVIL_PORT}"
# Expected chain id; 0 accepts whatever the node reports (anvil's is 31337).
SCF_CHAIN_ID = env_int("SCF_CHAIN_ID", 31337 if SCF_CHAIN_EMBEDDED else 0)
SCF_CHAIN_CONFIRMATIONS = env_int("SCF_CHAIN_CONFIRMATIONS", 0)
# Consortium chains (Besu QBFT) run with free gas; anvil is started the same way.
SCF_CHAIN_GAS_PRICE = env_int("SCF_CHAIN_GAS_PRICE", 0)
SCF_CHAIN_POA = env_bool("SCF_CHAIN_POA", False)
SCF_CHAIN_TIMEOUT = env_int("SCF_CHAIN_TIMEOUT", 10)
# The platform operator's key deploys the contracts and administers the member registry.
# The embedded default is anvil's first well-known development key: never use it elsewhere.
ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # noqa: S105
SCF_CHAIN_OPERATOR_KEY = env_str("SCF_CHAIN_OPERATOR_KEY") or (
    ANVIL_DEV_KEY if SCF_CHAIN_EMBEDDED else ""
)

# Private keys of the organisations' chain accounts are encrypted at rest with Fernet keys from
# the environment: the first key encrypts, all of them decrypt (`manage.py rotate_chain_keys`
# re-encrypts with the first). The embedded default is for a laptop only.
DEV_KEY_ENCRYPTION_KEY = "c2NmLWRldmVsb3BtZW50LW9ubHkta2V5LTMyYnl0ZXM="  # noqa: S105
SCF_KEY_ENCRYPTION_KEYS = env_list(
    "SCF_KEY_ENCRYPTION_KEYS", [DEV_KEY_ENCRYPTION_KEY] if DEBUG else []
)
if not SCF_KEY_ENCRYPTION_KEYS:
    raise RuntimeError("SCF_KEY_ENCRYPTION_KEYS must be set when SCF_DEBUG is off")
# The audit log's hashes are keyed with this secret (HMAC-SHA256), kept outside the database, so
# that a database writer cannot recompute a rewritten chain. The embedded default is for a laptop.
DEV_AUDIT_HMAC_KEY = "scf-development-only-audit-key"  # noqa: S105
SCF_AUDIT_HMAC_KEY = env_str("SCF_AUDIT_HMAC_KEY") or (DEV_AUDIT_HMAC_KEY if DEBUG else "")
if not SCF_AUDIT_HMAC_KEY:
    raise RuntimeError("SCF_AUDIT_HMAC_KEY must be set when SCF_DEBUG is off")
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
SCF_CHAIN_RECEIPT_TIMEOUT = env_int("SCF_CHAIN_RECEIPT_TIMEOUT", 60)

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
                "celery.app.trace": {"level": "WARNING"}},
}
