"""Data & sources, one section at a time: downloads (with the API and how to cite), coverage,
foreign bases, bibliography and codebook."""

import streamlit as st

from components.codebook_view import codebook_headers
from components.controls import BIND, render_open_tab
from components.downloads import download_names, download_query
from components.get_data import (
    render_download_with_documentation,
    render_get_as_data,
    render_how_to_cite,
)
from components.labels import labels_of
from components.page import start_page
from components.query import default_query
from components.tables import filter_facilities
from components.text import as_text
from components.views import (
    codebook,
    coverage,
    csv_download,
    download_row_count,
)
from components.widgets import date_column, described, render_download, render_table

page = start_page("Data & sources")
package, query, t = page.package, page.query.shared(), page.t
version = str(package.meta.get("version", "unknown"))
current_to = package.data_current_to

st.title(t.gettext("Data & sources"))
st.markdown(
    t.gettext(
        "Version **%(version)s**, data current to **%(date)s**. Licence: data CC BY 4.0, code "
        "MIT. Every row cites at least one source (see Bibliography); where sources disagree, "
        "every value is kept in `contested_values`.",
        version=as_text(version),
        date=t.date(current_to),
    )
)


def render_downloads() -> None:
    """The documented archive of the view; any one table filtered and whole, with its API
    addresses; the citation."""
    render_download_with_documentation(page)
    # One table at a time: a row of buttons per table was most of the time to open this page.
    names = download_names()
    table = st.selectbox(
        t.gettext("Table"),
        names,
        index=names.index("incidents"),
        key="table",
        bind=BIND,
        width=320,
    )
    table_query = download_query(table, page.query)
    st.caption(
        t.gettext(
            "Filtered: only the rows of %(filters)s (sources: those the filtered rows cite). "
            "Full: the whole table as published. Every table with source ids also gets readable "
            "source titles and addresses.",
            filters=described(table_query, page.names, t),
        )
        + (
            " " + t.gettext("The Incidents page's filters narrow these rows too.")
            if table_query.narrowed
            else ""
        )
        + (
            ""
            if page.lang == "en"
            else " "
            + t.gettext(
                "Column names and codes stay in English; Russian names of states and events are "
                "added beside the English ones (columns ending in `_ru`)."
            )
        )
    )
    shown = download_row_count(page.data_key, table, table_query)
    total = download_row_count(page.data_key, table, None)
    rows = t.ngettext(
        "%(shown)s / %(n)s row", "%(shown)s / %(n)s rows", total, shown=t.number(shown)
    )
    st.caption(f"`{table}.csv` · {rows}")
    with st.container(horizontal=True):
        render_download(
            shown,
            table,
            table_query,
            key=f"filtered_{table}",
            t=t,
            label=t.gettext("Filtered"),
            data=csv_download(page.data_key, table, table_query, shown, page.lang),
        )
        render_download(
            total,
            table,
            default_query(page.last_year),
            key=f"full_{table}",
            t=t,
            label=t.gettext("Full table"),
            data=csv_download(page.data_key, table, None, total, page.lang),
        )
    render_get_as_data(page, table)
    render_how_to_cite(page)


def render_coverage() -> None:
    st.caption(
        t.gettext(
            "Rows per table and decade (by start or event date). What each table covers and what "
            "it knowingly leaves out is in the codebook (data/README.md, 'Coverage and known "
            "gaps')."
        )
    )
    render_table(
        coverage(page.data_key, page.lang),
        column_config={"_index": t.gettext("Table")},
    )


def render_bases() -> None:
    bases = filter_facilities(package["facilities"], query)
    render_table(
        bases.assign(
            name=t.names(bases["name"], bases["name_ru"]),
            kind=labels_of(bases["kind"], t),
            operator=bases["operator_iso3"].map(page.names),
            host=bases["host_iso3"].map(page.names),
        )[
            [
                "name",
                "kind",
                "operator",
                "host",
                "place_name",
                "start_date",
                "end_date",
                "term_until",
                "personnel_low",
                "personnel_high",
                "agreement",
            ]
        ],
        hide_index=True,
        column_config={
            "name": t.gettext("Facility"),
            "kind": t.pgettext("facility", "Kind"),
            "operator": t.gettext("Operated by"),
            "host": t.gettext("In"),
            "place_name": t.in_english(t.gettext("Place")),
            "start_date": date_column(t.gettext("From"), t),
            "end_date": date_column(t.gettext("Until"), t),
            "term_until": st.column_config.NumberColumn(
                t.gettext("Agreement runs to"), format="%d"
            ),
            "personnel_low": st.column_config.NumberColumn(t.gettext("Personnel (low)")),
            "personnel_high": st.column_config.NumberColumn(t.gettext("Personnel (high)")),
            "agreement": t.in_english(t.gettext("Agreements")),
        },
    )


def render_sources() -> None:
    sources = package["sources"]
    render_table(
        sources.assign(kind=labels_of(sources["kind"], t)),
        hide_index=True,
        column_config={
            "source_id": t.gettext("Id"),
            "title": t.gettext("Title"),
            "author": t.gettext("Author"),
            "publisher": t.gettext("Publisher"),
            "published_date": t.gettext("Published"),
            "url": st.column_config.LinkColumn(t.gettext("Address")),
            "kind": t.pgettext("source", "Kind"),
            "note": t.in_english(t.gettext("Note")),
        },
    )


def render_codebook() -> None:
    st.caption(
        t.gettext(
            "Dates are ISO 8601 (YYYY-MM-DD) with a precision column (day, month or year); `;` "
            "separates several codes or ids in one cell; empty means unknown or not applicable."
        )
    )
    descriptions, columns = codebook(page.lang)
    render_table(descriptions, hide_index=True, column_config=codebook_headers(t))
    render_table(columns, hide_index=True, column_config=codebook_headers(t))


render_open_tab(
    "section",
    {
        "download": render_downloads,
        "coverage": render_coverage,
        "bases": render_bases,
        "sources": render_sources,
        "codebook": render_codebook,
    },
    t,
)
