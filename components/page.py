"""What every page does first: set up, load the data, draw navigation and the shared controls.

Every page file starts with `page = start_page(title)`. It shows an error page instead of a
traceback when the data is broken, and works the same whichever page a visitor opens first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components.controls import (
    query_from_state,
    render_copy_link,
    render_notices,
    render_shared_controls,
    seed_controls,
)
from components.data import DataPackage, DataPackageError
from components.navigation import PAGES
from components.query import Query, query_options
from components.store import (
    DataKey,
    Loaded,
    current_data_key,
    get_loaded,
    last_good_key,
    render_data_error,
    render_stale_notice,
)

ICON = Path(__file__).resolve().parent.parent / "static" / "icon.png"


@dataclass(frozen=True)
class Page:
    """What a page needs: the loaded data, the query the controls hold, and the choices."""

    loaded: Loaded
    query: Query
    options: dict[str, dict[str, str]]
    data_key: DataKey

    @property
    def package(self) -> DataPackage:
        return self.loaded.package

    @property
    def incidents(self) -> pd.DataFrame:
        return self.loaded.incidents

    @property
    def last_year(self) -> int:
        return self.package.data_current_to.year

    @property
    def names(self) -> dict[str, str]:
        return self.package.country_names


def render_navigation() -> None:
    with st.sidebar:
        st.markdown("### CSTO Monitor")
        for spec in PAGES:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)
        st.divider()


def start_page(title: str) -> Page:
    """Page set-up shared by every page; stops the script with an error page on broken data."""
    # A local file: Material and emoji favicons are fetched from the internet.
    st.set_page_config(page_title=f"{title} · CSTO Monitor", page_icon=str(ICON), layout="wide")
    render_navigation()
    data_key = current_data_key()
    try:
        loaded = get_loaded(data_key)
    except DataPackageError as error:
        good_key = last_good_key(data_key[0])
        if good_key is None:
            render_data_error(error)
            st.stop()
        render_stale_notice(error)
        data_key, loaded = good_key, get_loaded(good_key)
    package = loaded.package
    last_year = package.data_current_to.year
    options = query_options(package.country_names)
    seed_controls(options, last_year)
    render_shared_controls(options, last_year, f"{package.data_current_to:%d %B %Y}")
    with st.sidebar:
        render_copy_link()
    render_notices()
    return Page(loaded, query_from_state(last_year), options, data_key)
