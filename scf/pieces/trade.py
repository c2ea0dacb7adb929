"""The trade background of a root voucher, for apps that must check against it without
importing receivables (which owns trades and invoices and registers the provider in its
AppConfig.ready()): a financing may cite only the invoices that back the voucher it finances."""

from collections.abc import Callable

Provider = Callable[[int], set[str]]
_provider: list[Provider] = []


def register_root_invoices_provider(provider: Provider) -> Provider:
    _provider[:] = [provider]
    return provider


def root_invoice_numbers(root_id: int) -> set[str]:
    """The numbers of the invoices that back the root voucher `root_id` (none if unknown)."""
    if not _provider:
        raise RuntimeError("no trade background provider registered: is receivables installed?")
    return _provider[0](root_id)
