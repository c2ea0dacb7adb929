from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "scf.documents"
    label = "documents"

    def ready(self) -> None:
        from scf.documents import hooks  # noqa: F401  (registers the anchoring outcome hook)
