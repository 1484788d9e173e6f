"""The controls that make the query, bound to the address with Streamlit's query-parameter binding.

Every control's key is its link parameter (components.query), so the address always holds the
view. On a session's first run the link is parsed once with `parse_query` (the same parser the API
uses): it accepts codes and words, old parameter names and hostile input, seeds every control,
rewrites the address in its canonical form, and leaves plain-text notices about what it could not
use. After that the controls write the address themselves.

Streamlit drops a widget's state when another page runs, so the session also keeps the query
(`QUERY_KEY`), updated by the controls' callbacks, and puts it back into the controls at the top
of every run: the filters survive page switches.

The language is a control too (`lang=ru`), kept the same way (`LANG_KEY`). Bound controls write
the words they show, so a link holds the words of its language; links in either language (and
codes) are read by `parse_link`, and the pages' own worded parameters (`VIEW_CHOICES`) are put
into the current language before their controls read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from components.downloads import download_names
from components.i18n import (
    LANGUAGES,
    N_,
    SOURCE_LANGUAGE,
    Translator,
    all_translators,
    pick_language,
    translator,
)
from components.incident_view import row_position
from components.labels import LABELS
from components.query import (
    CHOICE_PARAMS,
    FIRST_YEAR,
    MAX_TEXT,
    TEXT_PARAM,
    YEARS_PARAM,
    Notice,
    Query,
    accepts,
    default_query,
    link_words,
    not_listed,
    parse_link,
    to_params,
)
from components.schema import allowed_codes
from components.text import as_text

QUERY_KEY = "_query"
NOTICES_KEY = "_link_notices"
LANG_PARAM = "lang"
LANG_KEY = "_lang"
# The Incidents row whose details are shown, by its id: part of the view, so a link reopens it.
INCIDENT_PARAM: Final = "incident"
# The pages' own view parameters: known to every page, so no page calls them unknown.
VIEW_PARAMS = (
    "mode",
    "year",
    "on",
    "layers",
    "tab",
    "section",
    "table",
    "events",
    INCIDENT_PARAM,
    LANG_PARAM,
)
# The view parameters whose values are words: code -> English words, per parameter.
EVENT_KINDS = (
    allowed_codes("clashes", "kind")
    + allowed_codes("deployments", "kind")
    + allowed_codes("milestones", "kind")
)
VIEW_CHOICES: dict[str, dict[str, str]] = {
    "mode": {"years": N_("Through the years"), "date": N_("On a date")},
    "tab": {"incidents": N_("All incidents"), "requests": N_("Requests for help")},
    "section": {
        "download": N_("Download"),
        "coverage": N_("Coverage"),
        "bases": N_("Foreign bases"),
        "sources": N_("Bibliography"),
        "codebook": N_("Codebook"),
    },
    "events": {code: LABELS[code] for code in EVENT_KINDS},
}
# View parameters whose controls hold the words themselves (tabs), not codes.
WORDED_VIEWS = ("tab", "section")
BIND: Final = "query-params"

Options = Mapping[str, Mapping[str, str]]


def write_query(query: Query) -> None:
    """Keep `query` for the session and put it into the controls (before they are drawn)."""
    st.session_state[QUERY_KEY] = query
    st.session_state[YEARS_PARAM] = (query.year_from, query.year_to)
    for name, field in CHOICE_PARAMS.items():
        st.session_state[name] = list(getattr(query, field))
    st.session_state[TEXT_PARAM] = query.text


def browser_locale() -> str | None:
    """The browser's language (navigator.language), e.g. "ru-RU"; None when not known."""
    return st.context.locale


def seed_language() -> Translator:
    """The session's language, put into the switch; on the first run from the link or browser."""
    lang = st.session_state.get(LANG_KEY)
    if lang not in LANGUAGES:
        lang = pick_language(st.query_params.get_all(LANG_PARAM), browser_locale())
        st.session_state[LANG_KEY] = lang
    st.session_state[LANG_PARAM] = lang
    return translator(lang)


def view_words(param: str, t: Translator) -> dict[str, str]:
    """A worded view parameter's codes and the words shown for them in `t`'s language."""
    return {code: t.gettext(english) for code, english in VIEW_CHOICES[param].items()}


