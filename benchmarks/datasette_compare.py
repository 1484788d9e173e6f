"""A filtered CSV from Datasette and from the dashboard: `python -m benchmarks.datasette_compare`.

Datasette is installed into its own virtual environment under benchmarks/out/ (the app's pinned
requirements stay as they are) and serves SQLite copies of the synthetic clashes tables (1,000
and 100,000 rows) on 127.0.0.1. The job: every clash that touches the years FROM..TO and names
one of COUNTRIES on either side, as CSV. Datasette answers it with a `_where` clause and
`_stream=on` (all rows, one request). The dashboard answers it four ways:

- the API: `GET /api/v1/clashes.csv?years=..&country=..` on the running server (`app.py`), the
  same bytes as the page's download, from the server's cache after the first request;
- the API revalidated: the same request with `If-None-Match` (a 304, no body);
- in-process, uncached: `download_frame` + `to_csv_bytes`, what the server does on a cache miss;
- the page download in headless Chromium: open the Data & sources page with the filters in its
  address, click the clashes table's "Filtered" button, receive the file.

The paths take turns within one run, so a noisy machine slows them alike; each figure is a
median. Every path's rows are checked equal to Datasette's before timing.
"""

from __future__ import annotations

import argparse
import csv
import io
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from playwright.sync_api import Browser, sync_playwright

from benchmarks.browser import drawn, local_context
from benchmarks.common import OUT, Result, merge_results, ms, print_results
from benchmarks.generate import ensure_package
from components.data import load_package
from components.downloads import download_frame
from components.export import to_csv_bytes
from components.query import Query
from components.store import derive
from tests.live_server import CHROMIUM_ARGS, chromium_path, dashboard_server, free_port, stop

SIZES = (1_000, 100_000)
YEARS = (2020, 2023)
COUNTRIES = ("ARM", "AZE")
QUERY = Query(*YEARS, COUNTRIES)
DS_VENV = OUT / "ds-venv"
DS_PACKAGE = "datasette"
STARTUP_SECONDS = 60
TIMEOUT_MS = 300_000


def ensure_datasette() -> Path:
    """The datasette command in its own virtual environment, installed on first use."""
    command = DS_VENV / "bin" / "datasette"
    if not command.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DS_VENV)], check=True)
        subprocess.run([str(DS_VENV / "bin" / "pip"), "install", "--quiet", DS_PACKAGE], check=True)
    return command


def build_database(data_dir: Path, target: Path) -> Path:
    """SQLite copy of clashes.csv: text cells as stored, empty cells as NULL."""
    clashes = pd.read_csv(data_dir / "clashes.csv", dtype=str)
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as connection:
        clashes.to_sql("clashes", connection, index=False)
    return target


def where_clause() -> str:
    """SQL for the job: the same rule as the dashboard's year and country filters."""
    first, last = f"{YEARS[0]}-01-01", f"{YEARS[1]}-12-31"
    names = " or ".join(
        f"(';' || side_a || ';' || coalesce(side_b, '') || ';') like '%;{code};%'"
        for code in COUNTRIES
    )
    return f"start_date <= '{last}' and coalesce(end_date, start_date) >= '{first}' and ({names})"


@contextmanager
def datasette_server(databases: list[Path]) -> Iterator[str]:
    """Serve `databases` read-only on a free local port; yield the base URL."""
    port = free_port()
    log = (OUT / "datasette.log").open("ab")
    process = subprocess.Popen(
        [
            str(ensure_datasette()),
            "serve",
            *map(str, databases),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "max_csv_mb",
            "0",
        ],
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base}/-/versions.json"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"datasette did not start; see {log.name}")
            time.sleep(0.1)
        yield base
    finally:
        stop(process)
        log.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET; a 304 is not an error."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_MS / 1000) as response:
            found = {k.lower(): v for k, v in response.headers.items()}
            return response.status, found, response.read()
    except urllib.error.HTTPError as error:
        if error.code != 304:
            raise
        return 304, {k.lower(): v for k, v in error.headers.items()}, b""


def clash_ids(data: bytes) -> list[str]:
    return sorted(row["clash_id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8"))))


