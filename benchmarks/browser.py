"""Page and filter times in headless Chromium, and cold start: `python -m benchmarks.browser`.

Page time: from `goto` in a new tab (a new Streamlit session) to the moment the script has
finished (`data-test-script-state='notRunning'`) and the page's main element exists: a country
filled on the map (Overview, Map), the timeline's plotly SVG (Timeline), the table's canvas grid
(Incidents), the download buttons (Data & sources, which opens on its downloads). The server is
warm: every page was opened once before timing, so the data cache is filled. "First visit" opens
each tab in a new browser context (empty browser cache: the app's scripts are fetched and compiled
again); "returning" opens it in one context that has seen every page before (scripts cached, as
for a returning visitor).

Filter time, on /Incidents: from pressing Enter in "Search names, places and notes" (or picking or
removing a country in the sidebar) to the row count "N of M incidents" showing the new N.

Navigation: in one tab, from clicking a page's link in the sidebar to that page's script finished
and its main element drawn (the tab's title names the page, no element left over from the page
before), for every ordered pair of pages; the order of the clicks walks every pair once a round.
Timed in the page: from the click event to the first animation frame in which the page shows, the
reader's wait. Also timed from the driver's side (from asking Playwright to click until it hears
the page shows), which adds Playwright's checks before it clicks (the link visible, stable over two
frames and not covered) and the round trips to the browser. Also the bytes the server sent over
the WebSocket for that navigation.

Cold start: from launching `scripts/start` (installed environment, free port) to the Overview's
map drawn in a fresh browser, which includes the first load and validation of the data.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from benchmarks.common import OUT, ROOT, Result, merge_results, ms, print_results
from components.data import DATA_DIR, load_package
from components.incidents import filter_incidents
from components.query import Query
from components.store import derive
from tests.live_server import (
    CHROMIUM_ARGS,
    chromium_path,
    dashboard_server,
    free_port,
    is_local,
)

MAP = ".js-plotly-plot path.js-fill"  # a country filled on the map (SVG)
PAGES = {
    "Overview": ("", MAP),
    "Map": ("Map", MAP),
    "Timeline": ("Timeline", ".js-plotly-plot .main-svg"),
    "Incidents": ("Incidents", "[data-testid='stDataFrame'] canvas"),
    "Data & sources": ("Data_and_sources", "[data-testid='stDownloadButton'] button"),
}
SEARCH_LABEL = "Search names, places and notes"
SEARCH_TERMS = ("Almaty", "")
COUNTRY = ("ARM", "Armenia")
PAGE_GOAL, FILTER_GOAL, COLD_GOAL, NAVIGATION_GOAL = 1.5, 0.300, 5.0, 0.300
TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1400, "height": 1000}


def drawn(selector: str) -> str:
    """JS predicate: the script run is over and `selector` matches an element."""
    return (
        "() => document.querySelector(\"[data-testid='stApp']\")"
        "?.getAttribute('data-test-script-state') === 'notRunning' && "
        f"document.querySelector({selector!r}) !== null"
    )


def arrived(title: str, selector: str) -> str:
    """JS predicate: the tab shows page `title`, its run is over and its main element is drawn
    (not an element of the page before, which is marked stale until the run ends)."""
    return (
        "() => document.querySelector(\"[data-testid='stApp']\")"
        "?.getAttribute('data-test-script-state') === 'notRunning' && "
        f"document.title.startsWith({f'{title} ·'!r}) && "
        f"[...document.querySelectorAll({selector!r})]"
        ".some(e => !e.closest('[data-stale=\"true\"]'))"
    )


def shows_count(text: str) -> str:
    """JS predicate: the page's text includes `text`."""
    return f"() => document.body.innerText.includes({text!r})"


@contextmanager
def local_context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context whose requests never leave this machine."""
    context = browser.new_context(viewport=VIEWPORT)
    context.route(
        "**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort()
    )
    try:
        yield context
    finally:
        context.close()


def page_seconds(context: BrowserContext, url: str, selector: str) -> float:
    """Time from navigation to the page drawn, in a new tab of `context`."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(drawn(selector), polling="raf", timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        page.close()


def first_visit_seconds(browser: Browser, url: str, selector: str) -> float:
    """Page time in a fresh context: nothing in the browser cache."""
    with local_context(browser) as context:
        return page_seconds(context, url, selector)


def expected_counts() -> tuple[int, dict[str, int], int]:
    """(all incidents, rows per search term, rows with the benchmark country) in shipped data."""
    package = load_package(DATA_DIR)
    incidents = derive(package).incidents
    everything = Query(1992, package.data_current_to.year)
    per_term = {
        t: len(filter_incidents(incidents, replace(everything, text=t))) for t in SEARCH_TERMS
    }
    in_country = Query(everything.year_from, everything.year_to, (COUNTRY[0],))
    return len(incidents), per_term, len(filter_incidents(incidents, in_country))


