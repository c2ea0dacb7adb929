"""Shared fixtures: a real anvil node for the whole session, reset by snapshot/revert per test,
and the compiled platform contracts."""

import os

import pytest

from scf.chain.client import get_web3
from scf.chain.compiler import compile_contracts
from scf.chain.node import AnvilNode, rpc_call


def services_required() -> bool:
    """In CI the real services must be there: a missing one fails instead of skipping."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("SCF_REQUIRE_SERVICES")


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The sign-in throttles count in the cache: each test starts with none of another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def anvil_node():
    with AnvilNode(state_path=None) as node:
        yield node


@pytest.fixture(scope="session")
def anvil_rpc_url(anvil_node) -> str:
    return anvil_node.url


@pytest.fixture(scope="session")
def w3(anvil_rpc_url):
    return get_web3(anvil_rpc_url)


@pytest.fixture(scope="session")
def compiled_contracts():
    return compile_contracts()


@pytest.fixture
def chain_snapshot(anvil_rpc_url):
    """Every test starts from the same chain state and leaves none behind."""
    snapshot_id = rpc_call(anvil_rpc_url, "evm_snapshot")
    yield snapshot_id
    rpc_call(anvil_rpc_url, "evm_revert", [snapshot_id])


@pytest.fixture
def platform_chain(settings, anvil_rpc_url, chain_snapshot):
    """Django pointed at the session's anvil node, with the chain reset after the test."""
    settings.SCF_CHAIN_RPC_URL = anvil_rpc_url
    settings.SCF_CHAIN_ID = 31337
    return anvil_rpc_url


@pytest.fixture
def platform(platform_chain, compiled_contracts, db):
    """The three platform contracts deployed on the session's anvil (reverted after the test)."""
    from scf.chain.deployment import ensure_deployed

    return ensure_deployed(artifacts=compiled_contracts)


@pytest.fixture
def onboard(platform):
    """onboard(kind, *roles) -> an organisation registered in the member registry on chain
    (KYC approved for a year), with one user per role given (default: operator + approver)."""
    from datetime import timedelta

    from django.utils import timezone

    from scf.accounts.models import Role
    from scf.accounts.services import member_register_or_update
    from scf.chain.outbox import intent_execute
    from tests.factories import organisation_factory, user_factory

    def make(kind, *roles, **fields):
        organisation = organisation_factory(kind, **fields)
        users = {role: user_factory(organisation, role)
                 for role in (roles or (Role.OPERATOR, Role.APPROVER))}
        intent = member_register_or_update(
            organisation=organisation, expires_on=timezone.localdate() + timedelta(days=365),
            requested_by=None, case_pk=0, revision=0)
        assert intent_execute(intent_id=intent.pk) == "confirmed", intent.error_message
        organisation.refresh_from_db()
        organisation.users_by_role = users
        return organisation

    return make
