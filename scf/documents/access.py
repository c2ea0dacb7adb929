"""Who may see the subject of a document, answered by the app that owns the subject through the
same selectors its API uses (so a document never shows what the API refuses). The apps register
a reader per document kind at start-up (AppConfig.ready); scf knows none of their models."""

from collections.abc import Callable

from scf.accounts.models import Role
from scf.accounts.permissions import can_write, has_role, is_member

# kind -> reads(user, subject_id) -> bool
SubjectReader = Callable[[object, int], bool]
_READERS: dict[str, SubjectReader] = {}


def register_subject_reader(kind: str, reader: SubjectReader) -> None:
    _READERS[kind] = reader


def subject_readable(*, user, kind: str, subject_id: int) -> bool:
    if not is_member(user):
        return False
    reader = _READERS.get(kind)
    return reader is not None and reader(user, subject_id)


def may_request_documents(user) -> bool:
    """Generating a document sends an anchoring transaction: only users who may act (not
    viewers, not suspended organisations) and not the regulator, who writes nothing but
    freezes. They may still read and download the documents the parties made."""
    return can_write(user) and has_role(user, Role.OPERATOR, Role.APPROVER, Role.ADMIN)
