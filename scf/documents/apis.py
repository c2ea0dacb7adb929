"""The documents API: ask for a document (202, generated in Celery with progress), read it,
download it, and verify any PDF without logging in."""

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.api.fields import ChoiceField, IdField
from scf.documents import selectors, services
from scf.documents.models import Document
from scf.documents.throttles import VerifyThrottled
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
        document, queued = services.document_request(
            user=request.user, request_origin=request.build_absolute_uri("/"),
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


class PublicPartyOutput(serializers.Serializer):
    role_zh = serializers.CharField()
    role_en = serializers.CharField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    address = serializers.CharField()


class PublicAnchorOutput(serializers.Serializer):
    """The chain's own record of the hash (the indexed DocumentAnchored event)."""

    tx_hash = serializers.CharField()
    block_number = serializers.IntegerField()
    anchored_at = serializers.DateTimeField(allow_null=True)


class PublicDocumentOutput(serializers.Serializer):
    """What anyone may learn of a document: no more than the file itself prints (its number,
    kind, generation time, parties, verification code, the registered SHA-256 the file states
    is anchored) and the reference its QR code carries; no internal ids, no users."""

    reference = serializers.UUIDField(source="public_id")
    number = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    generated_at = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    sha256 = serializers.CharField()
    verification_code = serializers.CharField()

    def get_generated_at(self, document) -> str:
        return document.printed.get("generated_at", "")

    @extend_schema_field(PublicPartyOutput(many=True))
    def get_parties(self, document) -> list:
        return PublicPartyOutput(document.printed.get("parties", []), many=True).data


class VerificationOutput(serializers.Serializer):
    genuine = serializers.BooleanField()
    code = serializers.CharField()
    message = serializers.CharField()
    sha256 = serializers.CharField()
    document = PublicDocumentOutput(allow_null=True)
    anchor = serializers.SerializerMethodField()

    @extend_schema_field(PublicAnchorOutput(allow_null=True))
    def get_anchor(self, result) -> dict | None:
        if result.event is None:
            return None
        return PublicAnchorOutput({
            "tx_hash": result.event.tx_hash, "block_number": result.event.block_number,
            "anchored_at": result.document.anchored_at}).data


class DocumentVerifyApi(VerifyThrottled, APIView):
    """Anyone may check a file: no login, no CSRF (nothing changes), uploads size-capped."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    class VerifyInputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(request={"multipart/form-data": VerifyInputSerializer},
                   responses=VerificationOutput)
    def post(self, request):
        serializer = self.VerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > settings.SCF_DOCUMENTS_MAX_VERIFY_BYTES:
            raise serializers.ValidationError({"file": [
                "文件过大 / The file is too large"]})
        result = services.document_verify(content=upload.read())
        return Response(VerificationOutput(result).data)


class DocumentPublicApi(VerifyThrottled, APIView):
    """The verification page (the QR code's target) about a document reference, without a
    session: the document's printed facts, its registered SHA-256 and the chain's anchor."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=VerificationOutput)
    def get(self, request, public_id):
        return Response(VerificationOutput(services.document_public(public_id=public_id)).data)
