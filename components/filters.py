"""Row filters over frames: by years, countries and text. Pure functions of a frame and a query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from components.data import codes_pattern
from components.query import Query


def overlaps_years(
    frame: pd.DataFrame,
    year_from: int,
    year_to: int,
    start: str = "start_date",
    end: str = "end_date",
    open_ended: bool = False,
) -> pd.Series:
    """Rows whose [start, end] period touches `year_from`..`year_to`.

    An empty end means the row lasts (`open_ended`: membership spells, foreign bases) or that
    only its start is known (events: counted in their start year only).
    """
    first = pd.Timestamp(year=year_from, month=1, day=1)
    last = pd.Timestamp(year=year_to, month=12, day=31)
    if end not in frame:
        return (frame[start] <= last) & (frame[start] >= first)
    ends = frame[end].fillna(last if open_ended else frame[start])
    return (frame[start] <= last) & (ends >= first)


def names_any_country(
    frame: pd.DataFrame, columns: Sequence[str], countries: Iterable[str]
) -> pd.Series:
    """Rows where any of `columns` (ISO3 codes, `;`-separated) names one of `countries`."""
    codes = list(countries)
    mask = pd.Series(False, index=frame.index)
    if not codes:
        return ~mask
    pattern = codes_pattern(codes)
    for column in columns:
        mask |= frame[column].astype("string").str.contains(pattern, regex=True, na=False)
    return mask


def contains_text(frame: pd.DataFrame, columns: Sequence[str], text: str) -> pd.Series:
    """Rows where any of `columns` contains `text`, case-insensitively and literally."""
    needle = text.strip()
    mask = pd.Series(False, index=frame.index)
    if not needle:
        return ~mask
    for column in columns:
        mask |= (
            frame[column].astype("string").str.contains(needle, case=False, regex=False, na=False)
        )
    return mask


def shared_mask(
    frame: pd.DataFrame,
    query: Query,
    country_columns: Sequence[str],
    start: str = "start_date",
    end: str = "end_date",
    open_ended: bool = False,
) -> pd.Series:
    """Which rows of `frame` lie in the query's years and name one of its countries (if any)."""
    mask = overlaps_years(frame, query.year_from, query.year_to, start, end, open_ended)
    if query.countries:
        mask &= names_any_country(frame, country_columns, query.countries)
    return mask


def filter_shared(
    frame: pd.DataFrame,
    query: Query,
    country_columns: Sequence[str],
    start: str = "start_date",
    end: str = "end_date",
    open_ended: bool = False,
) -> pd.DataFrame:
    """Rows of `frame` in the query's years that name one of its countries (if any)."""
    return frame[shared_mask(frame, query, country_columns, start, end, open_ended)]
