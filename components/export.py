"""CSV downloads: UTF-8, one line per shown row, and safe to open in a spreadsheet.

Formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
written with a leading apostrophe (`'`), which spreadsheets show as text instead of running it. A
cell that already begins with an apostrophe gets one more, so the rule can be undone exactly: strip
one leading apostrophe from every text cell that has one (`restore_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd

from components.filters import Filters

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
MAX_COUNTRIES_IN_NAME = 4
# Past this many rows a download's CSV is written when it is clicked, not on every rerun.
DEFERRED_DOWNLOAD_ROWS = 20_000


def neutralise_cell(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would execute (or that starts with one)."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def restore_cell(value: object) -> object:
    """Undo `neutralise_cell`."""
    if isinstance(value, str) and value.startswith(ESCAPE):
        return value[1:]
    return value


def _is_text(column: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(column)
        or pd.api.types.is_datetime64_any_dtype(column)
        or pd.api.types.is_bool_dtype(column)
    )


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV bytes, dates as YYYY-MM-DD, text cells neutralised."""
    neutralised = {}
    for column in frame.columns:
        if _is_text(frame[column]):
            text = frame[column].astype("string")
            risky = text.str.startswith((*FORMULA_TRIGGERS, ESCAPE), na=False)
            if risky.any():
                neutralised[column] = text.mask(risky, ESCAPE + text)  # neutralise_cell's rule
    safe = frame.assign(**neutralised) if neutralised else frame
    return safe.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n").encode("utf-8")


def download_payload(frame: pd.DataFrame) -> bytes | Callable[[], bytes]:
    """The CSV bytes of `frame`, or, for large frames, a function that writes them on demand."""
    if len(frame) <= DEFERRED_DOWNLOAD_ROWS:
        return to_csv_bytes(frame)
    return partial(to_csv_bytes, frame)


def export_filename(table: str, filters: Filters, narrowed: bool = False) -> str:
    """A file name that says what the download holds, e.g. `clashes_2020-2023_ARM-AZE.csv`."""
    years = (
        str(filters.year_from)
        if filters.year_from == filters.year_to
        else f"{filters.year_from}-{filters.year_to}"
    )
    codes: Sequence[str] = filters.countries
    if not codes:
        places = "all-countries"
    elif len(codes) <= MAX_COUNTRIES_IN_NAME:
        places = "-".join(codes)
    else:
        places = (
            "-".join(codes[:MAX_COUNTRIES_IN_NAME])
            + f"-and-{len(codes) - MAX_COUNTRIES_IN_NAME}-more"
        )
    suffix = "_narrowed" if narrowed else ""
    slug = re.sub(r"[^a-z0-9_-]+", "-", table.lower()).strip("-") or "table"
    return f"{slug}_{years}_{places}{suffix}.csv"
