"""Many users: concurrent browser sessions against one dashboard server (issue 5, part 6).

Run from the repository root: `python -m benchmarks.load_sessions [--sessions 20]`.

One server with the shipped data, one headless Chromium, one isolated browser context per
session, all driven at once. Each session opens a page with its own filters in the query string,
adds a country in the sidebar, visits the other pages through the sidebar links (checking that the
URL keeps its own filters), comes back to Incidents, searches, and downloads the table. The
download must parse, hold exactly the row count the page showed, and hold the rows this session's
filters select. No request may leave the machine and no page error may occur. The server's memory
(VmRSS, VmHWM) is read before, during (peak) and after. Exits 1 if any session failed, and writes
the figures into its own section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import re
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.async_api import Browser, Page, Route, WebSocket, async_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.common import machine_note, write_section
from components.data import DATA_DIR, load_package
from components.export import export_filename
from components.incidents import filter_incidents
from components.query import FIRST_YEAR, Query, to_params
from components.store import derive
from tests.live_server import (
    CHROMIUM_ARGS,
    IDLE,
    chromium_path,
    is_local,
    running_server,
)

ROOT = Path(__file__).resolve().parent.parent
# URL path, h1 text and sidebar link label of every page, in sidebar order.
PAGES = [
    ("", "CSTO Monitor", "Overview"),
    ("Map", "Map", "Map"),
    ("Timeline", "Timeline", "Timeline"),
    ("Incidents", "Incidents", "Incidents"),
    ("Data_and_sources", "Data & sources", "Data & sources"),
]
INCIDENTS = PAGES[3]
MEMBERS = ["RUS", "KAZ", "ARM", "KGZ", "TJK", "BLR", "UZB", "AZE"]
COUNT_TEXT = re.compile(r"^([\d,]+) of ([\d,]+) incidents$")
SAMPLE_SECONDS = 0.25
# Two animation frames: lets the page handle the messages that have just arrived.
SETTLE = "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


@dataclass(frozen=True)
class Scenario:
    """What one session does, and what it must see."""

    number: int
    start: tuple[str, str, str]
    opened: Query
    added: str
    added_name: str
    search: str
    last_year: int
    expected_ids: list[str]

    @property
    def filters(self) -> Query:
        """The shared filters once the country is added."""
        countries = tuple(sorted((*self.opened.countries, self.added)))
        return Query(self.opened.year_from, self.opened.year_to, countries)

    @property
    def filename(self) -> str:
        return export_filename("incidents", self.filters, narrowed=True)


@dataclass
class Outcome:
    """How a session went."""

    number: int
    seconds: float = 0.0
    step: str = "start"
    error: str = ""
    outside: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    since: float = field(default_factory=time.monotonic)

    def begin(self, step: str) -> None:
        """Start `step`, and keep the time of the one before if it was the slowest so far."""
        now = time.monotonic()
        self.slowest = max(self.slowest, (now - self.since, self.step))
        self.step, self.since = step, now

    @property
    def ok(self) -> bool:
        return not (self.error or self.outside or self.page_errors)

    def problem(self) -> str:
        parts = [f"{self.step}: {self.error}"] if self.error else []
        if self.outside:
            parts.append(f"requests left the machine: {self.outside}")
        if self.page_errors:
            parts.append(f"page errors: {self.page_errors}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Memory:
    """The server's resident memory in KiB: now, and the most it ever had."""

    rss: int
    hwm: int


@dataclass(frozen=True)
class Server:
    base: str
    pid: int
    log: io.BufferedRandom


def make_scenarios(count: int) -> tuple[list[Scenario], int]:
    """One scenario per session, each built around a different incident so that it matches."""
    package = load_package(DATA_DIR)
    incidents = derive(package).incidents
    last_year = package.data_current_to.year
    scenarios: list[Scenario] = []
    for number in range(count):
        incident = incidents.iloc[(number * 7) % len(incidents)]
        year = min(max(incident["start_date"].year, FIRST_YEAR + 1), last_year) - 1
        first = str(incident["countries"]).split(";")[0]
        added = next(c for c in MEMBERS[number % len(MEMBERS) :] + MEMBERS if c != first)
        search = max(re.findall(r"[A-Za-z]{4,}", str(incident["name"])), key=len)
        opened = Query(year, min(year + 3, last_year), (first,))
        name = package.country_names[added]
        start = PAGES[number % len(PAGES)]
        scenario = Scenario(number, start, opened, added, name, search, last_year, [])
        shown = filter_incidents(incidents, replace(scenario.filters, text=search))
        expected = shown["incident_id"].tolist()
        if incident["incident_id"] not in expected:
            raise RuntimeError(f"scenario {number} does not match its own incident")
        scenarios.append(replace(scenario, expected_ids=expected))
    return scenarios, len(incidents)


