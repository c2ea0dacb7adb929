"""Idempotency-Key on every state-changing API request, so that a client that retries a request
it never got an answer to (a timeout, a dropped connection) cannot act twice.

- A POST, PUT, PATCH or DELETE under /api/ may carry `Idempotency-Key` (1–200 printable ASCII
  characters; anything else is 400 idempotency_key_invalid). Keys are scoped per authenticated
  user; an anonymous request (sign-in, document verification) is passed through, nothing stored.
- The first request reserves the key with a hash of method, path and canonical body (JSON
  parsed and dumped with sorted keys; multipart without its random boundary, which a client
  draws anew on every retry; anything else as sent) and an "in progress" row, committed at once:
  the views run their own transactions (no ATOMIC_REQUESTS), so the answer is recorded right
  after the view. A duplicate that arrives meanwhile gets 409 idempotency_key_in_progress.
- A retry with the same key and body gets the stored status and JSON body back with
  `Idempotent-Replayed: true` and runs nothing; the same key with another request is 409
  idempotency_key_reused (as formance's ledger does). Answers that say "try again" (5xx, 429)
  are not kept: the reservation is dropped and the retry runs again; other 4xx are kept. A
  failure after the view had committed writes (a chain intent recorded, then the broker refused
  its task) keeps the key in progress instead: the retry must not record a second intent.
  A view whose answer is a secret shown once (a new API token, a TOTP secret) says
  `idempotency_keeps_answer = False` and is passed through: a token stored hashed by knox must
  not sit here in clear.
- Records live SCF_IDEMPOTENCY_TTL_HOURS (24): an older one counts as absent, and the
  accounts.idempotency_purge beat task deletes them.

One Django middleware, not a base class on every view. DRF authenticates inside the view, so the
middleware asks the view's own authentication classes who the user is before running it."""

import contextlib
import hashlib
import json
import re
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from scf.accounts.models import IdempotencyRecord
from scf.errors import error_body
from scf.parsers import json_nesting_depth

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
# Printable ASCII, no space at either end (a server would strip it from the header anyway).
_KEY = re.compile(rf"[!-~](?:[ -~]{{0,{MAX_KEY_LENGTH - 2}}}[!-~])?")
_CHUNK = 64 * 1024

MSG_INVALID = (f"幂等键须为 1–{MAX_KEY_LENGTH} 个可打印 ASCII 字符 / The Idempotency-Key must be "
               f"1–{MAX_KEY_LENGTH} printable ASCII characters")
MSG_IN_PROGRESS = ("请求正在处理中，请稍后重试 / A request with this key is still being processed: "
                   "retry later")
MSG_REUSED = "该幂等键已用于另一请求 / This Idempotency-Key was used for a different request"


def _error(status: int, message: str, code: str) -> HttpResponse:
    return HttpResponse(JSONRenderer().render(error_body(message, code, {"header": HEADER})),
                        status=status, content_type="application/json")


def _kept(status: int) -> bool:
    """Whether an answer is final: a retry of a 5xx or a 429 must be able to run again."""
    return status < 500 and status != 429


# --- what the request is ---------------------------------------------------------------------

def _feed_without(hasher, stream, marker: bytes, spool) -> None:
    """Copy `stream` into `spool` and hash it with every `marker` taken out."""
    keep = max(len(marker) - 1, 0)
    tail = b""
    while chunk := stream.read(_CHUNK):
        spool.write(chunk)
        data = (tail + chunk).replace(marker, b"") if marker else tail + chunk
        # The last bytes may begin a marker that ends in the next chunk: hash them later.
        cut = len(data) - keep
        hasher.update(data[:cut])
        tail = data[cut:]
    hasher.update(tail)


def request_hash(request) -> str:
    """SHA-256 of the method, the path with its query and the canonical body. Raises
    RequestDataTooBig for a non-multipart body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    hasher = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        # Streamed, as Django's own parser would (uploads may exceed the in-memory bound), into
        # a spool that the view's parser then reads instead of the socket.
        boundary = request.content_params.get("boundary", "").encode("latin-1")
        # Not a context manager: the spool outlives this function as the request's stream.
        spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
        _feed_without(hasher, request._stream, boundary, spool)
        spool.seek(0)
        request._stream = spool
        return hasher.hexdigest()
    raw = request.body
    if (request.content_type == "application/json" and raw
            and json_nesting_depth(raw, stop_above=settings.SCF_MAX_JSON_DEPTH)
            <= settings.SCF_MAX_JSON_DEPTH):
        # Not JSON: the view's parser answers 400, and the bytes as sent identify the request.
        with contextlib.suppress(ValueError):
            raw = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"),
                             ensure_ascii=False).encode()
    hasher.update(raw)
    return hasher.hexdigest()


def _user(request, view_func, view_args, view_kwargs):
    """The user the DRF view will authenticate, or None (anonymous, or refused: the view then
    answers 401/403 itself). Django's request.user is left as it was."""
    view = view_func.cls(**getattr(view_func, "initkwargs", {}))
    view.args, view.kwargs = view_args, view_kwargs
    saved = request.__dict__.get("user")
    try:
        drf_request = Request(request, authenticators=view.get_authenticators(),
                              parser_context={"view": view, "args": view_args,
                                              "kwargs": view_kwargs})
        user = drf_request.user
    except APIException:
        return None
    finally:
        if saved is not None:
            request.user = saved
        else:
            request.__dict__.pop("user", None)
    return user if user is not None and user.is_authenticated else None


# --- the records -------------------------------------------------------------------------------

def _ttl() -> timedelta:
    return timedelta(hours=settings.SCF_IDEMPOTENCY_TTL_HOURS)


