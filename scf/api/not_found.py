"""The answer to an /api/ path that names no endpoint (or an id that is not a number): the one
error shape, as JSON, like every other API error, not Django's HTML page."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from scf.errors import MSG_NOT_FOUND, NotFoundError, error_body, in_request_language


@csrf_exempt  # nothing is done: a refused CSRF check would only swap this 404 for an HTML 403
def api_not_found(request, path: str = ""):
    return JsonResponse(in_request_language(error_body(MSG_NOT_FOUND, NotFoundError.code), request),
                        status=404)
