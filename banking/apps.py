"""Credit lines, financing applications, pricing, approvals and clearing."""
from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "banking"

    def ready(self) -> None:
        from banking import checks, documents, selectors, services
        from scf.accounts.models import OrganisationKind
        from scf.approvals.registry import register_action
        from scf.chain.checks import register_check
        from scf.chain.hooks import on_intent_outcome
        from scf.pieces.claims import register_claim_provider

        # A live financing application claims its piece: receivables will not move it.
        register_claim_provider("banking.financing_application",
                                selectors.financing_application_claim,
                                bulk=selectors.financing_application_claims)

        # Maker-checker actions; proposed only through banking's own endpoints (they validate
        # the payload and create the business row the payload points to).
        register_action(services.ACTION_CREDIT_LINE_SET, services.credit_line_set_execute,
                        organisation_kinds=[OrganisationKind.BANK])
        register_action(services.ACTION_FINANCING_QUOTE, services.financing_quote_execute,
                        organisation_kinds=[OrganisationKind.BANK])

        for function in ("setLine", "freezeLine", "unfreezeLine"):
            on_intent_outcome("CreditLines", function)(services.credit_line_change_on_outcome)
        for function in ("lockForFinancing", "approveFinancing", "declineFinancing",
                         "withdrawFinancing"):
            on_intent_outcome("VoucherLedger", function)(
                services.financing_operation_on_outcome)
        for function in ("settle", "markOverdue"):
            on_intent_outcome("VoucherLedger", function)(services.clearing_operation_on_outcome)
        documents.register()
        # What the reconciler checks of banking's records against the chain.
        register_check(checks.CREDIT_LINES, checks.credit_lines_check)
        register_check(checks.FINANCINGS, checks.financings_check)
        register_check(checks.CLEARING, checks.clearing_check)
