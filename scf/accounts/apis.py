"""Authentication, organisations and users. One view per operation; each fetches through a
selector and makes one service call."""

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from scf.accounts import permissions as perms
from scf.accounts.capabilities import CapabilitiesOutputSerializer, capabilities_for
from scf.accounts.credit_code import normalise_credit_code, validate_credit_code
from scf.accounts.filters import DirectoryFilter, OrganisationFilter, UserFilter
from scf.accounts.models import OrganisationKind, Role, User
from scf.accounts.persons import MSG_PERSON_ID, PersonIdField
from scf.accounts.selectors import (
    is_admitted,
    member_directory,
    organisation_get,
    organisation_list,
    user_get,
    user_list,
    user_roles,
)
from scf.accounts.services import (
    organisation_create,
    organisation_reinstate,
    organisation_suspend,
    organisation_update,
    user_create,
    user_roles_set,
)
from scf.accounts.totp import totp_enrolled
from scf.api.fields import ChoiceField, ListField, ReasonField, TextField
from scf.api.refs import ApprovalRefSerializer

MSG_BAD_CREDENTIALS = "用户名或密码错误 / Wrong username or password"


# --- shared output shapes ------------------------------------------------------------------------

class OrganisationOutputSerializer(serializers.Serializer):
    class BankAccountSerializer(serializers.Serializer):
        name = serializers.CharField(source="bank_account_name")
        bank = serializers.CharField(source="bank_name")
        number = serializers.CharField(source="bank_account_number")

    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    credit_code = serializers.CharField()
    legal_representative = serializers.CharField()
    registered_address = serializers.CharField()
    bank_account = BankAccountSerializer(source="*")
    status = serializers.CharField()
    suspension_reason = serializers.CharField()
    chain_address = serializers.SerializerMethodField()
    chain_roles = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_chain_address(self, organisation) -> str | None:
        return organisation.chain_account.address if organisation.chain_account_id else None


class UserOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    display_name = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    roles = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)  # null until the first sign-in

    def get_roles(self, user) -> list[str]:
        return user_roles(user)


def _me(user: User) -> dict:
    return {
        "user": UserOutputSerializer(user).data,
        "organisation": OrganisationOutputSerializer(user.organisation).data,
        "roles": user_roles(user),
        "access": {
            "can_write": perms.can_write(user),
            "can_freeze": perms.can_freeze(user),
            "is_platform_operator": perms.is_platform_operator(user),
            "is_regulator": perms.is_regulator(user),
            "reads_all_organisations": perms.reads_all_organisations(user),
        },
        "capabilities": capabilities_for(user),
        "password_change_required": user.password_change_required,
        "totp_enrolled": totp_enrolled(user),
    }


class MeOutputSerializer(serializers.Serializer):
    class AccessSerializer(serializers.Serializer):
        can_write = serializers.BooleanField()
        can_freeze = serializers.BooleanField()
        is_platform_operator = serializers.BooleanField()
        is_regulator = serializers.BooleanField()
        reads_all_organisations = serializers.BooleanField()

    user = UserOutputSerializer()
    organisation = OrganisationOutputSerializer()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    access = AccessSerializer()
    capabilities = CapabilitiesOutputSerializer(
        help_text="what the user may do, by the permission classes of the endpoints that do it")
    password_change_required = serializers.BooleanField()
    totp_enrolled = serializers.BooleanField()


# --- authentication ----------------------------------------------------------------------------

class AuthCsrfApi(APIView):
    """Sets the CSRF cookie for the single-page application and returns the token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=inline_serializer("CsrfOutput",
                                               {"csrf_token": serializers.CharField()}))
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class AuthMeApi(APIView):
    permission_classes = [perms.IsMember]
    password_change_allowed = True  # the front end reads here that a change is required

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        return Response(_me(request.user))


# --- organisations ----------------------------------------------------------------------------

class OrganisationListApi(ListAPIView):
    """Every organisation for the platform operator and the regulator, one's own for others."""

    permission_classes = [perms.IsMember]
    serializer_class = OrganisationOutputSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return organisation_list(user=self.request.user)


