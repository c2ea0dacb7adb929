from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scf.accounts"
    label = "accounts"
