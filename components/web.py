"""The HTTP side of the server entry (`app.py`): the data API's routes and two middlewares.

- `api_routes()`: `/api/v1/` and `/api/v1/<table>.csv|json` (components.api), reading the data
  from the pages' shared cache in a worker thread.
- `SecurityHeadersMiddleware`: nosniff, a referrer policy and framing by this site only
  (`CSTO_FRAME_ANCESTORS` lets a deployer allow other sites to embed the dashboard).
- `PathGuardMiddleware`: `/_stcore/metrics` answers 404 unless `CSTO_PUBLIC_METRICS=1`, and an
  unknown nested address (`/Map/x/y`) gets a small "not found" page instead of a blank one.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

from components.api import (
    CACHE_CONTROL,
    CORS_HEADERS,
    PREFIX,
    PREFLIGHT_HEADERS,
    SHAPES_PATH,
    ApiError,
    ApiRequest,
    csv_filename,
    describe,
    dumps,
    etag,
    etag_matches,
    parse_request,
    table_page,
)
from components.data import DataPackageError
from components.downloads import download_names
from components.export import DEFERRED_DOWNLOAD_ROWS, to_csv_bytes
from components.navigation import PAGES
from components.query import default_query, query_options
from components.store import DataKey, Loaded, current_data_key, get_loaded, last_good_key

LOGGER = logging.getLogger(__name__)
MAX_LISTED_PROBLEMS = 20
READ_METHODS = ("GET", "HEAD")
API_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
# First path segments that belong to the server, not to a page (see streamlit's routes).
SERVER_SEGMENTS = frozenset({"_stcore", "static", "media", "component", "api", "auth"})
FRAME_ANCESTORS_ENV = "CSTO_FRAME_ANCESTORS"
PUBLIC_METRICS_ENV = "CSTO_PUBLIC_METRICS"
# Set while the files have problems and the last good version is served (its value: how many).
PROBLEMS_HEADER = "X-Data-Problems"


def base_path() -> str:
    """Streamlit's `server.baseUrlPath` as `/prefix` (empty at the root)."""
    value = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{value}" if value else ""


# --- the API ----------------------------------------------------------------------------------


def _json(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        dumps(body),
        status_code=status,
        media_type="application/json",
        headers={**CORS_HEADERS, **(headers or {})},
    )


def _error(error: ApiError) -> Response:
    return _json(error.body(), error.status, {"Cache-Control": "no-store"})


def _site(request: Request) -> str:
    """Scheme, host and base path of this server, for absolute addresses in answers."""
    return f"{request.url.scheme}://{request.url.netloc}{base_path()}"


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def _load() -> tuple[DataKey, Loaded, dict[str, str]]:
    """The data the pages show, from their cache, and headers that say if it is stale.

    While an edit has broken the files, the pages show the last version that loaded without
    problems, and so does the API (header `X-Data-Problems`); with no such version, a 503 that
    names the problems.
    """
    data_key = current_data_key()
    try:
        return data_key, get_loaded(data_key), {}
    except DataPackageError as error:
        count = len(error.problems)
        good_key = last_good_key(data_key[0])
        if good_key is not None:
            return good_key, get_loaded(good_key), {PROBLEMS_HEADER: str(count)}
        listed = [str(p) for p in error.problems[:MAX_LISTED_PROBLEMS]]
        message = (
            f"The data package has {count} problem(s), so the API cannot serve it until they "
            "are fixed (python -m components.validate lists them)."
        )
        raise ApiError(503, listed, message) from None


