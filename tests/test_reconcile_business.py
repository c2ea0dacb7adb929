"""The reconciler over the business records: on the demo's scenario (vouchers issued, accepted
and rejected, split, transferred, financed, cleared) chain and database agree; each app's check
finds the business row that says what the chain does not."""

import io

import pytest
from django.core.management import CommandError, call_command

from banking.models import ClearingItem, CreditLine, FinancingApplication
from receivables.models import PieceOperation, Voucher
from scf.accounts.models import Organisation, OrganisationKind
from scf.chain.indexer import index_until_head
from scf.chain.models import PieceState, ReconcileRun
from scf.chain.readers import PieceStatus
from scf.chain.reconcile_run import reconcile_run
from tests.factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(platform, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SCF_CHAIN_EMBEDDED = True  # the test node is a local anvil: time travel allowed
    call_command("demo", stdout=io.StringIO())
    index_until_head()


def checks_of(run: ReconcileRun) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in run.findings:
        found.setdefault(finding["check"], []).append(f"{finding['subject']}: "
                                                      f"{finding['message']}")
    return found


def test_the_demo_scenario_reconciles_clean_and_each_check_finds_its_drift(demo):
    # The scenario has what each check looks at (else "no drift" proves nothing).
    assert Voucher.objects.filter(status=Voucher.Status.ACCEPTED).exists()
    assert PieceOperation.objects.filter(status="confirmed", kind="split").exists()
    assert CreditLine.objects.filter(status=CreditLine.Status.ACTIVE).exists()
    assert FinancingApplication.objects.filter(status__in=["financed", "disbursed"]).exists()
    assert ClearingItem.objects.filter(status=ClearingItem.Status.SETTLED).exists()
    out = io.StringIO()
    call_command("reconcile", "--full", stdout=out)
    assert "Chain and database agree (every row" in out.getvalue()

    # Business rows that say what the chain does not (as a lost block or a bad hook would).
    voucher = Voucher.objects.filter(status=Voucher.Status.ACCEPTED).first()
    Voucher.objects.filter(pk=voucher.pk).update(face_value_fen=voucher.face_value_fen + 1)
    split = PieceOperation.objects.filter(status="confirmed", kind="split").first()
    PieceOperation.objects.filter(pk=split.pk).update(new_token_ids=[*split.new_token_ids,
                                                                     10**9])
    line = CreditLine.objects.filter(status=CreditLine.Status.ACTIVE).first()
    CreditLine.objects.filter(pk=line.pk).update(status=CreditLine.Status.FROZEN)
    financed = FinancingApplication.objects.filter(status__in=["financed", "disbursed"]).first()
    other_bank = Organisation.objects.filter(kind=OrganisationKind.BANK).exclude(
        pk=financed.lock_bank_id).first()
    FinancingApplication.objects.filter(pk=financed.pk).update(lock_bank=other_bank)
    settled = ClearingItem.objects.filter(status=ClearingItem.Status.SETTLED).first()
    active = PieceState.objects.filter(status=PieceStatus.ACTIVE).exclude(
        token_id__in=ClearingItem.objects.values("token_id")).first()
    unsettled = ClearingItem.objects.create(
        batch=settled.batch, root_id=active.root_id, token_id=active.token_id,
        maturity=settled.maturity, holder_address=active.owner, amount_fen=active.balance,
        chain_status=active.status, status=ClearingItem.Status.SETTLED)

    with pytest.raises(CommandError, match="5 difference"):
        call_command("reconcile", stdout=io.StringIO())

    found = checks_of(ReconcileRun.objects.first())
    assert found["receivables.vouchers"] == [
        f"voucher {voucher.pk} (token {voucher.token_id}) [accepted]: face_value: "
        f"chain={voucher.face_value_fen} database={voucher.face_value_fen + 1}"]
    assert found["receivables.piece_operations"] == [
        f"piece operation {split.pk} (split) piece {10**9}: confirmed, but no such piece on "
        "chain"]
    assert found["banking.credit_lines"] == [
        f"credit line {line.pk} [frozen]: frozen: chain=False database=True"]
    assert len(found["banking.financings"]) == 1
    assert f"financing application {financed.pk} " in found["banking.financings"][0]
    assert other_bank.chain_account.address in found["banking.financings"][0]
    assert found["banking.clearing"] == [
        f"clearing item {unsettled.pk} of batch {unsettled.batch_id} piece {unsettled.token_id}"
        ": settled, but active on chain"]
    assert set(found) == {"receivables.vouchers", "receivables.piece_operations",
                          "banking.credit_lines", "banking.financings", "banking.clearing"}


def test_a_vanished_split_is_found_by_the_intents_and_the_operations_checks(demo,
                                                                          anvil_rpc_url):
    """The node loses the block of a split after its outcome hook marked it confirmed."""
    from receivables.services import piece_split
    from scf.chain.node import rpc_call

    assert reconcile_run(full=True).drift_count == 0
    suppliers = {o.chain_account.address: o for o in Organisation.objects.filter(
        kind=OrganisationKind.SUPPLIER).select_related("chain_account")}
    piece = next(p for p in PieceState.objects.filter(status=PieceStatus.ACTIVE, frozen=False)
                 if p.owner in suppliers and p.balance >= 2)
    holder = suppliers[piece.owner]
    user = next(u for u in holder.users.all() if "operator" in u.role_names)
    snapshot = rpc_call(anvil_rpc_url, "evm_snapshot")
    operation = piece_split(user=user, token_id=piece.token_id,
                            amounts_fen=[1, piece.balance - 1])
    operation.refresh_from_db()
    assert operation.status == PieceOperation.Status.CONFIRMED
    rpc_call(anvil_rpc_url, "evm_revert", [snapshot])
    index_until_head()

    found = checks_of(reconcile_run())

    assert set(found) == {"chain.intents", "receivables.piece_operations"}, found
    assert f"piece operation {operation.pk} [confirmed]" in found["chain.intents"][0]
    assert "no such piece on chain" in found["receivables.piece_operations"][0]
