"""Many readers through HAProxy: sessions served per second and first render, 1 to 3 replicas.

Run from the repository root: `python -m benchmarks.replicas` (needs HAProxy; about 4 minutes).

The same deployment as `scripts/start-replicas` (HAProxy from deploy/haproxy.cfg.template in front
of N dashboard processes, all on loopback ports) is started with 1, 2, then 3 replicas. Each replica
first serves one warm-up session. Then, for 50, 100 and 200 readers at once, every reader does what
a browser does on its first visit, with light clients instead of a browser: GET the page (which
sets the affinity cookie), the health check, the host config and the app's main script, then
open the /_stcore/stream WebSocket, send the BackMsg `rerun_script` that the Streamlit frontend
sends, and read ForwardMsgs until `script_finished`: the Overview has been computed and sent, its
first render. The reader keeps its session open until every reader of the level has rendered, so
that all of them are held at once. A reader whose page or stream fails reloads, up to three times.

Failure: with 2 replicas, a wave of readers arrives; once a third of them have rendered, one
replica is killed (SIGKILL). Its readers' WebSockets drop: like the frontend, they check the health
endpoint and reconnect with their cookie, and HAProxy sends them to the other replica. A second
wave of new readers arrives a second after the kill. The run reports every error seen, who saw
it, and which replica served whom.

All traffic stays on 127.0.0.1, every loop is bounded in count and time, and the run stops by
itself. It prints its figures and writes them into its section of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import statistics
import sys
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from benchmarks.common import OUT, machine_note, write_section
from scripts.replicas import Deployment, Replica, find_haproxy
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MAIN_SCRIPT = re.compile(rb'src="\./(static/js/index\.[^"]+\.js)"')
ATTEMPTS = 3  # one visit and two reloads (or reconnects) per reader
MAX_DROPS = 3  # reconnects after a dropped session, per reader


class VisitError(Exception):
    """A step of a visit failed; the message says which and how."""


@dataclass
class Reader:
    """One reader: a cookie jar kept across reloads and reconnects, and what happened to them."""

    number: int
    cookies: dict[str, str] = field(default_factory=dict)
    assigned: str | None = None  # the replica its first affinity cookie named
    showing: bool = False  # holds a rendered session right now
    gave_up: bool = False
    render_seconds: float | None = None
    rendered_at: float | None = None
    served_by: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    drops: int = 0
    reconnected: int = 0
    failed_at: float | None = None  # when the current trouble began
    recoveries: list[float] = field(default_factory=list)  # seconds from trouble to a page again

    def take_cookies(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        if self.assigned is None and "SERVERID" in self.cookies:
            self.assigned = self.cookies["SERVERID"]

    @property
    def settled(self) -> bool:
        return self.showing or self.gave_up

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    @property
    def replica(self) -> str:
        return self.cookies.get("SERVERID", "?")


async def http_get(port: int, path: str, reader: Reader, timeout: float) -> bytes:
    """GET `path` through the balancer with the reader's cookies; keep the cookies it sets."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: csto-benchmark\r\n"
        f"Accept-Encoding: identity\r\nConnection: close\r\n"
        + (f"Cookie: {reader.cookie_header}\r\n" if reader.cookies else "")
        + "\r\n"
    )
    try:
        async with asyncio.timeout(timeout):
            stream_in, stream_out = await asyncio.open_connection(HOST, port)
            try:
                stream_out.write(request.encode("latin-1"))
                data = await stream_in.read()
            finally:
                stream_out.close()
    except TimeoutError as error:
        raise VisitError(f"GET {_short(path)}: no answer in {timeout:.0f} s") from error
    except OSError as error:
        raise VisitError(f"GET {_short(path)}: {error.__class__.__name__}") from error
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")[1] if " " in lines[0] else "no status"
    reader.take_cookies(
        [line.split(":", 1)[1] for line in lines[1:] if line.lower().startswith("set-cookie:")]
    )
    if status != "200":
        raise VisitError(f"GET {_short(path)}: HTTP {status}")
    return body


def _short(path: str) -> str:
    return "main script" if path.startswith("/static/") else path


async def load_page(port: int, reader: Reader, timeout: float) -> None:
    """The page, then what the browser fetches next, as a browser does (in parallel)."""
    page = await http_get(port, "/", reader, timeout)
    script = MAIN_SCRIPT.search(page)
    if script is None:
        raise VisitError("GET /: no main script in the page")
    await asyncio.gather(
        http_get(port, "/_stcore/health", reader, timeout),
        http_get(port, "/_stcore/host-config", reader, timeout),
        http_get(port, "/" + script[1].decode(), reader, timeout),
    )


