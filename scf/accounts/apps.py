from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scf.accounts"
    label = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from scf.accounts import (
            grants,
            schema,  # noqa: F401  (registers the OpenAPI extensions)
        )
        from scf.accounts.security import lockout_audit

        grants.register()
        user_locked_out.connect(lockout_audit, dispatch_uid="scf-accounts-lockout-audit")
