"""The gateway's traffic with the node: what one operation costs in JSON-RPC calls."""

from scf.chain.client import rpc_counter
from scf.chain.models import ChainIntent
from tests.chain.conftest import register_member_intent


def test_the_chain_id_is_asked_once_per_process_not_per_transaction(
        platform, new_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_member_intent(new_account(), key="warm-up")  # the process learns the chain id
    rpc_counter.reset()

    operations = 5
    with django_capture_on_commit_callbacks(execute=True):
        intents = [register_member_intent(new_account(), key=f"traffic-{n}")
                   for n in range(operations)]

    assert all(ChainIntent.objects.get(pk=i.pk).status == ChainIntent.Status.CONFIRMED
               for i in intents)
    assert rpc_counter.calls["eth_chainId"] == 0
    assert rpc_counter.calls["eth_sendRawTransaction"] == operations
    print(f"JSON-RPC per operation: {rpc_counter.total_calls / operations:.1f} calls in "
          f"{rpc_counter.http_requests / operations:.1f} HTTP requests; "
          f"{dict(rpc_counter.calls)}")
