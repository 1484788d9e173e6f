"""The data API: same rows as the pages, clear 400s, caching headers, and the server's guards."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient
from streamlit.runtime.media_file_manager import MediaFileManager

import components.export as export_module
from components.api import (
    DEFAULT_SIZE,
    MAX_SIZE,
    decode_next,
    encode_next,
    etag_matches,
    parse_request,
)
from components.data import DATA_DIR, load_package
from components.downloads import download_names
from components.export import restore_cell, to_csv_bytes, with_source_columns
from components.incidents import filter_incidents, make_requests
from components.query import CHOICE_PARAMS, Query, parse_query, query_options
from components.schema import tables
from components.tables import filter_package_table, filter_package_tables
from components.web import (
    PathGuardMiddleware,
    api_routes,
    is_unknown_nested,
    middleware_classes,
    not_found_page,
    security_headers,
)
from tests.conftest import copy_mini_package, incidents_of, read_table, write_table
from tests.live_server import dashboard_server
from tests.test_pages import (  # noqa: F401 (app_env: a fixture)
    DATA_PAGE,
    RecordingStorage,
    app_env,
    download_bytes,
    open_app,
)

REAL = load_package(DATA_DIR)
REAL_INCIDENTS = incidents_of(REAL)
LAST_YEAR = REAL.data_current_to.year
OPTIONS = query_options(REAL.country_names)


def make_client() -> TestClient:
    app = Starlette(
        routes=api_routes(), middleware=[Middleware(cls) for cls in middleware_classes()]
    )
    return TestClient(app)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The API over the shipped data package."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("CSTO_DATA_DIR", raising=False)
        yield make_client()


@pytest.fixture
def mini_client(mini_dir: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("CSTO_DATA_DIR", str(mini_dir))
    return make_client()


def expected_csv(table: str, query: Query) -> bytes:
    """The page's download for `table`, written out as the pages did before the API existed."""
    sources = REAL["sources"]
    if table in ("incidents", "requests"):
        shown = filter_incidents(REAL_INCIDENTS, query)
        frame = make_requests(shown) if table == "requests" else shown
        return to_csv_bytes(with_source_columns(frame, sources))
    frame = filter_package_tables(REAL, query.shared())[table]
    return to_csv_bytes(frame if table == "sources" else with_source_columns(frame, sources))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def as_csv_text(value: object) -> str:
    """A JSON value as the CSV writes it (the CSV also neutralises formulas: undone first)."""
    if value is None:
        return ""
    return str(value)


COUNTRY = st.sampled_from(
    ["ARM", "AZE", "KAZ", "KGZ", "TJK", "RUS", "BLR", "UZB", "GEO", "Armenia", "kaz", "UKR"]
)
YEARS = st.integers(1992, LAST_YEAR)
WORDS = st.sampled_from(["", "osh", "border", "Kazakhstan", "exercise", "Batken", "2022"])


def choice(field: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(list(OPTIONS[field])), max_size=3, unique=True)


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict[str, list[str]]]:
    """A table and link parameters any page could have in its address."""
    table = draw(st.sampled_from(download_names()))
    params: dict[str, list[str]] = {}
    if draw(st.booleans()):
        params["years"] = [str(draw(YEARS)), str(draw(YEARS))]
    if draw(st.booleans()):
        params["country"] = draw(st.lists(COUNTRY, min_size=1, max_size=3, unique=True))
    if table in ("incidents", "requests"):
        for name, field in CHOICE_PARAMS.items():
            if name != "country" and draw(st.integers(0, 3)) == 0:
                params[name] = draw(choice(field))
        if draw(st.integers(0, 3)) == 0:
            params["q"] = [draw(WORDS)]
    return table, {k: v for k, v in params.items() if v}