def rerun_message() -> bytes:
    """The BackMsg the frontend sends once its WebSocket is open: run the page's script."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_script_hash = ""
    message.rerun_script.context_info.timezone = "UTC"
    message.rerun_script.context_info.locale = "en-US"
    return message.SerializeToString()


async def open_stream(port: int, reader: Reader, timeout: float) -> ClientConnection:
    """Open /_stcore/stream, ask for a script run, and read until it has finished."""
    try:
        async with asyncio.timeout(timeout):
            socket = await connect(
                f"ws://{HOST}:{port}/_stcore/stream",
                origin=Origin(f"http://{HOST}:{port}"),
                subprotocols=[Subprotocol("streamlit")],
                additional_headers={"Cookie": reader.cookie_header} if reader.cookies else None,
                compression=None, proxy=None, max_size=None, ping_interval=None,
                open_timeout=None, user_agent_header="csto-benchmark",
            )  # fmt: skip
            reader.take_cookies(socket.response.headers.get_all("Set-Cookie"))
            await socket.send(rerun_message())
            await _until_finished(socket)
            return socket
    except TimeoutError as error:
        raise VisitError(f"stream: no finished run in {timeout:.0f} s") from error
    except InvalidStatus as error:
        raise VisitError(f"stream: HTTP {error.response.status_code} on upgrade") from error
    except ConnectionClosed as error:
        code = error.rcvd.code if error.rcvd else "no close frame"
        raise VisitError(f"stream: closed ({code}) before the run finished") from error
    except OSError as error:
        raise VisitError(f"stream: {error.__class__.__name__}") from error


async def _until_finished(socket: ClientConnection) -> None:
    while True:
        message = ForwardMsg.FromString(await socket.recv())
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
            raise VisitError("stream: the page showed an exception")
        if kind == "script_finished":
            if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                raise VisitError(f"stream: script finished with status {message.script_finished}")
            return


async def visit(
    port: int, reader: Reader, timeout: float, with_page: bool
) -> tuple[ClientConnection, float]:
    """One try at a rendered page (with the page's own requests, or only the reconnect's)."""
    started = time.perf_counter()
    if with_page:
        await load_page(port, reader, timeout)
    else:
        await http_get(port, "/_stcore/health", reader, timeout)
    socket = await open_stream(port, reader, timeout)
    return socket, time.perf_counter() - started


async def render(
    port: int, reader: Reader, timeout: float, with_page: bool
) -> ClientConnection | None:
    """Visit until rendered, at most ATTEMPTS times, a second apart; record every error."""
    for attempt in range(ATTEMPTS):
        try:
            socket, seconds = await visit(port, reader, timeout, with_page)
        except VisitError as error:
            reader.errors.append(str(error))
            reader.failed_at = reader.failed_at or time.monotonic()
            if attempt + 1 < ATTEMPTS:
                await asyncio.sleep(1)
            continue
        if reader.render_seconds is None:
            reader.render_seconds, reader.rendered_at = seconds, time.monotonic()
        reader.served_by.append(reader.replica)
        if reader.failed_at is not None:
            reader.recoveries.append(time.monotonic() - reader.failed_at)
            reader.failed_at = None
        return socket
    return None


async def hold(socket: ClientConnection, release: asyncio.Event) -> bool:
    """Keep the session open until `release`; True when the server dropped it first."""
    waiting = asyncio.ensure_future(release.wait())
    closed = asyncio.ensure_future(socket.wait_closed())
    done, _ = await asyncio.wait({waiting, closed}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    closed.cancel()
    return closed in done and not release.is_set()


async def read(port: int, reader: Reader, release: asyncio.Event, timeout: float) -> None:
    """A reader's whole visit: render, stay, reconnect when dropped, leave on `release`."""
    socket = await render(port, reader, timeout, with_page=True)
    reader.showing = socket is not None
    while socket is not None and await hold(socket, release):
        reader.showing = False
        reader.drops += 1
        reader.errors.append("stream: dropped after the page was shown")
        reader.failed_at = time.monotonic()
        if reader.drops > MAX_DROPS:
            break
        socket = await render(port, reader, timeout, with_page=False)
        reader.reconnected += socket is not None
        reader.showing = socket is not None
    reader.gave_up = not reader.showing
    if socket is not None:
        await socket.close()


