"""Django's 500 handler (handler500): what an /api/ caller gets for an exception that no DRF
view handled, such as the session middleware failing to load or save a session while the
database is down. A middleware cannot catch those (Django turns each middleware's exception
into a response before the next one sees it); this handler is where they all end. Under /api/
the answer is the one JSON shape, 503 for a dependency that is down, never an HTML page."""

import sys

from django.http import JsonResponse
from django.views.defaults import server_error

from scf.errors import error_body, in_request_language, unavailable_error

MSG_SERVER_ERROR = "服务器内部错误 / Internal server error"


def api_server_error(request):
    if not request.path.startswith("/api/"):
        return server_error(request)
    exc = sys.exc_info()[1]  # called while Django handles the exception
    unavailable = unavailable_error(exc) if exc is not None else None
    if unavailable is not None:
        return JsonResponse(in_request_language(
            error_body(unavailable.message, unavailable.code, unavailable.extra), request),
            status=unavailable.status_code)
    return JsonResponse(in_request_language(error_body(MSG_SERVER_ERROR, "server_error"), request),
                        status=500)
