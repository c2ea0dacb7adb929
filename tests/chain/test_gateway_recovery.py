"""The gateway after a node lost its latest blocks, and before a block is final: nothing lost,
nothing done twice, no sender wedged, and no business outcome taken from a block that can
still vanish. The loss is real: an anvil snapshot reverted, or an anvil killed between two
saves of its state."""

import time

import pytest

from scf.chain.client import get_web3, rpc_batch
from scf.chain.deployment import ensure_deployed
from scf.chain.finality import saved_block
from scf.chain.hooks import _handlers, on_intent_outcome
from scf.chain.models import ChainIntent
from scf.chain.node import AnvilNode, rpc_call
from scf.chain.outbox import intent_execute
from scf.chain.receipts import collect_receipts
from scf.chain.services import operator_chain_account
from tests.chain.conftest import register_member_intent

Status = ChainIntent.Status


def status_of(intent) -> str:
    intent.refresh_from_db()
    return intent.status


def nonce_on_chain(address: str) -> int:
    return get_web3().eth.get_transaction_count(address)


def registered_on_chain(address: str) -> bool:
    from scf.chain.contracts import platform_contract

    return platform_contract("MemberRegistry").functions.memberOf(address).call()[0]


def node_mined(intent, seconds: float = 10) -> None:
    """Wait until the node holds a receipt of the intent's transaction: anvil mines what it was
    sent a moment after answering, and a loaded machine stretches that past one collector pass
    (each pass is a step of these tests)."""
    intent.refresh_from_db()
    deadline = time.monotonic() + seconds
    while (rpc_batch([("eth_getTransactionReceipt", [intent.tx_hash])])[0] is None
           and time.monotonic() < deadline):
        time.sleep(0.02)


@pytest.fixture
def outcomes():
    """The outcome hooks' calls for registerMember, in order."""
    seen = []
    handler = on_intent_outcome("MemberRegistry", "registerMember")(
        lambda intent: seen.append((intent.idempotency_key, intent.status)))
    yield seen
    _handlers[("MemberRegistry", "registerMember")].remove(handler)


@pytest.fixture
def no_waiting(settings):
    """Executions return at once after sending: the collector's passes are the test's steps."""
    settings.SCF_CHAIN_RECEIPT_TIMEOUT = 0


def test_a_mined_intent_is_not_final_and_runs_no_outcome_before_its_confirmations(
        platform, new_account, settings, anvil_rpc_url, outcomes, no_waiting):
    settings.SCF_CHAIN_CONFIRMATIONS = 2
    intent = register_member_intent(new_account(), key="deep")
    intent_execute(intent_id=intent.pk)
    node_mined(intent)
    collect_receipts()
    assert status_of(intent) == Status.MINED and intent.block_number and not intent.hooks_done
    assert outcomes == []

    rpc_call(anvil_rpc_url, "evm_mine")
    collect_receipts()
    assert status_of(intent) == Status.MINED  # one block deep of two

    rpc_call(anvil_rpc_url, "evm_mine")
    assert collect_receipts() == 1
    assert status_of(intent) == Status.CONFIRMED and intent.hooks_done
    assert intent.result["events"][0]["event"] == "MemberRegistered"
    assert outcomes == [("deep", Status.CONFIRMED)]


def test_a_vanished_block_sends_the_stored_bytes_again_and_the_sender_is_not_wedged(
        platform, new_account, settings, anvil_rpc_url, outcomes, no_waiting):
    settings.SCF_CHAIN_CONFIRMATIONS = 1
    operator = operator_chain_account()
    first_member, later_member = new_account(), new_account()
    lost = register_member_intent(first_member, key="lost")
    before_loss = rpc_call(anvil_rpc_url, "evm_snapshot")
    intent_execute(intent_id=lost.pk)
    node_mined(lost)
    collect_receipts()
    assert status_of(lost) == Status.MINED
    start_nonce, lost_hash = lost.nonce, lost.tx_hash

    rpc_call(anvil_rpc_url, "evm_revert", [before_loss])  # the node forgets that block
    assert not registered_on_chain(first_member.address)
    # The sender's next operation is signed with the next nonce from the database, not the
    # node's (which went back): it waits in the node's queue behind the lost one...
    later = register_member_intent(later_member, key="later")
    intent_execute(intent_id=later.pk)
    assert status_of(later) == Status.SUBMITTED
    assert later.nonce == start_nonce + 1

    collect_receipts()  # ...for one pass: the lost bytes are sent again, and both are mined
    assert status_of(lost) in (Status.SUBMITTED, Status.MINED)
    node_mined(later)
    collect_receipts()
    rpc_call(anvil_rpc_url, "evm_mine")
    collect_receipts()

    assert (status_of(lost), status_of(later)) == (Status.CONFIRMED, Status.CONFIRMED)
    assert lost.tx_hash == lost_hash  # the same transaction, never a second one
    assert nonce_on_chain(operator.address) == start_nonce + 2
    assert registered_on_chain(first_member.address) and registered_on_chain(later_member.address)
    assert outcomes == [("lost", Status.CONFIRMED), ("later", Status.CONFIRMED)]
    assert lost.steps.filter(error__contains="vanished").exists()


