"""Periodic KYC work, thin: call the service."""

from celery import shared_task


@shared_task(name="kyc.expire_due")
def kyc_expire_due_task() -> list[int]:
    from scf.kyc.services import kyc_cases_expire_due

    return kyc_cases_expire_due()
