"""Data & sources: the codebook in short, the bibliography, downloads, and how to cite."""

import pandas as pd
import streamlit as st

from components.export import DEFERRED_DOWNLOAD_ROWS
from components.filters import default_filters
from components.schema import table_fields
from components.tables import filter_package_tables
from components.ui import render_download, start_page
from components.views import table_csv

page = start_page("Data & sources")
package, filters = page.package, page.filters
meta = package.meta

st.title("Data & sources")
st.markdown(
    f"Version **{meta.get('version', '?')}**, data current to "
    f"**{package.data_current_to:%d %B %Y}**. Licence: data CC BY 4.0, code MIT. Every row "
    "cites at least one source below; where sources disagree, both values are kept in "
    "`contested_values`."
)

st.subheader("How to cite")
st.code(
    f"CSTO Monitor contributors ({package.data_current_to.year}). CSTO Monitor data package, "
    f"version {meta.get('version', '?')}, data current to {package.data_current_to}. "
    "Licensed CC BY 4.0.",
    language=None,
    wrap_lines=True,
)

st.subheader("Download")
st.caption(
    f"Filtered: only the rows of {filters.describe(page.names)} (sources: those the filtered rows "
    "cite). Full: the whole table as published."
)
filtered = filter_package_tables(package, filters)
everything = default_filters(page.last_year)
for table, frame in filtered.items():
    name, rows, cut, whole = st.columns([2, 1, 2, 2], vertical_alignment="center")
    name.markdown(f"`{table}.csv`")
    rows.markdown(f"{len(frame):,} / {len(package[table]):,} rows")
    # Small tables: CSV cached per filters. Large ones: written when clicked (data=None).
    small = len(package[table]) <= DEFERRED_DOWNLOAD_ROWS
    cut_bytes = table_csv(page.data_key, table, filters) if small else None
    whole_bytes = table_csv(page.data_key, table, None) if small else None
    with cut:
        render_download(frame, table, filters, key=f"filtered_{table}", label="Filtered",
                        data=cut_bytes)  # fmt: skip
    with whole:
        render_download(package[table], table, everything, key=f"full_{table}",
                        label="Full table", data=whole_bytes)  # fmt: skip

st.subheader("Bibliography")
sources = package["sources"]
st.dataframe(
    sources,
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("Address")},
)

st.subheader("Codebook in short")
st.caption(
    "Dates are ISO 8601 (YYYY-MM-DD) with a precision column (day, month or year); `;` "
    "separates several codes or ids in one cell; empty means unknown or not applicable."
)
for table, fields in table_fields().items():
    with st.expander(f"{table}.csv: {len(fields)} columns"):
        st.dataframe(
            pd.DataFrame(
                {
                    "column": [f.name for f in fields],
                    "kind": [f.kind for f in fields],
                    "required": [f.required for f in fields],
                    "allowed values": [", ".join(f.allowed) for f in fields],
                }
            ),
            hide_index=True,
        )
