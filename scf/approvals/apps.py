from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "scf.approvals"
    label = "approvals"
