"""A document asked for while the broker is down: the answer is the usual 202, the document
stays queued, and the resume task (documents.resume) generates it once the broker is back."""

from datetime import timedelta

import pytest

from scf.documents.models import Document
from scf.documents.services import documents_resume
from tests.broker import broker_down

pytestmark = pytest.mark.django_db


def test_a_document_asked_for_with_the_broker_down_is_generated_by_the_resume_task(
        api, cast, settings, caplog):
    voucher = api.issue(cast.core, cast.tier1, cast.bank, face_value_fen=100_000_00)
    holder = cast.tier1.users_by_role["operator"]

    with broker_down(settings):
        body = api.ok(api.post(holder, "/api/documents/generate",
                               {"kind": "certificate", "subject_id": voucher["token_id"]}), 202)
        assert Document.objects.get(pk=body["id"]).status == Document.Status.QUEUED
        assert "broker unreachable" in caplog.text
        assert documents_resume(older_than=timedelta(hours=1)) == 0  # not stale yet

    assert documents_resume(older_than=timedelta(0)) == 1  # the broker is back (eager here)
    document = Document.objects.get(pk=body["id"])
    assert document.status in (Document.Status.ANCHORING, Document.Status.ANCHORED)
    assert document.sha256 and document.size > 0
