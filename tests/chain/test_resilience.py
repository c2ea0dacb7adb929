"""Outbox under trouble: the node going away and coming back, many intents from one sender at
once, and a real Celery worker killed mid-transaction."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from celery import Celery
from django.db import connection, connections

from scf.chain.client import get_web3
from scf.chain.deployment import ensure_deployed
from scf.chain.models import ChainIntent
from scf.chain.node import AnvilNode
from scf.chain.outbox import intent_execute, intents_resume
from scf.chain.services import chain_account_create, operator_chain_account
from tests.chain.conftest import register_member_intent
from tests.conftest import skip_or_fail

Status = ChainIntent.Status


def require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (row locks across connections): set DATABASE_URL")


def test_node_stopped_and_restarted_mid_run_loses_nothing(tmp_path, settings, db,
                                                          compiled_contracts):
    state = tmp_path / "anvil.json"
    node = AnvilNode(state_path=state).start()
    try:
        settings.SCF_CHAIN_RPC_URL = node.url
        ensure_deployed(artifacts=compiled_contracts)
        operator = operator_chain_account()
        members = [chain_account_create(label=f"m{i}") for i in range(6)]
        intents = [register_member_intent(m, key=f"restart-{i}") for i, m in enumerate(members)]
        for intent in intents[:3]:
            assert intent_execute(intent_id=intent.pk) == Status.CONFIRMED
        node.stop()  # the node goes away mid-run

        for intent in intents[3:]:
            with pytest.raises(Exception, match="unreachable"):
                intent_execute(intent_id=intent.pk)
        assert {i.status for i in ChainIntent.objects.filter(pk__in=[i.pk for i in intents[3:]])
                } == {Status.PENDING}

        node = AnvilNode(port=node.port, state_path=state).start()  # and comes back
        assert intents_resume(older_than=timedelta(0)) == 3  # eager: executed right away

        done = ChainIntent.objects.filter(pk__in=[i.pk for i in intents])
        assert {i.status for i in done} == {Status.CONFIRMED}
        assert sorted(i.nonce for i in done) == list(range(min(i.nonce for i in done),
                                                           min(i.nonce for i in done) + 6))
        assert get_web3(node.url).eth.get_transaction_count(operator.address) == (
            max(i.nonce for i in done) + 1)
    finally:
        node.stop()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_intents_from_one_sender_get_distinct_gap_free_nonces(
        platform_chain, compiled_contracts):
    require_postgresql()
    ensure_deployed(artifacts=compiled_contracts)
    operator = operator_chain_account()
    start_nonce = get_web3().eth.get_transaction_count(operator.address)
    intents = [register_member_intent(chain_account_create(label=f"c{i}"), key=f"conc-{i}")
               for i in range(20)]
    errors = []

    def run(intent_id):
        try:
            intent_execute(intent_id=intent_id)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i.pk,)) for i in intents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    rows = ChainIntent.objects.filter(idempotency_key__startswith="conc-")
    assert {r.status for r in rows} == {Status.CONFIRMED}
    assert sorted(r.nonce for r in rows) == list(range(start_nonce, start_nonce + 20))
    assert get_web3().eth.get_transaction_count(operator.address) == start_nonce + 20


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "scf", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_killed_before_the_receipt_completes_the_intent_once_on_restart(
        platform_chain, compiled_contracts, settings, anvil_rpc_url):
    """Driven through a real Celery worker on Redis, sharing the test database."""
    require_postgresql()
    from tests.test_celery_worker import REDIS_URL, redis_available

    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    ensure_deployed(artifacts=compiled_contracts)
    db = settings.DATABASES["default"]
    env = {**os.environ, "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL,
           "SCF_CHAIN_RPC_URL": anvil_rpc_url, "SCF_CHAIN_ID": "31337",
           "SCF_CHAIN_RESUME_AFTER": "0",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}"}
    # Not the current app: shared tasks must keep resolving to the eager scf app afterwards.
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    operator = operator_chain_account()
    start_nonce = get_web3().eth.get_transaction_count(operator.address)
    get_web3().provider.make_request("evm_setAutomine", [False])  # receipts will not come
    worker = start_worker(env)
    try:
        # The row the service writes; the task sent as its on_commit hook would send it.
        member = chain_account_create(label="killed")
        intent = ChainIntent.objects.create(
            idempotency_key="killed-1", sender=operator, contract="MemberRegistry",
            function="registerMember", args=[member.address, 2, 2**40, "0x" + "11" * 32])
        client.send_task("chain.intent_execute", args=[intent.pk])
        submitted = wait_for(
            lambda: ChainIntent.objects.get(pk=intent.pk).status == Status.SUBMITTED)
        worker.send_signal(signal.SIGKILL)  # dies after signing and sending, before the receipt
        log = worker.communicate(timeout=30)[0].decode(errors="replace")
        assert submitted, log
        get_web3().provider.make_request("evm_setAutomine", [True])
        get_web3().provider.make_request("evm_mine", [])

        worker = start_worker(env)
        client.send_task("chain.intents_resume", kwargs={})  # what beat sends every minute
        assert wait_for(lambda: ChainIntent.objects.get(pk=intent.pk).status == Status.CONFIRMED)
    finally:
        get_web3().provider.make_request("evm_setAutomine", [True])
        worker.terminate()
        worker.communicate(timeout=30)
    assert get_web3().eth.get_transaction_count(operator.address) == start_nonce + 1


@pytest.mark.django_db(transaction=True)
def test_two_hundred_intents_of_one_sender_are_pipelined_into_a_few_blocks(
        platform_chain, compiled_contracts, settings, anvil_rpc_url):
    """Two workers (threads) execute 200 intents of one sender on a node that mines a block a
    second: an execution signs and sends without waiting for the receipt, so the transactions
    share blocks, with consecutive nonces; the collector then confirms them all."""
    require_postgresql()
    from scf.chain.node import rpc_call
    from scf.chain.receipts import collect_receipts

    settings.SCF_CHAIN_RECEIPT_TIMEOUT = 0  # a worker's default
    ensure_deployed(artifacts=compiled_contracts)
    operator = operator_chain_account()
    start_nonce = get_web3().eth.get_transaction_count(operator.address)
    # The rows the services write; the workers execute them (not the eager on-commit task).
    queue = [ChainIntent.objects.create(
        idempotency_key=f"pipe-{i}", sender=operator, contract="MemberRegistry",
        function="registerMember",
        args=[chain_account_create(label=f"p{i}").address, 2, 2**40, "0x" + "11" * 32]).pk
        for i in range(200)]
    errors = []

    def worker():
        try:
            while queue:
                intent_execute(intent_id=queue.pop(0))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    rpc_call(anvil_rpc_url, "evm_setAutomine", [False])
    rpc_call(anvil_rpc_url, "evm_setIntervalMining", [1])
    try:
        workers = [threading.Thread(target=worker) for _ in range(2)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join(timeout=300)
        assert errors == []
        deadline = time.monotonic() + 60
        rows = ChainIntent.objects.filter(idempotency_key__startswith="pipe-")
        while rows.exclude(status=Status.CONFIRMED).exists() and time.monotonic() < deadline:
            collect_receipts()
            time.sleep(0.2)
    finally:
        rpc_call(anvil_rpc_url, "evm_setIntervalMining", [0])
        rpc_call(anvil_rpc_url, "evm_setAutomine", [True])

    assert {r.status for r in rows} == {Status.CONFIRMED}
    assert sorted(r.nonce for r in rows) == list(range(start_nonce, start_nonce + 200))
    blocks = {r.block_number for r in rows}
    print(f"200 intents of one sender in {len(blocks)} blocks")
    assert len(blocks) <= 20, sorted(blocks)  # one block each, unpipelined: 200