@contextmanager
def dashboard(start_timeout: float) -> Iterator[Server]:
    """The dashboard with the shipped data on a free local port, until it answers."""
    with running_server(DATA_DIR, start_timeout=start_timeout) as server:
        yield Server(server.base, server.process.pid, server.log)


def _tail(log: io.BufferedRandom, chars: int = 2000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-chars:]


def memory(pid: int) -> Memory:
    """VmRSS and VmHWM of process `pid`, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return Memory(int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample_peak(pid: int, stop: asyncio.Event) -> int:
    """The highest VmRSS seen, sampled every SAMPLE_SECONDS until `stop` is set."""
    peak = 0
    while not stop.is_set():
        peak = max(peak, memory(pid).rss)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_SECONDS)
    return max(peak, memory(pid).rss)


class Session:
    """One isolated browser context on the dashboard, recording what must not happen."""

    def __init__(self, page: Page, base: str, scenario: Scenario, outcome: Outcome, timeout: float):
        self.page, self.base, self.scenario, self.outcome = page, base, scenario, outcome
        self.timeout = timeout
        self.finished = 0
        self.finish = asyncio.Event()
        page.on("pageerror", lambda error: outcome.page_errors.append(str(error)))
        page.on("websocket", self._websocket)

    def _websocket(self, socket: WebSocket) -> None:
        if not is_local(socket.url):
            self.outcome.outside.append(socket.url)
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        """Count the server's "script run finished" messages to this session."""
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if (
                message.WhichOneof("type") == "script_finished"
                and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
            ):
                self.finished += 1
                self.finish.set()

    async def after_run(self, before: int) -> None:
        """Wait until a script run after the first `before` has finished and been drawn."""
        async with asyncio.timeout(self.timeout):
            while self.finished <= before:
                self.finish.clear()
                await self.finish.wait()
        await self.page.evaluate(SETTLE)
        await self.page.wait_for_selector(IDLE)
        await self.check_page()

    async def check_page(self) -> None:
        exceptions = self.page.locator("[data-testid='stException']")
        if await exceptions.count():
            raise AssertionError(f"exception shown: {await exceptions.first.inner_text()}")

    def check_url(self, path: str) -> None:
        """The URL names this page and carries this session's own filters."""
        url = urlsplit(self.page.url)
        params = to_params(self.scenario.filters, self.scenario.last_year)
        wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
        if url.path.strip("/") != path or parse_qs(url.query) != wanted:
            raise AssertionError(f"URL {url.path}?{url.query}, wanted /{path} with {wanted}")

    async def state(self) -> str:
        """Where the page is, for failure reports."""
        app = self.page.get_by_test_id("stApp")
        script = await app.get_attribute("data-test-script-state", timeout=5000)
        countries = self.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        chosen = (await countries.inner_text(timeout=5000)).split("\n")[1:]
        return (
            f"at {self.page.url}, script {script}, {self.finished} runs finished, "
            f"countries shown {[c for c in chosen if c]}"
        )

    async def open(self) -> None:
        path, heading, _ = self.scenario.start
        query = urlencode(to_params(self.scenario.opened, self.scenario.last_year), True)
        await self.page.goto(f"{self.base}/{path}?{query}")
        await self.after_run(0)
        await self.page.locator("h1", has_text=heading).wait_for()

    async def add_country(self) -> None:
        countries = self.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        box = countries.locator("input")
        before = self.finished
        await box.click()
        await box.fill(self.scenario.added_name)
        await self.page.get_by_role("option", name=self.scenario.added_name).first.wait_for()
        await box.press("Enter")
        await self.after_run(before)
        await box.press("Escape")
        self.check_url(self.scenario.start[0])

    async def go_to(self, target: tuple[str, str, str]) -> None:
        path, heading, label = target
        before = self.finished
        await self.page.get_by_test_id("stSidebar").get_by_role("link", name=label).click()
        await self.page.locator("h1", has_text=heading).wait_for()
        await self.after_run(before)
        self.check_url(path)

    async def search(self) -> int:
        """Type this session's search term; return the row count the page then shows."""
        box = self.page.get_by_label("Search names, places and notes")
        before = self.finished
        await box.fill(self.scenario.search)
        await box.press("Enter")
        await self.after_run(before)
        shown = (await self.page.get_by_text(COUNT_TEXT).first.inner_text()).strip()
        return int(COUNT_TEXT.match(shown)[1].replace(",", ""))

    async def download(self, rows: int) -> str:
        """Click "Download N rows as CSV", check the file's name, and return its text."""
        button = self.page.get_by_role("button", name=f"Download {rows:,} rows as CSV")
        async with self.page.expect_download() as info:
            await button.click()
        download = await info.value
        if download.suggested_filename != self.scenario.filename:
            raise AssertionError(
                f"file {download.suggested_filename}, wanted {self.scenario.filename}"
            )
        return Path(await download.path()).read_text(encoding="utf-8")


