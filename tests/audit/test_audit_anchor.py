"""The audit log's head anchored on chain, and keyed hashes: a database writer cannot rewrite
history, with or without the key, past the last anchored head."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from scf.accounts.models import OrganisationKind
from scf.audit.anchoring import audit_anchor_enqueue, audit_anchor_head
from scf.audit.models import AuditAnchor, AuditEntry, AuditHead
from scf.audit.selectors import audit_chain_verify
from scf.audit.services import audit_entry_hash, audit_record
from scf.chain.audit_anchor import last_audit_anchor
from scf.chain.outbox import intent_execute
from tests.factories import api_client, organisation_factory

pytestmark = pytest.mark.django_db


def append(n, organisation=None):
    organisation = organisation or organisation_factory()
    return [audit_record(actor=None, organisation=organisation, action="test.change",
                         obj=organisation, after={"i": i}) for i in range(n)]


def rewrite_from(sequence: int, *, after: dict, settings, key: str | None = None) -> None:
    """What a database writer does: change entry `sequence` and recompute every later hash and
    the head row, with `key` as the HMAC key it has (the real one if None)."""
    real_key = settings.SCF_AUDIT_HMAC_KEY
    if key is not None:
        settings.SCF_AUDIT_HMAC_KEY = key
    prev = AuditEntry.objects.get(sequence=sequence - 1).entry_hash if sequence > 1 else None
    with connection.cursor() as cursor:
        for entry in AuditEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
            if entry.sequence == sequence:
                entry.after = after
            if prev is not None:
                entry.prev_hash = prev
            prev = audit_entry_hash(entry)
            cursor.execute("UPDATE audit_auditentry SET after = %s, prev_hash = %s, "
                           "entry_hash = %s WHERE id = %s",
                           [json.dumps(entry.after), entry.prev_hash, prev,
                            entry.pk])
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [prev])
    settings.SCF_AUDIT_HMAC_KEY = real_key


def anchor_and_send(sequence: int) -> AuditAnchor:
    entry = AuditEntry.objects.get(sequence=sequence)
    anchor = audit_anchor_enqueue(sequence=sequence, head_hash=entry.entry_hash)
    assert intent_execute(intent_id=anchor.intent_id) == "confirmed"
    return anchor


def test_a_rewrite_without_the_key_is_found(settings):
    """The first platform's defect: recomputing the following hashes made a forgery verify."""
    append(5)
    assert audit_chain_verify() == (5, None)

    rewrite_from(2, after={"i": 12345}, settings=settings, key="what-the-attacker-guesses")

    checked, broken = audit_chain_verify()
    assert (checked, broken.sequence) == (1, 2) and "contents changed" in broken.problem


def test_the_head_is_anchored_every_n_entries_in_the_same_transaction(settings, platform):
    settings.SCF_AUDIT_ANCHOR_EVERY = 3
    entries = append(7)

    anchors = list(AuditAnchor.objects.order_by("sequence"))
    assert [(a.sequence, a.head_hash) for a in anchors] == [
        (3, entries[2].entry_hash), (6, entries[5].entry_hash)]
    assert all(a.intent.function == "anchor" and a.intent.contract == "AuditAnchor"
               for a in anchors)
    for anchor in anchors:
        assert intent_execute(intent_id=anchor.intent_id) == "confirmed"

    on_chain = last_audit_anchor()
    assert (on_chain.sequence, on_chain.head_hash) == (6, entries[5].entry_hash)
    assert audit_chain_verify(anchor=on_chain) == (7, None)


def test_a_rewrite_with_the_key_is_caught_by_the_anchor(settings, platform, capsys):
    """An insider holding the HMAC key recomputes a consistent chain: only the chain sees it."""
    settings.SCF_AUDIT_ANCHOR_EVERY = 0
    append(6)
    anchor_and_send(4)
    call_command("verify_audit_chain")
    assert "entries 1–4 match the head anchored on chain" in capsys.readouterr().out

    rewrite_from(2, after={"i": 999}, settings=settings)

    assert audit_chain_verify() == (6, None)  # the hash chain alone is fooled
    call_command("verify_audit_chain", "--offline")
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain")
    assert "the chain anchors head" in str(excinfo.value)
    assert "entry #4" in str(excinfo.value)