@settings(max_examples=200)
@given(requests())
def test_api_csv_and_json_equal_the_page_download(
    client: TestClient, request_: tuple[str, dict[str, list[str]]]
) -> None:
    table, params = request_
    query, notices = _parsed(params)
    assert not notices
    encoded = urlencode(params, doseq=True)
    answer = client.get(f"/api/v1/{table}.csv?{encoded}")
    assert answer.status_code == 200, answer.text
    assert answer.content == expected_csv(table, query)

    rows: list[dict] = []
    url = f"/api/v1/{table}.json?{urlencode({**params, '_size': ['max']}, doseq=True)}"
    while url:
        page = client.get(url).json()
        assert page["ok"] and len(page["rows"]) <= MAX_SIZE
        rows += page["rows"]
        url = page["next_url"]
    expected = csv_rows(answer.content)
    assert page["total"] == len(expected) == len(rows)
    assert page["columns"] == list(expected[0]) if expected else True
    for got, want in zip(rows, expected, strict=True):
        assert {k: as_csv_text(v) for k, v in got.items()} == {
            k: restore_cell(v) for k, v in want.items()
        }


def _parsed(params: dict[str, list[str]]) -> tuple[Query, list[str]]:
    return parse_query(params, OPTIONS, LAST_YEAR)


def test_json_pages_follow_next_to_the_end(client: TestClient) -> None:
    first = client.get("/api/v1/incidents.json?_size=7&country=KGZ").json()
    assert first["total"] > 7 and len(first["rows"]) == 7
    assert first["next_url"].endswith(f"_size=7&_next={first['next']}")
    assert first["query_url"].endswith("/api/v1/incidents.json?country=KGZ")
    seen, url = list(first["rows"]), first["next_url"]
    while url:
        page = client.get(url).json()
        seen += page["rows"]
        url = page["next_url"]
    assert [r["incident_id"] for r in seen] == [
        r["incident_id"]
        for r in client.get("/api/v1/incidents.json?_size=max&country=KGZ").json()["rows"]
    ]
    assert len(seen) == first["total"]
    default = client.get("/api/v1/sources.json").json()
    assert len(default["rows"]) == DEFAULT_SIZE and default["next"]


def test_query_url_is_canonical(client: TestClient) -> None:
    body = client.get(
        "/api/v1/incidents.json?from=2020&to=2022&country=armenia&type=Clash%20or%20crisis"
    ).json()
    assert body["query_url"] == (
        "http://testserver/api/v1/incidents.json?years=2020&years=2022&country=ARM&type=clash"
    )
    assert body["data_version"] == REAL.meta["version"]
    reversed_years = client.get(
        "/api/v1/incidents.json?years=2022&years=2020&country=ARM&type=clash"
    ).json()
    assert reversed_years["rows"] == client.get(body["query_url"]).json()["rows"]


BAD_REQUESTS = {
    "unknown parameter": ("clashes.csv?colour=red", "colour"),
    "bad year": ("clashes.json?years=1800&years=2020", "years"),
    "not a year": ("incidents.csv?from=abc", "from"),
    "reversed from and to": ("clashes.csv?from=2023&to=2001", "from"),
    "three years": ("clashes.csv?years=2001&years=2002&years=2003", "years"),
    "year given twice": ("clashes.csv?from=2001&from=2002", "from"),
    "unknown country": ("clashes.csv?country=XXX", "country"),
    "unknown kind": ("incidents.json?kind=picnic", "kind"),
    "text given twice": ("incidents.json?q=a&q=b", "q"),
    "text too long": (f"incidents.json?q={'x' * 201}", "q"),
    "narrowing a package table": ("clashes.csv?kind=border_clash", "kind"),
    "size zero": ("clashes.json?_size=0", "_size"),
    "size too large": (f"clashes.json?_size={MAX_SIZE + 1}", "_size"),
    "size not a number": ("clashes.json?_size=ten", "_size"),
    "size twice": ("clashes.json?_size=5&_size=6", "_size"),
    "size on a CSV": ("clashes.csv?_size=5", "_size"),
    "bad next token": ("clashes.json?_next=abc", "_next"),
    "negative next token": (f"clashes.json?_next={encode_next(1)[:-1]}x", "_next"),
    "unknown table": ("nothing.csv", "nothing"),
    "unknown format": ("clashes.xml", "xml"),
    "no format": ("clashes", "csv or .json"),
}


