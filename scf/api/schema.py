"""How the OpenAPI schema says what the API accepts and how it fails, in one place.

- Every operation may answer with the one error shape `{message, code, extra}`
  (scf.errors.api_exception_handler) under the statuses that handler gives, so a generated
  client and a schema-driven fuzzer know them without each view repeating them.
- A request field states what DRF will refuse: a required text that is blank or only spaces, an
  empty list where one item is needed, an upload that is not a file."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from scf.errors import INVALID_INPUT

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API; field errors are under extra.fields.",
    "properties": {
        "message": {"type": "string", "example": INVALID_INPUT,
                    "description": "shown to the user: in the language the request's "
                                   "Accept-Language names (zh-CN or en), else \"中文 / English\""},
        "code": {"type": "string", "example": "validation_error"},
        "extra": {"type": "object", "additionalProperties": True},
        "messages": {"type": "object", "description": "the message in each language, when the "
                                                      "request named one",
                     "properties": {"zh-CN": {"type": "string"}, "en": {"type": "string"}}},
    },
    "required": ["message", "code", "extra"],
}
# The statuses scf.errors maps its classes and DRF's to (and 429 of a throttled request).
ERROR_STATUSES = {
    "400": "输入有误 / Invalid input",
    "401": "未登录 / Not authenticated",
    "403": "无权操作 / Permission denied",
    "404": "未找到 / Not found",
    "409": "状态不允许 / Invalid state or chain revert",
    "429": "请求过于频繁 / Too many requests",
    "503": "服务不可用 / Service unavailable",
}
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error responses on every operation that does
    not already describe that status itself."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {
                    "description": description,
                    "content": {"application/json": {"schema": reference}},
                })
    return result


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, with the request constraints it leaves out (it maps allow_blank and
    allow_empty to nothing, and an upload to a URI unless request components are split)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict) or "$ref" in schema:
            return schema
        if isinstance(field, serializers.FileField):
            return {**schema, "type": "string", "format": "binary"}
        if (isinstance(field, serializers.CharField) and not field.allow_blank
                and schema.get("type") == "string" and "enum" not in schema):
            schema.setdefault("minLength", 1)
            if field.trim_whitespace and "pattern" not in schema and "format" not in schema:
                schema["pattern"] = r"\S"  # DRF strips spaces first: "  " is blank too
        if isinstance(field, serializers.ListField) and not field.allow_empty:
            schema.setdefault("minItems", 1)
        return schema
