from celery import shared_task


@shared_task(name="accounts.idempotency_purge")
def idempotency_purge() -> int:
    """Forget the Idempotency-Key records past SCF_IDEMPOTENCY_TTL_HOURS."""
    from scf.api.idempotency import idempotency_records_purge

    return idempotency_records_purge()
