"""KYC: the organisation prepares and submits its case; the platform operator reviews it."""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts.models import OrganisationKind, Role
from scf.api.fields import ChoiceField, DateField, FileField, ReasonField
from scf.api.refs import OperationRefSerializer, OrganisationRefSerializer
from scf.kyc.filetypes import DocumentTypeError
from scf.kyc.filters import KycCaseFilter
from scf.kyc.models import KycDocument
from scf.kyc.selectors import (
    kyc_case_get,
    kyc_case_list,
    kyc_document_get_for_download,
    kyc_review_queue,
)
from scf.kyc.services import (
    kyc_case_approve,
    kyc_case_create,
    kyc_case_reject,
    kyc_case_resubmit,
    kyc_case_submit,
    kyc_document_upload,
    max_upload_bytes,
)

# Preparing one's own KYC is administration, not business: the regulator does it too.
CanPrepareKyc = perms.member_with(roles=[Role.OPERATOR, Role.ADMIN], administer=True)
CanSeeReviewQueue = perms.member_with(kinds=[OrganisationKind.PLATFORM])
CanReviewKyc = perms.member_with(kinds=[OrganisationKind.PLATFORM], roles=[Role.APPROVER],
                                 write=True)


class KycDocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return reverse("kyc-document-download", args=[document.pk])


class KycCaseOutputSerializer(serializers.Serializer):
    @extend_schema_serializer(component_name="KycCaseOrganisation")
    class OrganisationSerializer(OrganisationRefSerializer):
        credit_code = serializers.CharField()

    id = serializers.IntegerField()
    organisation = OrganisationSerializer()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    revision = serializers.IntegerField()
    # null until the case is submitted, reviewed, approved
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(source="submitted_by.username", default=None,
                                         allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", default=None,
                                        allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    rejection_reason = serializers.CharField()
    chain_intent = OperationRefSerializer(allow_null=True)
    documents = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(KycDocumentOutputSerializer(many=True))
    def get_documents(self, case):
        current = [doc for doc in case.documents.all() if doc.is_current]
        return KycDocumentOutputSerializer(current, many=True).data


class KycCaseListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = KycCaseOutputSerializer
    filterset_class = KycCaseFilter

    def get_queryset(self):
        return kyc_case_list(user=self.request.user).select_related(
            "submitted_by", "reviewed_by", "chain_intent")


class KycCaseDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=KycCaseOutputSerializer)
    def get(self, request, pk: int):
        return Response(KycCaseOutputSerializer(kyc_case_get(user=request.user, pk=pk)).data)


class KycCaseCreateApi(APIView):
    """Open the KYC case of one's own organisation."""

    permission_classes = [CanPrepareKyc]

    @extend_schema(request=None, responses={201: KycCaseOutputSerializer})
    def post(self, request):
        case = kyc_case_create(organisation=request.user.organisation, actor=request.user)
        return Response(KycCaseOutputSerializer(case).data, status=status.HTTP_201_CREATED)


class KycDocumentUploadApi(APIView):
    """Upload one document (multipart: kind, file). PDF, JPEG or PNG, judged by content."""

    permission_classes = [CanPrepareKyc]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="KycDocumentUploadInput")
    class InputSerializer(serializers.Serializer):
        kind = ChoiceField(choices=KycDocument.Kind.choices)
        file = FileField(allow_empty_file=True)

    def initial(self, request, *args, **kwargs):
        # Refuse an oversized body before it is parsed and spooled to disk.
        super().initial(request, *args, **kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_upload_bytes()
        if length > limit + 64 * 1024:
            raise DocumentTypeError(
                f"文件过大，上限 {limit} 字节 / The file is too large: at most {limit} bytes")

    @extend_schema(request={"multipart/form-data": InputSerializer},
                   responses={201: KycDocumentOutputSerializer})
    def post(self, request, pk: int):
        case = kyc_case_get(user=request.user, pk=pk)
        perms.require_owner(request.user, case.organisation_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = kyc_document_upload(case=case, actor=request.user,
                                       **serializer.validated_data)
        return Response(KycDocumentOutputSerializer(document).data,
                        status=status.HTTP_201_CREATED)


class KycCaseSubmitApi(APIView):
    permission_classes = [CanPrepareKyc]

    @extend_schema(request=None, responses=KycCaseOutputSerializer)
    def post(self, request, pk: int):
        case = kyc_case_get(user=request.user, pk=pk)
        perms.require_owner(request.user, case.organisation_id)
        case = kyc_case_submit(case=case, actor=request.user)
        return Response(KycCaseOutputSerializer(case).data)


class KycCaseResubmitApi(APIView):
    """Submit again after a rejection or an expiry."""

    permission_classes = [CanPrepareKyc]

    @extend_schema(request=None, responses=KycCaseOutputSerializer)
    def post(self, request, pk: int):
        case = kyc_case_get(user=request.user, pk=pk)
        perms.require_owner(request.user, case.organisation_id)
        case = kyc_case_resubmit(case=case, actor=request.user)
        return Response(KycCaseOutputSerializer(case).data)


class KycReviewQueueApi(ListAPIView):
    """The platform operator's queue of submitted cases, oldest first."""

    permission_classes = [CanSeeReviewQueue]
    serializer_class = KycCaseOutputSerializer

    def get_queryset(self):
        return kyc_review_queue(user=self.request.user).select_related(
            "submitted_by", "reviewed_by", "chain_intent")


class KycCaseApproveApi(APIView):
    """Approve until an expiry date; the organisation becomes a member on chain."""

    permission_classes = [CanReviewKyc]

    @extend_schema_serializer(component_name="KycCaseApproveInput")
    class InputSerializer(serializers.Serializer):
        expires_on = DateField()

    @extend_schema(request=InputSerializer, responses=KycCaseOutputSerializer)
    def post(self, request, pk: int):
        case = kyc_case_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = kyc_case_approve(case=case, actor=request.user,
                                expires_on=serializer.validated_data["expires_on"])
        return Response(KycCaseOutputSerializer(case).data)


class KycCaseRejectApi(APIView):
    permission_classes = [CanReviewKyc]

    @extend_schema_serializer(component_name="KycCaseRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = ReasonField()

    @extend_schema(request=InputSerializer, responses=KycCaseOutputSerializer)
    def post(self, request, pk: int):
        case = kyc_case_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = kyc_case_reject(case=case, actor=request.user,
                               reason=serializer.validated_data["reason"])
        return Response(KycCaseOutputSerializer(case).data)


class KycDocumentDownloadApi(APIView):
    """The document's bytes, for the organisation itself and the platform operator only."""

    permission_classes = [perms.IsMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description="the document, as uploaded")})
    def get(self, request, pk: int):
        document = kyc_document_get_for_download(user=request.user, pk=pk)
        extension = document.file.name.rsplit(".", 1)[-1]
        return FileResponse(document.file.open("rb"), content_type=document.content_type,
                             as_attachment=True,
                             filename=f"{document.kind}-{document.pk}.{extension}")
