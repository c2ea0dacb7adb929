"""Reads of KYC cases and documents, scoped to what the user may see."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from scf.accounts.permissions import (
    ForbiddenError,
    is_member,
    is_platform_operator,
    owns,
    reads_all_organisations,
)
from scf.kyc.models import KycCase, KycDocument


def kyc_case_list(*, user) -> QuerySet[KycCase]:
    """Every case for the platform operator and the regulator; one's own for others."""
    if not is_member(user):
        return KycCase.objects.none()
    cases = KycCase.objects.select_related("organisation").prefetch_related(
        Prefetch("documents", queryset=KycDocument.objects.filter(is_current=True)))
    if reads_all_organisations(user):
        return cases
    return cases.filter(organisation_id=user.organisation_id)


def kyc_case_get(*, user, pk: int) -> KycCase:
    return get_object_or_404(kyc_case_list(user=user), pk=pk)


def kyc_review_queue(*, user) -> QuerySet[KycCase]:
    """Submitted cases, oldest submission first (the platform operator's queue)."""
    return kyc_case_list(user=user).filter(status=KycCase.Status.SUBMITTED).order_by(
        "submitted_at", "pk")


def kyc_document_get_for_download(*, user, pk: int) -> KycDocument:
    """Documents (identity papers among them) are for the organisation itself and the platform
    operator who reviews them: the regulator sees the case and the hashes, not the files."""
    document = get_object_or_404(
        KycDocument.objects.select_related("case"),
        pk=pk, case__in=kyc_case_list(user=user))
    if not (owns(user, document.case.organisation_id) or is_platform_operator(user)):
        raise ForbiddenError("无权下载该文件 / You may not download this document")
    return document
