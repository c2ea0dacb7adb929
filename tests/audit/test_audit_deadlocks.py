"""The audit head against organisation row locks, on PostgreSQL with real concurrent
transactions: services that lock an organisation and then audit, services that write rows
referring to an organisation they do not lock and then audit, and bare audit writes naming an
organisation. None of them may deadlock (counted by PostgreSQL itself, pg_stat_database)."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction

from receivables.services import trade_contract_create
from scf.accounts.models import OrganisationKind, Role
from scf.accounts.services import organisation_update
from scf.audit.models import AuditAnchor, AuditEntry
from scf.audit.selectors import audit_chain_verify
from scf.audit.services import audit_record
from tests.chain.test_resilience import require_postgresql
from tests.factories import member_factory, organisation_factory, user_factory


def deadlocks_so_far() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # read the counters as they are now
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_organisation_locks_and_audit_writes_never_deadlock(platform, settings):
    require_postgresql()
    settings.SCF_AUDIT_ANCHOR_EVERY = 7  # anchors too: an intent written under the head lock
    suppliers = [organisation_factory(OrganisationKind.SUPPLIER) for _ in range(2)]
    core_user = member_factory(OrganisationKind.CORE_ENTERPRISE, Role.OPERATOR)
    platform_user = user_factory(organisation_factory(OrganisationKind.PLATFORM), Role.ADMIN)
    rounds = 15

    def lock_then_audit(n, i):  # locks the supplier, then appends to the log
        organisation_update(organisation=suppliers[i % 2], actor=platform_user,
                            name=f"供应商 {n}-{i}")

    def refer_then_audit(n, i):  # locks the core, writes a row naming the supplier, appends
        trade_contract_create(user=core_user, supplier=suppliers[i % 2], number=f"TC-{n}-{i}",
                              title="钢材采购", amount_fen=100_00, signed_on=date(2026, 1, 5))

    def audit_naming(n, i):  # appends an entry naming the supplier, which it does not lock
        with transaction.atomic():
            audit_record(actor=core_user, organisation=suppliers[i % 2], action="test.mention",
                         obj=suppliers[i % 2], after={"n": n, "i": i})
            time.sleep(0.002)  # commit a little later: the head stays locked meanwhile

    work = [lock_then_audit, refer_then_audit, audit_naming] * 2
    barrier = threading.Barrier(len(work))
    errors = []

    def run(n, job):
        barrier.wait()
        for i in range(rounds):
            try:
                job(n, i)
            except Exception as exc:  # noqa: BLE001 - asserted below, every one counted
                errors.append(exc)
        connections.close_all()  # a backend flushes its statistics when it ends

    before = deadlocks_so_far()
    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    deadlocks = deadlocks_so_far() - before
    assert [str(exc).splitlines()[0] for exc in errors] == []
    assert deadlocks == 0
    total = AuditEntry.objects.count()
    assert total >= len(work) * rounds
    assert audit_chain_verify() == (total, None)
    assert AuditAnchor.objects.count() == total // 7