def _read_only(request: Request) -> Response | None:
    """The answer to a method other than GET and HEAD, if it is one."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=PREFLIGHT_HEADERS)
    if request.method not in READ_METHODS:
        error = ApiError(405, [f"The API is read-only: {request.method} is not allowed."])
        return _json(error.body(), 405, {"Allow": "GET, HEAD, OPTIONS"})
    return None


def _guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Any]:
    """An endpoint that runs `handler` in a worker thread and answers errors as JSON."""

    async def endpoint(request: Request) -> Response:
        early = _read_only(request)
        if early is not None:
            return early
        try:
            return await run_in_threadpool(handler, request)
        except ApiError as error:
            return _error(error)
        except Exception:
            LOGGER.exception("API request failed: %s", request.url.path)
            return _error(ApiError(500, ["Internal error: the request could not be answered."]))

    return endpoint


# components.views is imported on first use, inside the endpoints below: declared before
# Streamlit's runtime exists, its caches would log "No runtime found" at start-up.


def _cached(request: Request, tag: str) -> Response | None:
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(
            status_code=304, headers={**CORS_HEADERS, "ETag": tag, "Cache-Control": CACHE_CONTROL}
        )
    return None


def _index(request: Request) -> Response:
    from components import views

    data_key, loaded, stale = _load()
    meta = loaded.package.meta
    tag = etag(str(meta.get("version", "")), data_key[1])
    if (not_modified := _cached(request, tag)) is not None:
        return not_modified
    everything = default_query(loaded.package.data_current_to.year)
    columns = {
        name: [str(c) for c in views.download_table(data_key, name, everything).columns]
        for name in download_names()
    }
    options = query_options(loaded.package.country_names)
    body = describe(_site(request), columns, options, meta)
    return _json(body, headers={"ETag": tag, "Cache-Control": CACHE_CONTROL, **stale})


def csv_bytes(data_key: DataKey, request: ApiRequest) -> bytes:
    """The CSV of a table request: the page's download, from the same cache when small."""
    from components import views

    frame = views.download_table(data_key, request.table, request.query)
    if len(frame) > DEFERRED_DOWNLOAD_ROWS:
        return to_csv_bytes(frame)
    return views.table_csv(data_key, request.table, request.query)


def _table(request: Request) -> Response:
    from components import views

    data_key, loaded, stale = _load()
    package = loaded.package
    last_year = package.data_current_to.year
    api_request = parse_request(
        request.path_params["name"],
        _params(request),
        query_options(package.country_names),
        last_year,
    )
    version = str(package.meta.get("version", ""))
    tag = etag(version, data_key[1])
    if (not_modified := _cached(request, tag)) is not None:
        return not_modified
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **stale}
    if api_request.fmt == "csv":
        filename = csv_filename(api_request)
        return Response(
            csv_bytes(data_key, api_request),
            media_type="text/csv; charset=utf-8",
            headers={
                **CORS_HEADERS,
                **headers,
                "Content-Disposition": f'attachment; filename="{filename}"',
            },
        )
    frame = views.download_table(data_key, api_request.table, api_request.query)
    body = table_page(frame, api_request, _site(request), last_year, version)
    if stale:
        body["data_problems"] = int(stale[PROBLEMS_HEADER])
    return _json(body, headers=headers)


def _shapes(request: Request) -> Response:
    """The country outlines of the data version in use (`data/countries.geojson`), revalidated
    by an ETag per version."""
    data_key = _load()[0]
    tag = etag("shapes", data_key[1])
    if (not_modified := _cached(request, tag)) is not None:
        return not_modified
    return Response(
        shapes_json(data_key),
        media_type="application/geo+json",
        headers={**CORS_HEADERS, "ETag": tag, "Cache-Control": "public, max-age=86400"},
    )


