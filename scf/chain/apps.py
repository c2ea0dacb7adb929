from django.apps import AppConfig


class ChainConfig(AppConfig):
    name = "scf.chain"
    label = "chain"
    verbose_name = "Chain gateway"

    def ready(self) -> None:
        from scf.chain import intent_receipts, reconcile
        from scf.chain.checks import register_check

        # The gateway's own reconcile checks; the apps register theirs in their ready().
        register_check(intent_receipts.NAME, intent_receipts.confirmed_intents_check)
        register_check(reconcile.NAME, reconcile.projection_check)