async def until_settled(readers: list[Reader], seconds: float) -> None:
    """Wait until every reader shows a page or has given up, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(reader.settled for reader in readers):
        await asyncio.sleep(0.1)


@dataclass
class Level:
    """The figures of one burst of readers."""

    replicas: int
    sessions: int
    readers: list[Reader]
    seconds: float
    replica_cpu: float
    balancer_cpu: float
    client_cpu: float
    rss_mib: list[float]
    slowest_health: float
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def served(self) -> int:
        return sum(reader.render_seconds is not None for reader in self.readers)

    @property
    def per_second(self) -> float:
        return self.served / self.seconds if self.seconds else 0.0

    def render_quantile(self, share: float) -> float:
        times = sorted(r.render_seconds for r in self.readers if r.render_seconds is not None)
        return times[min(len(times) - 1, int(share * len(times)))] if times else float("nan")

    @property
    def errors(self) -> int:
        return sum(len(reader.errors) for reader in self.readers)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu(deployment: Deployment, names: list[str]) -> float:
    return sum(
        cpu_seconds(deployment.processes[name].pid)
        for name in names
        if deployment.processes[name].poll() is None
    )


async def slowest_health(replicas: list[Replica], stop: asyncio.Event) -> float:
    """The slowest answer of any replica's own /_stcore/health, asked every second until `stop`.

    HAProxy's health check must wait at least this long, or it takes busy replicas out.
    """
    slowest = 0.0
    while not stop.is_set():
        for replica in replicas:
            started = time.perf_counter()
            with suppress(VisitError):
                await http_get(replica.port, "/_stcore/health", Reader(-1), timeout=60)
                slowest = max(slowest, time.perf_counter() - started)
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1)
    return slowest


async def burst(deployment: Deployment, sessions: int, timeout: float) -> Level:
    """`sessions` readers at once; all held open until the last has rendered (or given up)."""
    names = [replica.name for replica in deployment.replicas]
    cpu_before = _cpu(deployment, names), _cpu(deployment, ["haproxy"]), time.process_time()
    release = asyncio.Event()
    readers = [Reader(number) for number in range(sessions)]
    started = time.monotonic()
    tasks = [asyncio.ensure_future(read(deployment.port, r, release, timeout)) for r in readers]
    health = asyncio.ensure_future(slowest_health(deployment.replicas, release))
    await until_settled(readers, (timeout + 1) * ATTEMPTS + 10)
    done = [r.rendered_at for r in readers if r.rendered_at is not None]
    seconds = (max(done) - started) if done else 0.0
    rss = [rss_mib(deployment.processes[name].pid) for name in names]
    cpu = (
        _cpu(deployment, names) - cpu_before[0],
        _cpu(deployment, ["haproxy"]) - cpu_before[1],
        time.process_time() - cpu_before[2],
    )
    release.set()
    await asyncio.wait(tasks, timeout=30)
    return Level(len(names), sessions, readers, seconds, *cpu, rss, await health)


async def warm_up(deployment: Deployment, timeout: float) -> None:
    """One session per replica (its cookie set by hand), so that every cache is filled."""
    for replica in deployment.replicas:
        reader = Reader(-1, cookies={"SERVERID": replica.name})
        socket = await render(deployment.port, reader, timeout, with_page=True)
        if socket is None or reader.replica != replica.name:
            raise RuntimeError(f"warm-up of {replica.name} failed: {reader.errors}")
        await socket.close()


@dataclass
class Failure:
    """What the readers of the failure test saw."""

    killed: str
    first_wave: list[Reader]
    second_wave: list[Reader]
    killed_after: float


async def failure_test(deployment: Deployment, first: int, second: int, timeout: float) -> Failure:
    """Kill one replica while a wave of readers is being served; then a second wave arrives."""
    victim = deployment.replicas[0].name
    release = asyncio.Event()
    first_wave = [Reader(number) for number in range(first)]
    second_wave = [Reader(first + number) for number in range(second)]
    port = deployment.port
    started = time.monotonic()
    tasks = [asyncio.ensure_future(read(port, r, release, timeout)) for r in first_wave]
    while sum(r.render_seconds is not None for r in first_wave) < first // 3:
        await asyncio.sleep(0.05)
        if time.monotonic() - started > timeout:
            break
    deployment.processes[victim].kill()
    killed_after = time.monotonic() - started
    await asyncio.sleep(1)
    tasks += [asyncio.ensure_future(read(port, r, release, timeout)) for r in second_wave]
    # Give the first wave's readers time to notice the drop before asking who is settled.
    await asyncio.sleep(2)
    await until_settled(first_wave + second_wave, (timeout + 1) * ATTEMPTS + 10)
    release.set()
    await asyncio.wait(tasks, timeout=30)
    return Failure(victim, first_wave, second_wave, killed_after)


def level_rows(levels: list[Level]) -> list[str]:
    rows = [
        "| Replicas | Sessions at once | Rendered | Sessions/s | First render, median | "
        "p95 | max | Errors | Replica CPU (cores busy) | Balancer CPU | Client CPU | "
        "Memory per replica | Slowest health answer | Load after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level in levels:
        busy = level.replica_cpu / level.seconds if level.seconds else 0.0
        memory = " / ".join(f"{value:,.0f}" for value in level.rss_mib)
        rows.append(
            f"| {level.replicas} | {level.sessions} | {level.served} of {level.sessions} | "
            f"{level.per_second:.1f} | {level.render_quantile(0.5):.1f} s | "
            f"{level.render_quantile(0.95):.1f} s | {level.render_quantile(1.0):.1f} s | "
            f"{level.errors} | {level.replica_cpu:.0f} s ({busy:.2f}) | "
            f"{level.balancer_cpu:.1f} s | {level.client_cpu:.1f} s | {memory} MiB | "
            f"{level.slowest_health:.1f} s | {level.load:.1f} |"
        )
    return rows


def level_errors(levels: list[Level]) -> list[str]:
    """Every error of the load levels, with its level and how often it was seen."""
    lines = []
    for level in levels:
        seen = Counter(error for reader in level.readers for error in reader.errors)
        lines += [
            f"- {level.replicas} replica(s), {level.sessions} at once: {count} × {message}"
            for message, count in seen.most_common()
        ]
    return ["Errors under load:", "", *lines, ""] if lines else []


def scaling_rows(levels: list[Level]) -> list[str]:
    """Sessions/s per replica count at each level, and each count's ratio to the first."""
    by = {(level.replicas, level.sessions): level for level in levels}
    counts = sorted({level.replicas for level in levels})
    base = counts[0]
    rows = [
        "| Sessions at once | "
        + " | ".join(f"{count} replica{'s' if count > 1 else ''}, sessions/s" for count in counts)
        + "".join(f" | Ratio {count} ÷ {base}" for count in counts[1:])
        + " |",
        "| --- |" + " --- |" * (2 * len(counts) - 1),
    ]
    for sessions in sorted({level.sessions for level in levels}):
        figures = [by.get((count, sessions)) for count in counts]
        cells = [f"{level.per_second:.1f}" if level else "–" for level in figures]
        first = figures[0]
        for level in figures[1:]:
            ok = level and first and first.per_second
            cells.append(f"{level.per_second / first.per_second:.2f}" if ok else "–")
        rows.append(f"| {sessions} | " + " | ".join(cells) + " |")
    return rows


