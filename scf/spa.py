"""The built single-page application (frontend/dist, made by `npm run build` in frontend/,
which `bin/scf run` does when the sources changed): index.html for every page that is not the
API, the admin or static files, so the browser's router takes over; the hashed files under
/assets/ with a long cache lifetime. Without a build, a short page says how to make one."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.views import serve as serve_static
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.static import serve

ASSET_MAX_AGE = 365 * 24 * 3600  # file names carry a content hash: they never change

MISSING_BUILD_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>scf — 前端未构建 / front end not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:80px auto;padding:0 16px;
line-height:1.6;color:#1f2d3d}code{background:#f2f4f7;padding:2px 6px;border-radius:4px}</style>
</head><body>
<h1>前端尚未构建 / The front end is not built</h1>
<p>运行 <code>bin/scf run</code>（会自动构建），或手动构建：</p>
<p>Run <code>bin/scf run</code> (it builds it for you), or build it by hand:</p>
<p><code>cd frontend &amp;&amp; npm install &amp;&amp; npm run build</code></p>
<p>API: <a href="/api/docs">/api/docs</a> · <a href="/api/health">/api/health</a></p>
</body></html>
"""


def dist_dir() -> Path:
    return Path(getattr(settings, "SCF_FRONTEND_DIST", settings.BASE_DIR / "frontend" / "dist"))


def spa_asset(request: HttpRequest, path: str) -> HttpResponse:
    """A built file under /assets/ (404 when absent, never index.html)."""
    response = serve(request, path, document_root=dist_dir() / "assets")
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}, immutable"
    return response


@ensure_csrf_cookie
def spa_index(request: HttpRequest, path: str = "") -> HttpResponse:
    """A file at the root of the build (favicon and the like) if there is one, else index.html:
    the SPA's router decides what the path shows. Sets the CSRF cookie for its API calls."""
    root = dist_dir()
    if path and "/" not in path.strip("/"):
        try:
            candidate = Path(safe_join(root, path))
        except Exception:  # noqa: BLE001 — a path that escapes the build is simply not a file
            candidate = None
        if candidate and candidate.is_file() and candidate.name != "index.html":
            return serve(request, path, document_root=root)
    index = root / "index.html"
    if not index.is_file():
        return HttpResponse(MISSING_BUILD_PAGE, status=503, content_type="text/html; charset=utf-8")
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def static_file(request: HttpRequest, path: str) -> HttpResponse:
    """/static/ on the run command's server (debug only; production serves STATIC_ROOT from the
    web server): a path that escapes the static folders (`/static/../manage.py`) is simply not
    found — Django's own handler lets that error through as a 500."""
    try:
        return serve_static(request, path, insecure=True)
    except SuspiciousFileOperation as exc:
        raise Http404(path) from exc
