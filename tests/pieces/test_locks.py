"""lock_pieces: one row per piece, locked in token order; on PostgreSQL two connections on one
piece wait for each other, on different pieces they do not."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from scf.pieces.locks import lock_pieces
from scf.pieces.models import PieceLock


@pytest.mark.django_db(transaction=True)
def test_lock_rows_always_exist_once_locked_and_locking_again_is_harmless():
    with pytest.raises(RuntimeError):
        lock_pieces([1])  # outside a transaction a lock would end at once
    with transaction.atomic():
        assert lock_pieces([7, 3, 7]) == [3, 7]
        assert lock_pieces([3]) == [3]
        assert lock_pieces([]) == []
    assert sorted(PieceLock.objects.values_list("token_id", flat=True)) == [3, 7]


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except Exception as exc:  # surfaced by the test below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection
    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_connections_on_one_piece_serialise_and_on_others_do_not():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer by itself")
    events, errors, held = [], [], threading.Event()

    def first():
        with transaction.atomic():
            lock_pieces([7, 3])
            events.append("first locked")
            held.set()
            time.sleep(0.6)
            events.append("first done")

    def second():
        assert held.wait(10)
        with transaction.atomic():
            lock_pieces([3])
            events.append("second locked")

    def other_piece():
        assert held.wait(10)
        with transaction.atomic():
            lock_pieces([8])
            events.append("other piece locked")

    threads = [_in_thread(first, errors), _in_thread(second, errors),
               _in_thread(other_piece, errors)]
    for thread in threads:
        thread.join(20)
    assert not errors, errors
    assert events.index("first locked") < events.index("other piece locked") < events.index(
        "first done") < events.index("second locked")
