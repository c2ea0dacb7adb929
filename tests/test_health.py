import os
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scf.accounts.models import OrganisationKind, Role
from scf.chain.client import get_web3
from scf.chain.models import ChainAccount, ChainCursor, ChainIntent, ContractDeployment
from tests.factories import api_client, member_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """The details are for the platform operator's users (see the tests at the end)."""
    return api_client(member_factory(OrganisationKind.PLATFORM, Role.OPERATOR))


def index_to_head() -> int:
    head = get_web3().eth.block_number
    ChainCursor.objects.update_or_create(chain_id=31337, defaults={"block_number": head})
    return head


def test_health_all_up_reports_each_part(client, platform_chain):
    index_to_head()
    ContractDeployment.objects.create(chain_id=31337, name="VoucherLedger", code_hash="0x01",
                                      address="0x" + "ab" * 20, tx_hash="0x" + "00" * 32,
                                      block_number=1)

    response = client.get("/api/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert body["checks"]["database"] == {"ok": True, "vendor": connection.vendor}
    chain = body["checks"]["chain"]
    assert chain["chain_id"] == 31337 and chain["latest_block"] >= 0
    assert chain["contracts"] == {"VoucherLedger": "0x" + "ab" * 20}


def test_an_operation_stuck_past_the_resume_interval_makes_the_platform_degraded(
        client, settings, platform_chain):
    index_to_head()
    account = ChainAccount.objects.create(address="0x" + "12" * 20, encrypted_key="-")
    stuck = ChainIntent.objects.create(idempotency_key="stuck", sender=account,
                                       contract="VoucherLedger", function="transferValue")
    ChainIntent.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.SCF_CHAIN_RESUME_AFTER + 5))

    response = client.get("/api/health")

    assert response.status_code == 200, response.json()  # degraded, not down
    body = response.json()
    assert body["status"] == "degraded" and body["degraded"] == ["gateway"]
    gateway = body["checks"]["gateway"]
    assert gateway["stuck_intents"] == 1 and gateway["oldest_stuck_seconds"] >= 5
    assert "not final" in gateway["warning"]
    ChainIntent.objects.filter(pk=stuck.pk).update(status=ChainIntent.Status.CONFIRMED)
    assert client.get("/api/health").json()["status"] == "ok"


def test_an_indexer_behind_the_node_makes_the_platform_degraded(client, settings, platform_chain):
    head = index_to_head()
    settings.SCF_INDEXER_MAX_LAG = 0
    ChainCursor.objects.filter(chain_id=31337).update(block_number=head - 1)

    body = client.get("/api/health").json()

    assert body["status"] == "degraded"
    assert body["checks"]["gateway"]["indexer_lag_blocks"] == 1
    assert "blocks behind" in body["checks"]["gateway"]["warning"]


def test_a_node_below_the_indexed_height_lost_blocks_and_makes_the_platform_degraded(
        client, platform_chain):
    head = index_to_head()
    ChainCursor.objects.filter(chain_id=31337).update(block_number=head + 2)  # what it had

    body = client.get("/api/health").json()

    assert body["status"] == "degraded"
    assert body["checks"]["gateway"]["indexer_lag_blocks"] == -2
    assert "lost blocks" in body["checks"]["gateway"]["warning"]


def test_health_runs_on_postgresql_when_database_url_names_it():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("DATABASE_URL does not name PostgreSQL (the CI run does)")
    assert connection.vendor == "postgresql"


def test_chain_down_gives_503_naming_the_chain(client, settings, anvil_node):
    from scf.chain.node import free_port

    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"

    response = client.get("/api/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down" and body["down"] == ["chain"]
    assert settings.SCF_CHAIN_RPC_URL in body["checks"]["chain"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_wrong_chain_id_is_reported(client, settings, platform_chain):
    settings.SCF_CHAIN_ID = 1

    body = client.get("/api/health").json()

    assert body["down"] == ["chain"]
    assert "31337" in body["checks"]["chain"]["error"]


def test_broker_down_gives_503_naming_the_broker(client, settings, platform_chain):
    from scf.chain.node import free_port

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/api/health")

    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert "Broker unavailable" in response.json()["checks"]["broker"]["error"]


# --- who sees what (issue 11, defect 9) -------------------------------------------------------

@pytest.mark.parametrize("kind", [None, OrganisationKind.SUPPLIER, OrganisationKind.REGULATOR,
                                  OrganisationKind.BANK])
def test_others_see_only_the_status(kind, platform_chain):
    caller = api_client(member_factory(kind, Role.ADMIN) if kind else None)

    response = caller.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_others_see_only_the_status_when_down_and_still_get_503(settings, anvil_node):
    from scf.chain.node import free_port

    settings.SCF_CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"

    response = api_client().get("/api/health")

    assert response.status_code == 503
    assert response.json() == {"status": "down"}