def test_a_nonce_taken_by_a_transaction_we_did_not_send_fails_visibly_and_the_queue_goes_on(
        platform, new_account, anvil_rpc_url, outcomes):
    operator = operator_chain_account()
    first = register_member_intent(new_account(), key="first")
    assert intent_execute(intent_id=first.pk) == Status.CONFIRMED
    # Someone else signs with the operator's key (anvil holds it unlocked): nonce n is gone.
    rpc_call(anvil_rpc_url, "eth_sendTransaction",
             [{"from": operator.address, "to": operator.address, "value": "0x0"}])

    clashing = register_member_intent(new_account(), key="clashing")
    assert intent_execute(intent_id=clashing.pk) == Status.FAILED
    clashing.refresh_from_db()
    assert clashing.error_name == "NonceAlreadyUsed" and clashing.hooks_done
    assert "did not send" in clashing.error_message

    following = register_member_intent(new_account(), key="following")
    assert intent_execute(intent_id=following.pk) == Status.CONFIRMED
    assert outcomes[-2:] == [("clashing", Status.FAILED), ("following", Status.CONFIRMED)]


def test_an_embedded_node_killed_between_two_saves_loses_nothing_the_platform_called_final(
        tmp_path, settings, db, compiled_contracts, new_account, outcomes, no_waiting):
    state = tmp_path / "anvil-state.json"
    node = AnvilNode(state_path=state).start()
    settings.SCF_CHAIN_RPC_URL = node.url
    settings.SCF_CHAIN_STATE_FILE = str(state)
    try:
        ensure_deployed(artifacts=compiled_contracts)
        node.stop()  # a clean stop saves the state: the contracts are final
        node = AnvilNode(port=node.port, state_path=state, state_interval=3600).start()
        member = new_account()
        intent = register_member_intent(member, key="embedded")
        intent_execute(intent_id=intent.pk)
        node_mined(intent)
        collect_receipts()
        assert status_of(intent) == Status.MINED
        assert saved_block() < intent.block_number  # mined, but in no saved state yet
        assert outcomes == []

        node.process.kill()  # kill -9: the node never saves that block
        node.process.wait()
        node = AnvilNode(port=node.port, state_path=state, state_interval=3600).start()
        assert not registered_on_chain(member.address)
        collect_receipts()  # the block is gone: back to submitted, the bytes sent again
        node_mined(intent)
        collect_receipts()
        assert status_of(intent) == Status.MINED and registered_on_chain(member.address)
        assert outcomes == []

        node.stop()  # the next save includes the block: now it is final
        node = AnvilNode(port=node.port, state_path=state, state_interval=3600).start()
        assert collect_receipts() == 1
        assert status_of(intent) == Status.CONFIRMED
        assert outcomes == [("embedded", Status.CONFIRMED)]
    finally:
        node.stop()


def test_an_intent_another_worker_executes_meanwhile_is_not_recorded_failed(
        platform, new_account, monkeypatch, settings, anvil_rpc_url, outcomes):
    """Two deliveries of one intent (a redelivered task, the resume task and a worker): the
    second read it unsigned, the first signed, sent and mined it, and only then does the
    second simulate, which reverts because the transaction already happened. That revert is
    not the intent's outcome: it stays confirmed, and its hooks ran once."""
    from scf.chain import outbox

    settings.SCF_CHAIN_CONFIRMATIONS = 1  # mined, not yet final, while the second simulates
    member = new_account()
    intent = register_member_intent(member, key="twice")
    real_simulate = outbox._simulate

    def other_worker_first(stale):
        monkeypatch.setattr(outbox, "_simulate", real_simulate)
        assert outbox.intent_execute(intent_id=stale.pk) == Status.MINED
        return real_simulate(stale)  # reverts: MemberRegistryAlreadyRegistered

    monkeypatch.setattr(outbox, "_simulate", other_worker_first)
    # a second to see the receipt (0 is one look, which a loaded machine's node can miss); the
    # block is never final here, so each delivery waits out the second
    settings.SCF_CHAIN_RECEIPT_TIMEOUT = 1
    assert outbox.intent_execute(intent_id=intent.pk) == Status.MINED
    rpc_call(anvil_rpc_url, "evm_mine")
    collect_receipts()
    assert status_of(intent) == Status.CONFIRMED and intent.error_name == ""
    assert outcomes == [("twice", Status.CONFIRMED)]
    assert registered_on_chain(member.address)
