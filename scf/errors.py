"""One root exception for the application and one DRF handler that gives every error the same
JSON shape: {"message", "code", "extra"}, with field errors under extra.fields.

Status by class: a field error 400, forbidden 403, not found 404, an invalid state or a chain
revert 409 (InvalidStateError), unavailable 503, a misconfigured server 500 (logged). A
dependency that is down (the database, the broker, the node) is 503 too, however it shows: a
ServiceUnavailableError raised on purpose, or the database's or the broker's own connection
error (unavailable_error)."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils import translation
from kombu.exceptions import OperationalError as BrokerConnectionError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from scf.i18n import EN, ZH, bilingual_parts, localise, localise_tree, request_language

logger = logging.getLogger(__name__)

INVALID_INPUT = "输入有误 / Invalid input"
MSG_NOT_FOUND = "未找到 / Not found"
MSG_CONFIGURATION = ("服务器配置有误，请联系平台运维 / The server is misconfigured: please contact "
                     "the platform's operators")


class ApplicationError(Exception):
    """Root of the errors the application raises on purpose. `message` is shown to the user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}


class FieldValidationError(ApplicationError):
    """400 for input a serializer cannot judge alone (an unknown organisation, a sum that does
    not add up): the fields and their messages are under extra.fields."""

    code = "validation_error"


def fields_error(fields: dict[str, list[str]], *, code: str = "validation_error"
                 ) -> FieldValidationError:
    """The error to raise for fields a service found wrong, shaped like a serializer's."""
    return FieldValidationError(INVALID_INPUT, code=code, extra={"fields": fields})


def field_error(field: str, message: str, *, code: str = "validation_error"
                ) -> FieldValidationError:
    return fields_error({field: [message]}, code=code)


class ForbiddenError(ApplicationError):
    """403 raised by a service that knows the actor may not do this (the one error shape)."""

    status_code = 403
    code = "permission_denied"


class NotFoundError(ApplicationError):
    """404: the object does not exist, or the user may not know that it does."""

    status_code = 404
    code = "not_found"

    def __init__(self, message: str = MSG_NOT_FOUND, **kwargs):
        super().__init__(message, **kwargs)


class InvalidStateError(ApplicationError):
    status_code = 409
    code = "invalid_state"


class ServiceUnavailableError(ApplicationError):
    status_code = 503
    code = "unavailable"


class DatabaseUnavailableError(ServiceUnavailableError):
    code = "database_unavailable"


class BrokerUnavailableError(ServiceUnavailableError):
    code = "broker_unavailable"


# The database's errors that mean it is down or the connection is lost (at connect or mid-request).
DATABASE_DOWN = (OperationalError, InterfaceError)
MSG_DATABASE_UNAVAILABLE = ("数据库暂时不可用，请稍后重试 / The database is unavailable: "
                            "please try again in a moment")
MSG_BROKER_UNAVAILABLE = ("任务队列暂时不可用，请稍后重试 / The task queue is unavailable: "
                          "please try again in a moment")


def unavailable_error(exc: BaseException) -> ServiceUnavailableError | None:
    """The 503 for an exception that means a dependency is down, or None for any other. The
    database's OperationalError and InterfaceError are the server gone, refusing connections or
    the connection lost (a deadlock and a lock timeout are OperationalErrors too: also worth a
    retry); its other errors (an integrity error, bad SQL) are bugs and stay 500. The detail
    names hosts: it goes to the log, not to the caller."""
    if isinstance(exc, ServiceUnavailableError):
        return exc
    if isinstance(exc, DATABASE_DOWN):
        logger.warning("database unavailable: %s: %s", type(exc).__name__, exc)
        return DatabaseUnavailableError(MSG_DATABASE_UNAVAILABLE)
    if isinstance(exc, BrokerConnectionError):
        logger.warning("broker unavailable: %s: %s", type(exc).__name__, exc)
        return BrokerUnavailableError(MSG_BROKER_UNAVAILABLE)
    return None


class ConfigurationError(ApplicationError):
    """500: the server is set up wrongly (a key that does not decrypt, a compiler or node that
    is missing). The user cannot fix it by changing the request, so the answer says so and the
    detail goes to the log for the operators."""

    status_code = 500
    code = "configuration_error"


def error_body(message: str, code: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"message": message, "code": code, "extra": extra or {}}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    response = _error_response(exc, context)
    if response is not None:
        response.data = in_request_language(response.data, context.get("request"))
    return response


def in_request_language(body: dict, request) -> dict:
    """The error body in the language the request names (Accept-Language), with the message in
    both languages under `messages`; unchanged (bilingual) when it names neither."""
    language = request_language(request)
    parts = bilingual_parts(body.get("message", "")) if language else None
    if parts is None:
        return body
    extra = body.get("extra") or {}
    if "fields" in extra:
        extra = {**extra, "fields": localise_tree(extra["fields"], language)}
    return {**body, "message": localise(body["message"], language), "extra": extra,
            "messages": {ZH: parts[0], EN: parts[1]}}


def _error_response(exc: Exception, context: dict) -> Response | None:
    # From the view or from DRF's `initial` (authentication reads the session or the token
    # from the database before the view runs): both come here.
    exc = unavailable_error(exc) or exc
    if isinstance(exc, ConfigurationError):
        logger.error("configuration error (%s): %s", exc.code, exc.message, exc_info=exc)
        return Response(error_body(MSG_CONFIGURATION, exc.code), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = NotFoundError()
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.message, exc.code, exc.extra), status=exc.status_code)
    if isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django logs it and answers 500
    if isinstance(exc, drf_exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {key: [str(item) for item in value] if isinstance(value, list) else value
                  for key, value in detail.items()}
        response.data = error_body(INVALID_INPUT, "validation_error", {"fields": fields})
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(_bilingual(exc, str(detail), context.get("request")), str(code))
    return response


def _bilingual(exc: Exception, message: str, request=None) -> str:
    """DRF's own messages (401, 405, 406, 415 …) come in the active language only; every message
    of this API reads "中文 / English", so theirs are given in both. A message DRF composed
    (a method name, a media type) is composed again in each language."""
    default = getattr(exc, "default_detail", None)
    if default is None or " / " in message:
        return message
    args = {"method": getattr(request, "method", ""),
            "media_type": getattr(request, "content_type", "")} if "{" in str(default) else {}
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            text = str(default)
            texts.append(text.format(**args) if args else text)
    chinese, english = texts
    if message not in texts and not args:
        return message  # a message of the raiser's own
    return english if chinese == english else f"{chinese} / {english}"
