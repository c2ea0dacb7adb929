import threading
import time

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from scf.accounts.models import OrganisationKind
from scf.audit.models import GENESIS_HASH, AuditAppendOnlyError, AuditEntry
from scf.audit.selectors import audit_chain_verify
from scf.audit.services import audit_entry_hash, audit_record
from tests.factories import api_client, member_factory, organisation_factory

pytestmark = pytest.mark.django_db


def append(n, *, actor=None, organisation=None):
    organisation = organisation or organisation_factory()
    return [audit_record(actor=actor, organisation=organisation, action="test.change",
                         obj=organisation, before={"i": i}, after={"i": i + 1, "名": "值"})
            for i in range(n)]


def test_entries_are_chained_from_genesis(supplier_admin):
    first, second, third = append(3, actor=supplier_admin)

    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    stored = AuditEntry.objects.get(sequence=2)
    assert audit_entry_hash(stored) == stored.entry_hash  # survives the database round trip
    assert stored.actor == supplier_admin and stored.actor_username == supplier_admin.username
    assert stored.object_type == "accounts.organisation"
    assert audit_chain_verify() == (3, None)


def test_the_command_reports_an_intact_chain(capsys):
    append(4)

    call_command("verify_audit_chain", "--offline")

    assert "audit chain intact: 4 entries (offline)" in capsys.readouterr().out


def test_the_command_refuses_to_call_a_log_intact_without_asking_the_chain():
    append(2)  # no node answers here: the anchored head cannot be compared

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")

    assert "cannot be reached" in str(excinfo.value) and "--offline" in str(excinfo.value)


@pytest.mark.parametrize(("column", "value"), [
    ("action", "'test.innocent'"),
    ("after", "'{\"i\": 999}'"),
    ("actor_username", "'someone-else'"),
    ("created_at", "'2020-01-01 00:00:00'"),
])
def test_a_row_changed_with_raw_sql_is_found(column, value):
    entries = append(5)
    target = entries[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditentry SET {column} = {value} "  # noqa: S608
                       "WHERE sequence = %s", [target.sequence])

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")

    message = str(excinfo.value)
    assert f"entry #3 (id {target.pk})" in message and "contents changed" in message
    assert "2 entries verified before it" in message


def test_the_command_exits_non_zero_when_broken(capsys):
    entries = append(3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET entry_hash = %s WHERE sequence = 1",
                       ["f" * 64])

    with pytest.raises(SystemExit) as excinfo:
        execute_from_command_line(["manage.py", "verify_audit_chain", "--offline"])

    assert excinfo.value.code == 1
    assert f"entry #1 (id {entries[0].pk})" in capsys.readouterr().err


def test_a_rehashed_forgery_breaks_the_next_link():
    """Whoever rewrites an entry and recomputes its hash still breaks its successor."""
    entries = append(3)
    forged = AuditEntry.objects.get(sequence=2)
    forged.after = {"i": 12345}
    new_hash = audit_entry_hash(forged)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = %s, entry_hash = %s "
                       "WHERE sequence = 2", ['{"i": 12345}', new_hash])

    checked, broken = audit_chain_verify()

    assert checked == 2
    assert (broken.sequence, broken.entry_id) == (3, entries[2].pk)
    assert "prev_hash" in broken.problem


def test_removed_entries_are_found_in_the_middle_and_at_the_end():
    append(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence = 4")
    assert "removed from the end" in audit_chain_verify()[1].problem

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence = 2")
    broken = audit_chain_verify()[1]
    assert broken.sequence == 2 and "missing entry" in broken.problem


def test_entries_cannot_be_saved_or_deleted_through_the_orm():
    entry = append(1)[0]

    entry.action = "changed"
    with pytest.raises(AuditAppendOnlyError):
        entry.save()
    with pytest.raises(AuditAppendOnlyError):
        entry.delete()
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit_chain_verify() == (1, None)


def test_every_state_change_of_this_issue_is_audited(supplier_admin, supplier_org):
    """Organisation, user and KYC services each leave an entry in the acting organisation."""
    from scf.accounts.services import organisation_update, user_create

    organisation_update(organisation=supplier_org, actor=supplier_admin, name="新名称")
    user_create(actor=supplier_admin, organisation=supplier_org, username="new-user",
                password="long-enough-pw", roles=["viewer"], person_id="13900000001")

    actions = list(AuditEntry.objects.filter(organisation=supplier_org)
                   .order_by("sequence").values_list("action", flat=True))
    assert actions == ["organisation.update", "user.create"]


def test_the_log_is_read_by_the_regulator_and_the_platform_and_scoped_for_others(
        supplier_admin, supplier_org, platform_admin, regulator_user, other_supplier_operator):
    append(2, organisation=supplier_org)
    append(1, organisation=other_supplier_operator.organisation)

    own = api_client(supplier_admin).get("/api/audit/entries").json()
    assert own["count"] == 2 and {e["organisation"] for e in own["results"]} == {supplier_org.pk}
    assert api_client(regulator_user).get("/api/audit/entries").json()["count"] == 3
    assert api_client(platform_admin).get("/api/audit/entries").json()["count"] == 3
    filtered = api_client(regulator_user).get(
        f"/api/audit/entries?organisation={supplier_org.pk}&action=test.change").json()
    assert filtered["count"] == 2
    assert api_client(regulator_user).get("/api/audit/verify").json() == {
        "intact": True, "checked": 3, "first_broken_sequence": None, "problem": None,
        "chain": "unavailable", "anchored_sequence": None}
    assert api_client(supplier_admin).get("/api/audit/verify").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_share_a_previous_hash():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    organisation = organisation_factory(OrganisationKind.SUPPLIER)
    actor = member_factory(OrganisationKind.SUPPLIER)
    writers, per_writer = 8, 10
    barrier = threading.Barrier(writers)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=actor, organisation=organisation, action="test.race",
                                 obj=organisation, before={}, after={"writer": n, "i": i})
                    time.sleep(0.002)  # hold the tail a little to force contention
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, writers * per_writer + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)
    assert audit_chain_verify() == (writers * per_writer, None)
