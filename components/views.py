"""Figures and downloads cached per data version and query, so a rerun that changes neither
(another widget, a page switch, a second visitor with the same link) does not build them again.

Every function takes `data_key` (the data folder and its file signature) and a `Query` rather
than frames: Streamlit hashes plain values cheaply, and the frames come from the shared data
cache. Figures are kept as shared resources (a data cache would unpickle a copy on every rerun);
st.plotly_chart only reads them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import downloads, export
from components.codebook_view import codebook_frame, coverage_for_screen, table_descriptions
from components.coverage import rows_per_decade
from components.downloads import download_csv, download_frame
from components.figures import (
    Outline,
    contingent_summary,
    country_outlines,
    facility_points,
    incident_points,
    make_status_map,
    make_timeline,
)
from components.i18n import SOURCE_LANGUAGE, translator
from components.incident_view import incidents_for_screen, requests_for_screen
from components.incidents import filter_incidents, make_requests, names_ru_of
from components.membership import status_on
from components.query import Query
from components.schema import tables
from components.store import DataKey, get_loaded
from components.tables import (
    filter_facilities,
    filter_history,
    filter_milestones,
    filter_withdrawals,
)

# Every cache below keeps this many entries and shows no spinner (passed one by one, so that
# the decorators' overloads keep the functions' types).
_MAX_ENTRIES = 64


def _year_end(year: int, last_day: date) -> date:
    return min(date(year, 12, 31), last_day)


@st.cache_resource(max_entries=_MAX_ENTRIES, show_spinner=False)
def status_map(
    data_key: DataKey,
    query: Query,
    on: date,
    year: int | None,
    bases: bool,
    height: int = 560,
    lang: str = SOURCE_LANGUAGE,
) -> go.Figure:
    """The map on `on`: status then, and the query's events under way in `year` (or begun by
    `on` when `year` is None), with foreign bases present then if `bases`; words in `lang`."""
    loaded = get_loaded(data_key)
    package = loaded.package
    t = translator(lang)
    names = t.countries(package.country_names)
    sent = (
        loaded.contingents
        if lang == SOURCE_LANGUAGE
        else contingent_summary(package["contingents"], names, t)
    )
    shown = filter_incidents(loaded.incidents, query.shared())
    points = incident_points(shown, loaded.source_titles, sent, t=t)
    if year is None:
        points = points[points["first_year"] <= on.year]
    else:
        points = points[(points["first_year"] <= year) & (points["last_year"] >= year)]
    status = status_table(data_key, on)
    facilities = None
    if bases:
        present = filter_facilities(package["facilities"], query.shared())
        moment = pd.Timestamp(on)
        present = present[
            (present["start_date"] <= moment)
            & (present["end_date"].isna() | (present["end_date"] >= moment))
        ]
        facilities = facility_points(present, names, loaded.source_titles, t)
    return make_status_map(
        outlines(data_key), status, points, names, facilities, height=height, t=t
    )


@st.cache_resource(max_entries=_MAX_ENTRIES, show_spinner=False)
def status_table(data_key: DataKey, on: date) -> pd.DataFrame:
    """Every state's status on `on` (see membership.status_on), once per data version and date.

    Shared between sessions: callers read it and never change it."""
    loaded = get_loaded(data_key)
    return status_on(loaded.history, on, loaded.package.country_names)


@st.cache_resource(max_entries=4, show_spinner=False)
def outlines(data_key: DataKey) -> dict[str, Outline]:
    """The package's country shapes projected for the maps, once per data version."""
    return country_outlines(get_loaded(data_key).package.geometry)


def year_end(data_key: DataKey, year: int) -> date:
    """31 December of `year`, or the data-current-to date in its last year."""
    return _year_end(year, get_loaded(data_key).package.data_current_to)


@st.cache_resource(max_entries=_MAX_ENTRIES, show_spinner=False)
def timeline(
    data_key: DataKey, query: Query, event_kinds: tuple[str, ...], lang: str = SOURCE_LANGUAGE
) -> go.Figure:
    """Status bars, steps, milestones, events and bases for the query's years and states.

    `event_kinds`: incident and milestone kinds to mark (all when empty); words in `lang`.
    """
    loaded = get_loaded(data_key)
    package = loaded.package
    t = translator(lang)
    incidents = filter_incidents(loaded.incidents, query.shared())
    milestones = filter_milestones(package["milestones"], query)
    if event_kinds:
        incidents = incidents[incidents["kind"].isin(event_kinds)]
        milestones = milestones[milestones["kind"].isin(event_kinds)]
    return make_timeline(
        filter_history(loaded.history, query),
        filter_withdrawals(package["withdrawals"], query),
        milestones,
        incidents,
        filter_facilities(package["facilities"], query),
        t.countries(package.country_names),
        loaded.source_titles,
        (query.year_from, query.year_to),
        pd.Timestamp(package.data_current_to),
        t,
    )


