from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "scf.documents"
    label = "documents"

    def ready(self) -> None:
        from scf.accounts.permissions import reads_all_organisations
        from scf.documents import hooks  # noqa: F401  (registers the anchoring outcome hook)
        from scf.documents.access import register_subject_reader
        from scf.documents.models import Document

        # An organisation's evidence package (一户一档): itself, the platform, the regulator.
        register_subject_reader(
            Document.Kind.EVIDENCE,
            lambda user, pk: reads_all_organisations(user) or user.organisation_id == pk)