@pytest.mark.parametrize(("path", "named"), BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_parameters_are_a_400_that_names_them(
    client: TestClient, path: str, named: str
) -> None:
    answer = client.get(f"/api/v1/{path}")
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["access-control-allow-origin"] == "*"
    body = answer.json()
    assert body["ok"] is False and body["status"] == 400
    assert body["errors"] and named in body["error"]
    assert all(len(e) < 300 and "Ignored" not in e for e in body["errors"])


def test_every_problem_is_listed(client: TestClient) -> None:
    body = client.get("/api/v1/clashes.json?colour=red&years=1&_size=0").json()
    assert len(body["errors"]) == 3


def test_other_addresses_and_methods(client: TestClient) -> None:
    assert client.get("/api/v2/clashes.csv").status_code == 404
    assert client.get("/api/v1/clashes.csv/more").status_code == 404
    moved = client.get("/api/v1", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/api/v1/"
    posted = client.post("/api/v1/clashes.csv")
    assert posted.status_code == 405 and posted.json()["ok"] is False
    preflight = client.options("/api/v1/clashes.json")
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_index_describes_every_table_and_parameter(client: TestClient) -> None:
    body = client.get("/api/v1/").json()
    assert body["ok"] and body["data_version"] == REAL.meta["version"]
    listed = {t["name"]: t for t in body["tables"]}
    assert list(listed) == [*tables(), "incidents", "requests"]
    assert listed["clashes"]["columns"][-2:] == ["source_titles", "source_urls"]
    assert listed["incidents"]["narrowing_filters"] and not listed["clashes"]["narrowing_filters"]
    assert set(body["parameters"]) >= {"years", "country", "kind", "q", "_size", "_next"}
    assert "ARM" in body["parameters"]["country"]["values"]


def test_etag_gives_304_and_changes_with_the_data(mini_client: TestClient, mini_dir: Path):
    first = mini_client.get("/api/v1/incidents.csv?country=ARM")
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    assert first.headers["content-disposition"].endswith('incidents_1992-2024_ARM.csv"')
    again = mini_client.get("/api/v1/incidents.csv?country=ARM", headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content
    assert again.headers["etag"] == tag
    weak = mini_client.get("/api/v1/", headers={"If-None-Match": f'W/{tag}, "other"'})
    assert weak.status_code == 304
    clashes = read_table(mini_dir, "clashes")
    write_table(mini_dir, "clashes", clashes.iloc[:2])
    edited = mini_client.get("/api/v1/incidents.csv?country=ARM", headers={"If-None-Match": tag})
    assert edited.status_code == 200 and edited.headers["etag"] != tag


def test_broken_data_is_a_503_naming_the_problems(mini_client: TestClient, mini_dir: Path):
    clashes = read_table(mini_dir, "clashes")
    write_table(mini_dir, "clashes", clashes.assign(latitude="north"))
    for path in ("/api/v1/", "/api/v1/clashes.csv", "/api/v1/incidents.json?kind=nothing"):
        answer = mini_client.get(path)
        assert answer.status_code == 503
        body = answer.json()
        assert body["ok"] is False and "problem(s)" in body["error"]
        assert body["errors"][0].startswith("data/clashes.csv:2:latitude")
    write_table(mini_dir, "clashes", clashes)
    assert mini_client.get("/api/v1/clashes.csv").status_code == 200


def test_a_broken_edit_serves_the_last_good_version(mini_client: TestClient, mini_dir: Path):
    good = mini_client.get("/api/v1/clashes.json")
    clashes = read_table(mini_dir, "clashes")
    write_table(mini_dir, "clashes", clashes.assign(latitude="north"))
    stale = mini_client.get("/api/v1/clashes.json")
    assert stale.status_code == 200 and int(stale.headers["x-data-problems"]) > 0
    assert stale.json()["rows"] == good.json()["rows"] and stale.json()["data_problems"] > 0
    assert stale.headers["etag"] == good.headers["etag"]


def test_next_tokens_round_trip_and_refuse_forgeries() -> None:
    for offset in (0, 1, 99, 100_000):
        assert decode_next(encode_next(offset)) == offset
    for token in ("", "abc", "bzE=", "b-1", "x" * 40, "bzAx", "é"):
        with pytest.raises(ValueError):
            decode_next(token)


def test_etag_comparison() -> None:
    assert etag_matches('"a", W/"b"', '"b"')
    assert etag_matches("*", '"b"')
    assert not etag_matches('"a"', '"b"') and not etag_matches(None, '"b"')


def test_parse_request_is_pure() -> None:
    request = parse_request(
        "incidents.json", {"kind": ["Border clash"], "_size": ["5"]}, OPTIONS, 2025
    )
    assert request.query.kinds == ("border_clash",) and request.size == 5


# --- server guards ------------------------------------------------------------------------------


def test_security_headers_and_embedding() -> None:
    headers = dict(security_headers())
    assert headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"content-security-policy"] == b"frame-ancestors 'self'"
    assert headers[b"x-frame-options"] == b"SAMEORIGIN"
    allowed = dict(security_headers("'self' https://example.org"))
    assert allowed[b"content-security-policy"] == b"frame-ancestors 'self' https://example.org"
    assert b"x-frame-options" not in allowed


def test_api_answers_carry_the_security_headers(client: TestClient) -> None:
    answer = client.get("/api/v1/members.csv")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    ("path", "unknown"),
    [
        ("/Map/x/y", True),
        ("/nothing/here", True),
        ("/Map/x/", True),
        ("/Map", False),
        ("/Map/", False),
        ("/nothing", False),
        ("/", False),
        ("/static/js/index.js", False),
        ("/_stcore/health", False),
        ("/media/abc.csv", False),
        ("/api/v1/clashes.csv", False),
        ("/app/static/x.png", True),
    ],
)
def test_unknown_nested_addresses(path: str, unknown: bool) -> None:
    assert is_unknown_nested(path) is unknown


def test_not_found_page_and_metrics(client: TestClient) -> None:
    answer = client.get("/Map/<b>x</b>/y")
    assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
    assert "&lt;b&gt;" in answer.text and "<b>x" not in answer.text
    assert 'href="/Incidents"' in answer.text and 'href="/api/v1/"' in answer.text
    assert client.get("/_stcore/metrics").status_code == 404
    assert "Page not found" in not_found_page("/a/b")


def test_metrics_can_be_made_public() -> None:
    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"metrics"})

    opened = TestClient(PathGuardMiddleware(inner, public_metrics=True))
    assert opened.get("/_stcore/metrics").text == "metrics"
    closed = TestClient(PathGuardMiddleware(inner, public_metrics=False))
    assert closed.get("/_stcore/metrics").status_code == 404


