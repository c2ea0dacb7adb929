"""One reconcile run: every registered check (scf.chain.checks) against the chain, recorded as
a ReconcileRun. Run by `manage.py reconcile` and by the periodic task; /api/health reads the
last run.

An incremental run looks at what changed since the last clean run, less SCF_RECONCILE_WINDOW
seconds (a block lost just after that run, a row changed while it ran); a full run, or the first
one, looks at everything."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from scf.chain.checks import registered_checks
from scf.chain.client import chain_status
from scf.chain.models import ReconcileRun
from scf.errors import ApplicationError


def reconcile_since() -> datetime | None:
    """Where an incremental run starts; None when no clean run is known (then: everything)."""
    last_clean = ReconcileRun.objects.filter(finished_at__isnull=False, error="",
                                             drift_count=0).first()
    if last_clean is None:
        return None
    return last_clean.started_at - timedelta(seconds=settings.SCF_RECONCILE_WINDOW)


def reconcile_run(*, full: bool = False) -> ReconcileRun:
    since = None if full else reconcile_since()
    run = ReconcileRun.objects.create(started_at=timezone.now(), full=since is None)
    findings: list[dict] = []
    try:
        run.block = chain_status()["latest_block"]
        for check in registered_checks().values():
            for finding in check(since):
                run.drift_count += 1
                if len(findings) < ReconcileRun.FINDINGS_LIMIT:
                    findings.append(finding.as_dict())
    except ApplicationError as exc:  # the node away: the run says so instead of "no drift"
        run.error = exc.message
    finally:
        run.findings = findings
        run.finished_at = timezone.now()
        run.save()
    return run


def last_reconcile_run() -> ReconcileRun | None:
    return ReconcileRun.objects.filter(finished_at__isnull=False).first()
