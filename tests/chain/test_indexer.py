"""The projection: events indexed once, replay changes nothing, re-organisations rolled back,
and `reconcile` proves (or disproves) that database and chain agree."""

import pytest
from django.core.management import CommandError, call_command

from scf.chain.client import get_web3
from scf.chain.contracts import platform_contract
from scf.chain.indexer import index_until_head
from scf.chain.models import ChainCursor, ChainEvent, MemberState
from scf.chain.node import rpc_call
from scf.chain.outbox import intent_execute
from scf.chain.reconcile import reconcile
from scf.chain.services import operator_chain_account
from tests.chain.conftest import register_member_intent


def registered(new_account, key: str):
    member = new_account()
    intent = register_member_intent(member, key=key)
    assert intent_execute(intent_id=intent.pk) == "confirmed"
    return member


def test_replaying_a_block_range_changes_nothing(platform, new_account):
    members = [registered(new_account, f"m{i}") for i in range(3)]
    index_until_head()
    events = list(ChainEvent.objects.values_list("pk", "name"))
    projected = list(MemberState.objects.order_by("address").values())

    ChainCursor.objects.update(block_number=-1, block_hash="")  # replay everything
    assert index_until_head() == 0

    assert list(ChainEvent.objects.values_list("pk", "name")) == events
    assert list(MemberState.objects.order_by("address").values()) == projected
    assert {m.address for m in members} <= {row["address"] for row in projected}
    assert reconcile() == []


def test_only_confirmed_blocks_are_indexed(platform, new_account, settings, anvil_rpc_url):
    member = registered(new_account, "m-unconfirmed")
    rpc_call(anvil_rpc_url, "evm_mine")
    settings.SCF_CHAIN_CONFIRMATIONS = 3
    index_until_head()
    head = get_web3().eth.block_number

    assert ChainCursor.objects.get().block_number == head - 3
    assert not MemberState.objects.filter(address=member.address).exists()


def test_a_reorganisation_is_rolled_back(platform, new_account, anvil_rpc_url):
    kept = registered(new_account, "kept")
    index_until_head()
    fork = rpc_call(anvil_rpc_url, "evm_snapshot")
    orphaned = registered(new_account, "orphaned")
    index_until_head()
    assert MemberState.objects.filter(address=orphaned.address).exists()

    # The blocks after the fork are replaced by other blocks at the same heights (sent
    # straight to the node: the orphaned transaction is gone, so is its nonce).
    rpc_call(anvil_rpc_url, "evm_revert", [fork])
    replacement = new_account()
    registry = platform_contract("MemberRegistry")
    tx = registry.functions.registerMember(replacement.address, 2, 2**40, b"\x22" * 32).transact(
        {"from": operator_chain_account().address})
    get_web3().eth.wait_for_transaction_receipt(tx, poll_latency=0.01)
    rpc_call(anvil_rpc_url, "evm_mine")
    index_until_head()

    assert set(MemberState.objects.values_list("address", flat=True)) >= {
        kept.address, replacement.address}
    assert not MemberState.objects.filter(address=orphaned.address).exists()
    assert not ChainEvent.objects.filter(args__member=orphaned.address).exists()
    assert reconcile() == []


def test_reconcile_exits_non_zero_with_a_readable_diff(platform, new_account, capsys):
    member = registered(new_account, "tampered")
    index_until_head()
    call_command("reconcile")
    assert "agree" in capsys.readouterr().out

    MemberState.objects.filter(address=member.address).update(roles=4)
    with pytest.raises(CommandError, match="1 difference"):
        call_command("reconcile")
    assert f"member {member.address}.roles: chain=2 database=4" in capsys.readouterr().out

    MemberState.objects.filter(address=member.address).delete()
    with pytest.raises(CommandError):
        call_command("reconcile")
    assert "missing from the database" in capsys.readouterr().out
