"""The shared filters (year range, countries): parsing them from a URL, and applying them to frames.

The query string is a permanent contract: `?from=2020&to=2023&country=ARM&country=AZE`. Anything
else in it is ignored with a notice; nothing in it can raise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from components.data import codes_pattern
from components.text import shown_value

FIRST_YEAR = 1992
# Streamlit's own parameters, left alone.
RESERVED_PARAMS = frozenset({"embed", "embed_options"})
MAX_COUNTRIES_IN_URL = 50


@dataclass(frozen=True)
class Filters:
    """Year range (inclusive) and countries (empty = all) shared by every page."""

    year_from: int
    year_to: int
    countries: tuple[str, ...] = ()

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The filters as a sentence, for captions."""
        years = (
            str(self.year_from)
            if self.year_from == self.year_to
            else f"{self.year_from}–{self.year_to}"
        )
        if not self.countries:
            return f"{years}, all countries"
        shown = [(names or {}).get(code, code) for code in self.countries]
        return f"{years}, {', '.join(shown)}"


def default_filters(last_year: int) -> Filters:
    """The whole history, every country."""
    return Filters(FIRST_YEAR, last_year)


def _parse_year(
    key: str, values: Sequence[str], first: int, last: int, notices: list[str]
) -> int | None:
    if len(values) != 1:
        notices.append(f"Ignored parameter `{key}`: given {len(values)} times.")
        return None
    text = values[0].strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        notices.append(f"Ignored parameter `{key}`: '{shown_value(values[0])}' is not a year.")
        return None
    year = int(text)
    if not first <= year <= last:
        notices.append(f"Ignored parameter `{key}`: {year} is outside {first}–{last}.")
        return None
    return year


def parse_query_params(
    params: Mapping[str, Sequence[str]], known_countries: Iterable[str], last_year: int
) -> tuple[Filters, list[str]]:
    """Filters from a query string (key -> all its values), and notices for what was ignored.

    Never raises: malformed, unknown, repeated or out-of-range values fall back to the defaults.
    Notices are plain text (shown through components.text.as_text).
    """
    defaults = default_filters(last_year)
    notices: list[str] = []
    known = set(known_countries)

    for key in params:
        if key not in ("from", "to", "country") and key not in RESERVED_PARAMS:
            notices.append(f"Ignored unknown parameter '{shown_value(key)}'.")

    year_from, year_to = defaults.year_from, defaults.year_to
    if "from" in params:
        parsed = _parse_year("from", params["from"], FIRST_YEAR, last_year, notices)
        year_from = year_from if parsed is None else parsed
    if "to" in params:
        parsed = _parse_year("to", params["to"], FIRST_YEAR, last_year, notices)
        year_to = year_to if parsed is None else parsed
    if year_from > year_to:
        notices.append(
            f"Ignored parameters `from` and `to`: {year_from} is after {year_to}; "
            "showing every year."
        )
        year_from, year_to = defaults.year_from, defaults.year_to

    countries: list[str] = []
    for value in params.get("country", []):
        for item in value.split(","):
            code = item.strip().upper()
            if code in known and code not in countries:
                countries.append(code)
            elif code not in known:
                notices.append(f"Ignored `country` value '{shown_value(item)}': not a known code.")
    if len(countries) > MAX_COUNTRIES_IN_URL:
        notices.append("Ignored parameter `country`: too many values.")
        countries = []
    return Filters(year_from, year_to, tuple(sorted(countries))), notices


def to_query_params(filters: Filters, last_year: int) -> dict[str, str | list[str]]:
    """The query string for `filters`, leaving out values equal to the defaults."""
    defaults = default_filters(last_year)
    params: dict[str, str | list[str]] = {}
    if filters.year_from != defaults.year_from:
        params["from"] = str(filters.year_from)
    if filters.year_to != defaults.year_to:
        params["to"] = str(filters.year_to)
    if filters.countries:
        params["country"] = list(filters.countries)
    return params


def overlaps_years(
    frame: pd.DataFrame,
    year_from: int,
    year_to: int,
    start: str = "start_date",
    end: str = "end_date",
) -> pd.Series:
    """Rows whose [start, end] period touches `year_from`..`year_to` (no end: start only)."""
    first = pd.Timestamp(year=year_from, month=1, day=1)
    last = pd.Timestamp(year=year_to, month=12, day=31)
    ends = frame[end].fillna(frame[start]) if end in frame else frame[start]
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


def apply_filters(
    frame: pd.DataFrame,
    filters: Filters,
    country_columns: Sequence[str],
    start: str = "start_date",
    end: str = "end_date",
) -> pd.DataFrame:
    """Rows of `frame` in the year range that name one of the selected countries."""
    mask = overlaps_years(frame, filters.year_from, filters.year_to, start, end)
    if filters.countries:
        mask &= names_any_country(frame, country_columns, filters.countries)
    return frame[mask]
