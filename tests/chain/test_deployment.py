from pathlib import Path

import pytest

from scf.chain.client import get_web3
from scf.chain.compiler import compile_sources
from scf.chain.deployment import ContractSpec, ensure_deployed
from scf.chain.errors import ChainNodeError
from scf.chain.models import ContractDeployment
from scf.chain.node import AnvilNode

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
COUNTER = (ContractSpec("Counter", lambda deployed, operator: [operator, 41]),)


@pytest.fixture(scope="module")
def fixture_artifacts():
    return compile_sources(FIXTURES)


def read_count(rpc_url: str, address: str, artifacts) -> int:
    contract = get_web3(rpc_url).eth.contract(address=address, abi=artifacts["Counter"]["abi"])
    return contract.functions.count().call()


def test_deploys_and_reads_back(platform_chain, fixture_artifacts, settings):
    addresses = ensure_deployed(COUNTER, artifacts=fixture_artifacts)

    assert read_count(platform_chain, addresses["Counter"], fixture_artifacts) == 41
    row = ContractDeployment.objects.get(name="Counter")
    assert (row.chain_id, row.address) == (31337, addresses["Counter"])
    assert row.block_number >= 1 and len(row.tx_hash) == 66


def test_a_second_call_on_the_same_chain_deploys_nothing(platform_chain, fixture_artifacts):
    first = ensure_deployed(COUNTER, artifacts=fixture_artifacts)
    block = get_web3(platform_chain).eth.block_number

    second = ensure_deployed(COUNTER, artifacts=fixture_artifacts)

    assert second == first
    assert get_web3(platform_chain).eth.block_number == block
    assert ContractDeployment.objects.count() == 1


def test_restart_with_persisted_state_keeps_the_ledger_and_skips_redeploy(
    tmp_path, settings, fixture_artifacts
):
    state = tmp_path / "anvil-state.json"
    node = AnvilNode(state_path=state)
    with node:
        settings.SCF_CHAIN_RPC_URL = node.url
        first = ensure_deployed(COUNTER, artifacts=fixture_artifacts)
        block_before = get_web3(node.url).eth.block_number
    assert state.exists()

    with AnvilNode(port=node.port, state_path=state) as restarted:
        again = ensure_deployed(COUNTER, artifacts=fixture_artifacts)
        assert again == first
        assert get_web3(restarted.url).eth.block_number == block_before
        assert read_count(restarted.url, again["Counter"], fixture_artifacts) == 41
    assert ContractDeployment.objects.count() == 1


def test_a_chain_that_lost_its_state_gets_a_fresh_deployment(tmp_path, settings,
                                                             fixture_artifacts):
    with AnvilNode(state_path=tmp_path / "a.json") as node:
        settings.SCF_CHAIN_RPC_URL = node.url
        ensure_deployed(COUNTER, artifacts=fixture_artifacts)
    # The state file is gone (a new machine, a wiped var/): the recorded address has no code.
    with AnvilNode(port=node.port, state_path=tmp_path / "b.json") as fresh:
        settings.SCF_CHAIN_RPC_URL = fresh.url
        addresses = ensure_deployed(COUNTER, artifacts=fixture_artifacts)
        assert read_count(fresh.url, addresses["Counter"], fixture_artifacts) == 41


def test_a_busy_port_is_reported_with_the_fix(anvil_node):
    with pytest.raises(ChainNodeError, match="SCF_ANVIL_PORT"):
        AnvilNode(port=anvil_node.port).start()
