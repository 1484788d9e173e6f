"""A filtered CSV from Datasette and from the dashboard: `python -m benchmarks.datasette_compare`.

Datasette is installed into its own virtual environment under benchmarks/out/ (the app's pinned
requirements stay as they are) and serves SQLite copies of the synthetic clashes tables (1,000
and 100,000 rows) on 127.0.0.1. The job: every clash that touches the years FROM..TO and names
one of COUNTRIES on either side, as CSV. Datasette answers it with a `_where` clause and
`_stream=on` (all rows, one request); the dashboard with `filter_incidents` + `to_csv_bytes` in
this process, and, in headless Chromium, with the whole visitor path: open the Incidents page
with the filters in its URL, click the download button, receive the file. The three are timed
in turns within one run, so a noisy machine slows them alike; each figure is a median.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from playwright.sync_api import Browser, sync_playwright

from benchmarks.browser import drawn, local_context
from benchmarks.common import OUT, Result, merge_results, ms, print_results
from benchmarks.generate import ensure_package
from components.data import load_package
from components.export import to_csv_bytes
from components.incidents import filter_incidents
from components.query import Query
from components.store import derive
from tests.live_server import CHROMIUM_ARGS, chromium_path, dashboard_server, free_port, stop

SIZES = (1_000, 100_000)
YEARS = (2020, 2023)
COUNTRIES = ("ARM", "AZE")
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


def fetch(url: str) -> bytes:
    """The whole body of a GET."""
    with urllib.request.urlopen(url, timeout=TIMEOUT_MS / 1000) as response:
        return response.read()


def dashboard_job(incidents: pd.DataFrame) -> tuple[pd.DataFrame, bytes]:
    """The dashboard's own code for the job: filtered clashes and their CSV."""
    shown = filter_incidents(incidents, Query(*YEARS, COUNTRIES, categories=("clash",)))
    return shown, to_csv_bytes(shown)


def browser_download(browser: Browser, base: str, rows: int, target: Path) -> float:
    """Seconds from opening the filtered Incidents page to the downloaded file saved."""
    query = urllib.parse.urlencode(
        {"from": YEARS[0], "to": YEARS[1], "country": COUNTRIES}, doseq=True
    )
    with local_context(browser) as context:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{base}/Incidents?{query}")
        page.wait_for_function(drawn("[data-testid='stDataFrame']"), timeout=TIMEOUT_MS)
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name=f"Download {rows:,} rows as CSV").click()
        download.value.save_as(target)
        return time.perf_counter() - start


def compare(size: int, ds_base: str, browser: Browser, runs: int) -> list[Result]:
    """Interleaved timings for one size; rows checked equal across the three paths."""
    data_dir = ensure_package(size)
    package = load_package(data_dir)
    incidents = derive(package).incidents
    shown, _ = dashboard_job(incidents)
    everything = filter_incidents(incidents, Query(*YEARS, COUNTRIES))
    url = f"{ds_base}/clashes_{size}/clashes.csv?" + urllib.parse.urlencode(
        {"_where": where_clause(), "_stream": "on", "_size": "max"}
    )
    ds_rows = fetch(url).decode("utf-8").count("\r\n") - 1
    if ds_rows != len(shown):
        raise RuntimeError(f"datasette returned {ds_rows} rows, the dashboard {len(shown)}")
    times: dict[str, list[float]] = {"datasette": [], "in-process": [], "browser": []}
    download = OUT / f"download-{size}.csv"
    with dashboard_server(data_dir) as base:
        browser_download(browser, base, len(everything), download)  # fills the data cache
        for _ in range(runs):
            start = time.perf_counter()
            fetch(url)
            times["datasette"].append(time.perf_counter() - start)
            start = time.perf_counter()
            dashboard_job(incidents)
            times["in-process"].append(time.perf_counter() - start)
            times["browser"].append(browser_download(browser, base, len(everything), download))
    medians = {path: statistics.median(values) for path, values in times.items()}
    label = f"{size:,} clashes, {len(shown):,} rows out"
    ratio = medians["in-process"] / medians["datasette"]
    return [
        Result(f"Filtered CSV, Datasette over HTTP, {label}", "–", ms(medians["datasette"]), None),
        Result(
            f"Filtered CSV, dashboard in-process, {label}", "–", ms(medians["in-process"]), None
        ),
        Result(
            f"Filtered CSV, dashboard ÷ Datasette, {label}", "≤ 1.0", f"{ratio:.2f}", ratio <= 1.0
        ),
        Result(
            f"Filtered CSV, dashboard in the browser (open page + download), {label}",
            "–",
            ms(medians["browser"]),
            None,
        ),
        Result(
            f"Filtered CSV, dashboard browser path ÷ Datasette, {label}",
            "–",
            f"{medians['browser'] / medians['datasette']:.1f}",
            None,
        ),
    ]


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