# --- the real entry, over HTTP ------------------------------------------------------------------


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, _lower(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers.items()), error.read()


def _lower(items) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def test_live_server_serves_pages_and_api(tmp_path: Path) -> None:
    data = copy_mini_package(tmp_path / "data")
    package = load_package(data)
    query = Query(2020, 2024, ("ARM",))
    expected = to_csv_bytes(
        with_source_columns(filter_incidents(incidents_of(package), query), package["sources"])
    )
    with dashboard_server(data) as base:
        status, headers, body = fetch(f"{base}/api/v1/")
        assert status == 200 and json.loads(body)["ok"] is True
        assert headers["access-control-allow-origin"] == "*"
        assert headers["x-content-type-options"] == "nosniff"

        url = f"{base}/api/v1/incidents.csv?years=2020&years=2024&country=ARM"
        status, headers, body = fetch(url)
        assert status == 200 and body == expected
        assert fetch(url, {"If-None-Match": headers["etag"]})[0] == 304

        status, _, body = fetch(f"{base}/api/v1/incidents.json?years=2020&years=2019&colour=red")
        assert status == 400 and "colour" in json.loads(body)["error"]

        status, headers, body = fetch(f"{base}/Incidents?years=2020&years=2022")
        assert status == 200 and b"<html" in body.lower()
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert fetch(f"{base}/Map/x/y")[0] == 404
        assert fetch(f"{base}/_stcore/metrics")[0] == 404
        assert fetch(f"{base}/_stcore/health")[2] == b"ok"


# --- the pages' own buttons -----------------------------------------------------------------------