async def run_session(
    browser: Browser, base: str, scenario: Scenario, total: int, timeouts: tuple[float, float]
) -> Outcome:
    """Drive one scenario in its own context; every failure ends up in the outcome.

    `timeouts` are the seconds allowed for each step and for the whole session.
    """
    step_timeout, session_timeout = timeouts
    outcome = Outcome(scenario.number)
    started = time.monotonic()
    context = await browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 1000}
    )
    context.set_default_timeout(step_timeout * 1000)

    async def keep_local(route: Route) -> None:
        if is_local(route.request.url):
            await route.continue_()
        else:
            outcome.outside.append(route.request.url)
            await route.abort()

    await context.route("**/*", keep_local)
    session = Session(await context.new_page(), base, scenario, outcome, step_timeout)
    limit = asyncio.timeout(session_timeout)
    try:
        async with limit:
            outcome.begin(f"open /{scenario.start[0]}")
            await session.open()
            outcome.begin(f"add {scenario.added}")
            await session.add_country()
            tour = [p for p in PAGES if p not in (scenario.start, INCIDENTS)] + [INCIDENTS]
            for target in tour:
                outcome.begin(f"go to {target[2]}")
                await session.go_to(target)
            outcome.begin(f"search {scenario.search!r}")
            shown = await session.search()
            outcome.begin("download")
            text = await session.download(shown)
            outcome.begin("check CSV")
            check_csv(text, shown, scenario, total)
            outcome.begin("done")
    except Exception as error:  # every failure is reported; none stops the others
        outcome.error = describe(error)
        if limit.expired():
            outcome.error = f"the session took more than {session_timeout:.0f} s"
        with suppress(Exception):
            outcome.error += f" ({await session.state()})"
    finally:
        outcome.seconds = time.monotonic() - started
        await context.close()
    return outcome


