"""Timeline: membership spells per state, partial participation, milestones and events."""

import streamlit as st

from components.tables import filter_segments, filter_withdrawals
from components.ui import render_download, render_empty_result, start_page
from components.views import timeline

page = start_page("Timeline")
package, filters = page.package, page.filters

st.title("Timeline")
st.caption(
    "Bars: membership spells (hatched where participation was frozen or suspended). Diamonds: "
    "steps that reduced a state's participation. Stars: the alliance's milestones. Dots: "
    "deployments and clashes involving the state."
)
segments = filter_segments(page.segments, filters)
steps = filter_withdrawals(package["withdrawals"], filters)

if segments.empty:
    render_empty_result(page, "member states", key="timeline_reset")
else:
    st.plotly_chart(timeline(page.data_key, filters), config={"displayModeBar": False},
                    key="timeline")  # fmt: skip

st.subheader("Steps that reduced participation")
if steps.empty:
    st.info("No withdrawal steps in the selected years and countries.")
else:
    table = steps.assign(country=steps["country_iso3"].map(page.names))
    st.dataframe(
        table[["step_date", "country", "kind", "status_after", "actor", "statement", "source_ids"]],
        hide_index=True,
        column_config={"step_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD")},
    )
    render_download(steps, "withdrawals", filters, key="timeline_steps_download")
