"""A chain operation's trail (attempt rows), its `projected` flag and its idempotency key."""

import pytest

from scf.chain.apis import OperationOutputSerializer
from scf.chain.errors import IdempotencyKeyReusedError
from scf.chain.indexer import index_chain
from scf.chain.models import ChainIntent, ChainIntentAttempt
from scf.chain.outbox import intent_execute
from scf.chain.services import intent_enqueue, operator_chain_account
from scf.errors import api_exception_handler
from tests.chain.conftest import register_member_intent

Status = ChainIntent.Status
Step = ChainIntentAttempt.Step
Outcome = ChainIntentAttempt.Outcome


def steps_of(intent) -> list[tuple[str, str]]:
    return list(intent.steps.values_list("step", "outcome"))


def test_an_executed_intent_has_one_ok_attempt_per_step_and_shows_them(platform, new_account):
    intent = register_member_intent(new_account(), key="trail-ok")

    assert intent_execute(intent_id=intent.pk) == Status.CONFIRMED

    assert steps_of(intent) == [(Step.SIMULATE, Outcome.OK), (Step.SIGN, Outcome.OK),
                                (Step.SUBMIT, Outcome.OK), (Step.RECEIPT, Outcome.OK)]
    intent.refresh_from_db()
    body = OperationOutputSerializer(intent).data
    assert [a["step"] for a in body["attempts"]] == ["simulate", "sign", "submit", "receipt"]
    assert body["attempt_count"] == 0
    assert f"block={intent.block_number}" in body["attempts"][-1]["response"]
    text = str(body)
    assert intent.raw_transaction.removeprefix("0x")[:40] not in text  # no signed bytes
    assert "raw_transaction" not in body and "encrypted_key" not in text


def test_a_reverted_simulation_leaves_one_failed_simulate_attempt(platform, new_account):
    member = new_account()
    first = register_member_intent(member, key="trail-first")
    intent_execute(intent_id=first.pk)
    again = register_member_intent(member, key="trail-again")

    assert intent_execute(intent_id=again.pk) == Status.FAILED

    attempts = list(again.steps.all())
    assert [(a.step, a.outcome) for a in attempts] == [(Step.SIMULATE, Outcome.FAILED)]
    assert attempts[0].error.startswith("MemberRegistryAlreadyRegistered")


def test_node_trouble_is_an_unavailable_attempt(platform, new_account, settings):
    from scf.chain.node import free_port

    intent = register_member_intent(new_account(), key="trail-down")
    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(Exception, match="unreachable"):
        intent_execute(intent_id=intent.pk)
    assert steps_of(intent) == [(Step.SIMULATE, Outcome.UNAVAILABLE)]


def test_the_attempt_excerpt_is_bounded(platform, new_account):
    from scf.chain.outbox import attempt

    intent = register_member_intent(new_account(), key="trail-bounded")
    attempt(intent, Step.SUBMIT, Outcome.FAILED, error="e" * 100_000, response="r" * 100_000)
    row = intent.steps.get()
    assert len(row.response) == ChainIntentAttempt.RESPONSE_LIMIT
    assert len(row.error) <= 4 * ChainIntentAttempt.RESPONSE_LIMIT


def test_confirmed_is_projected_only_once_the_indexer_reached_its_block(platform, new_account):
    intent = register_member_intent(new_account(), key="projected")
    assert intent.projected is False  # pending

    intent_execute(intent_id=intent.pk)  # the indexing task waits for a commit that never comes
    intent.refresh_from_db()
    assert intent.status == Status.CONFIRMED and intent.hooks_done
    assert intent.projected is False
    assert OperationOutputSerializer(intent).data["projected"] is False

    index_chain()
    assert intent.projected is True
    assert OperationOutputSerializer(intent).data["projected"] is True


def test_a_final_intent_is_not_projected_before_its_hooks_ran(platform, new_account):
    intent = register_member_intent(new_account(), key="projected-hooks")
    intent_execute(intent_id=intent.pk)
    index_chain()
    ChainIntent.objects.filter(pk=intent.pk).update(hooks_done=False)
    intent.refresh_from_db()
    assert intent.projected is False


def test_a_failed_intent_is_projected_once_its_hooks_ran(platform, new_account):
    member = new_account()
    intent_execute(intent_id=register_member_intent(member, key="proj-first").pk)
    again = register_member_intent(member, key="proj-again")
    intent_execute(intent_id=again.pk)
    again.refresh_from_db()
    assert again.status == Status.FAILED and again.projected is True
    ChainIntent.objects.filter(pk=again.pk).update(hooks_done=False)
    again.refresh_from_db()
    assert again.projected is False


def test_the_same_key_with_the_same_request_returns_the_existing_intent(platform, new_account):
    member = new_account()
    first = register_member_intent(member, key="idem")
    args = list(first.args)
    again = intent_enqueue(sender=operator_chain_account(), contract="MemberRegistry",
                           function="registerMember", args=args, idempotency_key="idem")
    assert again.pk == first.pk and first.request_hash


@pytest.mark.parametrize("change", ["args", "function", "contract", "sender"])
def test_the_same_key_with_a_different_request_is_refused(platform, new_account, change):
    member = new_account()
    first = register_member_intent(member, key="idem-reused")
    request = {"sender": operator_chain_account(), "contract": "MemberRegistry",
               "function": "registerMember", "args": list(first.args)}
    request[change] = {"args": [*first.args[:1], 1, *first.args[2:]],
                       "function": "suspendMember", "contract": "CreditLines",
                       "sender": member}[change]

    with pytest.raises(IdempotencyKeyReusedError) as caught:
        intent_enqueue(idempotency_key="idem-reused", **request)

    response = api_exception_handler(caught.value, {})
    assert response.status_code == 409
    assert response.data["code"] == "idempotency_key_reused"
    assert " / " in response.data["message"]  # bilingual
    assert ChainIntent.objects.filter(idempotency_key="idem-reused").count() == 1


def test_get_operation_shows_the_attempts_and_projected_but_no_signed_bytes(platform,
                                                                            new_account):
    from scf.accounts.models import OrganisationKind, Role
    from tests.factories import api_client, organisation_factory, user_factory

    viewer = user_factory(organisation_factory(OrganisationKind.PLATFORM), Role.VIEWER)
    intent = register_member_intent(new_account(), key="trail-api")
    intent_execute(intent_id=intent.pk)
    index_chain()
    intent.refresh_from_db()

    response = api_client(viewer).get(f"/api/operations/{intent.pk}")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["projected"] is True and body["final"] is True
    assert [(a["step"], a["outcome"]) for a in body["attempts"]] == [
        ("simulate", "ok"), ("sign", "ok"), ("submit", "ok"), ("receipt", "ok")]
    assert intent.raw_transaction[2:60] not in response.content.decode()
