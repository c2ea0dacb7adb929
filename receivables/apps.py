"""Trades, invoices, vouchers, splits, transfers and lineage."""
from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "receivables"

    def ready(self) -> None:
        from receivables import documents, hooks

        hooks.connect()
        documents.register()
