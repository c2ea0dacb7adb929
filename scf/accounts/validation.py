"""Turning Django model validation into the API's one error shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from scf.errors import ApplicationError

INVALID_INPUT = "输入有误 / Invalid input"


def field_error(field: str, message: str, *, code: str = "validation_error") -> ApplicationError:
    return ApplicationError(INVALID_INPUT, code=code, extra={"fields": {field: [message]}})


def full_clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {
            "non_field_errors": exc.messages}
        raise ApplicationError(INVALID_INPUT, code="validation_error",
                               extra={"fields": fields}) from exc
