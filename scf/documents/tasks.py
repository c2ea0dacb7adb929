"""Thin Celery tasks: generating a document (large ones take a while; progress is on the row)."""

from celery import shared_task

from scf.chain.errors import ChainUnavailableError


@shared_task(bind=True, name="documents.generate", acks_late=True, max_retries=5)
def document_generate_task(self, document_id: int) -> str:
    from scf.documents.services import document_generate

    try:
        return document_generate(document_id=document_id).status
    except ChainUnavailableError as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc


@shared_task(name="documents.resume")
def documents_resume_task() -> int:
    from scf.documents.services import documents_resume

    return documents_resume()
