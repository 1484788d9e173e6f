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
    render_language_switch,
    render_notices,
    render_shared_controls,
    seed_controls,
    seed_language,
)
from components.data import DataPackage, DataPackageError
from components.i18n import Translator
from components.navigation import PAGES
from components.query import Query, query_options
from components.store import DataKey, Loaded, current_data_key, get_loaded, last_good_key
from components.widgets import CHART_CSS

ICON = Path(__file__).resolve().parent.parent / "static" / "icon.png"


@dataclass(frozen=True)
class Page:
    """What a page needs: the loaded data, the query the controls hold, and the choices."""

    loaded: Loaded
    query: Query
    options: dict[str, dict[str, str]]
    data_key: DataKey
    t: Translator
    names: dict[str, str]  # code -> country name in the page's language

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
    def lang(self) -> str:
        return self.t.lang


def render_navigation(t: Translator) -> None:
    with st.sidebar:
        st.markdown("### CSTO Monitor")
        for spec in PAGES:
            st.page_link(spec.path, label=t.gettext(spec.title), icon=spec.icon)
        st.divider()


def render_data_error(error: DataPackageError, t: Translator) -> None:
    """The error page: every problem, as plain text, and how to check it locally.

    The problems themselves are the validator's messages (file:row:column: message), in English.
    """
    count = len(error.problems)
    st.error(
        t.ngettext(
            "The data package has %(n)s problem(s), so the dashboard cannot show it. Nothing "
            "was changed. Fix the file listed below (row numbers as in a spreadsheet, header = "
            "row 1) and reload this page.",
            "The data package has %(n)s problem(s), so the dashboard cannot show it. Nothing "
            "was changed. Fix the files listed below (row numbers as in a spreadsheet, header = "
            "row 1) and reload this page.",
            count,
        )
    )
    st.code("\n".join(str(p) for p in error.problems), language=None)
    st.caption(t.gettext("The same list comes from `python -m components.validate`."))


def render_stale_notice(error: DataPackageError, t: Translator) -> None:
    """The files changed and now have problems: say so above the last good version."""
    st.warning(
        t.ngettext(
            "The data files were changed and now have %(n)s problem. This page shows the last "
            "version that loaded without problems until it is fixed.",
            "The data files were changed and now have %(n)s problems. This page shows the last "
            "version that loaded without problems until they are fixed.",
            len(error.problems),
        ),
        icon=":material/history:",
    )
    with st.expander(t.gettext("What is wrong with the changed files")):
        st.code("\n".join(str(p) for p in error.problems), language=None)


def start_page(title: str) -> Page:
    """Page set-up shared by every page; stops the script with an error page on broken data.

    `title` is the page's English title (components.navigation), shown translated.
    """
    t = seed_language()
    # A local file: Material and emoji favicons are fetched from the internet.
    st.set_page_config(
        page_title=f"{t.gettext(title)} · CSTO Monitor", page_icon=str(ICON), layout="wide"
    )
    st.html(CHART_CSS)
    switch = st.sidebar.container()  # filled once the link has been read (seed_controls)
    render_navigation(t)
    data_key = current_data_key()
    try:
        loaded = get_loaded(data_key)
    except DataPackageError as error:
        good_key = last_good_key(data_key[0])
        if good_key is None:
            render_language_switch(switch)
            render_data_error(error, t)
            st.stop()
        render_stale_notice(error, t)
        data_key, loaded = good_key, get_loaded(good_key)
    package = loaded.package
    last_year = package.data_current_to.year
    names = t.countries(package.country_names)
    options = query_options(names, t)
    seed_controls(options, last_year, t, package.country_names)
    render_language_switch(switch)
    render_shared_controls(options, last_year, t.date(package.data_current_to), t)
    with st.sidebar:
        render_copy_link(t)
    render_notices(t)
    return Page(loaded, query_from_state(last_year), options, data_key, t, names)