@lru_cache(maxsize=4)
def shapes_json(data_key: DataKey) -> bytes:
    """The outlines as compact JSON bytes, made once per data version."""
    geometry = get_loaded(data_key).package.geometry
    return json.dumps(geometry, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _unknown(request: Request) -> Response:
    raise ApiError(
        404, [f"No such API address: {request.url.path[:80]}. The API is described at {PREFIX}/."]
    )


def api_routes() -> list[BaseRoute]:
    """The API's routes under the server's base path."""
    root = base_path() + PREFIX
    return [
        Route(f"{root}/", _guarded(_index), methods=API_METHODS),
        Route(
            root, lambda request: RedirectResponse(f"{root}/", status_code=308), methods=API_METHODS
        ),
        Route(base_path() + SHAPES_PATH, _guarded(_shapes), methods=API_METHODS),
        Route(f"{root}/{{name}}", _guarded(_table), methods=API_METHODS),
        Route(base_path() + "/api/{rest:path}", _guarded(_unknown), methods=API_METHODS),
    ]


# --- middleware -------------------------------------------------------------------------------


def _enabled(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def security_headers(frame_ancestors: str | None = None) -> list[tuple[bytes, bytes]]:
    """The headers every answer gets. `frame_ancestors`: who may frame the pages (CSP syntax)."""
    ancestors = (frame_ancestors or "").strip() or "'self'"
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"content-security-policy", f"frame-ancestors {ancestors}".encode("latin-1")),
    ]
    if ancestors == "'self'":
        # Older browsers read only this; it cannot name other sites, so it goes when they are.
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


class SecurityHeadersMiddleware:
    """Adds `security_headers()` to every HTTP answer that does not set them itself."""

    def __init__(self, app: ASGIApp, frame_ancestors: str | None = None) -> None:
        self.app = app
        self.headers = security_headers(frame_ancestors or os.environ.get(FRAME_ANCESTORS_ENV))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def not_found_page(path: str, root: str = "") -> str:
    """A small page for an address the dashboard does not have, linking to the ones it has."""
    shown = html.escape(path if len(path) <= 120 else path[:120] + "…")
    links = "".join(
        f'<li><a href="{html.escape(root)}/{html.escape(page.url_path)}">'
        f"{html.escape(page.title)}</a></li>"
        for page in PAGES
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Not found · CSTO Monitor</title>"
        "<style>body{font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
        "line-height:1.5}code{overflow-wrap:anywhere}</style></head><body>"
        "<h1>Page not found</h1>"
        f"<p>CSTO Monitor has no page at <code>{shown}</code>. Its pages are:</p>"
        f"<ul>{links}</ul>"
        f'<p>The data are also at <a href="{html.escape(root)}{PREFIX}/">{PREFIX}/</a>.</p>'
        "</body></html>"
    )


def is_unknown_nested(path: str, static_serving: bool = False) -> bool:
    """Whether `path` (below the base path) has two or more segments and no server route."""
    segments = [s for s in path.strip("/").split("/") if s]
    if len(segments) < 2:
        return False
    known = SERVER_SEGMENTS | ({"app"} if static_serving else set())
    return segments[0] not in known


class PathGuardMiddleware:
    """404 for the metrics endpoint (unless enabled) and for unknown nested addresses.

    Streamlit answers any unknown address with its page, whose scripts are linked relative to
    the address: at `/Map/x/y` they are looked for under `/Map/x/` and the page stays blank.
    One unknown segment (`/nothing`) is left to Streamlit, which shows "Page not found".
    """

    def __init__(self, app: ASGIApp, public_metrics: bool | None = None) -> None:
        self.app = app
        self.public_metrics = (
            _enabled(PUBLIC_METRICS_ENV) if public_metrics is None else (public_metrics)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root = base_path()
        path: str = scope.get("path", "")
        relative = path[len(root) :] if root and path.startswith(root) else path
        response: Response | None = None
        if relative.rstrip("/") == "/_stcore/metrics" and not self.public_metrics:
            response = Response("Not Found", status_code=404, media_type="text/plain")
        elif scope.get("method") in READ_METHODS and is_unknown_nested(
            relative, bool(config.get_option("server.enableStaticServing"))
        ):
            response = HTMLResponse(not_found_page(path, root), status_code=404)
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)


def middleware_classes() -> Iterable[type]:
    """The middlewares of the server entry, outermost first."""
    return (SecurityHeadersMiddleware, PathGuardMiddleware)
