"""Trades, invoices, vouchers, splits, transfers and lineage."""
from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "receivables"

    def ready(self) -> None:
        from receivables import checks, documents, hooks, selectors, services
        from scf.chain.checks import register_check
        from scf.pieces.claims import register_claim_provider
        from scf.pieces.notices import register_debtor_notice_recorder
        from scf.pieces.trade import register_root_invoices_provider

        hooks.connect()
        # What other apps must know of receivables' pieces, through scf's registries.
        register_claim_provider("receivables.operation_in_flight",
                                services.operation_in_flight_claim,
                                bulk=services.operation_in_flight_claims)
        register_debtor_notice_recorder(services.debtor_notice_record)
        register_root_invoices_provider(selectors.voucher_invoice_numbers)
        documents.register()
        register_check(checks.VOUCHERS, checks.vouchers_check)
        register_check(checks.PIECE_OPERATIONS, checks.piece_operations_check)