def failure_rows(failure: Failure) -> tuple[list[str], list[str]]:
    """The failure table, and every error message with how often it was seen."""
    victim = failure.killed
    first = failure.first_wave
    on_victim = [r for r in first if r.assigned == victim]
    others = [r for r in first if r.assigned != victim]
    second = failure.second_wave

    def served(readers: list[Reader]) -> str:
        ends = Counter(r.served_by[-1] if r.served_by else "nobody" for r in readers)
        return ", ".join(f"{name} {count}" for name, count in sorted(ends.items())) or "–"

    def with_errors(readers: list[Reader]) -> int:
        return sum(bool(r.errors) for r in readers)

    def recovery(readers: list[Reader]) -> str:
        times = sorted(seconds for r in readers for seconds in r.recoveries)
        if not times:
            return "–"
        return f"{statistics.median(times):.1f} s / {times[-1]:.1f} s"

    rows = [
        "| Readers | Count | Saw an error | Showing a page in the end | Last served by | "
        "Error → page again, median / max |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| First wave, sent to {victim} (the replica killed) | {len(on_victim)} | "
        f"{with_errors(on_victim)} | {_rendered(on_victim)} | {served(on_victim)} | "
        f"{recovery(on_victim)} |",
        f"| First wave, on the other replica | {len(others)} | {with_errors(others)} | "
        f"{_rendered(others)} | {served(others)} | {recovery(others)} |",
        f"| Second wave, arriving 1 s after the kill | {len(second)} | "
        f"{with_errors(second)} | {_rendered(second)} | {served(second)} | "
        f"{recovery(second)} |",
    ]
    seen = Counter(error for r in first + second for error in r.errors)
    errors = [f"- {count} × {message}" for message, count in seen.most_common()]
    return rows, errors


