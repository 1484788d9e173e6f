"""Streamlit pieces shared by every page: data loading, navigation, the shared filters, downloads.

Every page file starts with `page = start_page(title)`: it loads the data once (cached), shows an
error page instead of a traceback when the data is broken, draws the navigation and the sidebar
filters, and keeps the filters in the URL. It works the same whichever page a visitor opens first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.data import DATA_DIR, DataPackage, DataPackageError, load_package
from components.export import download_payload, export_filename
from components.figures import membership_segments, source_title_lookup
from components.filters import Filters, default_filters, parse_query_params, to_query_params
from components.incidents import country_options, make_incidents
from components.text import as_text

PAGES = [
    ("dashboard.py", "Overview", ":material/dashboard:"),
    ("pages/1_Map.py", "Map", ":material/map:"),
    ("pages/2_Timeline.py", "Timeline", ":material/timeline:"),
    ("pages/3_Incidents.py", "Incidents", ":material/table:"),
    ("pages/4_Data_and_sources.py", "Data & sources", ":material/menu_book:"),
]
ICON = Path(__file__).resolve().parent.parent / "static" / "icon.png"
FILTERS_KEY = "filters"
NOTICES_KEY = "url_notices"
YEARS_WIDGET = "year_range"
COUNTRIES_WIDGET = "countries"


@dataclass(frozen=True)
class Page:
    """What a page needs: the package, derived frames, and the shared filters."""

    package: DataPackage
    incidents: pd.DataFrame
    source_titles: pd.Series
    segments: pd.DataFrame
    filters: Filters
    data_key: tuple[str, tuple]  # data folder and file signature: the key of cached views

    @property
    def last_year(self) -> int:
        return self.package.data_current_to.year

    @property
    def names(self) -> dict[str, str]:
        return self.package.country_names


def data_dir() -> Path:
    """The data package folder; CSTO_DATA_DIR points elsewhere (tests, staging)."""
    return Path(os.environ.get("CSTO_DATA_DIR", DATA_DIR))


def data_signature(directory: Path) -> tuple:
    """File names, sizes and modification times: a changed file changes the cache key."""
    if not directory.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(directory.iterdir())
    )


# A resource cache, not a data cache: st.cache_data hands each rerun a pickled copy, which costs
# about a second per rerun at 100,000 incidents. The frames are shared read-only: no page or
# component changes them in place (they derive new frames).
@st.cache_resource(show_spinner="Loading and validating the data…", max_entries=4)
def load_cached(
    directory: str, signature: tuple
) -> tuple[DataPackage, pd.DataFrame, pd.Series, pd.DataFrame]:
    """The validated package and the frames derived from it, once per data version."""
    del signature  # only part of the cache key
    package = load_package(Path(directory))
    incidents = make_incidents(package["clashes"], package["deployments"], package["members"])
    segments = membership_segments(
        package["members"], package["withdrawals"], package.data_current_to
    )
    return package, incidents, source_title_lookup(package["sources"]), segments


def render_data_error(error: DataPackageError) -> None:
    """The error page: every problem, as plain text, and how to check it locally."""
    st.error(
        f"The data package has {len(error.problems)} problem(s), so the dashboard cannot show it. "
        "Nothing was changed. Fix the files listed below (row numbers as in a spreadsheet, "
        "header = row 1) and reload this page."
    )
    st.code("\n".join(str(p) for p in error.problems), language=None)
    st.caption("The same list comes from `python -m components.validate`.")


def render_navigation() -> None:
    with st.sidebar:
        st.markdown("### CSTO Monitor")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()


def _set_filters(filters: Filters) -> None:
    st.session_state[FILTERS_KEY] = filters
    st.session_state[YEARS_WIDGET] = (filters.year_from, filters.year_to)
    st.session_state[COUNTRIES_WIDGET] = list(filters.countries)


def _on_filter_change() -> None:
    year_from, year_to = st.session_state[YEARS_WIDGET]
    countries = tuple(sorted(st.session_state[COUNTRIES_WIDGET]))
    st.session_state[FILTERS_KEY] = Filters(year_from, year_to, countries)
    st.session_state[NOTICES_KEY] = []


def reset_filters(last_year: int) -> None:
    """Back to every year and every country (a button callback)."""
    _set_filters(default_filters(last_year))
    st.session_state[NOTICES_KEY] = []


def _current_query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def render_filters(package: DataPackage) -> Filters:
    """Sidebar year range and countries, seeded from the URL on a session's first run."""
    last_year = package.data_current_to.year
    names = package.country_names
    if FILTERS_KEY not in st.session_state:
        filters, notices = parse_query_params(_current_query_params(), names, last_year)
        st.session_state[NOTICES_KEY] = notices
        _set_filters(filters)
    else:
        # Widget state is dropped when another page runs; put it back from the shared filters.
        _set_filters(st.session_state[FILTERS_KEY])

    with st.sidebar:
        st.markdown("**Filters** · shared by every page")
        st.slider(
            "Years",
            min_value=1992,
            max_value=last_year,
            key=YEARS_WIDGET,
            on_change=_on_filter_change,
            help="Events that touch any of these years.",
        )
        st.multiselect(
            "Countries",
            options=country_options(names, names),
            format_func=lambda code: f"{names.get(code, code)} ({code})",
            key=COUNTRIES_WIDGET,
            on_change=_on_filter_change,
            placeholder="All countries",
            help="Events that involve any of the selected states.",
        )
        st.button("Reset filters", on_click=reset_filters, args=(last_year,), key="reset_sidebar")
        st.caption(f"Data current to {package.data_current_to:%d %B %Y}.")

    filters: Filters = st.session_state[FILTERS_KEY]
    wanted = to_query_params(filters, last_year)
    if _current_query_params() != {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)
    for notice in st.session_state.get(NOTICES_KEY, []):
        st.warning(as_text(notice), icon=":material/link_off:")
    return filters


def start_page(title: str) -> Page:
    """Page set-up shared by every page; stops the script with an error page on broken data."""
    # A local file: Material and emoji favicons are fetched from the internet.
    st.set_page_config(page_title=f"{title} · CSTO Monitor", page_icon=str(ICON), layout="wide")
    render_navigation()
    data_key = (str(data_dir()), data_signature(data_dir()))
    try:
        package, incidents, titles, segments = load_cached(*data_key)
    except DataPackageError as error:
        render_data_error(error)
        st.stop()
    filters = render_filters(package)
    return Page(package, incidents, titles, segments, filters, data_key)


def render_empty_result(page: Page, what: str, key: str) -> None:
    """Say that nothing matched, and offer to reset the filters."""
    st.info(f"No {what} match the current filters ({page.filters.describe(page.names)}).")
    st.button("Reset all filters", on_click=reset_filters, args=(page.last_year,), key=key)


def render_download(
    frame: pd.DataFrame, table: str, filters: Filters, key: str, narrowed: bool = False,
    label: str | None = None, data: bytes | None = None,
) -> None:  # fmt: skip
    """A button that downloads exactly `frame` as CSV (`data`: its bytes, if already made)."""
    name = export_filename(table, filters, narrowed)
    st.download_button(
        label or f"Download {len(frame):,} rows as CSV",
        data=download_payload(frame) if data is None else data,
        file_name=name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=f"Saves {name}: UTF-8 CSV, one line per row shown, every column.",
    )
