"""CSV downloads: UTF-8, one line per shown row, readable sources, safe to open in a spreadsheet.

Formula injection: a text cell that a spreadsheet could run as a formula is written with a leading
apostrophe (`'`), which spreadsheets show as text. That is a cell whose first character is a tab,
a carriage return or a newline, or whose first character after any white space (spaces,
no-break spaces, line breaks) is `=`, `+`, `-`, `@` or their full-width forms. A cell that already
begins with an apostrophe gets one more, so the rule can be undone exactly: strip one leading
apostrophe from every text cell that has one (`restore_cell`).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from components.data import split_codes
from components.i18n import translator
from components.incidents import names_ru_of
from components.query import Query
from components.schema import tables

ESCAPE = "'"
FORMULA_START = re.compile(r"^(?:[\t\r\n]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|')")
MAX_COUNTRIES_IN_NAME = 4
# Past this many rows a download's CSV is written when it is clicked, not on every rerun.
DEFERRED_DOWNLOAD_ROWS = 20_000
CSV_SLICE_ROWS = 10_000  # rows written to CSV at a time
SOURCE_SEPARATOR = " | "
# Columns of derived tables (incidents, requests) that hold country codes, beside the schema's.
DERIVED_COUNTRY_COLUMNS = ("countries", "members_at_start")
RUSSIAN_SEPARATOR = "; "


def neutralise_cell(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet could execute (or that starts with one)."""
    if isinstance(value, str) and FORMULA_START.match(value):
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


def _risky_cells(column: pd.Series) -> np.ndarray | None:
    """Which cells of a column of text and missing values need the apostrophe (None: the column
    holds other objects too). A plain loop: pandas' string methods run one per cell anyway."""
    match = FORMULA_START.match
    risky = []
    for value in column.to_numpy(dtype=object):
        if isinstance(value, str):
            risky.append(match(value) is not None)
        elif value is None or value is pd.NA or value is np.nan:
            risky.append(False)
        else:
            return None
    return np.array(risky, dtype=bool)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every risky text cell neutralised (`neutralise_cell`'s rule, vectorised)."""
    neutralised = {}
    for column in frame.columns:
        if _is_text(frame[column]):
            risky = _risky_cells(frame[column])
            text = None
            if risky is None:
                text = frame[column].astype("string")
                risky = text.str.match(FORMULA_START, na=False).to_numpy(dtype=bool)
            if risky.any():
                text = frame[column].astype("string") if text is None else text
                neutralised[column] = text.mask(risky, ESCAPE + text)
    return frame.assign(**neutralised) if neutralised else frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV bytes, dates as YYYY-MM-DD, text cells neutralised.

    Written CSV_SLICE_ROWS rows at a time: beside the bytes, only one slice's text is held (the
    whole text at once, as Python builds and then encodes it, is several times the bytes).
    """
    out = io.BytesIO()
    for start in range(0, len(frame), CSV_SLICE_ROWS) or [0]:
        part = neutralise_frame(frame.iloc[start : start + CSV_SLICE_ROWS])
        text = part.to_csv(
            index=False, header=start == 0, date_format="%Y-%m-%d", lineterminator="\r\n"
        )
        out.write(str(text).encode("utf-8"))
    return out.getvalue()


def with_source_columns(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """`frame` with readable `source_titles` and `source_urls` beside its `source_ids`.

    Each holds one entry per cited source, in order, joined by " | " (an address left out where
    the source has none).
    """
    ids = sources["source_id"].tolist()
    spelled = (sources["title"] + " (" + sources["publisher"] + ")").tolist()
    titles = dict(zip(ids, spelled, strict=True))
    urls = {i: u for i, u in zip(ids, sources["url"].tolist(), strict=True) if not pd.isna(u)}

    def spell(cell: object, lookup: dict[str, object]) -> object:
        found = [str(lookup[s]) for s in split_codes(cell) if s in lookup]
        return SOURCE_SEPARATOR.join(found) if found else pd.NA

    unique = frame["source_ids"].drop_duplicates()
    title_of = {cell: spell(cell, titles) for cell in unique}
    url_of = {cell: spell(cell, urls) for cell in unique}
    cells = frame["source_ids"]
    return frame.assign(
        source_titles=cells.map(title_of).astype("string"),
        source_urls=cells.map(url_of).astype("string"),
    )


def country_columns() -> set[str]:
    """Every column that holds ISO3 codes (one or `;`-separated), by the schema and derived."""
    declared = {
        field.name
        for table in tables().values()
        for field in table.fields
        if field.kind in ("iso3", "iso3_list")
    }
    return declared | set(DERIVED_COUNTRY_COLUMNS)


def russian_column(column: str) -> str:
    """The name of the Russian names' column beside a code column: `country_iso3` ->
    `country_ru`, `countries` -> `countries_ru`."""
    return column.removesuffix("_iso3") + "_ru"


def with_russian_columns(frame: pd.DataFrame, english_names: dict[str, str]) -> pd.DataFrame:
    """`frame` with the CLDR Russian names of its states beside each country code column.

    The English columns stay as they are and where they are; each `<column>_ru` holds the
    Russian names of the codes in `<column>`, in order, joined by "; ".
    """
    names = translator("ru").countries(english_names)
    result = frame.copy()
    for column in [c for c in frame.columns if c in country_columns()]:
        spelled = {
            cell: RUSSIAN_SEPARATOR.join(names.get(c, c) for c in split_codes(cell)) or pd.NA
            for cell in frame[column].dropna().unique()
        }
        values = frame[column].map(spelled).astype("string")
        result.insert(result.columns.get_loc(column) + 1, russian_column(column), values)
    return result


def with_clash_names_ru(requests: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """The requests table with each clash's sourced Russian name (`clash_ru`) beside `clash`."""
    values = requests["clash_id"].map(names_ru_of(incidents, requests["clash_id"]))
    values = values.astype("string")
    result = requests.copy()
    result.insert(result.columns.get_loc("clash") + 1, "clash_ru", values)
    return result


def export_filename(table: str, query: Query) -> str:
    """A file name that says what the download holds, e.g. `clashes_2020-2023_ARM-AZE.csv`."""
    years = (
        f"{query.year_from}"
        if query.year_from == query.year_to
        else (f"{query.year_from}-{query.year_to}")
    )
    codes = query.countries
    if not codes:
        places = "all-countries"
    elif len(codes) <= MAX_COUNTRIES_IN_NAME:
        places = "-".join(codes)
    else:
        more = len(codes) - MAX_COUNTRIES_IN_NAME
        places = "-".join(codes[:MAX_COUNTRIES_IN_NAME]) + f"-and-{more}-more"
    suffix = "_narrowed" if query.narrowed else ""
    slug = re.sub(r"[^a-z0-9_-]+", "-", table.lower()).strip("-") or "table"
    return f"{slug}_{years}_{places}{suffix}.csv"
