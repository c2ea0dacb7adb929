"""lock_pieces: the one lock per piece. Take it after reading the chain (never hold it across a
node call) and before checking claims and writing the business row."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from scf.pieces.models import PieceLock


def lock_pieces(token_ids: Iterable[int]) -> list[int]:
    """Lock the pieces until the surrounding transaction ends, in ascending token order (so two
    services locking overlapping sets never deadlock); returns the ids locked.

    PostgreSQL: SELECT ... FOR UPDATE on one PieceLock row per piece, created if missing (the
    insert ignores a conflict, so two first lockers meet on the same row). SQLite has no row
    locks: an UPDATE of the rows takes the database's write lock, which serialises writers the
    same way."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_pieces must run inside transaction.atomic")
    ids = sorted({int(token_id) for token_id in token_ids})
    if not ids:
        return ids
    PieceLock.objects.bulk_create([PieceLock(token_id=token_id) for token_id in ids],
                                  ignore_conflicts=True)
    rows = PieceLock.objects.filter(token_id__in=ids).order_by("token_id")
    if connection.features.has_select_for_update:
        list(rows.select_for_update().values_list("token_id", flat=True))
    else:
        rows.update(locked_at=timezone.now())
    return ids