def render_open_tab(param: str, tabs: Mapping[str, Callable[[], None]], t: Translator) -> None:
    """Tabs worded in `t`'s language and bound to the link as `param` (VIEW_CHOICES), of which
    only the open one is drawn: `tabs` maps each code to the function that draws its tab.

    Hidden tabs' elements cost as much to draw as shown ones: a page pays for one tab only.
    """
    words = view_words(param, t)
    shown = st.tabs([words[code] for code in tabs], key=param, bind=BIND)
    for render, tab in zip(tabs.values(), shown, strict=True):
        if tab.open:
            with tab:
                render()


def view_values() -> dict[str, set[str]]:
    """The values, casefolded, that the pages' choice-like view parameters accept: the codes
    and words of every language of the worded ones, and the names of the tables to download."""
    accepted = {
        param: {w.casefold() for code in codes for w in (code, *_all_words(param, code))}
        for param, codes in VIEW_CHOICES.items()
    }
    accepted["table"] = set(download_names())
    return accepted


def _view_code(param: str, value: str) -> str | None:
    """The code a worded view parameter's value names, in any language (None if none)."""
    wanted = value.strip().casefold()
    for code in VIEW_CHOICES[param]:
        words = {code.casefold(), *(w.casefold() for w in _all_words(param, code))}
        if wanted in words:
            return code
    return None


def _all_words(param: str, code: str) -> list[str]:
    return [t.gettext(VIEW_CHOICES[param][code]) for t in all_translators()]


def translate_view_params(
    params: Mapping[str, list[str]], t: Translator, accepted: Mapping[str, set[str]]
) -> dict[str, list[str]]:
    """The link's view parameters, worded ones in `t`'s language. A choice-like parameter's
    values that are not `accepted` (view_values) are left out (the link's notice names them),
    so the address, and the link shared from it, holds only what the view shows."""
    view: dict[str, list[str]] = {}
    for key in VIEW_PARAMS:
        if key not in params or key == LANG_PARAM:
            continue
        values = list(params[key])
        if key in accepted:
            values = [v for v in values if accepts(accepted[key], v)]
            if not values:
                continue
        if key in VIEW_CHOICES:
            words = view_words(key, t)
            values = [words.get(_view_code(key, v) or "", v) for v in values]
        view[key] = values
    if t.lang != SOURCE_LANGUAGE:
        view[LANG_PARAM] = [t.lang]
    return view


def seed_controls(
    options: Options, last_year: int, t: Translator, english_names: Mapping[str, str]
) -> None:
    """Put the session's query into the controls; on its first run, take it from the link."""
    saved = st.session_state.get(QUERY_KEY)
    if saved is not None:
        write_query(saved)
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    accepted = view_values()
    query, notices = parse_link(
        params, options, last_year, VIEW_PARAMS, link_words(english_names), accepted
    )
    st.session_state[NOTICES_KEY] = notices
    write_query(query)
    # The address in the controls' own form (nothing is bound yet on a session's first run).
    view = translate_view_params(params, t, accepted)
    st.query_params.from_dict({**view, **to_params(query, last_year, options)})
    _controls_start_from_this_address()


def _controls_start_from_this_address() -> None:
    """Make the rewritten address the one bound controls start from.

    Bound controls check the address the page was opened with and drop values they cannot read
    (such as `country=ARM`, a code, where the control shows names), which would also drop the
    rewritten value. Streamlit resets that starting address the same way after a page switch.
    """
    ctx = get_script_run_ctx()
    if ctx is not None:
        with ctx.session_state.query_params() as params:
            params.set_initial_query_params_from_current()


def query_from_state(last_year: int) -> Query:
    """The query the controls hold now."""
    state = st.session_state
    first, last = state.get(YEARS_PARAM, (FIRST_YEAR, last_year))
    chosen = {field: tuple(state.get(name, ())) for name, field in CHOICE_PARAMS.items()}
    text = str(state.get(TEXT_PARAM, ""))[:MAX_TEXT]
    return Query(min(first, last), max(first, last), text=text, **chosen)


def _save_controls(last_year: int) -> None:
    """A control changed: keep the new query for the session (a callback)."""
    st.session_state[QUERY_KEY] = query_from_state(last_year)
    st.session_state[NOTICES_KEY] = []


def reset_query(last_year: int) -> None:
    """Back to every year, every country, nothing narrowed (a button callback)."""
    write_query(default_query(last_year))
    st.session_state[NOTICES_KEY] = []


