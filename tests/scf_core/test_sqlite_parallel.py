"""The embedded SQLite database under parallel writers (issue 12): eight threads writing through
the ORM at once, each transaction reading before it writes (the pattern that fails at once
with "database is locked" under SQLite's default DEFERRED transactions), none fails.

The test suite's own database is in memory; this test opens a file database with the options
the platform's settings use (scf.database.sqlite_options)."""

import threading

import pytest
from django.db import OperationalError, connections, transaction

from scf.chain.models import ChainCursor, MemberState
from scf.database import sqlite_options

THREADS = 8
WRITES = 25
ALIAS = "parallel_sqlite"


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A database of its own, outside the test database's isolation (no django_db mark: the
    threads must see each other's commits, in a file)."""
    django_db_blocker.unblock()
    settings_dict = connections.configure_settings({"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "parallel.sqlite3"),
        "OPTIONS": sqlite_options(timeout=20)}})["default"]
    connections.settings[ALIAS] = settings_dict
    with connections[ALIAS].schema_editor() as editor:
        editor.create_model(ChainCursor)
        editor.create_model(MemberState)
    try:
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
        django_db_blocker.restore()


def writer(alias: str, n: int, errors: list, start: threading.Barrier) -> None:
    start.wait()
    try:
        for i in range(WRITES):
            with transaction.atomic(using=alias):
                counter = ChainCursor.objects.using(alias).get(chain_id=1)  # read, then write
                counter.block_number += 1
                counter.save(using=alias, update_fields=["block_number"])
                MemberState.objects.using(alias).create(address=f"0x{n:020x}{i:020x}")
    except OperationalError as exc:
        errors.append(str(exc))
    finally:
        connections[alias].close()


def test_eight_parallel_writers_on_a_file_database_never_see_database_is_locked(
        file_database):
    with connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    ChainCursor.objects.using(file_database).create(chain_id=1, block_number=0)
    errors: list[str] = []
    start = threading.Barrier(THREADS)
    threads = [threading.Thread(target=writer, args=(file_database, n, errors, start))
               for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ChainCursor.objects.using(file_database).get(chain_id=1).block_number == \
        THREADS * WRITES  # no write lost either
    assert MemberState.objects.using(file_database).count() == THREADS * WRITES
