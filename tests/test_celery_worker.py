"""A task's round trip through a real Celery worker on Redis (eager mode everywhere else)."""

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery
from celery.result import allow_join_result

from tests.conftest import skip_or_fail

REDIS_URL = os.environ.get("SCF_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.services
def test_task_round_trip_through_a_real_worker_on_redis(tmp_path):
    if not redis_available():
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL,
           "SCF_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the ping task needs no database
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "scf", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    # Not the current app: shared tasks must keep resolving to the eager scf app afterwards.
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    try:
        result = client.send_task("scf.ping", args=["hello"], queue=queue)
        # Celery marks "inside a task" in one process-wide flag that eager tasks set and reset;
        # two run at once in threads (the concurrency tests' workers) can leave it set. This
        # test is a client waiting on a real worker, not a task: waiting is allowed.
        with allow_join_result():
            reply = result.get(timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert reply["pong"] == "hello", output
    assert reply["worker"]
