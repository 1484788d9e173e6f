"""Script time per rerun of every page, with the shipped data: `python -m benchmarks.server`.

Each page runs in Streamlit's AppTest (in this process, no browser): one run to fill the caches,
then RUNS timed reruns; the figure is the median. It includes AppTest's own cost of running a
script and reading back its elements, measured separately on an empty script for reference.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from benchmarks.common import (
    ROOT,
    Result,
    median_seconds,
    merge_results,
    ms,
    print_results,
)
from components.navigation import PAGES as PAGE_SPECS

# Page title -> script to switch to after the entry page (None: the entry page itself).
PAGES = {spec.title: None if spec.url_path == "" else spec.path for spec in PAGE_SPECS}
GOAL_SECONDS = 0.050
TIMEOUT = 600


def warm_app(page: str | None, data_dir: Path | None = None) -> AppTest:
    """The app opened on `page` (None: the overview), caches filled, ready for timed reruns."""
    set_log_level("error")  # AppTest's bare-mode warnings would drown the figures
    if data_dir is not None:
        os.environ["CSTO_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(f"{page or 'dashboard.py'} failed: {at.exception}")
    return at


def rerun_seconds(at: AppTest, runs: int) -> float:
    """Median time of `runs` reruns of the page `at` is on."""
    return median_seconds(at.run, runs)


def apptest_overhead(runs: int) -> float:
    """Median rerun time of a one-line script: AppTest's own share of every figure."""
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "empty.py"
        script.write_text('import streamlit as st\n\nst.title("empty")\n', encoding="utf-8")
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        at.run()
        return rerun_seconds(at, runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="timed reruns per page")
    args = parser.parse_args(argv)
    results = []
    for label, page in PAGES.items():
        seconds = rerun_seconds(warm_app(page), args.runs)
        results.append(
            Result(f"Rerun, {label} (shipped data)", "< 50 ms", ms(seconds), seconds < GOAL_SECONDS)
        )
    overhead = apptest_overhead(args.runs)
    results.append(Result("Rerun, empty script (AppTest's own cost)", "–", ms(overhead), None))
    print_results(f"Script time per rerun, median of {args.runs}", results)
    merge_results(results)


if __name__ == "__main__":
    main()
