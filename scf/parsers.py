"""The API's JSON parser, with bounds: a body larger than SCF_MAX_REQUEST_BYTES is refused
unread (413), and one nested deeper than SCF_MAX_JSON_DEPTH is refused before it is parsed
(400). Python's json module recurses once per level: unbounded nesting from one anonymous request
is a RecursionError at best and, with a raised recursion limit, a crash of the whole process."""

import codecs
import re

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# A JSON string (escapes included) and a bracket outside of one: what counts for nesting.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")


# DRF's exceptions, not scf.errors (which imports DRF's views, which import this module): the
# API's exception handler gives them the same {message, code, extra} shape.
class RequestTooLargeError(APIException):
    status_code = 413
    default_code = "request_too_large"


def json_nesting_depth(raw: bytes, *, stop_above: int) -> int:
    """How deeply arrays and objects nest in `raw` (brackets inside strings do not count);
    counting stops once the depth passes `stop_above`."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if match.group()[0] in _OPENING:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLargeError(
                f"请求内容过大（上限 {limit} 字节）/ Request body too large (limit {limit} bytes)")
        max_depth = settings.SCF_MAX_JSON_DEPTH
        if json_nesting_depth(raw, stop_above=max_depth) > max_depth:
            raise ParseError(
                f"JSON 嵌套层数超过 {max_depth} 层 / JSON nested deeper than {max_depth} levels")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            constant = json.strict_constant if self.strict else None  # NaN/Infinity refused
            return json.loads(text, parse_constant=constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON 格式错误 / JSON parse error: {exc}") from exc