def test_cutting_the_log_below_the_anchor_is_caught(settings, platform):
    settings.SCF_AUDIT_ANCHOR_EVERY = 0
    append(5)
    anchor_and_send(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE sequence >= 4")
        cursor.execute("UPDATE audit_audithead SET sequence = 3, last_hash = %s WHERE id = 1",
                       [AuditEntry.objects.get(sequence=3).entry_hash])

    assert audit_chain_verify() == (3, None)
    checked, broken = audit_chain_verify(anchor=last_audit_anchor())
    assert broken.sequence == 5 and "no such entry" in broken.problem


def test_the_scheduled_anchor_anchors_only_what_is_new(settings, platform):
    settings.SCF_AUDIT_ANCHOR_EVERY = 0
    assert audit_anchor_head() is None  # an empty log
    append(2)
    first = audit_anchor_head()
    assert first.sequence == 2 and audit_anchor_head() is None
    append(1)
    second = audit_anchor_head()
    assert second.sequence == 3
    for anchor in (first, second):
        assert intent_execute(intent_id=anchor.intent_id) == "confirmed"
    assert last_audit_anchor().sequence == 3
    assert AuditHead.objects.get(pk=1).sequence == 3


def test_the_chain_never_takes_an_anchor_behind_the_last(settings, platform):
    settings.SCF_AUDIT_ANCHOR_EVERY = 0
    append(4)
    anchor_and_send(4)
    late = audit_anchor_enqueue(sequence=3, head_hash=AuditEntry.objects.get(
        sequence=3).entry_hash)

    assert intent_execute(intent_id=late.intent_id) == "failed"
    late.intent.refresh_from_db()
    assert late.intent.error_name == "AuditAnchorNotAfter"
    assert late.intent.error_args == {"sequence": 3, "lastSequence": 4}
    assert last_audit_anchor().sequence == 4


def test_entries_name_the_chain_address_of_the_acting_organisation(onboard):
    organisation = onboard(OrganisationKind.SUPPLIER)
    entry = audit_record(actor=None, organisation=organisation, action="test.change",
                         obj=organisation, tx_hash="0x" + "ab" * 32, block_number=42)
    assert entry.chain_address == organisation.chain_account.address
    assert entry.block_number == 42
    assert audit_entry_hash(AuditEntry.objects.get(pk=entry.pk)) == entry.entry_hash


def test_the_verify_api_says_what_the_chain_confirmed(settings, platform, regulator_user):
    settings.SCF_AUDIT_ANCHOR_EVERY = 0
    append(3)
    client = api_client(regulator_user)
    before = client.get("/api/audit/verify").json()
    assert (before["intact"], before["chain"], before["anchored_sequence"]) == (
        True, "no_anchor", None)

    anchor_and_send(3)
    rewrite_from(3, after={"i": -1}, settings=settings)

    after = client.get("/api/audit/verify").json()
    assert (after["intact"], after["chain"], after["anchored_sequence"]) == (
        False, "anchored", 3)
    assert after["first_broken_sequence"] == 3


def test_the_contract_refuses_a_zero_hash_and_any_other_sender(settings, platform):
    from scf.chain.services import chain_account_create, intent_enqueue, operator_chain_account

    zero = intent_enqueue(sender=operator_chain_account(), contract="AuditAnchor",
                          function="anchor", args=[1, "0x" + "00" * 32],
                          idempotency_key="test-anchor-zero")
    assert intent_execute(intent_id=zero.pk) == "failed"
    zero.refresh_from_db()
    assert zero.error_name == "AuditAnchorZeroHash"

    outsider = chain_account_create(label="not the operator")
    forged = intent_enqueue(sender=outsider, contract="AuditAnchor", function="anchor",
                            args=[1, "0x" + "11" * 32], idempotency_key="test-anchor-outsider")
    assert intent_execute(intent_id=forged.pk) == "failed"
    forged.refresh_from_db()
    assert forged.error_name == "AccessControlUnauthorizedAccount"
    assert last_audit_anchor() is None
