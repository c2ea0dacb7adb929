from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scf.accounts"
    label = "accounts"

    def ready(self) -> None:
        from scf.accounts import grants

        grants.register()