@st.cache_data(max_entries=_MAX_ENTRIES, show_spinner=False)
def table_csv(
    data_key: DataKey, table: str, query: Query | None, lang: str = SOURCE_LANGUAGE
) -> bytes:
    """A download as CSV (a package table, or the Incidents page's incidents or requests): cut to
    `query`, or whole when `query` is None."""
    return download_csv(get_loaded(data_key), table, query, lang)


def deferred_csv(
    data_key: DataKey, table: str, query: Query | None, lang: str = SOURCE_LANGUAGE
) -> Callable[[], bytes]:
    """`table_csv` as a function that writes the CSV when the button is clicked (not cached:
    a large download's bytes would crowd the cache)."""
    return partial(download_csv, get_loaded(data_key), table, query, lang)


def csv_download(
    data_key: DataKey, table: str, query: Query | None, rows: int, lang: str = SOURCE_LANGUAGE
) -> bytes | Callable[[], bytes]:
    """A download button's data: the cached CSV of `rows` rows, or, above
    DEFERRED_DOWNLOAD_ROWS, a function that writes it when clicked."""
    if rows <= export.DEFERRED_DOWNLOAD_ROWS:
        return table_csv(data_key, table, query, lang)
    return deferred_csv(data_key, table, query, lang)


# The Incidents page lists at most this many rows: more is slow to send and no easier to read.
MAX_TABLE_ROWS = 5_000


@dataclass(frozen=True)
class IncidentScreens:
    """What the Incidents page shows for one query, words in one language (shared read-only).

    `listed`: the newest MAX_TABLE_ROWS incidents the query selects, and `screen` those rows for
    the table; `requests`: the requests among all it selects; `request_screens`: by whether they
    went to the alliance, the newest MAX_TABLE_ROWS of each, for their tables; `digest`: a
    short hash of the listed incidents' ids in order, which changes when the list does.
    """

    listed: pd.DataFrame
    screen: pd.DataFrame
    requests: pd.DataFrame
    request_screens: dict[bool, pd.DataFrame]
    digest: str


# Few entries: the requests of a query over a million incidents can be tens of MB.
@st.cache_resource(max_entries=8, show_spinner=False)
def incident_screens(
    data_key: DataKey, query: Query, lang: str = SOURCE_LANGUAGE
) -> IncidentScreens:
    """The Incidents page's frames for this data version, query and language."""
    loaded = get_loaded(data_key)
    package = loaded.package
    t = translator(lang)
    names = t.countries(package.country_names)
    shown = filter_incidents(loaded.incidents, query)
    listed = shown.head(MAX_TABLE_ROWS)
    requests = make_requests(shown)
    request_screens = {}
    for to_alliance in (True, False):
        part = requests[requests["to_alliance"] == to_alliance].head(MAX_TABLE_ROWS)
        russian = names_ru_of(loaded.incidents, part["clash_id"])
        request_screens[to_alliance] = requests_for_screen(part, names, t, russian)
    return IncidentScreens(
        listed=listed,
        screen=incidents_for_screen(listed, names, package["sources"], t),
        requests=requests,
        request_screens=request_screens,
        digest=hashlib.blake2b(
            "\n".join(listed["incident_id"].astype(str)).encode(), digest_size=8
        ).hexdigest(),
    )


@st.cache_resource(max_entries=32, show_spinner=False)
def download_row_count(data_key: DataKey, table: str, query: Query | None) -> int:
    """`downloads.download_row_count` for this data version (counting filters the rows)."""
    return downloads.download_row_count(get_loaded(data_key), table, query)


@st.cache_resource(max_entries=8, show_spinner=False)
def coverage(data_key: DataKey, lang: str = SOURCE_LANGUAGE) -> pd.DataFrame:
    """Rows per table and decade, in words of `lang` (shared read-only)."""
    return coverage_for_screen(rows_per_decade(get_loaded(data_key).package), translator(lang))


@st.cache_resource(max_entries=4, show_spinner=False)
def codebook(lang: str = SOURCE_LANGUAGE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(what each table holds, every column of every table) in `lang` (shared read-only)."""
    t = translator(lang)
    return table_descriptions(tables().values(), t), codebook_frame(tables().values(), t)


# Frames are larger than their CSV: keep fewer. Shared read-only, like the data cache.
@st.cache_resource(max_entries=8, show_spinner=False)
def download_table(data_key: DataKey, table: str, query: Query | None) -> pd.DataFrame:
    """`download_frame` for this data version and query, kept for the API's pages."""
    return download_frame(get_loaded(data_key), table, query)
