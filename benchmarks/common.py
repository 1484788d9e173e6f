"""Helpers shared by the benchmark scripts: timing, memory, and the results table in README.md."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
README = ROOT / "benchmarks" / "README.md"
TABLE_START = "<!-- results:start -->"
TABLE_END = "<!-- results:end -->"
HEADER = [
    "| Metric | Goal | Last figure | Met? | Run |",
    "| --- | --- | --- | --- | --- |",
]


@dataclass(frozen=True)
class Result:
    """One figure of a run, against its goal (`met` is None when there is no goal)."""

    metric: str
    goal: str
    figure: str
    met: bool | None

    def row(self, run: str) -> str:
        met = "–" if self.met is None else ("yes" if self.met else "**no**")
        return f"| {self.metric} | {self.goal} | {self.figure} | {met} | {run} |"


def machine_note() -> str:
    """Date, cores, memory, load and Python of this run, for the table's Run column.

    The load average (runnable processes, 1-minute mean) shows how busy the shared machine was.
    """
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores, {pages / 2**30:.0f} GB RAM, "
        f"load {os.getloadavg()[0]:.0f}, Python {platform.python_version()}"
    )


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls of `action`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    """Seconds as a short millisecond figure."""
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def peak_rss_mb() -> float:
    """This process's resident-set high-water mark (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def print_results(title: str, results: list[Result]) -> None:
    """The figures of a run, one a line."""
    print(f"\n{title}")
    for result in results:
        met = "" if result.met is None else ("  met" if result.met else "  NOT MET")
        print(f"  {result.metric}: {result.figure} (goal {result.goal}){met}")


def merge_results(results: list[Result]) -> None:
    """Put `results` into the README's table, replacing rows of the same metric, keeping others."""
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(TABLE_START, 1)
    table, tail = rest.split(TABLE_END, 1)
    rows = [line for line in table.strip().splitlines() if line.startswith("| ")][2:]
    new = {result.metric: result.row(machine_note()) for result in results}
    merged = [new.pop(_metric_of(row), row) for row in rows]
    body = "\n".join([*HEADER, *merged, *new.values()])
    README.write_text(f"{head}{TABLE_START}\n{body}\n{TABLE_END}{tail}", encoding="utf-8")


def _metric_of(row: str) -> str:
    return row.split(" | ", 1)[0].removeprefix("| ")


def write_section(name: str, lines: list[str]) -> None:
    """Replace the README's section `name` (between its start and end markers) with `lines`,
    or append it; the rest of the README stays as it is."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = "\n".join([start, *lines, end])
    current = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        updated = head + section + rest.split(end, 1)[1]
    else:
        updated = current.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(updated, encoding="utf-8")