def describe(error: Exception) -> str:
    """The error's type, first line and last line (for Playwright, the last action it logged)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    detail = f"{lines[0]} … {lines[-1]}" if len(lines) > 1 else "".join(lines)
    return f"{type(error).__name__}: {detail}"


def check_csv(text: str, shown: int, scenario: Scenario, total: int) -> None:
    """The download parses, has the row count the page showed, and the rows the filters pick."""
    rows = list(csv.DictReader(io.StringIO(text)))
    ids = [row["incident_id"] for row in rows]
    if len(rows) != shown:
        raise AssertionError(f"CSV has {len(rows)} rows, the page showed {shown} of {total}")
    if ids != scenario.expected_ids:
        raise AssertionError(f"CSV rows {ids}, its filters select {scenario.expected_ids}")


async def run_all(
    server: Server, scenarios: list[Scenario], total: int, timeouts: tuple[float, float]
) -> tuple[list[Outcome], int, float]:
    """Every session at once; return the outcomes, the peak VmRSS and the wall time."""
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_peak(server.pid, stop))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        started = time.monotonic()
        try:
            outcomes = await asyncio.gather(
                *[run_session(browser, server.base, s, total, timeouts) for s in scenarios]
            )
        finally:
            wall = time.monotonic() - started
            await browser.close()
            stop.set()
    return outcomes, await sampler, wall


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def summary(
    outcomes: list[Outcome],
    memory_used: tuple[Memory, int, Memory],
    cpu: float,
    wall: float,
    run: float,
) -> list[tuple[str, str]]:
    """The figures, as (label, value) rows."""
    before, peak, after = memory_used
    times = [o.seconds for o in outcomes]
    slowest, step = max(o.slowest for o in outcomes)
    return [
        ("Sessions held at once", str(len(outcomes))),
        ("Sessions that passed", f"{sum(o.ok for o in outcomes)} of {len(outcomes)}"),
        ("Server memory before (VmRSS)", mib(before.rss)),
        (f"Server memory peak (VmRSS sampled every {SAMPLE_SECONDS} s)", mib(peak)),
        ("Server memory after (VmRSS)", mib(after.rss)),
        ("Server memory high-water mark (VmHWM)", mib(after.hwm)),
        ("Session wall time, median", f"{statistics.median(times):.1f} s"),
        ("Session wall time, max", f"{max(times):.1f} s"),
        ("Slowest single step", f"{slowest:.1f} s ({step})"),
        ("All sessions, wall time", f"{wall:.1f} s"),
        ("Server CPU time in that period", f"{cpu:.1f} s ({cpu / wall:.0%} of one core)"),
        ("Whole run (server start to exit)", f"{run:.1f} s"),
    ]


def write_readme(
    rows: list[tuple[str, str]], outcomes: list[Outcome], errors: list[str], note: str
) -> None:
    """Replace this script's section of benchmarks/README.md, leaving the rest as it is."""
    failures = [f"- session {o.number}: {o.problem()}" for o in outcomes if not o.ok]
    failures += [f"- server traceback: {error.splitlines()[-1]}" for error in errors]
    sessions = len(outcomes)
    write_section(
        "load_sessions",
        [
            f"## Many users ({sessions} concurrent sessions)",
            "",
            f"`python -m benchmarks.load_sessions --sessions {sessions}`: one dashboard server "
            "with the shipped data, one headless Chromium, one isolated context per session, all "
            "driven at once. Each session opens a page with its own filters in the URL, adds a "
            "country, visits every page from the sidebar, searches on Incidents and downloads the "
            "CSV; the file must hold exactly the rows the page counted and the rows its own "
            "filters select, with no request leaving the machine and no page error.",
            "",
            f"Last run: {note} (load when it started). The browser shares the machine with "
            "the server, so on few cores the session times measure both.",
            "",
            "| Figure | Value |",
            "| --- | --- |",
            *[f"| {label} | {value} |" for label, value in rows],
            "",
            *(["Failures:", "", *failures, ""] if failures else []),
        ],
    )


def server_errors(log: io.BufferedRandom) -> list[str]:
    """Tracebacks the server wrote to stderr."""
    text = _tail(log, chars=1_000_000)
    return [block.strip() for block in text.split("Traceback")[1:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (20)")
    parser.add_argument("--step-timeout", type=float, default=180, help="seconds per step (180)")
    parser.add_argument(
        "--session-timeout", type=float, default=600, help="seconds per session (600)"
    )
    parser.add_argument("--no-readme", action="store_true", help="do not update the README")
    args = parser.parse_args(argv)

    run_started, note = time.monotonic(), machine_note()
    scenarios, total = make_scenarios(args.sessions)
    with dashboard(start_timeout=60) as server:
        before, cpu_before = memory(server.pid), cpu_seconds(server.pid)
        outcomes, peak, wall = asyncio.run(
            run_all(server, scenarios, total, (args.step_timeout, args.session_timeout))
        )
        cpu = cpu_seconds(server.pid) - cpu_before
        time.sleep(2)  # let the server notice the closed connections
        after = memory(server.pid)
        errors = server_errors(server.log)
    run = time.monotonic() - run_started
    rows = summary(outcomes, (before, peak, after), cpu, wall, run)

    for outcome in sorted(outcomes, key=lambda o: o.number):
        verdict = "ok" if outcome.ok else f"FAILED at {outcome.problem()}"
        print(f"session {outcome.number:2d}: {outcome.seconds:6.1f} s  {verdict}")
    for error in errors:
        print(f"server traceback:\nTraceback{error}")
    width = max(len(label) for label, _ in rows)
    print("\n".join(f"{label:<{width}}  {value}" for label, value in rows))
    if not args.no_readme:
        write_readme(rows, outcomes, errors, note)
    return 0 if all(o.ok for o in outcomes) and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
