"""The documents API: ask for a document (202, generated in Celery with progress), read it,
download it, and verify any PDF without logging in."""

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.api.fields import ChoiceField, IdField
from scf.documents import selectors, services
from scf.documents.models import Document
from scf.errors import NotFoundError


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    number = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    subject_id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    progress = serializers.IntegerField()
    sha256 = serializers.CharField()
    verification_code = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    token_id = serializers.IntegerField(allow_null=True)
    root_id = serializers.IntegerField(allow_null=True)
    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField(allow_null=True)
    anchored_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    verify_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    def get_verify_url(self, document) -> str:
        return services.verify_url(document)

    def get_download_url(self, document) -> str | None:
        return f"/api/documents/{document.pk}/download" if document.file else None


class DocumentGenerateApi(APIView):
    permission_classes = [perms.IsMember]

    class InputSerializer(serializers.Serializer):
        kind = ChoiceField(choices=Document.Kind.choices)
        subject_id = IdField()

    @extend_schema(request=InputSerializer, responses={202: DocumentOutput, 200: DocumentOutput})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document, queued = services.document_request(user=request.user,
                                                     **serializer.validated_data)
        return Response(DocumentOutput(document).data,
                        status=status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK)


class DocumentListApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=DocumentOutput(many=True))
    def get(self, request):
        documents = selectors.document_list(user=request.user)
        kind = request.query_params.get("kind")
        if kind:
            documents = documents.filter(kind=kind)
        return Response(DocumentOutput(documents[:200], many=True).data)


class DocumentDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=DocumentOutput)
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        return Response(DocumentOutput(document).data)


class DocumentDownloadApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=pk)
        if not document.file:
            raise NotFoundError("文件尚未生成 / The file is not generated yet")
        return FileResponse(document.file.open("rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"{document.number}.pdf")


class DocumentVerifyApi(APIView):
    """Anyone may check a file: no login, no CSRF (nothing changes), uploads size-capped."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    class VerifyInputSerializer(serializers.Serializer):
        file = serializers.FileField()

    class VerifyOutputSerializer(serializers.Serializer):
        genuine = serializers.BooleanField()
        code = serializers.CharField()
        message = serializers.CharField()
        sha256 = serializers.CharField()
        document = serializers.DictField(allow_null=True)
        anchor = serializers.DictField(allow_null=True)

    @extend_schema(request={"multipart/form-data": VerifyInputSerializer},
                   responses=VerifyOutputSerializer)
    def post(self, request):
        serializer = self.VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > settings.SCF_DOCUMENTS_MAX_VERIFY_BYTES:
            raise serializers.ValidationError({"file": [
                "文件过大 / The file is too large"]})
        result = services.document_verify(content=upload.read())
        return Response(self.VerifyOutputSerializer(_verification(result)).data)


class DocumentPublicApi(APIView):
    """What the verification page (the QR code's target) shows about a document number: its
    kind, subject and registered SHA-256, with the anchor; no file, no parties' data."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=DocumentVerifyApi.VerifyOutputSerializer)
    def get(self, request, public_id):
        document = selectors.document_by_public_id(public_id=public_id)
        event = selectors.anchor_event(document=document)
        result = services.Verification(event is not None, "registered", "", document.sha256,
                                       document, event)
        return Response(DocumentVerifyApi.VerifyOutputSerializer(_verification(result)).data)


def _verification(result: services.Verification) -> dict:
    document, event = result.document, result.event
    return {
        "genuine": result.genuine, "code": result.code, "message": result.message,
        "sha256": result.sha256,
        "document": None if document is None else {
            "public_id": str(document.public_id), "number": document.number,
            "kind": document.kind, "kind_label": document.get_kind_display(),
            "subject_id": document.subject_id, "token_id": document.token_id,
            "root_id": document.root_id, "sha256": document.sha256,
            "verification_code": document.verification_code,
            "created_at": document.created_at.isoformat()},
        "anchor": None if event is None else {
            "tx_hash": event.tx_hash, "block_number": event.block_number,
            "anchored_at": document.anchored_at.isoformat() if document.anchored_at else None,
            "by": event.args.get("by"), "kind": event.args.get("kind"),
            "token_id": document.token_id},
    }
