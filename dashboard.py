"""CSTO Monitor: the Overview page, and the main script that app.py serves (scripts/start)."""

from dataclasses import replace

import streamlit as st

from components.incidents import fatality_totals, filter_incidents, recent_events_markdown
from components.labels import label
from components.membership import status_on
from components.navigation import page_by_title
from components.page import start_page
from components.query import to_params
from components.text import as_text
from components.views import status_map
from components.widgets import render_empty_result, render_map

page = start_page("Overview")
package, query = page.package, page.query.shared()
today = package.data_current_to
incidents_page = page_by_title("Incidents").path

st.title("CSTO Monitor")
st.markdown(
    "The Collective Security Treaty Organization as data: who was a member when, who left or "
    "froze their participation, where the alliance deployed forces, and which clashes in or "
    "between member states it answered or ignored. Every row cites its sources."
)

status = status_on(page.loaded.history, today, page.names)
counts = status["status"].astype(str).value_counts()
shown = filter_incidents(page.incidents, query)
clashes = shown[shown["category"] == "clash"]
deployments = shown[shown["category"] == "deployment"]
deaths = fatality_totals(clashes, query.year_from, query.year_to)

st.subheader(f"The alliance on {today:%d %B %Y}")
columns = st.columns(3)
columns[0].metric("Members", int(counts.get("member", 0)), help="Inside a spell, participating.")
columns[1].metric(
    "Participation frozen or suspended",
    int(counts.get("participation_frozen", 0) + counts.get("participation_suspended", 0)),
    help="Still parties to the treaty, but not taking part.",
)
columns[2].metric("Former members", int(counts.get("former_member", 0)))
standing = status[status["status"].astype(str) != "never_member"].sort_values("since")
st.caption(
    as_text(
        "; ".join(
            f"{page.names.get(code, code)}: {label(s).lower()} since {since:%d %b %Y}"
            for code, s, since in zip(
                standing["country_iso3"],
                standing["status"].astype(str),
                standing["since"],
                strict=True,
            )
        )
    )
)


def link_to_incidents(kind: str, text: str) -> None:
    """A link to the Incidents page showing exactly the rows a number counts."""
    params = to_params(replace(query, categories=(kind,)), page.last_year, page.options)
    st.page_link(incidents_page, label=text, icon=":material/table:", query_params=params)


st.subheader(f"Events in {as_text(query.describe(page.names))}")
columns = st.columns(3)
with columns[0]:
    st.metric("Deployments and exercises", len(deployments))
    link_to_incidents("deployment", "See these deployments")
with columns[1]:
    st.metric("Clashes and crises", len(clashes))
    link_to_incidents("clash", "See these clashes")
with columns[2]:
    figure = f"{deaths.low:,}" if deaths.low == deaths.high else f"{deaths.low:,}–{deaths.high:,}"
    st.metric(
        f"Deaths in clashes that began in {query.years_text()}",
        figure,
        help="Sum of the sourced low and high estimates (a single figure counts for both).",
    )
    st.caption(
        f"Counts the {deaths.counted} clashes that began in these years and have a figure; "
        f"{deaths.without_figure} more have none, and {deaths.begun_earlier} under way "
        "but begun earlier are not counted (their deaths cannot be split by year)."
    )

left, right = st.columns([3, 2])
with left:
    render_map(
        status_map(page.data_key, query, today, None, True, height=430),
        "overview_map",
        bases=True,
        scroll_zoom=False,
    )
    st.caption("Status today; points are the events in the selected years. The Map page has more.")
with right:
    st.markdown("**Most recent events**")
    if shown.empty:
        render_empty_result(query, page.names, page.last_year, "events", key="overview_reset")
    else:
        st.markdown(recent_events_markdown(shown.head(8)))
st.caption(f"Data current to {today:%d %B %Y}. Sources and licence: see Data & sources.")
