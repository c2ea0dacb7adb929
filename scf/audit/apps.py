from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "scf.audit"
    label = "audit"
