"""The OpenAPI schema's one statement of how the API fails: every operation may answer with the
one error shape `{message, code, extra}` (scf.errors.api_exception_handler) under the statuses
that handler gives, so a generated client and a schema-driven fuzzer know them without each
view repeating them."""

from scf.errors import INVALID_INPUT

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API; field errors are under extra.fields.",
    "properties": {
        "message": {"type": "string", "description": "中文 / English, shown to the user",
                    "example": INVALID_INPUT},
        "code": {"type": "string", "example": "validation_error"},
        "extra": {"type": "object", "additionalProperties": True},
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
