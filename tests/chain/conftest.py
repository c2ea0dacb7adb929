import time

import pytest

from scf.chain.services import chain_account_create, intent_enqueue, operator_chain_account

SUPPLIER = 2


def register_member_intent(account, *, key: str, roles: int = SUPPLIER):
    return intent_enqueue(
        sender=operator_chain_account(), contract="MemberRegistry", function="registerMember",
        args=[account.address, roles, int(time.time()) + 365 * 86400, "0x" + "11" * 32],
        idempotency_key=key)


@pytest.fixture
def new_account(db):
    counter = iter(range(1000))
    return lambda: chain_account_create(label=f"test member {next(counter)}")
