"""Data & sources: how to cite, coverage, downloads, foreign bases, bibliography and codebook."""

from functools import partial

import pandas as pd
import streamlit as st

from components.coverage import rows_per_decade
from components.downloads import download_csv
from components.export import DEFERRED_DOWNLOAD_ROWS
from components.get_data import (
    render_download_with_documentation,
    render_get_as_data,
    render_how_to_cite,
)
from components.labels import labels_of
from components.page import start_page
from components.query import default_query
from components.schema import tables
from components.tables import filter_package_tables
from components.text import as_text
from components.views import table_csv
from components.widgets import render_download

page = start_page("Data & sources")
package, query = page.package, page.query.shared()
version = str(package.meta.get("version", "unknown"))
current_to = package.data_current_to

st.title("Data & sources")
st.markdown(
    f"Version **{as_text(version)}**, data current to **{current_to:%d %B %Y}**. Licence: data "
    "CC BY 4.0, code MIT. Every row cites at least one source below; where sources disagree, "
    "every value is kept in `contested_values`."
)

render_how_to_cite(page)
render_get_as_data(page)

st.subheader("Coverage")
st.caption(
    "Rows per table and decade (by start or event date). What each table covers and what it "
    "knowingly leaves out is in the codebook (data/README.md, 'Coverage and known gaps')."
)
st.dataframe(rows_per_decade(package), column_config={"_index": "Table"})

st.subheader("Download")
st.caption(
    f"Filtered: only the rows of {as_text(query.describe(page.names))} (sources: those the "
    "filtered rows cite). Full: the whole table as published. Every table with source ids also "
    "gets readable source titles and addresses."
)
render_download_with_documentation(page)
filtered = filter_package_tables(package, query)
everything = default_query(page.last_year)
for table, frame in filtered.items():
    name, rows, cut, whole = st.columns([2, 1, 2, 2], vertical_alignment="center")
    name.markdown(f"`{table}.csv`")
    rows.markdown(f"{len(frame):,} / {len(package[table]):,} rows")
    # Small tables: CSV cached per query. Large ones: written when clicked.
    small = len(package[table]) <= DEFERRED_DOWNLOAD_ROWS
    with cut:
        render_download(
            frame,
            table,
            query,
            key=f"filtered_{table}",
            label="Filtered",
            data=table_csv(page.data_key, table, query)
            if small
            else partial(download_csv, page.loaded, table, query),
        )
    with whole:
        render_download(
            package[table],
            table,
            everything,
            key=f"full_{table}",
            label="Full table",
            data=table_csv(page.data_key, table, None)
            if small
            else partial(download_csv, page.loaded, table, None),
        )

st.subheader("Foreign bases and military presence")
bases = filtered["facilities"]
st.dataframe(
    bases.assign(
        kind=labels_of(bases["kind"]),
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
        "name": "Facility",
        "kind": "Kind",
        "operator": "Operated by",
        "host": "In",
        "place_name": "Place",
        "start_date": st.column_config.DateColumn("From", format="D MMM YYYY"),
        "end_date": st.column_config.DateColumn("Until", format="D MMM YYYY"),
        "term_until": st.column_config.NumberColumn("Agreement runs to", format="%d"),
        "personnel_low": st.column_config.NumberColumn("Personnel (low)"),
        "personnel_high": st.column_config.NumberColumn("Personnel (high)"),
        "agreement": "Agreements",
    },
)

st.subheader("Bibliography")
sources = package["sources"]
st.dataframe(
    sources.assign(kind=labels_of(sources["kind"])),
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("Address")},
)

st.subheader("Codebook in short")
st.caption(
    "Dates are ISO 8601 (YYYY-MM-DD) with a precision column (day, month or year); `;` "
    "separates several codes or ids in one cell; empty means unknown or not applicable."
)
for table in tables().values():
    with st.expander(f"{table.name}.csv: {len(table.fields)} columns"):
        st.text(table.description)
        st.dataframe(
            pd.DataFrame(
                {
                    "column": [f.name for f in table.fields],
                    "kind": [f.kind for f in table.fields],
                    "required": [f.required for f in table.fields],
                    "allowed values": [", ".join(f.allowed) for f in table.fields],
                    "meaning": [f.description for f in table.fields],
                }
            ),
            hide_index=True,
        )
