"""Reads of the contracts' views that the receivables services check before they enqueue
anything (the chain is the authority; the projection may lag). Everything goes through
scf.chain: web3 is never imported here."""

import time
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from scf.accounts.models import ChainRole
from scf.chain.client import call_node, get_web3
from scf.chain.contracts import platform_contract
from scf.chain.indexer import read_piece, read_slot
from scf.chain.models import PieceState

HOLDER_ROLES = ChainRole.SUPPLIER | ChainRole.BANK
ZERO_HASH = "0x" + "0" * 64


@dataclass(frozen=True)
class ChainPiece:
    token_id: int
    owner: str
    root_id: int
    parent_id: int
    balance: int
    status: int
    lock_bank: str
    frozen: bool
    debtor: str
    bank: str
    maturity: int
    face_value: int

    @property
    def status_name(self) -> str:
        return PieceState.Status(self.status).name.lower()


def chain_piece(token_id: int) -> ChainPiece | None:
    """The piece as the ledger has it now, with its slot; None if there is no such piece."""
    piece = read_piece(token_id)
    if piece is None:
        return None
    slot = read_slot(piece["root_id"]) or {"debtor": "", "bank": "", "maturity": 0,
                                           "face_value": 0}
    return ChainPiece(token_id=token_id, owner=piece["owner"], root_id=piece["root_id"],
                      parent_id=piece["parent_id"], balance=piece["balance"],
                      status=piece["status"], lock_bank=piece["lock_bank"],
                      frozen=piece["frozen"], debtor=slot["debtor"], bank=slot["bank"],
                      maturity=slot["maturity"], face_value=slot["face_value"])


def is_chain_member(address: str, role: int) -> bool:
    """Active (registered, KYC unexpired, not suspended) member holding one of `role`'s bits."""
    return bool(call_node(platform_contract("MemberRegistry").functions.isMember(
        address, role).call))


def credit_available(*, bank_address: str, debtor_address: str) -> int:
    """Fen still available on the bank's line for the debtor (0 if none, frozen or expired)."""
    return int(call_node(platform_contract("CreditLines").functions.availableOf(
        bank_address, debtor_address).call))


def invoice_holder(invoice_hash: str) -> int:
    """The live root voucher an invoice hash backs on chain, 0 if none."""
    return int(call_node(platform_contract("VoucherLedger").functions.invoiceHolder(
        bytes.fromhex(invoice_hash.removeprefix("0x"))).call))


def chain_now() -> int:
    """Unix seconds of 'now' as the next block will see it: the later of the wall clock and the
    latest block's timestamp (a test chain may run ahead of the wall clock)."""
    w3 = get_web3()
    latest = call_node(lambda: w3.eth.get_block("latest")["timestamp"])
    return max(int(time.time()), int(latest))


# --- maturity --------------------------------------------------------------------------------
# A voucher is due ON its maturity date: on chain its maturity is 00:00 of that date in
# Asia/Shanghai. From that instant nothing moves and settlement is possible, so the clearing
# run can pay every holder during the maturity date itself (到期日兑付).

# Fixed, not settings.TIME_ZONE: what a date means on chain must not depend on a server setting.
MATURITY_ZONE = ZoneInfo("Asia/Shanghai")


def maturity_timestamp(maturity_date: date) -> int:
    return int(datetime.combine(maturity_date, datetime.min.time(),
                                tzinfo=MATURITY_ZONE).timestamp())


def maturity_date_of(timestamp: int) -> date | None:
    if not timestamp:
        return None
    return datetime.fromtimestamp(int(timestamp), tz=MATURITY_ZONE).date()


def today_in_shanghai() -> date:
    return datetime.now(tz=MATURITY_ZONE).date()