def _switch_language() -> None:
    """The language changed (a callback): keep it, and reword the worded view controls.

    Controls that hold codes are written again so that their address follows the new words;
    a control that holds words (tabs) gets the new language's words for the same choice.
    """
    state = st.session_state
    lang = state.get(LANG_PARAM) or SOURCE_LANGUAGE
    state[LANG_KEY] = lang
    t = translator(lang)
    for key in VIEW_CHOICES:
        if key not in state:
            continue
        value = state[key]
        if key in WORDED_VIEWS and isinstance(value, str):
            code = _view_code(key, value)
            state[key] = view_words(key, t)[code] if code else value
        else:
            state[key] = value


def render_language_switch(container: DeltaGenerator) -> None:
    """English or Russian, bound to `lang` in the address."""
    with container:
        st.segmented_control(
            "Language · Язык",
            options=list(LANGUAGES),
            default=SOURCE_LANGUAGE,
            required=True,
            key=LANG_PARAM,
            bind=BIND,
            on_change=_switch_language,
            help=" · ".join(LANGUAGES.values()),
        )


def render_notices(t: Translator) -> None:
    """What the link asked for that could not be used, as plain text."""
    for notice in st.session_state.get(NOTICES_KEY, []):
        render_notice(notice, t)


def render_notice(notice: Notice, t: Translator) -> None:
    """One thing a link asked for that could not be used, as plain text."""
    st.warning(as_text(notice.text(t)), icon=":material/link_off:")


def render_shared_controls(
    options: Options, last_year: int, current_to: str, t: Translator
) -> None:
    """Sidebar: years and countries, shared by every page."""
    countries = options["countries"]
    with st.sidebar:
        st.markdown(t.gettext("**Filters** · shared by every page"))
        st.slider(
            t.gettext("Years"),
            min_value=FIRST_YEAR,
            max_value=last_year,
            value=(FIRST_YEAR, last_year),
            key=YEARS_PARAM,
            bind=BIND,
            on_change=_save_controls,
            args=(last_year,),
            help=t.gettext("Events that touch any of these years."),
        )
        st.multiselect(
            t.gettext("Countries"),
            options=list(countries),
            format_func=countries.__getitem__,
            key="country",
            bind=BIND,
            on_change=_save_controls,
            args=(last_year,),
            placeholder=t.gettext("All countries"),
            help=t.gettext("Events that involve any of the selected states."),
        )
        st.button(
            t.gettext("Reset filters"),
            on_click=reset_query,
            args=(last_year,),
            key="reset_sidebar",
        )
        st.caption(t.gettext("Data current to %(date)s.", date=current_to))


def render_choice(
    container: DeltaGenerator,
    name: str,
    title: str,
    options: Options,
    last_year: int,
    t: Translator,
) -> None:
    """A multiselect for one coded filter of the query, bound to its link parameter."""
    choices = options[CHOICE_PARAMS[name]]
    container.multiselect(
        title,
        options=list(choices),
        format_func=choices.__getitem__,
        key=name,
        bind=BIND,
        on_change=_save_controls,
        args=(last_year,),
        placeholder=t.gettext("Any"),
    )


def render_text_search(container: DeltaGenerator, title: str, last_year: int) -> None:
    """The free-text filter of the query, bound to its link parameter."""
    container.text_input(
        title,
        key=TEXT_PARAM,
        bind=BIND,
        max_chars=MAX_TEXT,
        on_change=_save_controls,
        args=(last_year,),
    )


def current_link() -> str:
    """The address of this view (the page and every bound control), for sharing."""
    base = st.context.url or ""
    values = {key: st.query_params.get_all(key) for key in st.query_params}
    query = urlencode(values, doseq=True)
    return f"{base}?{query}" if query else base


def linked_row(ids: pd.Series, param: str, t: Translator) -> int | None:
    """The position in `ids` of the row that the link's `param` names (None if it names none).

    A value that is not among `ids` is shown in a plain-text notice and taken out of the link."""
    wanted = st.query_params.get(param)
    if wanted is None:
        return None
    position = row_position(ids, wanted)
    if position is None:
        render_notice(not_listed(param, wanted), t)
        del st.query_params[param]
    return position


def link_row(param: str, row_id: str | None) -> None:
    """Put the id of the row picked in a table into the link as `param` (or take it out)."""
    if row_id is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != row_id:
        st.query_params[param] = row_id


def render_copy_link(t: Translator) -> None:
    """A control that shows this view's address with a copy button."""
    with st.popover(t.gettext("Copy link"), icon=":material/link:"):
        st.caption(t.gettext("This address reopens exactly this view."))
        st.code(current_link(), language=None, wrap_lines=True)
