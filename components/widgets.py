"""Small Streamlit pieces shared by pages: downloads and empty results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.controls import reset_query
from components.export import export_filename, neutralise_frame
from components.figures import make_map_legend
from components.i18n import ENGLISH, Translator, translator
from components.query import Query
from components.text import as_text


def render_empty_result(message: str, last_year: int, key: str, t: Translator) -> None:
    """Say that nothing matched (`message`, Markdown, data text already escaped), and offer to
    reset the filters."""
    st.info(message, icon=":material/search_off:")
    st.button(t.gettext("Reset all filters"), on_click=reset_query, args=(last_year,), key=key)


def described(query: Query, names: dict[str, str], t: Translator) -> str:
    """The query's years and countries as a phrase, escaped for Markdown."""
    return as_text(query.describe(names, t))


def render_download(
    rows: int,
    table: str,
    query: Query,
    key: str,
    data: bytes | Callable[[], bytes],
    label: str | None = None,
    t: Translator = ENGLISH,
) -> None:
    """A button that downloads `table`'s `rows` rows for `query` as CSV (`data`: its bytes, or a
    function that writes them when clicked: views.csv_download)."""
    name = export_filename(table, query)
    st.download_button(
        label or t.ngettext("Download %(n)s row as CSV", "Download %(n)s rows as CSV", rows),
        data=data,
        file_name=name,
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=t.gettext(
            "Saves %(file)s: UTF-8 CSV, one line per row shown, every column.", file=name
        ),
    )


def render_table(frame: pd.DataFrame, **kwargs: Any) -> object:
    """st.dataframe of exactly `frame`, text cells neutralised like our CSVs.

    The table's own toolbar can export what it shows as CSV, so what it shows must be safe to
    open in a spreadsheet too. Pass only the columns to show: hidden columns can be revealed.
    """
    return st.dataframe(neutralise_frame(frame), placeholder="—", **kwargs)


MAP_CONFIG = {"displayModeBar": False, "scrollZoom": True}
# Chart text in the page's own text colour, so it reads on the light and the dark theme and
# follows a change of theme at once. Hover labels keep plotly's colours, chosen to contrast with
# the point under them. start_page adds this to every page.
CHART_CSS = (
    "<style>.stPlotlyChart svg text:not(.hoverlayer text){fill:currentColor!important}</style>"
)


def render_chart(figure: go.Figure, key: str, config: dict[str, Any]) -> None:
    """A figure from components.figures, drawn as built: it styles itself for both themes.

    Streamlit's theme is off because applying it after the chart is on the page makes plotly
    draw the whole figure twice (see figures._unvalidated_figure).
    """
    st.plotly_chart(figure, config=config, key=key, theme=None)


def render_map(
    figure: go.Figure, key: str, bases: bool, scroll_zoom: bool = True, t: Translator = ENGLISH
) -> None:
    """A map with its legend under it (a still figure of its own: never over the map)."""
    render_chart(figure, key, {**MAP_CONFIG, "scrollZoom": scroll_zoom})
    render_chart(
        map_legend(bases, t.lang),
        f"{key}_legend",
        {"staticPlot": True, "displayModeBar": False},
    )


@st.cache_resource(show_spinner=False)
def map_legend(bases: bool, lang: str) -> go.Figure:
    return make_map_legend(bases, translator(lang))


def date_column(title: str, t: Translator) -> object:
    """A date column: "22 Feb 2024" in English, 22.02.2024 in Russian (the grid's own month
    names are English only)."""
    return st.column_config.DateColumn(
        title, format="D MMM YYYY" if t.lang == "en" else "DD.MM.YYYY"
    )
