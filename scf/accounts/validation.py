"""Turning Django model validation into the API's one error shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from scf.errors import INVALID_INPUT, FieldValidationError, field_error  # noqa: F401  (re-export)


def full_clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {
            "non_field_errors": exc.messages}
        raise FieldValidationError(INVALID_INPUT, extra={"fields": fields}) from exc
