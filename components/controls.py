"""The controls that make the query, bound to the address with Streamlit's query-parameter binding.

Every control's key is its link parameter (components.query), so the address always holds the
view. On a session's first run the link is parsed once with `parse_query` (the same parser the API
uses): it accepts codes and words, old parameter names and hostile input, seeds every control and
leaves plain-text notices about what it could not use. After that the controls write the address.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from components.query import (
    CHOICE_PARAMS,
    FIRST_YEAR,
    MAX_TEXT,
    TEXT_PARAM,
    YEARS_PARAM,
    Query,
    default_query,
    parse_query,
)
from components.text import as_text

SEEDED_KEY = "_link_seeded"
NOTICES_KEY = "_link_notices"
# The pages' own view parameters: known to every page, so no page calls them unknown.
VIEW_PARAMS = ("mode", "year", "on", "layers", "tab", "events")
BIND = "query-params"

Options = Mapping[str, Mapping[str, str]]


def write_query(query: Query) -> None:
    """Put `query` into the controls' state (callbacks and the first run only)."""
    st.session_state[YEARS_PARAM] = (query.year_from, query.year_to)
    for name, field in CHOICE_PARAMS.items():
        st.session_state[name] = list(getattr(query, field))
    st.session_state[TEXT_PARAM] = query.text


def seed_from_link(options: Options, last_year: int) -> None:
    """On a session's first run, let the link decide every control (once)."""
    if st.session_state.get(SEEDED_KEY):
        return
    st.session_state[SEEDED_KEY] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    query, notices = parse_query(params, options, last_year, VIEW_PARAMS)
    st.session_state[NOTICES_KEY] = notices
    write_query(query)


def query_from_state(last_year: int) -> Query:
    """The query the controls hold now (defaults for controls not shown on this page)."""
    state = st.session_state
    first, last = state.get(YEARS_PARAM, (FIRST_YEAR, last_year))
    chosen = {field: tuple(state.get(name, ())) for name, field in CHOICE_PARAMS.items()}
    return Query(
        min(first, last),
        max(first, last),
        text=str(state.get(TEXT_PARAM, ""))[:MAX_TEXT],
        **chosen,
    )


def _clear_notices() -> None:
    st.session_state[NOTICES_KEY] = []


def reset_query(last_year: int) -> None:
    """Back to every year, every country, nothing narrowed (a button callback)."""
    write_query(default_query(last_year))
    _clear_notices()


def render_notices() -> None:
    """What the link asked for that could not be used, as plain text."""
    for notice in st.session_state.get(NOTICES_KEY, []):
        st.warning(as_text(notice), icon=":material/link_off:")


def render_shared_controls(options: Options, last_year: int, current_to: str) -> None:
    """Sidebar: years and countries, shared by every page."""
    countries = options["countries"]
    with st.sidebar:
        st.markdown("**Filters** · shared by every page")
        st.slider(
            "Years",
            min_value=FIRST_YEAR,
            max_value=last_year,
            value=(FIRST_YEAR, last_year),
            key=YEARS_PARAM,
            bind=BIND,
            on_change=_clear_notices,
            help="Events that touch any of these years.",
        )
        st.multiselect(
            "Countries",
            options=list(countries),
            format_func=countries.get,
            key="country",
            bind=BIND,
            on_change=_clear_notices,
            placeholder="All countries",
            help="Events that involve any of the selected states.",
        )
        st.button("Reset filters", on_click=reset_query, args=(last_year,), key="reset_sidebar")
        st.caption(f"Data current to {current_to}.")


def render_choice(
    container: object, name: str, title: str, options: Options, placeholder: str
) -> None:
    """A multiselect for one coded filter of the query, bound to its link parameter."""
    choices = options[CHOICE_PARAMS[name]]
    container.multiselect(  # type: ignore[attr-defined]
        title,
        options=list(choices),
        format_func=choices.get,
        key=name,
        bind=BIND,
        placeholder=placeholder,
    )


def render_text_search(container: object, title: str) -> None:
    container.text_input(title, key=TEXT_PARAM, bind=BIND, max_chars=MAX_TEXT)  # type: ignore[attr-defined]


def current_link() -> str:
    """The address of this view (the page and every bound control), for sharing."""
    base = st.context.url or ""
    values = {key: st.query_params.get_all(key) for key in st.query_params}
    query = urlencode(values, doseq=True)
    return f"{base}?{query}" if query else base


def render_copy_link() -> None:
    """A control that shows this view's address with a copy button."""
    with st.popover("Copy link", icon=":material/link:"):
        st.caption("This address reopens exactly this view.")
        st.code(current_link(), language=None, wrap_lines=True)