def _reserve(*, user, key: str, digest: str
             ) -> tuple[IdempotencyRecord | None, HttpResponse | None]:
    """The new in-progress record, or the answer for a key already used."""
    for _attempt in range(2):  # the second after taking away a record past its time
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(user=user, key=key,
                                                        request_hash=digest), None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None or existing.created_at >= timezone.now() - _ttl():
            break
        IdempotencyRecord.objects.filter(pk=existing.pk).delete()
    if existing is None:  # released by a first request that failed in the meantime
        return None, _error(409, MSG_IN_PROGRESS, "idempotency_key_in_progress")
    if existing.request_hash != digest:
        return None, _error(409, MSG_REUSED, "idempotency_key_reused")
    if existing.status_code is None:
        return None, _error(409, MSG_IN_PROGRESS, "idempotency_key_in_progress")
    content = b"" if existing.response_body is None else JSONRenderer().render(
        existing.response_body)
    response = HttpResponse(content, status=existing.status_code,
                            content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return None, response


class _WriteWatch:
    """Whether the view wrote to the database for good: a write in autocommit at once, one in a
    transaction when that transaction commits (a rolled-back one discards the hook). Sessions,
    tokens and sign-in failures are bookkeeping of the request, not its effect."""

    _WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
    _BOOKKEEPING = re.compile(r'"?(django_session|knox_authtoken|axes_\w+)"?', re.IGNORECASE)

    def __init__(self):
        self.committed = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.committed and self._WRITE.match(sql) and not self._BOOKKEEPING.search(sql):
            db = context["connection"]
            if db.in_atomic_block:
                transaction.on_commit(self._mark, using=db.alias)
            else:
                self._mark()
        return result

    def _mark(self) -> None:
        self.committed = True


def _finish(record: IdempotencyRecord, response, *, wrote: bool) -> None:
    """Keep a final answer; drop the reservation of one the client should retry, or of one
    that is not JSON (nothing to replay it from). But a failure after the view's writes were
    committed (the broker refused the task that would send a committed chain intent) keeps the
    key in progress: the work is done or will be resumed, and a retry must not do it twice."""
    body = None
    storable = _kept(response.status_code) and not response.streaming
    if storable and response.content:
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                storable = False
        else:
            storable = False
    if storable:
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            status_code=response.status_code, response_body=body)
    elif not wrote or _kept(response.status_code):
        IdempotencyRecord.objects.filter(pk=record.pk).delete()


def idempotency_records_purge(*, now=None) -> int:
    """Delete the records older than SCF_IDEMPOTENCY_TTL_HOURS; how many went."""
    cutoff = (now or timezone.now()) - _ttl()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- the OpenAPI text ----------------------------------------------------------------------------

PARAMETER_COMPONENT = "IdempotencyKey"
PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "description": (
        "重试同一操作时使用同一个键：SCF_IDEMPOTENCY_TTL_HOURS（默认 24）小时内同键同内容的请求"
        "返回首次的结果而不重复执行 / "
        "Send the same key when retrying the same action: within SCF_IDEMPOTENCY_TTL_HOURS "
        "(24 h) a request with the same key and body gets the first answer back (header "
        f"{REPLAYED_HEADER}: true) and does nothing again. Per user; not kept for anonymous "
        "requests, answers that carry a secret shown once, 5xx or 429. 400 "
        "idempotency_key_invalid, 409 idempotency_key_reused (another request) or "
        "idempotency_key_in_progress (the first is still running)."),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
               "pattern": f"^{_KEY.pattern}$"},
}


def add_idempotency_key_header(result, generator, request, public):
    """drf-spectacular postprocessing hook: the header on every state-changing operation."""
    result.setdefault("components", {}).setdefault("parameters", {})[
        PARAMETER_COMPONENT] = PARAMETER
    reference = {"$ref": f"#/components/parameters/{PARAMETER_COMPONENT}"}
    for path, path_item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in path_item.items():
            if method.upper() in STATE_CHANGING:
                operation.setdefault("parameters", []).append(reference)
    return result


class IdempotencyMiddleware:
    """After AuthenticationMiddleware: reserves the key before a DRF view runs (process_view),
    records the view's answer after it (__call__)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except BaseException:
            self._stop_watching(request)
            record = getattr(request, "_idempotency_record", None)
            if record is not None and not request._idempotency_watch[0].committed:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        self._stop_watching(request)
        record = getattr(request, "_idempotency_record", None)
        if record is not None:
            _finish(record, response, wrote=request._idempotency_watch[0].committed)
        return response

    @staticmethod
    def _stop_watching(request) -> None:
        """Before our own writes to the records."""
        watching = getattr(request, "_idempotency_watch", None)
        if watching is not None:
            watching[1].close()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in STATE_CHANGING or not request.path.startswith("/api/"):
            return None
        key = request.headers.get(HEADER)
        if key is None:
            return None
        if not _KEY.fullmatch(key):
            return _error(400, MSG_INVALID, "idempotency_key_invalid")
        view_class = getattr(view_func, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        if not getattr(view_class, "idempotency_keeps_answer", True):
            return None  # its answer is a secret shown once: never written down here
        user = _user(request, view_func, view_args, view_kwargs)
        if user is None:
            return None
        try:
            digest = request_hash(request)
        except (RequestDataTooBig, RawPostDataException):
            return None  # the view's parser answers (413); nothing to keep
        record, answer = _reserve(user=user, key=key, digest=digest)
        if record is not None:
            watch, stack = _WriteWatch(), contextlib.ExitStack()
            stack.enter_context(connection.execute_wrapper(watch))
            request._idempotency_record, request._idempotency_watch = record, (watch, stack)
        return answer
