from django.db import models


class PieceLock(models.Model):
    """A row that always exists for a piece once anyone has locked it: the one lock every
    service that moves, reserves or finances the piece takes (scf.pieces.locks), so that two
    services on the same piece see each other whatever their own business rows are."""

    token_id = models.PositiveBigIntegerField(primary_key=True)
    locked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"lock of piece {self.token_id}"