def api_url(base: str) -> str:
    params = urllib.parse.urlencode({"years": YEARS, "country": COUNTRIES}, doseq=True)
    return f"{base}/api/v1/clashes.csv?{params}"


def browser_download(browser: Browser, base: str, target: Path) -> float:
    """Seconds from opening the filtered Data & sources page to the clashes CSV saved."""
    params = urllib.parse.urlencode({"years": YEARS, "country": COUNTRIES}, doseq=True)
    with local_context(browser) as context:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{base}/Data_and_sources?{params}")
        page.wait_for_function(drawn(".st-key-filtered_clashes button"), timeout=TIMEOUT_MS)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.locator(".st-key-filtered_clashes button").first.click()
        download.value.save_as(target)
        return time.perf_counter() - start


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def compare(size: int, ds_base: str, browser: Browser, runs: int) -> list[Result]:
    """Interleaved timings for one size; rows checked equal across the paths."""
    data_dir = ensure_package(size)
    loaded = derive(load_package(data_dir))
    expected = download_frame(loaded, "clashes", QUERY)
    ds_url = f"{ds_base}/clashes_{size}/clashes.csv?" + urllib.parse.urlencode(
        {"_where": where_clause(), "_stream": "on", "_size": "max"}
    )
    ds_ids = clash_ids(fetch(ds_url)[2])
    if ds_ids != sorted(expected["clash_id"]):
        raise RuntimeError(f"datasette returned {len(ds_ids)} rows, the dashboard {len(expected)}")
    times: dict[str, list[float]] = {
        "datasette": [],
        "api": [],
        "api 304": [],
        "in-process": [],
        "browser": [],
    }
    download = OUT / f"download-{size}.csv"
    with dashboard_server(data_dir) as base:
        url = api_url(base)
        _, headers, body = fetch(url)  # the first request loads the data into the cache
        if clash_ids(body) != ds_ids:
            raise RuntimeError("the API's rows differ from Datasette's")
        tag = headers["etag"]
        browser_download(browser, base, download)
        if download.read_bytes() != body:
            raise RuntimeError("the page's download differs from the API's CSV")
        for _ in range(runs):
            times["datasette"].append(_timed(lambda: fetch(ds_url)))
            times["api"].append(_timed(lambda: fetch(url)))
            times["api 304"].append(_timed(lambda: fetch(url, {"If-None-Match": tag})))
            times["in-process"].append(
                _timed(lambda: to_csv_bytes(download_frame(loaded, "clashes", QUERY)))
            )
            times["browser"].append(browser_download(browser, base, download))
    median = {path: statistics.median(values) for path, values in times.items()}
    label = f"{size:,} clashes, {len(expected):,} rows out"
    ds = median["datasette"]

    def ratio(path: str, goal: bool) -> Result:
        value = median[path] / ds
        met = value <= 1.0 if goal else None
        return Result(
            f"Filtered CSV, {NAMES[path]} ÷ Datasette, {label}",
            "≤ 1.0" if goal else "–",
            f"{value:.2f}",
            met,
        )

    return [
        *(Result(f"Filtered CSV, {NAMES[p]}, {label}", "–", ms(median[p]), None) for p in NAMES),
        ratio("api", goal=True),
        ratio("api 304", goal=False),
        ratio("in-process", goal=True),
        ratio("browser", goal=False),
    ]


NAMES = {
    "datasette": "Datasette over HTTP",
    "api": "dashboard API over HTTP (cached)",
    "api 304": "dashboard API revalidated (304)",
    "in-process": "dashboard in-process, uncached",
    "browser": "dashboard page download in the browser (open page + click)",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=7, help="interleaved rounds per size")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    databases = [
        build_database(ensure_package(size), OUT / f"clashes_{size}.db") for size in args.sizes
    ]
    results: list[Result] = []
    with datasette_server(databases) as ds_base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for size in args.sizes:
                results += compare(size, ds_base, browser, args.runs)
        finally:
            browser.close()
    print_results("Datasette against the dashboard, same filtered CSV", results)
    merge_results(results)


if __name__ == "__main__":
    main()
