from django.apps import AppConfig


class KycConfig(AppConfig):
    name = "scf.kyc"
    label = "kyc"