def _rendered(readers: list[Reader]) -> str:
    return f"{sum(reader.showing for reader in readers)} of {len(readers)}"


def deploy(count: int, haproxy: str, log_dir: Path) -> Deployment:
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("*.log"):
        old.unlink()
    replicas = [Replica(f"r{number}", free_port()) for number in range(1, count + 1)]
    return Deployment(
        replicas, HOST, free_port(), haproxy, secrets.token_urlsafe(32), log_dir=log_dir
    )


async def run(args: argparse.Namespace, haproxy: str) -> tuple[list[Level], Failure | None]:
    levels: list[Level] = []
    failure = None
    for count in args.replicas:
        with deploy(count, haproxy, OUT / f"replicas-{count}") as deployment:
            await warm_up(deployment, args.timeout)
            for sessions in args.sessions:
                level = await burst(deployment, sessions, args.timeout)
                levels.append(level)
                print(level_rows([level])[-1], flush=True)
                await asyncio.sleep(args.pause)
            if count >= 2 and args.failure and failure is None:
                failure = await failure_test(
                    deployment, args.failure, args.failure // 2, args.timeout
                )
    return levels, failure


def _counts(counts: list[int]) -> str:
    """1, 2 then 3."""
    words = [str(count) for count in counts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " then " + words[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 3], help="(1 2 3)")
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=[50, 100, 200],
        help="readers at once (50 100 200)",
    )
    parser.add_argument(
        "--failure", type=int, default=100,
        help="readers in the failure test's first wave, half as many in the second (100; 0: skip)",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=300, help="seconds per try (300)")
    parser.add_argument("--pause", type=float, default=3, help="seconds between levels (3)")
    parser.add_argument("--no-readme", action="store_true", help="do not update the README")
    args = parser.parse_args(argv)
    haproxy = find_haproxy()
    if haproxy is None:
        print("error: HAProxy is needed: 'sudo apt-get install -y haproxy'", file=sys.stderr)
        return 1

    note, started = machine_note(), time.monotonic()
    levels, failure = asyncio.run(run(args, haproxy))
    lines = [
        "## Many readers through HAProxy (replicas)",
        "",
        "`python -m benchmarks.replicas`: the deployment of `scripts/start-replicas` with "
        f"{_counts(args.replicas)} replicas, loaded by light clients in one "
        "Python process on the same machine (no browser). Each reader loads the page, the "
        "health check, the host config and the main script, opens the WebSocket, asks for the "
        "script run as the frontend does and reads until it has finished: the Overview's first "
        "render. All readers of a level arrive at once and stay connected until the last one "
        "has rendered. Sessions/s: rendered sessions ÷ time from the burst to the last render. "
        "First render: from the first request to `script_finished`, including the wait behind "
        "the other readers. A Streamlit process runs all its sessions' scripts at once, in "
        "threads that share one interpreter lock, so the readers of a burst get their first "
        "page at about the same time, near the end: the median is close to the max. Slowest "
        "health answer: a replica's own `/_stcore/health`, asked every second during the burst.",
        "",
        f"Last run: {note} (load when it started), {time.monotonic() - started:.0f} s in all. "
        f"The clients, HAProxy and the replicas share the machine's {os.cpu_count()} cores, so "
        "replicas beyond that number only share them, and other work on the machine (see the "
        "load after each level) takes its part.",
        "",
        *level_rows(levels),
        "",
        *scaling_rows(levels),
        "",
        *level_errors(levels),
    ]
    if failure is not None:
        rows, errors = failure_rows(failure)
        lines += [
            f"Failure: 2 replicas, {len(failure.first_wave)} readers at once; "
            f"{failure.killed} killed (SIGKILL) {failure.killed_after:.1f} s later, once a third "
            f"had rendered; {len(failure.second_wave)} new readers 1 s after the kill. Readers "
            "whose session dropped check the health endpoint and reconnect with their cookie, "
            "as the frontend does; a reader whose request failed tries again a second later "
            f"(at most {ATTEMPTS} tries).",
            "",
            *rows,
            "",
            "Errors seen:",
            "",
            *(errors or ["- none"]),
            "",
        ]
    print("\n".join(lines))
    if not args.no_readme:
        write_section("replicas", lines)
    failed = sum(level.served < level.sessions for level in levels)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
