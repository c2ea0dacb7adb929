"""Deploy fixtures for the contract tests. The platform is deployed once per session, before
any snapshot is taken; every test then runs inside the session's snapshot/revert."""

import pytest

from tests.contracts.helpers import Platform, deploy_platform


@pytest.fixture(scope="session")
def platform(w3, compiled_contracts) -> Platform:
    return deploy_platform(w3, compiled_contracts)


@pytest.fixture(autouse=True)
def _isolated(platform, chain_snapshot):
    """Order matters: the session deployment exists before the per-test snapshot is taken."""
    yield


@pytest.fixture
def p(platform) -> Platform:
    """Short name for the deployed platform."""
    return platform
