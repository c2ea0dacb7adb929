"""The chain port's readers, limits and clock against the session's anvil node, checked with
the contracts' own views."""

import time

import pytest

from scf.accounts.models import OrganisationKind as K
from scf.chain import limits as chain_limits_module
from scf.chain import readers
from scf.chain.contracts import platform_contract
from scf.chain.limits import chain_limits
from scf.chain.node import rpc_call
from tests.banking.conftest import address, issue, set_line, split

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pieces(onboard):
    bank, core, supplier = onboard(K.BANK), onboard(K.CORE_ENTERPRISE), onboard(K.SUPPLIER)
    set_line(bank, core, 1_000_000)
    root = issue(core, bank, supplier, 1_000)
    return bank, core, supplier, root, split(supplier, root, [100, 200, 300])


def test_pieces_of_reads_in_one_batch_what_piece_of_reads_one_by_one(pieces):
    bank, core, supplier, root, derived = pieces
    unknown = 10_000
    batch = readers.pieces_of([root, *derived, unknown, root])
    assert list(batch) == [root, *derived, unknown]  # each once, in order
    assert batch[unknown] is None and readers.piece_of(unknown) is None
    for token_id in (root, *derived):
        assert batch[token_id] == readers.piece_of(token_id)
    owner, root_id, parent, balance, status, lock_bank, frozen = platform_contract(
        "VoucherLedger").functions.pieceOf(derived[0]).call()
    assert batch[derived[0]] == readers.ChainPiece(
        token_id=derived[0], owner=owner, root_id=root_id, parent_id=parent, balance=balance,
        status=status, lock_bank="", frozen=frozen)
    assert (owner, root_id, parent, balance) == (address(supplier), root, root, 100)
    assert batch[root].balance == 400


def test_a_piece_with_its_slot_answers_what_the_root_owes(pieces):
    bank, core, supplier, root, derived = pieces
    piece = readers.piece_of(derived[1], with_slot=True)
    slot = readers.slot_of(root)
    assert piece.slot == slot
    assert (piece.debtor, piece.bank, piece.face_value) == (address(core), address(bank), 1_000)
    assert piece.maturity == slot.maturity == platform_contract(
        "VoucherLedger").functions.slotInfo(root).call()[2]
    with pytest.raises(LookupError):
        readers.piece_of(derived[1]).maturity  # noqa: B018 (read without its slot)
    assert readers.slot_of(10_000) is None


def test_line_member_and_credit_readers(pieces):
    bank, core, supplier, root, derived = pieces
    line = readers.line_of(address(bank), address(core))
    assert line.exists and (line.limit, line.used) == (1_000_000, 1_000)
    assert readers.credit_available(bank_address=address(bank),
                                    debtor_address=address(core)) == 999_000
    assert not readers.line_of(address(core), address(bank)).exists
    member = readers.member_of(address(supplier))
    assert member is not None and not member.suspended
    assert readers.is_member(address(supplier), 2) and not readers.is_member(address(supplier), 4)
    assert readers.member_of("0x" + "12" * 20) is None


def test_the_limits_are_the_contracts_constants_read_once_per_deployment(platform):
    ledger = platform_contract("VoucherLedger").functions
    credit = platform_contract("CreditLines").functions
    chain_limits_module._limits_of.cache_clear()
    limits = chain_limits()
    assert (limits.max_invoices, limits.max_split, limits.max_batch, limits.max_grace_period,
            limits.max_limit) == (ledger.MAX_INVOICES().call(), ledger.MAX_SPLIT().call(),
                                  ledger.MAX_BATCH().call(), ledger.MAX_GRACE_PERIOD().call(),
                                  credit.MAX_LIMIT().call())
    assert limits.max_amount == limits.max_limit == 2**96 - 1
    assert chain_limits() is limits
    assert chain_limits_module._limits_of.cache_info().misses == 1


def test_chain_now_is_the_time_the_next_block_will_carry(platform, anvil_rpc_url):
    def latest() -> int:
        return int(rpc_call(anvil_rpc_url, "eth_getBlockByNumber", ["latest", False])[
            "timestamp"], 16)

    def mined_now() -> int:
        rpc_call(anvil_rpc_url, "evm_mine")
        return latest()

    # a node whose clock lags the wall clock (anvil winds it back on evm_revert): the node's
    # clock counts, not the wall clock's 2 s
    before = readers.chain_now()
    snapshot = rpc_call(anvil_rpc_url, "evm_snapshot")
    time.sleep(2.2)
    rpc_call(anvil_rpc_url, "evm_revert", [snapshot])
    now = readers.chain_now()
    assert now <= before + 1
    assert now <= mined_now() <= now + 1
    # a quiet chain: the latest block grows old, the next one will not be
    time.sleep(2.2)
    now = readers.chain_now()
    assert now >= latest() + 2
    assert now <= mined_now() <= now + 1
    # the node's clock moved ahead before anything is mined: the next block carries it
    rpc_call(anvil_rpc_url, "evm_increaseTime", [86_400])
    now = readers.chain_now()
    assert now > latest() + 80_000
    assert now <= mined_now() <= now + 1
