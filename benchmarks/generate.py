"""Synthetic data packages with the real schema, for load and growth benchmarks.

`python -m benchmarks.generate ROWS [--seed N] [--out DIR]` copies the shipped package and grows
clashes.csv to ROWS rows (deployments.csv to one twentieth of that). Every synthetic row copies a
real row of its table (countries, kinds, place, request and response codes, references) and then
gets its own id, dates between 1 January 1992 and the package's data_current_to, a point jittered
around the real one but still inside the same country outline, random figures that respect the
low <= best <= high rules, and one to three cited source ids. Notes keep the first sentence of the
real note. The package is sealed (sizes and hashes in its datapackage.json) like the shipped one.
Same ROWS and seed, same bytes; nothing here is loaded by the dashboard by default.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from benchmarks.common import OUT
from components.data import DATA_DIR, GEOMETRY_FILE, META_FILE
from components.validate import seal

DEPLOYMENTS_PER_CLASH = 1 / 20
JITTER_DEGREES = 0.5
POOL = 64  # candidate jittered points per real row
NOTE_CHARS = 160
MARKER = "generated.json"
FIRST_DAY = np.datetime64("1992-01-01")


def read_raw(directory: Path, table: str) -> pd.DataFrame:
    """A package CSV as strings, empty cells as empty strings."""
    return pd.read_csv(directory / f"{table}.csv", dtype=str, keep_default_na=False)


def country_shapes(directory: Path) -> dict[str, shapely.Geometry]:
    """ISO3 code -> prepared country outline."""
    geometry = json.loads((directory / GEOMETRY_FILE).read_text(encoding="utf-8"))
    shapes = {
        f["properties"]["iso3"]: shapely.geometry.shape(f["geometry"]) for f in geometry["features"]
    }
    for shape in shapes.values():
        shapely.prepare(shape)
    return shapes


def point_pools(
    latitude: np.ndarray, longitude: np.ndarray, shapes: dict[str, shapely.Geometry], rng
) -> np.ndarray:
    """For each real point, POOL (lat, lon) jittered points inside the outline that holds it.

    A point that no outline holds (coarse coastlines) keeps its own position.
    """
    pools = np.repeat(np.stack([latitude, longitude], axis=-1)[:, None, :], POOL, axis=1)
    for i, (lat, lon) in enumerate(zip(latitude, longitude, strict=True)):
        home = next((s for s in shapes.values() if shapely.contains_xy(s, lon, lat)), None)
        if home is None:
            continue
        candidates = np.array([lat, lon]) + rng.uniform(
            -JITTER_DEGREES, JITTER_DEGREES, (POOL * 8, 2)
        )
        inside = candidates[shapely.contains_xy(home, candidates[:, 1], candidates[:, 0])]
        if len(inside):
            pools[i] = inside[rng.integers(0, len(inside), POOL)]
    return pools


def first_sentence(text: str) -> str:
    """The text up to its first full stop, cut to NOTE_CHARS characters."""
    sentence = text.split(". ", 1)[0]
    return sentence if len(sentence) <= NOTE_CHARS else sentence[: NOTE_CHARS - 1] + "…"


def random_days(rng, n: int, last: np.datetime64) -> np.ndarray:
    """`n` uniformly random days from FIRST_DAY to `last`."""
    span = int((last - FIRST_DAY).astype(int))
    return FIRST_DAY + rng.integers(0, span + 1, n).astype("timedelta64[D]")


def later_dates(
    rng, start: np.ndarray, present: np.ndarray, max_days: int, last: np.datetime64
) -> pd.Series:
    """Dates 0..max_days after `start` (not past `last`) where `present`, else NaT."""
    days = start + rng.integers(0, max_days + 1, len(start)).astype("timedelta64[D]")
    return pd.Series(np.minimum(days, last)).where(present)


def counts_range(rng, n: int, share: float, scale: float) -> tuple[pd.Series, ...]:
    """(low, best, high) nullable integer figures with low <= best <= high, for `share` of rows."""
    best = np.ceil(rng.lognormal(np.log(scale), 1.5, n))
    low = np.floor(best * rng.uniform(0.5, 1.0, n))
    high = np.ceil(best * rng.uniform(1.0, 2.0, n))
    known = rng.random(n) < share
    has_best = known & (rng.random(n) < 0.5)
    return tuple(
        pd.Series(values).where(mask).astype("Int64")
        for values, mask in ((low, known), (best, has_best), (high, known))
    )


def source_cells(rng, n: int, source_ids: np.ndarray) -> pd.Series:
    """One to three distinct source ids per row, `;`-separated."""
    total = len(source_ids)
    first = rng.integers(0, total, n)
    second = (first + rng.integers(1, total // 3, n)) % total
    third = (second + rng.integers(1, total // 3, n)) % total
    how_many = rng.integers(1, 4, n)
    cells = pd.Series(source_ids[first])
    cells = cells.where(how_many < 2, cells + ";" + source_ids[second])
    return cells.where(how_many < 3, cells + ";" + source_ids[third])


def grow(
    real: pd.DataFrame,
    n: int,
    id_column: str,
    prefix: str,
    shapes: dict[str, shapely.Geometry],
    source_ids: np.ndarray,
    last: np.datetime64,
    rng,
) -> pd.DataFrame:
    """`n` synthetic rows modelled on `real`: the columns every dated, placed table shares."""
    template = rng.integers(0, len(real), n)
    rows = real.iloc[template].reset_index(drop=True)
    numbers = pd.Series(np.arange(n)).astype(str).str.zfill(7)
    rows[id_column] = f"{prefix}-" + numbers
    rows["name"] = rows["name"] + " #" + numbers
    start = random_days(rng, n, last)
    rows["start_date"] = start
    rows["start_date_precision"] = "day"
    ended = rng.random(n) < 0.7
    rows["end_date"] = later_dates(rng, start, ended, 400, last)
    rows["end_date_precision"] = np.where(ended, "day", "")
    pools = point_pools(
        real["latitude"].astype(float).to_numpy(),
        real["longitude"].astype(float).to_numpy(),
        shapes,
        rng,
    )
    points = pools[template, rng.integers(0, POOL, n)]
    rows["latitude"], rows["longitude"] = points[:, 0].round(4), points[:, 1].round(4)
    for column in ("note", "response_note", "outcome"):
        if column in real:
            rows[column] = real[column].map(first_sentence).to_numpy()[template]
    rows["source_ids"] = source_cells(rng, n, source_ids)
    return rows


def synthetic_clashes(n: int, rows: pd.DataFrame, last: np.datetime64, rng) -> pd.DataFrame:
    """Clash-only columns: figures, request and response dates."""
    template_has = rows["help_requested"] == "yes"
    rows["fatalities_low"], rows["fatalities_best"], rows["fatalities_high"] = counts_range(
        rng, n, 0.7, 20
    )
    rows["displaced_low"], _, rows["displaced_high"] = counts_range(rng, n, 0.2, 2000)
    start = rows["start_date"].to_numpy()
    asked = template_has & (rows["request_date"] != "")
    rows["request_date"] = later_dates(rng, start, asked.to_numpy(), 30, last)
    rows["request_date_precision"] = np.where(asked, "day", "")
    answered = rows["response_date"] != ""
    rows["response_date"] = later_dates(rng, start, answered.to_numpy(), 60, last)
    return rows


def synthetic_deployments(n: int, rows: pd.DataFrame, rng) -> pd.DataFrame:
    """Deployment-only columns: personnel, request and decision dates before the start."""
    rows["personnel_low"], _, rows["personnel_high"] = counts_range(rng, n, 0.7, 1500)
    start = rows["start_date"].to_numpy()
    for column in ("request_date", "decision_date"):
        present = (rows[column] != "").to_numpy()
        before = start - rng.integers(0, 15, n).astype("timedelta64[D]")
        rows[column] = pd.Series(np.maximum(before, FIRST_DAY)).where(present)
    return rows


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """CSV as the package writes it: dates as YYYY-MM-DD, NA as empty cells."""
    frame.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")


def generate(rows: int, target: Path, seed: int = 0, source: Path = DATA_DIR) -> Path:
    """Write a package in `target` whose clashes.csv has `rows` rows; return `target`."""
    rng = np.random.default_rng(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    meta = json.loads((source / META_FILE).read_text(encoding="utf-8"))
    last = np.datetime64(date.fromisoformat(meta["data_current_to"]))
    shapes = country_shapes(source)
    source_ids = read_raw(source, "sources")["source_id"].to_numpy()

    for table, id_column, prefix, count in (
        ("deployments", "deployment_id", "syn-dep", int(rows * DEPLOYMENTS_PER_CLASH)),
        ("clashes", "clash_id", "syn-clash", rows),
    ):
        real = read_raw(source, table)
        extra = max(count - len(real), 0)
        grown = grow(real, extra, id_column, prefix, shapes, source_ids, last, rng)
        grown = (
            synthetic_clashes(extra, grown, last, rng)
            if table == "clashes"
            else synthetic_deployments(extra, grown, rng)
        )
        header = list(real.columns)
        write_table(real, target / f"{table}.csv")
        with (target / f"{table}.csv").open("a", encoding="utf-8", newline="") as handle:
            grown[header].to_csv(
                handle, index=False, header=False, date_format="%Y-%m-%d", lineterminator="\n"
            )
    seal(target)  # the grown files' sizes and hashes, as the loader checks them
    (target / MARKER).write_text(json.dumps(_marker(rows, seed)), encoding="utf-8")
    return target


def _marker(rows: int, seed: int) -> dict:
    return {"rows": rows, "seed": seed, "sealed": True}


def package_dir(rows: int, seed: int = 0) -> Path:
    """Where the package of `rows` rows and `seed` lives under the scratch folder."""
    return OUT / f"data-{rows}-seed{seed}"


def ensure_package(rows: int, seed: int = 0) -> Path:
    """The package of `rows` rows, generated only if it is not there yet."""
    target = package_dir(rows, seed)
    marker = target / MARKER
    wanted = _marker(rows, seed)
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return target
    return generate(rows, target, seed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("rows", type=int, help="rows of clashes.csv, e.g. 100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="target folder (default: under benchmarks/out)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    target = generate(args.rows, args.out or package_dir(args.rows, args.seed), args.seed)
    print(f"{args.rows:,} clashes written to {target} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
