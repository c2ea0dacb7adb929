"""Plain-function factories for organisations and users, and a fixture per role.

    supplier = organisation_factory(OrganisationKind.SUPPLIER)
    alice = user_factory(supplier, Role.OPERATOR)
    client = api_client(alice)
"""

import itertools

import pytest
from rest_framework.test import APIClient

from scf.accounts.credit_code import CHARSET, check_character
from scf.accounts.models import Organisation, OrganisationKind, Role, User, UserRole
from scf.accounts.persons import id_check_character, person_hash

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)

KIND_NAMES = {
    OrganisationKind.PLATFORM: "链融平台运营有限公司",
    OrganisationKind.CORE_ENTERPRISE: "华东重工集团有限公司",
    OrganisationKind.SUPPLIER: "苏州精密零部件有限公司",
    OrganisationKind.BANK: "贵阳银行股份有限公司",
    OrganisationKind.REGULATOR: "地方金融监督管理局",
}


def credit_code(n: int | None = None, *, area: str = "320500") -> str:
    """A well-formed unified social credit code (valid check character), unique per n."""
    n = next(_sequence) if n is None else n
    body = ""
    for _ in range(9):
        n, digit = divmod(n, len(CHARSET))
        body = CHARSET[digit] + body
    first17 = "91" + area + body
    return first17 + check_character(first17)


def mobile_number(n: int | None = None) -> str:
    """A well-formed mainland mobile number, unique per n: a distinct natural person."""
    n = next(_sequence) if n is None else n
    return f"139{n:08d}"


def resident_id(n: int | None = None, *, born: str = "19900307") -> str:
    """A well-formed 18-character resident ID number (valid check character), unique per n."""
    n = next(_sequence) if n is None else n
    first17 = f"320505{born}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def organisation_factory(kind: str = OrganisationKind.SUPPLIER, **fields) -> Organisation:
    n = next(_sequence)
    defaults = {
        "kind": kind,
        "name": f"{KIND_NAMES[kind]} {n}",
        "credit_code": credit_code(n),
        "legal_representative": "张三",
        "registered_address": "江苏省苏州市工业园区星湖街 328 号",
        "bank_account_name": f"{KIND_NAMES[kind]} {n}",
        "bank_name": "中国工商银行苏州分行",
        "bank_account_number": f"1102020{n:012d}",
    }
    defaults.update(fields)
    return Organisation.objects.create(**defaults)


def user_factory(organisation: Organisation, *roles: str, username: str | None = None,
                 password: str = PASSWORD, person_id: str | None = None, **fields) -> User:
    """A user holding `roles` directly (factories are not the API: no grant maker-checker),
    each a distinct natural person unless `person_id` names one."""
    username = username or f"{organisation.kind}-{'-'.join(roles) or 'none'}-{next(_sequence)}"
    fields.setdefault("person_hash", person_hash(person_id or mobile_number()))
    user = User.objects.create_user(username=username, password=password,
                                    organisation=organisation, **fields)
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    return user


def member_factory(kind: str, *roles: str, organisation: Organisation | None = None) -> User:
    """A user holding `roles` in a new organisation of `kind` (or the one given)."""
    return user_factory(organisation or organisation_factory(kind), *roles)


def api_client(user: User | None = None) -> APIClient:
    """A client signed in with a session, as the web front end is."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


# --- a fixture per role ---------------------------------------------------------------------------

@pytest.fixture
def platform_org(db):
    return organisation_factory(OrganisationKind.PLATFORM)


@pytest.fixture
def platform_admin(platform_org):
    return user_factory(platform_org, Role.ADMIN, Role.OPERATOR)


@pytest.fixture
def platform_approver(platform_org):
    return user_factory(platform_org, Role.APPROVER)


@pytest.fixture
def supplier_org(db):
    return organisation_factory(OrganisationKind.SUPPLIER)


@pytest.fixture
def supplier_admin(supplier_org):
    return user_factory(supplier_org, Role.ADMIN)


@pytest.fixture
def supplier_operator(supplier_org):
    return user_factory(supplier_org, Role.OPERATOR)


@pytest.fixture
def supplier_approver(supplier_org):
    return user_factory(supplier_org, Role.APPROVER)


@pytest.fixture
def supplier_viewer(supplier_org):
    return user_factory(supplier_org, Role.VIEWER)


@pytest.fixture
def other_supplier_operator(db):
    return member_factory(OrganisationKind.SUPPLIER, Role.OPERATOR, Role.APPROVER)


@pytest.fixture
def regulator_user(db):
    return member_factory(OrganisationKind.REGULATOR, Role.OPERATOR, Role.APPROVER, Role.ADMIN)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2's real cost is for production; tests hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- KYC ---------------------------------------------------------------------------------------

def kyc_case_factory(organisation: Organisation, actor: User, *, submit: bool = True):
    """A KYC case with the four documents uploaded (real minimal PDFs), submitted by default.
    Needs MEDIA_ROOT pointed at a temporary folder."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scf.kyc.models import KycDocument
    from scf.kyc.services import kyc_case_create, kyc_case_submit, kyc_document_upload
    from tests.kyc.documents import pdf_bytes

    case = kyc_case_create(organisation=organisation, actor=actor)
    for kind in KycDocument.Kind.values:
        kyc_document_upload(case=case, actor=actor, kind=kind,
                            file=SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(kind)))
    if submit:
        case = kyc_case_submit(case=case, actor=actor)
    return case