PAGE_LINKS = [
    {"country": "ARM"},
    {"years": ["2020", "2022"], "type": "clash"},
    {"kind": "border_clash", "q": "osh"},
    {"requested": "yes"},
]


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("link", PAGE_LINKS)
def test_incidents_button_and_api_give_the_same_bytes(link: dict) -> None:
    at = open_app("pages/3_Incidents.py", **link)
    api = make_client().get(f"/api/v1/incidents.csv?{urlencode(link, doseq=True)}")
    assert api.status_code == 200
    if at.get("download_button"):
        assert download_bytes(at, "incidents_download") == api.content
    else:
        assert len(csv_rows(api.content)) == 0


@pytest.mark.usefixtures("app_env")
def test_data_page_buttons_and_api_give_the_same_bytes() -> None:
    client = make_client()
    for table in download_names():
        at = open_app(DATA_PAGE, country="UZB", years=["2000", "2024"], table=table)
        api = client.get(f"/api/v1/{table}.csv?country=UZB&years=2000&years=2024")
        assert download_bytes(at, f"filtered_{table}") == api.content, table
        assert download_bytes(at, f"full_{table}") == client.get(f"/api/v1/{table}.csv").content


class RecordingManager(MediaFileManager):
    """AppTest's media file manager, remembered so a test can run a deferred download."""

    latest: RecordingManager | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingManager.latest = self


def deferred_bytes(at, key: str) -> bytes:
    """Run the function behind a download written when clicked, and return its bytes."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    assert button.proto.deferred_file_id, "this download is written when clicked"
    assert RecordingManager.latest is not None and RecordingStorage.latest is not None
    url = RecordingManager.latest.execute_deferred(button.proto.deferred_file_id)
    return RecordingStorage.latest.get_file(url.rsplit("/", 1)[1].split(".")[0]).content


@pytest.mark.usefixtures("app_env")
def test_large_downloads_written_on_click_are_the_api_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "DEFERRED_DOWNLOAD_ROWS", 0)  # every download
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)
    client = make_client()
    at = open_app("pages/3_Incidents.py", country="KGZ")
    assert (
        deferred_bytes(at, "incidents_download")
        == client.get("/api/v1/incidents.csv?country=KGZ").content
    )
    for table in ("clashes", "members"):
        at = open_app(DATA_PAGE, country="KGZ", table=table)
        api = client.get(f"/api/v1/{table}.csv?country=KGZ").content
        assert deferred_bytes(at, f"filtered_{table}") == api, table


@pytest.mark.parametrize("query", [Query(1992, LAST_YEAR), Query(2010, 2022, ("KGZ", "TJK"))])
def test_one_table_cut_equals_the_cut_of_all(query: Query) -> None:
    every = filter_package_tables(REAL, query)
    assert list(every) == ["sources", *[t for t in tables() if t != "sources"]]
    for table, frame in every.items():
        pd.testing.assert_frame_equal(filter_package_table(REAL, query, table), frame)


def test_country_shapes_are_served_as_geojson_and_revalidated(client: TestClient) -> None:
    assert client.get("/api/v1/").json()["outlines"].endswith("/api/v1/countries.geojson")
    answer = client.get("/api/v1/countries.geojson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    shapes = answer.json()
    assert {f["properties"]["iso3"] for f in shapes["features"]} >= {"ARM", "KAZ", "RUS"}
    again = client.get(
        "/api/v1/countries.geojson", headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize(
    ("page", "key", "view"),
    [
        ("pages/3_Incidents.py", "incidents_download", {}),
        ("pages/3_Incidents.py", "requests_download", {"tab": "Requests for help"}),
        (DATA_PAGE, "filtered_members", {"table": "members"}),
        (DATA_PAGE, "full_members", {"table": "members"}),
        (DATA_PAGE, "filtered_requests", {"table": "requests"}),
    ],
)
def test_large_downloads_keep_the_readers_language(
    monkeypatch: pytest.MonkeyPatch, page: str, key: str, view: dict[str, str]
) -> None:
    """Written when clicked or cached, a Russian reader's download adds the `_ru` columns."""
    monkeypatch.setattr(export_module, "DEFERRED_DOWNLOAD_ROWS", 1)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)
    at = open_app(page, lang="ru", **view)
    header = deferred_bytes(at, key).decode().splitlines()[0].split(",")
    assert any(column.endswith("_ru") for column in header), header
