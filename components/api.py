"""The data API, version 1: every table as CSV or JSON, taking the pages' link parameters.

`GET /api/v1/` describes the endpoints; `GET /api/v1/<table>.csv|json` returns the rows that the
pages show and download for the same parameters (`components.downloads.download_frame`), parsed
by the pages' own parser (`components.query.parse_query`). Where a page ignores a parameter it
cannot use and shows a notice, the API answers 400 and names it. JSON pages with `_size` and
`_next` (Datasette's names); the CSV always holds every row, byte for byte the page's download.

The request parsing and the JSON shapes are pure functions; `routes()` wraps them in Starlette
routes that read the data from the pages' shared cache (`components.store.load_cached`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from components.downloads import VIEWS, download_names, narrows
from components.export import export_filename
from components.query import (
    CHOICE_PARAMS,
    FIRST_YEAR,
    LEGACY_YEAR_PARAMS,
    MAX_TEXT,
    MAX_VALUES,
    TEXT_PARAM,
    YEARS_PARAM,
    Query,
    parse_query,
    to_params,
)
from components.schema import tables

API_VERSION = "v1"
PREFIX = f"/api/{API_VERSION}"
# The package's country outlines as GeoJSON (not a table), for readers drawing their own maps.
SHAPES_PATH = f"{PREFIX}/countries.geojson"
FORMATS = ("csv", "json")
SIZE_PARAM = "_size"
NEXT_PARAM = "_next"
DEFAULT_SIZE = 100
MAX_SIZE = 1000
MAX_OFFSET = 10**9
# The narrowing filters: only the incidents and requests views take them.
NARROWING_PARAMS = (*(name for name in CHOICE_PARAMS if name != "country"), TEXT_PARAM)
CACHE_CONTROL = "public, max-age=60"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Content-Disposition, X-Data-Problems",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Max-Age": "86400",
}
PARAMETER_HELP = {
    YEARS_PARAM: "Two years, first and last (inclusive), e.g. years=2020&years=2023. "
    f"Rows that touch any year of the range. Default: {FIRST_YEAR} to the last year of the data.",
    "from": "Older form of the first year (from=2020); use 'years'.",
    "to": "Older form of the last year (to=2023); use 'years'.",
    "country": "ISO 3166-1 alpha-3 code or the name shown, repeatable: rows that name any of them.",
    "type": "clash or deployment (incidents and requests only).",
    "kind": "Kind of clash or deployment (incidents and requests only).",
    "requested": "Whether help was requested (incidents and requests only).",
    "asked": "Whom help was asked of (incidents and requests only).",
    "response": "The alliance's response (incidents and requests only).",
    "members": "How the states of a clash related to the alliance (incidents and requests only).",
    TEXT_PARAM: f"Text in names, places and notes, at most {MAX_TEXT} characters "
    "(incidents and requests only).",
    SIZE_PARAM: f"JSON only: rows per page, 1 to {MAX_SIZE} (default {DEFAULT_SIZE}) or 'max'.",
    NEXT_PARAM: "JSON only: the opaque token of the next page, from a response's 'next'.",
}


class ApiError(Exception):
    """A request the API cannot answer; `errors` names each problem (plain text)."""

    def __init__(self, status: int, errors: Sequence[str], message: str | None = None):
        self.status = status
        self.errors = list(errors)
        self.message = message or " ".join(self.errors)
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message, "errors": self.errors, "status": self.status}


@dataclass(frozen=True)
class ApiRequest:
    """What a table request asks for: which rows (the query), in which form, which page."""

    table: str
    fmt: str
    query: Query
    size: int = DEFAULT_SIZE
    offset: int = 0


def encode_next(offset: int) -> str:
    """The opaque token of the page that starts at `offset`."""
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_next(token: str) -> int:
    """The offset a `_next` token stands for; ValueError if it is not one of ours."""
    if not 0 < len(token) <= 16 or not token.isascii():
        raise ValueError(token)
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError(token) from error
    digits = text[1:]
    if not (text.startswith("o") and digits.isdigit() and digits == str(int(digits))):
        raise ValueError(token)
    offset = int(digits)
    if offset > MAX_OFFSET or encode_next(offset) != token:
        raise ValueError(token)
    return offset


def _single(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = list(params[name])
    if len(values) != 1:
        raise ApiError(400, [f"'{name}' must be given once, not {len(values)} times."])
    return values[0]


def _shown(value: str) -> str:
    cut = value if len(value) <= 40 else value[:40] + "…"
    return "".join(c if c.isprintable() else "?" for c in cut)


def parse_size(text: str) -> int:
    """`_size`: a whole number from 1 to MAX_SIZE, or `max`."""
    value = text.strip()
    if value == "max":
        return MAX_SIZE
    if not value.isdigit() or not 1 <= int(value) <= MAX_SIZE:
        raise ApiError(
            400,
            [
                f"'{SIZE_PARAM}' must be a whole number from 1 to {MAX_SIZE} or 'max', "
                f"not '{_shown(text)}'."
            ],
        )
    return int(value)


def split_name(name: str) -> tuple[str, str]:
    """`clashes.csv` -> ("clashes", "csv"); ApiError for an unknown table or format."""
    table, dot, fmt = name.rpartition(".")
    known = download_names()
    if not dot:
        table, fmt = name, ""
    errors = []
    if table not in known:
        errors.append(f"Unknown table '{_shown(table)}': expected one of {', '.join(known)}.")
    if fmt not in FORMATS:
        shown = f"format '{_shown(fmt)}'" if fmt else "no format"
        errors.append(f"Unknown {shown}: add .csv or .json to the table's name.")
    if errors:
        raise ApiError(400, errors)
    return table, fmt


def parse_request(
    name: str,
    params: Mapping[str, Sequence[str]],
    options: Mapping[str, Mapping[str, str]],
    last_year: int,
) -> ApiRequest:
    """The request for `/api/v1/<name>?<params>`, or ApiError(400) naming every problem.

    The link parameters go through the pages' parser; any notice it gives is an error here.
    """
    table, fmt = split_name(name)
    errors: list[str] = []
    paging = {k: v for k, v in params.items() if k in (SIZE_PARAM, NEXT_PARAM)}
    link = {k: v for k, v in params.items() if k not in paging}
    size, offset = DEFAULT_SIZE, 0
    if paging and fmt == "csv":
        errors += [
            f"'{key}' pages JSON only: a CSV always holds every row." for key in sorted(paging)
        ]
    else:
        for key, parse in ((SIZE_PARAM, parse_size), (NEXT_PARAM, _parse_next)):
            if key in paging:
                try:
                    value = parse(_single(paging, key))
                except ApiError as error:
                    errors += error.errors
                    continue
                size, offset = (value, offset) if key == SIZE_PARAM else (size, value)
    if not narrows(table):
        errors += [
            f"'{key}' narrows only incidents and requests, not {table}."
            for key in link
            if key in NARROWING_PARAMS
        ]
    query, notices = parse_query(link, options, last_year)
    errors += [as_error(notice) for notice in notices]
    if errors:
        raise ApiError(400, errors, f"Bad request: {' '.join(errors)}")
    return ApiRequest(table, fmt, query, size, offset)


def as_error(notice: str) -> str:
    """A page's notice about a link ("Ignored 'years': ...") worded as the API's refusal."""
    text = re.sub(r"; showing every year\.$", ".", notice)
    text = re.sub(r"^Ignored ", "Cannot use ", text)
    text = re.sub(
        r"^Used the last of ([0-9]+) '(.+)' values\.$",
        r"'\2' must be given once, not \1 times.",
        text,
    )
    return re.sub(
        r"^Cut the search text to its first ([0-9]+) characters\.$",
        rf"'{TEXT_PARAM}' must be at most \1 characters long.",
        text,
    )


def _parse_next(token: str) -> int:
    try:
        return decode_next(token)
    except ValueError:
        raise ApiError(
            400, [f"'{NEXT_PARAM}' is not a page token from this API: '{_shown(token)}'."]
        ) from None


def query_path(table: str, fmt: str, query: Query, last_year: int, **extra: str) -> str:
    """The canonical address (path and query string, codes form) of a table request."""
    params: dict[str, list[str]] = dict(to_params(query, last_year))
    params.update({key: [value] for key, value in extra.items()})
    encoded = urlencode(params, doseq=True)
    return f"{PREFIX}/{table}.{fmt}" + (f"?{encoded}" if encoded else "")


def _cell(value: object) -> object:
    """A frame cell as a JSON value: dates as YYYY-MM-DD, missing as null."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


