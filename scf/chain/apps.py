from django.apps import AppConfig


class ChainConfig(AppConfig):
    name = "scf.chain"
    label = "chain"
    verbose_name = "Chain gateway"
