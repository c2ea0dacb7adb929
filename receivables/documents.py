"""Which receivables subjects of documents a user may read: the same selectors as the API."""

from receivables import selectors
from scf.documents.access import register_subject_reader
from scf.documents.models import Document


def _piece(user, token_id: int) -> bool:
    return selectors.piece_list(user=user).filter(token_id=token_id).exists()


def _notice(user, pk: int) -> bool:
    return selectors.debtor_notice_list(user=user).filter(pk=pk).exists()


def _root(user, root_id: int) -> bool:
    """A settlement statement: the voucher's debtor, first holder or bank, or any holder of one
    of its pieces (each of whom gets a statement of their own part)."""
    return (selectors.voucher_list(user=user).filter(token_id=root_id).exists()
            or selectors.piece_list(user=user).filter(root_id=root_id).exists())


def register() -> None:
    register_subject_reader(Document.Kind.CERTIFICATE, _piece)
    register_subject_reader(Document.Kind.DEBTOR_NOTICE, _notice)
    register_subject_reader(Document.Kind.SETTLEMENT, _root)