def json_rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows as JSON objects, columns in order (values as in the CSV, not neutralised)."""
    columns = [str(c) for c in frame.columns]
    return [
        {column: _cell(value) for column, value in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def table_page(
    frame: pd.DataFrame, request: ApiRequest, base_url: str, last_year: int, data_version: str
) -> dict[str, Any]:
    """The JSON body of one page of a table request."""
    page = frame.iloc[request.offset : request.offset + request.size]
    end = request.offset + len(page)
    following = encode_next(end) if end < len(frame) else None
    extra = {} if request.size == DEFAULT_SIZE else {SIZE_PARAM: str(request.size)}
    query_url = base_url + query_path(request.table, "json", request.query, last_year)
    next_url = None
    if following is not None:
        path = query_path(
            request.table, "json", request.query, last_year, **extra, **{NEXT_PARAM: following}
        )
        next_url = base_url + path
    return {
        "ok": True,
        "table": request.table,
        "columns": [str(c) for c in frame.columns],
        "rows": json_rows(page),
        "total": len(frame),
        "offset": request.offset,
        "data_version": data_version,
        "query_url": query_url,
        "csv_url": base_url + query_path(request.table, "csv", request.query, last_year),
        "next": following,
        "next_url": next_url,
    }


def describe(
    base_url: str,
    columns: Mapping[str, Sequence[str]],
    options: Mapping[str, Mapping[str, str]],
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """The JSON body of `GET /api/v1/`: endpoints, parameters and their allowed values."""
    described = {name: table.description for name, table in tables().items()}
    described["incidents"] = (
        "The Incidents page's table: clashes and deployments in one list, newest first, with the "
        "alliance context of each clash."
    )
    described["requests"] = (
        "The Incidents page's requests for help: who asked whom, when, what the alliance did, "
        "and in how many days (oldest first)."
    )
    licences = meta.get("licenses") or [{}]
    return {
        "ok": True,
        "api_version": API_VERSION,
        "data_version": str(meta.get("version", "unknown")),
        "data_current_to": str(meta.get("data_current_to", "")),
        "license": licences[0].get("name", ""),
        "documentation": base_url + f"{PREFIX}/",
        "formats": list(FORMATS),
        "outlines": base_url + SHAPES_PATH,
        "tables": [
            {
                "name": name,
                "description": described.get(name, ""),
                "columns": list(columns[name]),
                "narrowing_filters": narrows(name),
                "csv": base_url + f"{PREFIX}/{name}.csv",
                "json": base_url + f"{PREFIX}/{name}.json",
            }
            for name in download_names()
        ],
        "parameters": {
            name: {
                "description": text,
                **({"values": list(options[CHOICE_PARAMS[name]])} if name in CHOICE_PARAMS else {}),
            }
            for name, text in PARAMETER_HELP.items()
        },
        "rules": [
            "The parameters are the pages' link parameters: a page's address works here too.",
            "A parameter the API cannot use is a 400 error that names it (the pages ignore it "
            "with a notice).",
            f"Choices accept codes or the words the pages show, in any letter case; at most "
            f"{MAX_VALUES} values each.",
            "CSV: every row, the same bytes as the page's download (UTF-8, text that a "
            "spreadsheet could run as a formula starts with an apostrophe).",
            f"JSON: {DEFAULT_SIZE} rows a page by default; follow next_url until it is null.",
            "ETag and If-None-Match: a 304 while the data have not changed.",
        ],
        "legacy_parameters": list(LEGACY_YEAR_PARAMS),
        "views": list(VIEWS),
    }


def etag(data_version: str, signature: tuple[object, ...]) -> str:
    """A strong ETag from the data version and the data files' signature."""
    digest = hashlib.sha256(repr((API_VERSION, data_version, signature)).encode()).hexdigest()
    return f'"{digest[:24]}"'


def etag_matches(header: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (weak comparison, `*` matches)."""
    if not header:
        return False
    candidates = [part.strip() for part in header.split(",")]
    return any(c == "*" or c.removeprefix("W/") == tag for c in candidates)


def csv_filename(request: ApiRequest) -> str:
    """The name the page's download button gives the same rows."""
    return export_filename(request.table, request.query)


def dumps(body: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
