"""Banking test helpers: organisations onboarded on the session's anvil node, and vouchers made
directly on the ledger (receivables/ has its own API; these tests need only pieces on chain).

Tests that drive the API run with transaction=True so that chain intents execute when the
service's transaction commits, as they do in production's eager mode: the 202 answer is final."""

import hashlib
import itertools
from dataclasses import dataclass

import pytest

from scf import clock
from scf.accounts.models import Organisation, OrganisationKind, Role
from scf.chain.indexer import index_until_head
from scf.chain.models import ChainIntent
from scf.chain.node import chain_travel
from scf.chain.outbox import intent_execute
from scf.chain.readers import chain_now
from scf.chain.services import organisation_intent_enqueue
from tests.factories import api_client, fast_password_hasher  # noqa: F401  (fixture)

DAY = 86_400
K = OrganisationKind
_keys = itertools.count(1)


def execute(intent: ChainIntent) -> ChainIntent:
    """Run the intent now (a no-op when the commit already ran it) and insist it confirmed."""
    status = intent_execute(intent_id=intent.pk)
    intent.refresh_from_db()
    assert status == ChainIntent.Status.CONFIRMED, (intent.error_name, intent.error_args)
    return intent


def send(organisation: Organisation, contract: str, function: str, args: list) -> ChainIntent:
    """A transaction from the organisation's own account, straight on the ledger."""
    intent = organisation_intent_enqueue(
        organisation=organisation, contract=contract, function=function, args=args,
        idempotency_key=f"test-banking:{function}:{next(_keys)}")
    return execute(intent)


def events(intent: ChainIntent, name: str) -> list[dict]:
    return [e["args"] for e in intent.result["events"] if e["event"] == name]


def address(organisation: Organisation) -> str:
    return organisation.chain_account.address


def set_line(bank: Organisation, core: Organisation, limit_fen: int, *,
             days: int = 365) -> None:
    send(bank, "CreditLines", "setLine", [address(core), str(limit_fen), chain_now() + days * DAY])


# The invoice number the tests cite when they apply for financing.
INVOICE = "24312000000000012345"


def issue(core: Organisation, bank: Organisation, supplier: Organisation, face_fen: int, *,
          days: int = 90, accept: bool = True, maturity: int | None = None,
          invoice_numbers: tuple[str, ...] = (INVOICE,)) -> int:
    """Issue a root voucher against the core's line from `bank`, accepted by the supplier,
    maturing `days` from now (or at the unix second `maturity`); returns its token id. Its trade
    background (a contract and `invoice_numbers`) is recorded as receivables would have."""
    n = next(_keys)
    invoice = hashlib.sha256(f"invoice-{n}".encode()).hexdigest()
    maturity = maturity if maturity is not None else chain_now() + days * DAY
    intent = send(core, "VoucherLedger", "issue",
                  [address(bank), address(supplier), str(face_fen), maturity,
                   "0x" + "ab" * 32, ["0x" + invoice]])
    token_id = int(events(intent, "VoucherIssued")[0]["tokenId"])
    record_background(core, bank, supplier, token_id, face_fen, maturity, invoice, invoice_numbers)
    if accept:
        send(supplier, "VoucherLedger", "accept", [str(token_id)])
    index_until_head()
    return token_id


def record_background(core, bank, supplier, token_id: int, face_fen: int, maturity: int,
                      invoice_hash: str, invoice_numbers) -> None:
    """The receivables rows the API writes for an issued voucher, for a voucher these tests send
    straight to the chain: a financing may only cite invoices of its voucher's background."""
    from receivables.models import Invoice, TradeContract, Voucher, VoucherInvoice

    user = core.users.first()
    contract = TradeContract.objects.create(
        debtor=core, supplier=supplier, number=f"HT-{token_id}-{next(_keys)}", title="采购合同",
        amount_fen=face_fen, signed_on=clock.today(), chain_hash=f"0x{invoice_hash}"[:66],
        created_by=user)
    voucher = Voucher.objects.create(
        debtor=core, supplier=supplier, bank=bank, trade_contract=contract,
        face_value_fen=face_fen, maturity_date=clock.date_of(maturity), maturity_at=maturity,
        status=Voucher.Status.ACCEPTED, proposed_by=user, token_id=token_id)
    for number in invoice_numbers:
        invoice = Invoice.objects.create(
            trade_contract=contract, number=number, amount_fen=face_fen, issued_on=clock.today(),
            chain_hash=f"0x{hashlib.sha256(f'{token_id}:{number}'.encode()).hexdigest()}",
            created_by=user)
        VoucherInvoice.objects.create(voucher=voucher, invoice=invoice)


def split(holder: Organisation, token_id: int, values: list[int]) -> list[int]:
    intent = send(holder, "VoucherLedger", "split", [str(token_id), [str(v) for v in values]])
    index_until_head()
    return [int(e["tokenId"]) for e in events(intent, "PieceDerived")]


def transfer(holder: Organisation, token_id: int, to: Organisation, value: int) -> int:
    intent = send(holder, "VoucherLedger", "transferValue", [str(token_id), address(to),
                                                             str(value)])
    index_until_head()
    return int(events(intent, "PieceDerived")[0]["tokenId"])


def piece(token_id: int, *, ledger=None):
    """pieceOf straight from the contract (pass `ledger` to reuse one contract object)."""
    from scf.chain.contracts import platform_contract

    ledger = ledger or platform_contract("VoucherLedger")
    owner, root, parent, balance, status, lock_bank, frozen = ledger.functions.pieceOf(
        token_id).call()
    return {"owner": owner, "root": root, "parent": parent, "balance": balance,
            "status": status, "lock_bank": lock_bank, "frozen": frozen}


def line_of(bank: Organisation, core: Organisation) -> dict:
    from scf.chain.contracts import platform_contract

    limit, used, expiry, frozen = platform_contract("CreditLines").functions.lineOf(
        address(bank), address(core)).call()
    return {"limit": limit, "used": used, "expiry": expiry, "frozen": frozen}


@pytest.fixture
def travel(anvil_rpc_url):
    """travel(seconds): move the chain's clock forward and mine a block."""
    def move(seconds: int) -> None:
        chain_travel(seconds, anvil_rpc_url)  # and the platform's pre-flight clock with it
    return move


@dataclass
class World:
    bank: Organisation
    bank2: Organisation
    core: Organisation
    supplier: Organisation
    supplier2: Organisation

    def client(self, organisation: Organisation, role: str = Role.OPERATOR):
        return api_client(organisation.users_by_role[role])


@pytest.fixture
def world(onboard, settings, tmp_path) -> World:
    """Two banks, a core enterprise with a ¥10,000,000.00 line from the first bank, and two
    suppliers; each with an operator and an approver (banks also a viewer)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    roles = (Role.OPERATOR, Role.APPROVER, Role.VIEWER)
    w = World(bank=onboard(K.BANK, *roles), bank2=onboard(K.BANK, *roles),
              core=onboard(K.CORE_ENTERPRISE, *roles), supplier=onboard(K.SUPPLIER, *roles),
              supplier2=onboard(K.SUPPLIER, *roles))
    set_line(w.bank, w.core, 1_000_000_000)
    index_until_head()
    return w
