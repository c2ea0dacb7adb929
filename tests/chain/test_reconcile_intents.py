"""`manage.py reconcile` over the operations the database calls confirmed: a transaction the
node lost (its last blocks, as when anvil is killed between two state saves) is drift, even
when the projection, rolled back by the indexer, agrees with the chain."""

import pytest
from django.core.management import CommandError, call_command

from scf.accounts.models import OrganisationKind, Role
from scf.chain.client import rpc_counter
from scf.chain.indexer import index_until_head
from scf.chain.models import ChainIntent, MemberState, ReconcileRun
from scf.chain.node import rpc_call
from scf.chain.outbox import intent_execute
from scf.chain.reconcile import reconcile
from scf.chain.reconcile_run import reconcile_run
from tests.chain.conftest import register_member_intent
from tests.factories import api_client, member_factory


def confirmed(new_account, key: str) -> ChainIntent:
    intent = register_member_intent(new_account(), key=key)
    assert intent_execute(intent_id=intent.pk) == "confirmed"
    intent.refresh_from_db()
    return intent


def lose_the_last_blocks(anvil_rpc_url, new_account, key: str) -> ChainIntent:
    """An intent confirmed in a block the node then loses; the indexer has caught up since."""
    snapshot = rpc_call(anvil_rpc_url, "evm_snapshot")
    lost = confirmed(new_account, key)
    index_until_head()
    rpc_call(anvil_rpc_url, "evm_revert", [snapshot])
    index_until_head()  # rolls the projection back with the chain
    return lost


def test_a_confirmed_operation_whose_block_vanished_is_drift(platform, new_account,
                                                             anvil_rpc_url, capsys):
    kept = confirmed(new_account, "kept")
    lost = lose_the_last_blocks(anvil_rpc_url, new_account, "lost")

    # What the old reconcile saw: the projection agrees with the chain.
    assert reconcile() == []
    assert not MemberState.objects.filter(address=lost.args[0]).exists()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("reconcile")
    out = capsys.readouterr().out
    assert f"[chain.intents] intent {lost.pk} MemberRegistry.registerMember tx {lost.tx_hash}" \
        in out
    assert f"no receipt on chain (recorded in block {lost.block_number})" in out
    assert f"intent {kept.pk} " not in out
    run = ReconcileRun.objects.get()
    assert run.drift_count == 1 and run.findings[0]["check"] == "chain.intents"


def test_no_drift_after_clean_operations_and_the_next_run_looks_only_at_recent_ones(
        platform, new_account, capsys):
    for i in range(3):
        confirmed(new_account, f"clean-{i}")
    index_until_head()

    call_command("reconcile", "--full")
    assert "Chain and database agree (every row" in capsys.readouterr().out
    call_command("reconcile")
    assert "rows changed since the last clean run" in capsys.readouterr().out
    assert [run.drift_count for run in ReconcileRun.objects.all()] == [0, 0]


def test_receipts_are_read_in_batches(platform, new_account, monkeypatch):
    from scf.chain import intent_receipts

    for i in range(5):
        confirmed(new_account, f"batch-{i}")
    monkeypatch.setattr(intent_receipts, "BATCH_CALLS", 2)
    rpc_counter.reset()

    assert list(intent_receipts.confirmed_intents_check(None)) == []

    assert rpc_counter.calls == {"eth_getTransactionReceipt": 5}
    assert rpc_counter.http_requests == 3  # 2 + 2 + 1


def test_a_receipt_in_another_block_than_recorded_is_drift(platform, new_account):
    intent = confirmed(new_account, "moved")
    ChainIntent.objects.filter(pk=intent.pk).update(block_number=intent.block_number + 7)

    run = reconcile_run(full=True)

    assert run.drift_count == 1
    assert (f"mined in block {intent.block_number}, recorded in block "
            f"{intent.block_number + 7}") in run.findings[0]["message"]


def test_health_is_degraded_while_the_last_run_found_drift(platform, new_account,
                                                           anvil_rpc_url):
    from scf.chain.client import get_web3
    from scf.chain.models import ChainCursor

    lose_the_last_blocks(anvil_rpc_url, new_account, "lost-for-health")
    ChainCursor.objects.update(block_number=get_web3().eth.block_number)
    operator = api_client(member_factory(OrganisationKind.PLATFORM, Role.OPERATOR))
    stranger = api_client(member_factory(OrganisationKind.SUPPLIER, Role.OPERATOR))
    assert operator.get("/api/health").json()["status"] == "ok"

    reconcile_run()

    body = operator.get("/api/health").json()
    assert body["status"] == "degraded" and body["degraded"] == ["gateway"]
    gateway = body["checks"]["gateway"]
    assert gateway["reconcile"]["drift"] == 1
    assert "found 1 difference(s) between chain and database" in gateway["warning"]
    assert stranger.get("/api/health").json() == {"status": "degraded"}


def test_an_old_intent_above_the_head_is_found_by_an_incremental_run(platform, new_account,
                                                                     anvil_rpc_url):
    """Confirmed before the last clean run (outside its window), lost since: the chain is now
    shorter than the block it was recorded in."""
    from datetime import timedelta

    from django.utils import timezone

    lost = lose_the_last_blocks(anvil_rpc_url, new_account, "lost-long-ago")
    ChainIntent.objects.filter(pk=lost.pk).update(confirmed_at=timezone.now() - timedelta(days=9))
    ReconcileRun.objects.create(started_at=timezone.now() - timedelta(days=1),
                                finished_at=timezone.now() - timedelta(days=1))

    run = reconcile_run()

    assert not run.full and run.drift_count == 1
    assert f"intent {lost.pk} " in run.findings[0]["subject"]


def test_findings_kept_are_bounded_and_the_command_says_how_many_more(platform, new_account,
                                                                      monkeypatch, capsys):
    for i in range(3):
        intent = confirmed(new_account, f"bounded-{i}")
        ChainIntent.objects.filter(pk=intent.pk).update(block_number=intent.block_number + 50)
    monkeypatch.setattr(ReconcileRun, "FINDINGS_LIMIT", 2)

    with pytest.raises(CommandError, match="3 difference"):
        call_command("reconcile", "--full")

    run = ReconcileRun.objects.get()
    assert run.drift_count == 3 and len(run.findings) == 2
    assert "... and 1 more" in capsys.readouterr().out


def test_a_run_without_the_node_says_so_and_is_not_clean(platform, settings):
    from scf.chain.node import free_port

    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(CommandError, match="unreachable"):
        call_command("reconcile")

    run = ReconcileRun.objects.get()
    assert run.error and not run.clean and run.finished_at is not None


def test_the_periodic_task_records_a_run_every_ten_minutes(platform, settings):
    from scf.chain.tasks import reconcile_task

    schedule = settings.CELERY_BEAT_SCHEDULE["chain-reconcile"]
    assert schedule == {"task": "chain.reconcile", "schedule": 600.0}

    assert reconcile_task.delay().get() == 0

    assert ReconcileRun.objects.get().clean
