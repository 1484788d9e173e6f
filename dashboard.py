"""CSTO Monitor: the Overview page, and the entry point (`streamlit run dashboard.py`)."""

import streamlit as st

from components.incidents import (
    fatality_totals,
    filter_incidents,
    recent_events_markdown,
    status_counts,
)
from components.status import status_on
from components.ui import render_empty_result, start_page
from components.views import date_map

page = start_page("Overview")
package, filters = page.package, page.filters
today = package.data_current_to

st.title("CSTO Monitor")
st.markdown(
    "The Collective Security Treaty Organization as data: who was a member when, who left or "
    "froze their participation, where the alliance deployed forces, and which clashes in or "
    "between member states it answered or ignored. Every row cites its sources."
)

status = status_on(package["members"], package["withdrawals"], today, page.names)
counts = status_counts(status)
shown = filter_incidents(page.incidents, filters)
clashes = shown[shown["category"] == "clash"]
low, high, unknown = fatality_totals(clashes)

st.subheader(f"The alliance on {today:%d %B %Y}")
columns = st.columns(3)
columns[0].metric(
    "Members", counts.get("member", 0), help="Inside a membership spell, participating."
)
columns[1].metric(
    "Participation frozen or suspended",
    counts.get("participation_frozen", 0) + counts.get("participation_suspended", 0),
    help="Still parties to the treaty, but not taking part.",
)
columns[2].metric("Former members", counts.get("former_member", 0))

st.subheader(f"Events in {filters.describe(page.names)}")
columns = st.columns(3)
columns[0].metric("Deployments and exercises", int((shown["category"] == "deployment").sum()))
columns[1].metric("Clashes and crises", len(clashes))
columns[2].metric(
    "Fatalities in those clashes",
    f"{low:,}–{high:,}" if low != high else f"{low:,}",
    help=f"Sum of the sourced low and high estimates; {unknown} clash(es) have no figure.",
)

left, right = st.columns([3, 2])
with left:
    st.plotly_chart(
        date_map(page.data_key, filters, today, height=430),
        config={"displayModeBar": False, "scrollZoom": False},
        key="overview_map",
    )
    st.caption("Status today; points are the events in the selected years. The Map page has more.")
with right:
    st.markdown("**Most recent events**")
    if shown.empty:
        render_empty_result(page, "events", key="overview_reset")
    else:
        st.markdown(recent_events_markdown(shown.head(8)))
st.caption(f"Data current to {today:%d %B %Y}. Sources and licence: see Data & sources.")
