"""The contracts' limits, read from their public constants once per deployment: the platform
validates against the numbers the contracts enforce, never against copies that could drift."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings

from scf.chain.client import call_batch
from scf.chain.contracts import platform_contract


@dataclass(frozen=True)
class ChainLimits:
    max_invoices: int  # VoucherLedger.MAX_INVOICES: invoice hashes one issue may cite
    max_split: int  # VoucherLedger.MAX_SPLIT: new pieces one split may create
    max_batch: int  # VoucherLedger.MAX_BATCH: pieces per settle / markOverdue call
    max_grace_period: int  # VoucherLedger.MAX_GRACE_PERIOD, seconds
    max_limit: int  # CreditLines.MAX_LIMIT: the largest credit line, fen

    @property
    def max_amount(self) -> int:
        """The largest face value or amount, in fen. VoucherLedger.issue bounds a face value by
        type(uint96).max without naming a constant, and stores balances in 96 bits; a face value
        is consumed from a credit line, whose limit CreditLines bounds by MAX_LIMIT
        (type(uint96).max as well). Every amount is at most a face value."""
        return self.max_limit


def chain_limits() -> ChainLimits:
    """The limits of the deployed contracts (one batched read, then cached per deployment)."""
    ledger = platform_contract("VoucherLedger")
    credit = platform_contract("CreditLines")
    return _limits_of(settings.SCF_CHAIN_RPC_URL, ledger.address, credit.address)


@cache
def _limits_of(rpc_url: str, ledger_address: str, credit_address: str) -> ChainLimits:
    # Constants are part of the code at an address: new contracts mean new addresses, so the
    # addresses key the cache (rpc_url too: another node may hold other code there).
    ledger = platform_contract("VoucherLedger", rpc_url=rpc_url)
    credit = platform_contract("CreditLines", rpc_url=rpc_url)
    max_invoices, max_split, max_batch, max_grace_period, max_limit = call_batch(
        ledger.w3, [ledger.functions.MAX_INVOICES(), ledger.functions.MAX_SPLIT(),
                    ledger.functions.MAX_BATCH(), ledger.functions.MAX_GRACE_PERIOD(),
                    credit.functions.MAX_LIMIT()], rpc_url=rpc_url)
    return ChainLimits(max_invoices=int(max_invoices), max_split=int(max_split),
                       max_batch=int(max_batch), max_grace_period=int(max_grace_period),
                       max_limit=int(max_limit))
