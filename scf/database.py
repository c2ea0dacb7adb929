"""How the embedded SQLite database is opened (settings.DATABASES when DATABASE_URL is unset).
Kept out of settings.py so that a test opens a file database exactly as the platform does."""


def sqlite_options(*, timeout: int) -> dict:
    """Django 5.1+ SQLite OPTIONS for parallel requests.

    - journal_mode=WAL: readers run beside the one writer (synchronous=NORMAL is safe in WAL);
    - transaction_mode IMMEDIATE: every transaction takes the write lock when it begins, so two
      writers queue. Under the default (DEFERRED) a transaction that read first and then writes
      fails at once with "database is locked" when another wrote meanwhile: SQLite cannot wait
      there without risking a deadlock, so the busy timeout does not apply;
    - timeout: how many seconds a writer waits for the lock before giving up."""
    return {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE", "timeout": timeout}
