"""How costs grow with the number of clashes: `python -m benchmarks.growth [--sizes 10000 ...]`.

For each size a synthetic package is generated (once, see benchmarks.generate) and measured in a
child process of its own, so that its memory high-water mark is its own:

- load + validate: `load_package` (read, pandera checks, typing), then `make_incidents`; together
  they are what the app's data cache computes once per data version;
- rerun: median script time of the Incidents and Map pages in AppTest, cache warm;
- CSV: `to_csv_bytes` of 100,000 filtered incidents (all of them if there are fewer);
- peak memory: the child's VmHWM after all of the above.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd

from benchmarks.common import (
    OUT,
    ROOT,
    Result,
    median_seconds,
    merge_results,
    ms,
    peak_rss_mb,
    print_results,
)
from benchmarks.generate import ensure_package
from benchmarks.server import rerun_seconds, warm_app
from components.data import load_package
from components.export import to_csv_bytes
from components.incidents import filter_incidents
from components.query import Query
from components.store import derive

SIZES = (10_000, 100_000, 1_000_000)
CSV_ROWS = 100_000
RERUN_PAGES = {"Incidents": "pages/3_Incidents.py", "Map": "pages/1_Map.py"}
RERUN_GOALS = {100_000: 0.300, 1_000_000: 2.0}
PEAK_GOAL_MB = {1_000_000: 1536}
CHILD_TIMEOUT = 3600
GROWTH_LINES = {
    "load + validate": "load",
    "build incidents": "incidents",
    "CSV of the filtered incidents": "csv",
    "rerun Incidents": "rerun_Incidents",
    "rerun Map": "rerun_Map",
    "peak memory": "peak_mb",
}


def csv_sample(incidents: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """CSV_ROWS incidents (or all) selected by the shared year filter, as a visitor would."""
    wanted = min(CSV_ROWS, len(incidents))
    for year_from in range(last_year, 1991, -1):
        shown = filter_incidents(incidents, Query(year_from, last_year))
        if len(shown) >= wanted:
            return shown.head(wanted)
    return incidents.head(wanted)


def measure(data_dir: Path, runs: int) -> dict[str, float]:
    """All figures for one package, in this process (the child)."""
    figures: dict[str, float] = {}
    start = time.perf_counter()
    package = load_package(data_dir)
    figures["load"] = time.perf_counter() - start
    start = time.perf_counter()
    incidents = derive(package).incidents
    figures["incidents"] = time.perf_counter() - start
    figures["peak_after_load_mb"] = peak_rss_mb()
    sample = csv_sample(incidents, package.data_current_to.year)
    figures["csv_rows"] = len(sample)
    figures["csv"] = median_seconds(partial(to_csv_bytes, sample), runs)
    del package, incidents, sample
    for label, page in RERUN_PAGES.items():
        start = time.perf_counter()
        at = warm_app(page, data_dir)
        figures[f"first_run_{label}"] = time.perf_counter() - start
        figures[f"rerun_{label}"] = rerun_seconds(at, runs)
    figures["peak_mb"] = peak_rss_mb()
    return figures


def run_child(rows: int, runs: int) -> dict[str, float] | None:
    """Measure one size in a child process; None if it failed or ran out of time."""
    data_dir = ensure_package(rows)
    command = [
        sys.executable,
        "-m",
        "benchmarks.growth",
        "--child",
        str(data_dir),
        "--runs",
        str(runs),
    ]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"{rows:,} rows: gave up after {CHILD_TIMEOUT} s")
        return None
    if done.returncode != 0:
        print(f"{rows:,} rows failed:\n{done.stderr[-3000:]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def results_for(rows: int, figures: dict[str, float]) -> list[Result]:
    """Table rows for one size."""
    size = f"{rows:,} clashes"
    results = [
        Result(f"Load + validate, {size}", "–", ms(figures["load"]), None),
        Result(f"Build incidents, {size}", "–", ms(figures["incidents"]), None),
    ]
    goal = RERUN_GOALS.get(rows)
    for label in RERUN_PAGES:
        seconds = figures[f"rerun_{label}"]
        results.append(
            Result(
                f"Rerun, {label}, {size}",
                f"≤ {ms(goal)}" if goal else "–",
                ms(seconds),
                seconds <= goal if goal else None,
            )
        )
    results.append(
        Result(
            f"CSV of {int(figures['csv_rows']):,} filtered incidents, {size}",
            "–",
            ms(figures["csv"]),
            None,
        )
    )
    peak_goal = PEAK_GOAL_MB.get(rows)
    results.append(
        Result(
            f"Peak memory, {size}",
            f"≤ {peak_goal / 1024:.1f} GB" if peak_goal else "–",
            f"{figures['peak_mb']:,.0f} MB",
            figures["peak_mb"] <= peak_goal if peak_goal else None,
        )
    )
    return results


def growth_line(label: str, key: str, measured: dict[int, dict[str, float]]) -> str:
    """How one cost grows: the figure at each size and the factor per tenfold rows."""
    sizes = sorted(measured)
    shown = (lambda mb: f"{mb:,.0f} MB") if key.endswith("_mb") else ms
    parts = [f"{rows:,}: {shown(measured[rows][key])}" for rows in sizes]
    factors = [
        f"×{measured[b][key] / measured[a][key]:.1f}"
        for a, b in itertools.pairwise(sizes)
        if measured[a][key] > 0
    ]
    return f"  {label}: {'; '.join(parts)} (per tenfold rows: {', '.join(factors) or '–'})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=5, help="timed reruns and CSV writes")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.runs)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    measured: dict[int, dict[str, float]] = {}
    results: list[Result] = []
    for rows in args.sizes:
        print(f"measuring {rows:,} clashes…", flush=True)
        start = time.perf_counter()
        figures = run_child(rows, args.runs if rows < 1_000_000 else max(args.runs // 2, 1))
        if figures is None:
            results.append(
                Result(f"Load + validate, {rows:,} clashes", "–", "did not finish", None)
            )
            continue
        measured[rows] = figures
        results += results_for(rows, figures)
        print(f"  done in {time.perf_counter() - start:.0f} s: {figures}", flush=True)
    print_results("Growth with the number of clashes", results)
    print("\nHow each cost grows")
    for label, key in GROWTH_LINES.items():
        print(growth_line(label, key, measured))
    (OUT / "growth.json").write_text(json.dumps(measured, indent=2), encoding="utf-8")
    merge_results(results)


if __name__ == "__main__":
    main()