class DirectoryMemberOutputSerializer(serializers.Serializer):
    """A member as its business partners may see it: who it is, never its internal data (its
    representative, address, bank account, chain address, suspension reason)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    admitted = serializers.SerializerMethodField(
        help_text="KYC approved and registered on chain: it may hold and receive vouchers")

    def get_admitted(self, organisation) -> bool:
        return is_admitted(organisation)


class MemberDirectoryApi(ListAPIView):
    """会员名录: the members one may do business with, searchable by name or unified social
    credit code (`search`), by kind and status. A business sees the admitted, active
    businesses; the platform operator and the regulator see every organisation."""

    permission_classes = [perms.IsMember]
    serializer_class = DirectoryMemberOutputSerializer
    filterset_class = DirectoryFilter

    def get_queryset(self):
        return member_directory(user=self.request.user)


class OrganisationDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=OrganisationOutputSerializer)
    def get(self, request, pk: int):
        organisation = organisation_get(user=request.user, pk=pk)
        return Response(OrganisationOutputSerializer(organisation).data)


class CreditCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.validators.append(validate_credit_code)

    def to_internal_value(self, data):
        return normalise_credit_code(super().to_internal_value(data))


class OrganisationCreateApi(APIView):
    """The platform operator admits an organisation, optionally with its first administrator."""

    permission_classes = [perms.IsPlatformAdmin]

    @extend_schema_serializer(component_name="OrganisationCreateInput")
    class InputSerializer(serializers.Serializer):
        kind = ChoiceField(choices=OrganisationKind.choices)
        name = TextField(max_length=200)
        credit_code = CreditCodeField()
        legal_representative = TextField(max_length=100)
        registered_address = TextField(max_length=300)
        bank_account_name = TextField(max_length=200, required=False, default="")
        bank_name = TextField(max_length=200, required=False, default="")
        bank_account_number = TextField(max_length=40, required=False, default="")
        admin_username = TextField(max_length=150, required=False, default="")
        admin_password = serializers.CharField(required=False, default="", write_only=True,
                                               trim_whitespace=False)
        admin_email = serializers.EmailField(required=False, default="")
        admin_person_id = PersonIdField(required=False, default="", allow_blank=True)

        def validate(self, attrs):
            if attrs["admin_username"] and len(attrs["admin_password"]) < 8:
                raise serializers.ValidationError({"admin_password": [
                    "密码至少 8 位 / The password must have at least 8 characters"]})
            if attrs["admin_username"] and not attrs["admin_person_id"]:
                raise serializers.ValidationError({"admin_person_id": [MSG_PERSON_ID]})
            return attrs

    @extend_schema(request=InputSerializer, responses={201: OrganisationOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(actor=request.user, **serializer.validated_data)
        return Response(OrganisationOutputSerializer(organisation).data,
                        status=status.HTTP_201_CREATED)


class OrganisationUpdateApi(APIView):
    """The organisation's administrator, or the platform operator's, edits its details."""

    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema_serializer(component_name="OrganisationUpdateInput")
    class InputSerializer(serializers.Serializer):
        name = TextField(max_length=200, required=False)
        legal_representative = TextField(max_length=100, required=False)
        registered_address = TextField(max_length=300, required=False)
        bank_account_name = TextField(max_length=200, required=False, allow_blank=True)
        bank_name = TextField(max_length=200, required=False, allow_blank=True)
        bank_account_number = TextField(max_length=40, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=OrganisationOutputSerializer)
    def post(self, request, pk: int):
        organisation = organisation_get(user=request.user, pk=pk)
        perms.require_administers(request.user, organisation.pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_update(organisation=organisation, actor=request.user,
                                           **serializer.validated_data)
        return Response(OrganisationOutputSerializer(organisation).data)


class OrganisationSuspendApi(APIView):
    permission_classes = [perms.IsPlatformAdmin]

    @extend_schema_serializer(component_name="OrganisationSuspendInput")
    class InputSerializer(serializers.Serializer):
        reason = ReasonField()

    @extend_schema(request=InputSerializer, responses=OrganisationOutputSerializer)
    def post(self, request, pk: int):
        organisation = organisation_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_suspend(organisation=organisation, actor=request.user,
                                            reason=serializer.validated_data["reason"])
        return Response(OrganisationOutputSerializer(organisation).data)


class OrganisationReinstateApi(APIView):
    permission_classes = [perms.IsPlatformAdmin]

    @extend_schema(request=None, responses=OrganisationOutputSerializer)
    def post(self, request, pk: int):
        organisation = organisation_get(user=request.user, pk=pk)
        organisation = organisation_reinstate(organisation=organisation, actor=request.user)
        return Response(OrganisationOutputSerializer(organisation).data)


# --- users of my organisation -------------------------------------------------------------------

class UserListApi(ListAPIView):
    permission_classes = [perms.IsMember]
    serializer_class = UserOutputSerializer
    filterset_class = UserFilter

    def get_queryset(self):
        return user_list(user=self.request.user)


class UserDetailApi(APIView):
    permission_classes = [perms.IsMember]

    @extend_schema(responses=UserOutputSerializer)
    def get(self, request, pk: int):
        return Response(UserOutputSerializer(user_get(user=request.user, pk=pk)).data)


class UserGrantOutputSerializer(UserOutputSerializer):
    """A created or changed user, with the maker-checker request of the approver or
    administrator roles it waits for (None when every role took effect)."""

    pending_grant = ApprovalRefSerializer(allow_null=True)


class RolesField(ListField):
    def __init__(self, **kwargs):
        super().__init__(child=ChoiceField(choices=Role.choices), allow_empty=False,
                         **kwargs)


class UserCreateApi(APIView):
    """An administrator adds a user to their own organisation."""

    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema_serializer(component_name="UserCreateInput")
    class InputSerializer(serializers.Serializer):
        username = TextField(max_length=150)
        password = serializers.CharField(min_length=8, write_only=True, trim_whitespace=False,
                                         error_messages={"min_length": "密码至少 8 位 / The "
                                                         "password must have at least 8 "
                                                         "characters"})
        email = serializers.EmailField(required=False, default="")
        display_name = TextField(max_length=100, required=False, default="")
        roles = RolesField()
        person_id = PersonIdField()

    @extend_schema(request=InputSerializer, responses={201: UserGrantOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_create(actor=request.user, organisation=request.user.organisation,
                           **serializer.validated_data)
        return Response(UserGrantOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class UserRolesSetApi(APIView):
    permission_classes = [perms.IsOrganisationAdmin]

    @extend_schema_serializer(component_name="UserRolesSetInput")
    class InputSerializer(serializers.Serializer):
        roles = RolesField()

    @extend_schema(request=InputSerializer, responses=UserGrantOutputSerializer)
    def post(self, request, pk: int):
        target = user_get(user=request.user, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = user_roles_set(target=target, actor=request.user,
                                roles=serializer.validated_data["roles"])
        return Response(UserGrantOutputSerializer(target).data)