# Installed in every tab of the navigation context: the time of the last click, in the page's
# clock (performance.now()), from the event itself rather than from the driver.
CLICK_CLOCK = (
    "document.addEventListener('click', (e) => { window.__clickedAt = e.timeStamp; }, true);"
)
# Checks `predicate` (a JS function's source) once per animation frame and records the time when
# it first holds; started before the click, so no frame is missed.
WATCH_ARRIVAL = """predicate => {
  const holds = new Function(`return (${predicate})()`);
  window.__arrivedAt = null;
  const check = () => {
    if (holds()) { window.__arrivedAt = performance.now(); } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
}"""


def clicked_until_shown(page: Page, link, predicate: str) -> tuple[float, float]:
    """(in-page seconds from the click event to the frame in which `predicate` first holds,
    driver seconds from asking for the click until the driver hears it holds)."""
    page.evaluate(WATCH_ARRIVAL, predicate)
    start = time.perf_counter()
    link.click()
    page.wait_for_function("() => window.__arrivedAt !== null", polling="raf", timeout=TIMEOUT_MS)
    driver = time.perf_counter() - start
    clicked, shown = page.evaluate("[window.__clickedAt, window.__arrivedAt]")
    return (shown - clicked) / 1000, driver


def timed_until(page: Page, action, predicate: str) -> float:
    """Seconds from running `action` to `predicate` holding."""
    start = time.perf_counter()
    action()
    page.wait_for_function(predicate, polling="raf", timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def filter_seconds(browser: Browser, base: str, runs: int) -> tuple[list[float], list[float]]:
    """(search-box times, country-picker times) on /Incidents, `runs` of each."""
    total, per_term, in_country = expected_counts()
    searches, countries = [], []
    with local_context(browser) as context:
        page = context.new_page()
        page.goto(f"{base}/Incidents")
        page.wait_for_function(drawn(PAGES["Incidents"][1]), timeout=TIMEOUT_MS)
        search = page.get_by_label(SEARCH_LABEL)
        for run in range(runs * len(SEARCH_TERMS)):
            term = SEARCH_TERMS[run % len(SEARCH_TERMS)]
            search.fill(term)
            count = shows_count(f"{per_term[term]} of {total} incidents")
            searches.append(timed_until(page, lambda: search.press("Enter"), count))
        picker = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect'] input")
        for _ in range(runs):
            picker.click()
            picker.fill(COUNTRY[1])
            count = shows_count(f"{in_country} of {total} incidents")
            countries.append(timed_until(page, lambda: picker.press("Enter"), count))
            page.keyboard.press("Escape")
            picker.click()
            count = shows_count(f"{total} of {total} incidents")
            countries.append(timed_until(page, lambda: picker.press("Backspace"), count))
            page.keyboard.press("Escape")
    return searches, countries


def every_pair_once(pages: list[str]) -> list[str]:
    """A walk through `pages` that takes every ordered pair of different pages exactly once
    (an Eulerian circuit of the complete directed graph, by Hierholzer's algorithm)."""
    unused = {page: [other for other in pages if other != page] for page in pages}
    stack, walk = [pages[0]], []
    while stack:
        if unused[stack[-1]]:
            stack.append(unused[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def navigation_seconds(
    browser: Browser, base: str, rounds: int
) -> dict[tuple[str, str], list[tuple[float, float, int]]]:
    """(in-page seconds, driver seconds, bytes received) of each navigation by sidebar link, per
    ordered page pair."""
    titles = list(PAGES)
    walk = every_pair_once(titles)
    found: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    received = [0]

    def count(payload: bytes | str) -> None:
        received[0] += len(payload)

    with local_context(browser) as context:
        context.add_init_script(CLICK_CLOCK)
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", count))
        page.goto(f"{base}/")
        page.wait_for_function(arrived("Overview", MAP), polling="raf", timeout=TIMEOUT_MS)
        for _ in range(rounds):
            for here, there in itertools.pairwise(walk):
                sidebar = page.locator("[data-testid='stSidebar']")
                link = sidebar.get_by_role("link", name=there, exact=True)
                received[0] = 0
                shown, driver = clicked_until_shown(page, link, arrived(there, PAGES[there][1]))
                found.setdefault((here, there), []).append((shown, driver, received[0]))
    return found


def navigation_results(browser: Browser, base: str, rounds: int) -> list[Result]:
    """Median time of each page-to-page navigation; the table also goes to navigation.json."""
    found = navigation_seconds(browser, base, rounds)
    results, table = [], {}
    for (here, there), runs in found.items():
        seconds = statistics.median(shown for shown, _, _ in runs)
        table[f"{here} → {there}"] = {
            "median_ms": round(seconds * 1000),
            "runs_ms": [round(shown * 1000) for shown, _, _ in runs],
            "driver_median_ms": round(statistics.median(driver for _, driver, _ in runs) * 1000),
            "kilobytes": round(statistics.median(b for _, _, b in runs) / 1024),
        }
        results.append(
            Result(
                f"Navigate, {here} → {there} (browser)",
                "≤ 300 ms",
                ms(seconds),
                seconds <= NAVIGATION_GOAL,
            )
        )
    slowest_driver = max(cell["driver_median_ms"] for cell in table.values())
    results.append(
        Result("Navigate, slowest pair, driver's side (browser)", "–", f"{slowest_driver} ms", None)
    )
    (OUT / "navigation.json").write_text(json.dumps(table, indent=2), encoding="utf-8")
    print_matrix(table)
    return results


def print_matrix(table: dict[str, dict]) -> None:
    """Median navigation time (ms) from each page (rows) to each other page (columns)."""
    titles = list(PAGES)
    print(
        "\nNavigation, median ms from row to column: in the page (from the driver's side) and kB"
        " received"
    )
    print(" | ".join(["from \\ to", *titles]))
    for here in titles:
        cells = []
        for there in titles:
            cell = table.get(f"{here} → {there}")
            cells.append(
                "–"
                if cell is None
                else f"{cell['median_ms']} ({cell['driver_median_ms']}) · {cell['kilobytes']} kB"
            )
        print(" | ".join([here, *cells]))


def wait_healthy(base: str, process: subprocess.Popen, deadline: float) -> None:
    """Poll /_stcore/health until it answers ok; raise if the server dies or takes too long."""
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the start script did not serve {base}")


def cold_start_seconds(browser: Browser, log: Path) -> tuple[float, float]:
    """(seconds to health ok, seconds to the Overview drawn) from launching the start script."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CSTO_PORT": str(port)}
    with log.open("ab") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            [
                "bash",
                "scripts/start",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
        try:
            wait_healthy(base, process, time.monotonic() + TIMEOUT_MS / 1000)
            healthy = time.perf_counter() - start
            with local_context(browser) as context:
                page = context.new_page()
                page.goto(f"{base}/")
                page.wait_for_function(drawn(MAP), polling="raf", timeout=TIMEOUT_MS)
            return healthy, time.perf_counter() - start
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def page_results(browser: Browser, returning: BrowserContext, base: str, runs: int) -> list[Result]:
    """Median page times, first visit and returning, for every page."""
    results = []
    for label, (path, selector) in PAGES.items():
        url = f"{base}/{path}"
        for visit, timer, context in (
            ("first visit", first_visit_seconds, browser),
            ("returning", page_seconds, returning),
        ):
            seconds = statistics.median(timer(context, url, selector) for _ in range(runs))
            results.append(
                Result(
                    f"Page drawn, {label}, {visit} (browser)",
                    "≤ 1.5 s",
                    ms(seconds),
                    seconds <= PAGE_GOAL,
                )
            )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page and filter")
    parser.add_argument("--cold-runs", type=int, default=5, help="cold starts to time")
    parser.add_argument(
        "--navigation-only", action="store_true", help="time only page-to-page navigation"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            with dashboard_server() as base, local_context(browser) as returning:
                for path, selector in PAGES.values():  # warm the server and the browser cache
                    page_seconds(returning, f"{base}/{path}", selector)
                results += navigation_results(browser, base, args.runs)
                if args.navigation_only:
                    print_results(f"Browser, median of {args.runs}", results)
                    merge_results(results)
                    return
                results += page_results(browser, returning, base, args.runs)
                searches, countries = filter_seconds(browser, base, args.runs)
            for what, times in (("search box", searches), ("country picker", countries)):
                seconds = statistics.median(times)
                results.append(
                    Result(
                        f"Filter → row count, Incidents, {what} (browser)",
                        "≤ 300 ms",
                        ms(seconds),
                        seconds <= FILTER_GOAL,
                    )
                )
            colds = [
                cold_start_seconds(browser, OUT / "cold-start.log") for _ in range(args.cold_runs)
            ]
        finally:
            browser.close()
    healthy = statistics.median(c[0] for c in colds)
    drawn_at = statistics.median(c[1] for c in colds)
    results.append(Result("Cold start → server answers", "–", ms(healthy), None))
    results.append(
        Result("Cold start → Overview drawn", "≤ 5 s", ms(drawn_at), drawn_at <= COLD_GOAL)
    )
    print_results(
        f"Browser, median of {args.runs} (pages, filters) and {args.cold_runs} (cold start)",
        results,
    )
    merge_results(results)


if __name__ == "__main__":
    main()
