"""Figures and downloads cached per data version and filters, so a rerun that changes neither
(another widget, a page switch, a second visitor with the same link) does not build them again.

Every function takes `data_key` (the data folder and its file signature) rather than frames:
Streamlit hashes plain values cheaply, and the frames come from the shared data cache. Figures
are kept as shared resources (a data cache would unpickle a copy on every rerun); st.plotly_chart
only reads them.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from components.export import to_csv_bytes
from components.figures import (
    incident_points,
    make_animated_map,
    make_status_map,
    make_timeline,
)
from components.filters import Filters
from components.incidents import filter_incidents, make_requests
from components.status import status_by_year, status_on
from components.tables import (
    filter_milestones,
    filter_package_tables,
    filter_segments,
    filter_withdrawals,
)
from components.ui import load_cached

DataKey = tuple[str, tuple]
_CACHE = {"max_entries": 64, "show_spinner": False}


@st.cache_resource(**_CACHE)
def year_map(data_key: DataKey, filters: Filters) -> go.Figure:
    """The animated map: a frame per selected year with the incidents under way then."""
    package, incidents, titles, _ = load_cached(*data_key)
    points = incident_points(filter_incidents(incidents, filters), titles)
    years = range(filters.year_from, filters.year_to + 1)
    members, steps = package["members"], package["withdrawals"]
    names = package.country_names
    by_year = status_by_year(members, steps, years, package.data_current_to, names)
    return make_animated_map(package.geometry, by_year, points, names)


@st.cache_resource(**_CACHE)
def date_map(data_key: DataKey, filters: Filters, on: date, height: int = 560) -> go.Figure:
    """The map on one date, with the selected incidents that began by that date's year."""
    package, incidents, titles, _ = load_cached(*data_key)
    points = incident_points(filter_incidents(incidents, filters), titles)
    points = points[points["first_year"] <= on.year]
    names = package.country_names
    status = status_on(package["members"], package["withdrawals"], on, names)
    return make_status_map(package.geometry, status, points, names, height=height)


@st.cache_resource(**_CACHE)
def timeline(data_key: DataKey, filters: Filters) -> go.Figure:
    """Membership bars, steps, milestones and incidents for the selected years and states."""
    package, incidents, titles, segments = load_cached(*data_key)
    return make_timeline(
        filter_segments(segments, filters),
        filter_withdrawals(package["withdrawals"], filters),
        filter_milestones(package["milestones"], filters),
        filter_incidents(incidents, filters),
        package.country_names, titles, (filters.year_from, filters.year_to),
    )  # fmt: skip


@st.cache_data(**_CACHE)
def table_csv(data_key: DataKey, table: str, filters: Filters | None) -> bytes:
    """A package table as CSV: cut to `filters`, or whole when `filters` is None."""
    package = load_cached(*data_key)[0]
    if filters is None:
        return to_csv_bytes(package[table])
    return to_csv_bytes(filter_package_tables(package, filters)[table])


@st.cache_data(**_CACHE)
def incidents_csv(data_key: DataKey, filters: Filters, narrowing: tuple, requests: bool) -> bytes:
    """The Incidents page's download (or its requests view) for these filters, as CSV.

    `narrowing` holds filter_incidents' page filters in order: categories, kinds, responses,
    help requested, alignments, text.
    """
    package, incidents, _, _ = load_cached(*data_key)
    shown = filter_incidents(incidents, filters, *narrowing)
    return to_csv_bytes(make_requests(shown, package.country_names) if requests else shown)
