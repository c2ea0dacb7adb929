"""Which banking subjects of documents a user may read: the same selectors as the API."""

from banking import selectors
from scf.documents.access import register_subject_reader
from scf.documents.models import Document


def _application(user, pk: int) -> bool:
    return selectors.financing_application_list(user=user).filter(pk=pk).exists()


def register() -> None:
    register_subject_reader(Document.Kind.FINANCING, _application)
