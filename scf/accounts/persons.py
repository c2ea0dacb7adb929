"""The natural person behind accounts (自然人), so that one person can never hold both sides of a
maker-checker step, whichever account they use.

A user gives a Chinese mobile number or an 18-character resident ID number when their account
is created (API field `person_id`). Only a keyed hash is stored: HMAC-SHA256 of the normalised
number with SCF_PERSON_HASH_KEY (a secret outside the database), so the table never holds the
number and a copied table cannot be matched against a list of numbers without the key. The same
person may hold accounts in several organisations, one per organisation. Accounts created before
this existed have no hash: they match no one but themselves.

A person who gives their mobile for one account and their ID number for another is not linked;
the ID number is the stronger identifier and is what organisations should ask for."""

import re
from datetime import date

from django.conf import settings
from django.utils.crypto import salted_hmac
from rest_framework import serializers

from scf.errors import ForbiddenError

MOBILE = re.compile(r"1[3-9]\d{9}")
RESIDENT_ID = re.compile(r"\d{17}[\dX]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"

MSG_PERSON_ID = ("请填写中国大陆手机号或 18 位居民身份证号 / Give a mainland Chinese mobile number "
                 "or an 18-character resident ID number")
MSG_ID_CHECK = "身份证号校验位错误 / Invalid check character in the resident ID number"
MSG_ID_BIRTH_DATE = "身份证号中的出生日期无效 / Invalid date of birth in the resident ID number"
MSG_SAME_PERSON = ("同一自然人的另一账户不能复核该自然人提交的事项 / Another account of the same "
                   "person cannot decide what that person proposed")
SAME_PERSON = "same_person"


def id_check_character(first17: str) -> str:
    """GB 11643-1999 (ISO 7064 MOD 11-2) check character of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def normalise_person_id(raw: str) -> tuple[str, str]:
    """("mobile" | "resident_id", the normalised number), or ValueError with the bilingual
    message. Spaces and hyphens are ignored; a +86 prefix on a mobile number too."""
    value = re.sub(r"[\s\-]", "", raw or "").upper()
    if value.startswith("+86"):
        value = value[3:]
    if MOBILE.fullmatch(value):
        return "mobile", value
    if not RESIDENT_ID.fullmatch(value):
        raise ValueError(MSG_PERSON_ID)
    if id_check_character(value[:17]) != value[17]:
        raise ValueError(MSG_ID_CHECK)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValueError(MSG_ID_BIRTH_DATE) from None
    if not date(1900, 1, 1) <= born <= date.today():
        raise ValueError(MSG_ID_BIRTH_DATE)
    return "resident_id", value


def person_hash(person_id: str) -> str:
    """The keyed hash stored for a person (64 hex characters). ValueError on a bad number."""
    kind, value = normalise_person_id(person_id)
    return salted_hmac("scf.accounts.person", f"{kind}:{value}",
                       secret=settings.SCF_PERSON_HASH_KEY, algorithm="sha256").hexdigest()


def same_person(first, second) -> bool:
    """The same account, or two accounts of one recorded person."""
    if first is None or second is None:
        return False
    if first.pk == second.pk:
        return True
    return bool(first.person_hash) and first.person_hash == second.person_hash


def require_different_person(proposer, checker, *, same_account_message: str) -> None:
    """The one four-eyes rule: 403 `same_person` when the checker is the proposer, or another
    account of the proposer's person."""
    if proposer is not None and checker is not None and proposer.pk == checker.pk:
        raise ForbiddenError(same_account_message, code=SAME_PERSON)
    if same_person(proposer, checker):
        raise ForbiddenError(MSG_SAME_PERSON, code=SAME_PERSON)


class PersonIdField(serializers.CharField):
    """A mobile number or resident ID number in, its validated normalised form out (hashed by
    the service, never stored)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("help_text", "手机号或居民身份证号，只存其密钥哈希 / Mobile number or "
                                       "resident ID number; only its keyed hash is stored")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value and self.allow_blank:
            return value
        try:
            normalise_person_id(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value
