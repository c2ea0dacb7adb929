"""`manage.py demo` on the test chain: the counts it promises, conservation on chain for every
root it issued, and a second run refused."""

import io
import time

import pytest
from django.core.management import CommandError, call_command

from banking.models import FinancingApplication
from receivables.models import Voucher
from scf.accounts.capabilities import capabilities_for
from scf.accounts.grants import ROLE_GRANT_ACTION
from scf.accounts.models import ChainRole, Organisation, OrganisationKind, User
from scf.approvals.models import ApprovalRequest
from scf.audit.models import AuditEntry
from scf.chain.contracts import platform_contract
from scf.chain.models import PieceState
from tests.factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)

LIVE = {PieceState.Status.PENDING, PieceState.Status.ACTIVE, PieceState.Status.LOCKED,
        PieceState.Status.OVERDUE}


def member_roles(address: str) -> int:
    return platform_contract("MemberRegistry").functions.memberOf(address).call()[1]


def test_demo_seeds_the_scenario_once(platform, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SCF_CHAIN_EMBEDDED = True  # the test node is a local anvil: time travel allowed
    out = io.StringIO()
    started = time.monotonic()

    call_command("demo", stdout=out)

    elapsed = time.monotonic() - started
    output = out.getvalue()
    print(output, f"demo took {elapsed:.1f} s")
    K = OrganisationKind
    kinds = {kind: Organisation.objects.filter(kind=kind).count() for kind in K.values}
    assert kinds == {K.PLATFORM: 1, K.BANK: 2, K.CORE_ENTERPRISE: 2, K.SUPPLIER: 12,
                     K.REGULATOR: 1}
    assert all(o.chain_account_id for o in Organisation.objects.exclude(kind=K.PLATFORM))
    # Onboarded as through the API: each organisation's users created by its own administrator
    # (approver roles granted with maker-checker), the regulator's included, whose operator may
    # then freeze and whose chain account holds the regulator's role.
    regulator = Organisation.objects.get(kind=K.REGULATOR)
    assert member_roles(regulator.chain_account.address) == ChainRole.REGULATOR
    assert capabilities_for(User.objects.get(username="regulator_operator"))["freeze"]
    created_by = {entry.actor.username for entry in AuditEntry.objects.filter(
        action="user.create", organisation=regulator)}
    assert created_by == {"platform_admin", "regulator_admin"}  # the first admin, the others
    assert ApprovalRequest.objects.filter(action=ROLE_GRANT_ACTION, status="executed").count() \
        == Organisation.objects.exclude(kind__in=[K.PLATFORM, K.REGULATOR]).count()
    assert "demo-password-2026" in output and "core1_operator" in output
    assert User.objects.get(username="core1_operator").check_password("demo-password-2026")
    assert Voucher.objects.count() >= 18

    ledger = platform_contract("VoucherLedger").functions
    bank_addresses = {o.chain_account.address
                      for o in Organisation.objects.filter(kind=K.BANK)}
    pieces = {}
    for token_id in range(1, ledger.nextTokenId().call()):
        owner, root, parent, balance, status, lock_bank, frozen = ledger.pieceOf(token_id).call()
        pieces[token_id] = (owner, root, balance, PieceState.Status(status))
    roots = {root for _, root, _, _ in pieces.values() if root}
    assert roots == set(Voucher.objects.exclude(token_id=None).values_list("token_id", flat=True))
    settled_roots = 0
    for root in roots:
        face, settled = ledger.slotInfo(root).call()[3:5]
        live = sum(balance for _, r, balance, status in pieces.values()
                   if r == root and status in LIVE)
        if settled:
            assert settled == face and live == 0, root
            settled_roots += 1
        else:
            assert live == face, root
    assert settled_roots >= 1
    financed = FinancingApplication.objects.filter(status__in=["financed", "disbursed"])
    assert any(pieces[a.locked_token_id][0] in bank_addresses
               and pieces[a.locked_token_id][3] == PieceState.Status.ACTIVE for a in financed)
    assert financed.filter(status="disbursed").exists()

    with pytest.raises(CommandError, match="already has organisations"):
        call_command("demo", stdout=io.StringIO())
