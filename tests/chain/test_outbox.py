"""The outbox: a decision in Django becomes exactly one fact on chain, or a decoded error."""

import logging

import pytest

from scf.chain.client import get_web3
from scf.chain.contracts import platform_contract
from scf.chain.keys import decrypt_private_key
from scf.chain.models import ChainIntent, MemberState
from scf.chain.outbox import _sign, intent_execute
from scf.chain.services import operator_chain_account
from tests.chain.conftest import register_member_intent

Status = ChainIntent.Status


def nonce_on_chain(address: str) -> int:
    return get_web3().eth.get_transaction_count(address)


def test_an_intent_is_sent_once_recorded_and_projected(platform, new_account,
                                                       django_capture_on_commit_callbacks):
    member = new_account()

    with django_capture_on_commit_callbacks(execute=True):
        intent = register_member_intent(member, key="register-1")

    intent.refresh_from_db()
    assert intent.status == Status.CONFIRMED, intent.error_message
    assert intent.tx_hash.startswith("0x") and intent.block_number and intent.gas_used > 21000
    assert intent.result["events"][0]["event"] == "MemberRegistered"
    registered, roles, *_ = platform_contract("MemberRegistry").functions.memberOf(
        member.address).call()
    assert (registered, roles) == (True, 2)
    assert MemberState.objects.get(address=member.address).roles == 2


def test_a_revert_fails_the_intent_with_the_decoded_error_and_spends_no_nonce(
        platform, new_account, django_capture_on_commit_callbacks):
    member = new_account()
    with django_capture_on_commit_callbacks(execute=True):
        register_member_intent(member, key="register-first")
    operator = operator_chain_account()
    nonce_before = nonce_on_chain(operator.address)

    with django_capture_on_commit_callbacks(execute=True):
        again = register_member_intent(member, key="register-again")

    again.refresh_from_db()
    assert again.status == Status.FAILED
    assert again.error_name == "MemberRegistryAlreadyRegistered"
    assert again.error_args == {"account": member.address}
    assert again.tx_hash == "" and again.nonce is None
    assert nonce_on_chain(operator.address) == nonce_before


def test_the_same_idempotency_key_twice_makes_one_transaction(
        platform, new_account, django_capture_on_commit_callbacks):
    operator = operator_chain_account()
    member = new_account()
    nonce_before = nonce_on_chain(operator.address)

    with django_capture_on_commit_callbacks(execute=True):
        first = register_member_intent(member, key="register-same")
        second = register_member_intent(member, key="register-same")

    assert first.pk == second.pk
    assert ChainIntent.objects.filter(idempotency_key="register-same").count() == 1
    assert nonce_on_chain(operator.address) == nonce_before + 1


def test_a_crash_after_signing_completes_exactly_once_on_retry(platform, new_account):
    operator = operator_chain_account()
    member = new_account()
    intent = register_member_intent(member, key="register-crash")  # not executed: no commit
    nonce_before = nonce_on_chain(operator.address)
    # The worker signed and stored the transaction, sent it, and died before the receipt.
    signed = _sign(intent_id=intent.pk, gas=200_000)
    get_web3().eth.send_raw_transaction(signed.raw_transaction)

    assert intent_execute(intent_id=intent.pk) == Status.CONFIRMED
    assert intent_execute(intent_id=intent.pk) == Status.CONFIRMED  # and again: nothing new

    assert nonce_on_chain(operator.address) == nonce_before + 1
    intent.refresh_from_db()
    assert intent.tx_hash == signed.tx_hash


def test_private_keys_are_never_logged(platform, new_account, caplog,
                                       django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    member = new_account()
    with django_capture_on_commit_callbacks(execute=True):
        register_member_intent(member, key="register-logging")

    operator_key = decrypt_private_key(operator_chain_account().encrypted_key)
    member_key = decrypt_private_key(member.encrypted_key)
    for secret in (operator_key, member_key):
        bare = secret.removeprefix("0x")
        assert bare not in caplog.text
    assert member_key not in repr(member) and member.encrypted_key not in repr(member)


@pytest.mark.parametrize("missing", ["node"])
def test_node_down_leaves_the_intent_pending_with_the_reason(platform, new_account, settings,
                                                             missing,
                                                             django_capture_on_commit_callbacks):
    from scf.chain.node import free_port

    member = new_account()
    intent = register_member_intent(member, key="register-down")
    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(Exception, match="unreachable"):
        intent_execute(intent_id=intent.pk)

    intent.refresh_from_db()
    assert intent.status == Status.PENDING and intent.attempts == 1
    assert "unreachable" in intent.error_message


def test_outcome_hooks_run_once_per_final_status(platform, new_account,
                                                 django_capture_on_commit_callbacks):
    from scf.chain.hooks import _handlers, on_intent_outcome

    seen = []
    handler = on_intent_outcome("MemberRegistry", "registerMember")(
        lambda intent: seen.append((intent.idempotency_key, intent.status)))
    try:
        member = new_account()
        with django_capture_on_commit_callbacks(execute=True):
            intent = register_member_intent(member, key="hooked")
        intent_execute(intent_id=intent.pk)  # a duplicate delivery: hooks do not run again
        with django_capture_on_commit_callbacks(execute=True):
            register_member_intent(member, key="hooked-again")  # reverts: failed

        assert seen == [("hooked", Status.CONFIRMED), ("hooked-again", Status.FAILED)]
    finally:
        _handlers[("MemberRegistry", "registerMember")].remove(handler)
