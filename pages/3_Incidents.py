"""Incidents: deployments and clashes in one filterable table, and the requests for help."""

from functools import partial

import streamlit as st

from components.controls import render_choice, render_text_search
from components.downloads import download_csv
from components.export import DEFERRED_DOWNLOAD_ROWS
from components.incident_view import (
    INCIDENT_HEADERS,
    REQUEST_HEADERS,
    contingents_for_screen,
    incidents_for_screen,
    requests_for_screen,
)
from components.incidents import filter_incidents, make_requests, source_links
from components.page import start_page
from components.text import as_text
from components.views import incidents_csv
from components.widgets import render_download, render_empty_result, render_table

# A browser table of more rows than this is slow to send and no easier to read.
MAX_TABLE_ROWS = 5_000
DATE = st.column_config.DateColumn(format="D MMM YYYY")

page = start_page("Incidents")
package, query = page.package, page.query
incidents = page.incidents

st.title("Incidents")
st.caption(
    f"Shared filters: {as_text(query.describe(page.names))}. Narrow further below; click a "
    "column header to sort, a row to see all its sources."
)
with st.container(border=True):
    first, second, third = st.columns(3)
    render_choice(first, "type", "Type", page.options, page.last_year)
    render_choice(second, "kind", "Kind", page.options, page.last_year)
    render_text_search(third, "Search names, places and notes", page.last_year)
    first, second, third, fourth = st.columns(4)
    render_choice(first, "requested", "Help requested?", page.options, page.last_year)
    render_choice(second, "asked", "Asked whom", page.options, page.last_year)
    render_choice(third, "response", "Alliance response", page.options, page.last_year)
    render_choice(fourth, "members", "Members involved (clashes)", page.options, page.last_year)

shown = filter_incidents(incidents, query)
table_tab, requests_tab = st.tabs(
    ["All incidents", "Requests for help"], key="tab", bind="query-params"
)
with table_tab:
    st.markdown(f"**{len(shown):,}** of {len(incidents):,} incidents")
    if shown.empty:
        render_empty_result(query, page.names, page.last_year, "incidents", key="incidents_reset")
    else:
        render_download(
            shown,
            "incidents",
            query,
            key="incidents_download",
            data=incidents_csv(page.data_key, query, requests=False)
            if len(shown) <= DEFERRED_DOWNLOAD_ROWS
            else partial(download_csv, page.loaded, "incidents", query),
        )
        listed = shown.head(MAX_TABLE_ROWS)
        if len(listed) < len(shown):
            st.caption(
                f"The table lists the newest {len(listed):,}; narrow the filters to see the "
                f"others. The download holds all {len(shown):,}."
            )
        screen = incidents_for_screen(listed, page.names, package["sources"])
        selection = render_table(
            screen,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key="incidents_table",
            column_config={
                **INCIDENT_HEADERS,
                "start_date": st.column_config.TextColumn(
                    "Began", help="As precise as known: day, month (YYYY-MM) or year (YYYY)."
                ),
                "source_url": st.column_config.LinkColumn("First source"),
            },
        )
        rows = selection.selection.rows if selection else []
        if rows:
            chosen = listed.iloc[rows[0]]
            st.markdown(f"**{as_text(str(chosen['name']))}**")
            if chosen["category"] == "deployment":
                sent = contingents_for_screen(
                    package["contingents"], str(chosen["incident_id"]), page.names
                )
                if sent.empty:
                    st.caption("No per-state figures are recorded for this deployment.")
                else:
                    st.caption("Who sent how many")
                    render_table(
                        sent,
                        hide_index=True,
                        column_config={
                            "state": "State",
                            "personnel_low": "Personnel (low)",
                            "personnel_high": "Personnel (high)",
                            "note": "Note",
                        },
                    )
            st.caption("Sources")
            for title, url in source_links(chosen["source_ids"], package["sources"]):
                if url:
                    st.link_button(as_text(title), url, icon=":material/open_in_new:")
                else:
                    st.text(f"{title} (no web address recorded)")

with requests_tab:
    requests = make_requests(shown)
    st.markdown(
        f"**{len(requests):,}** requests for help among the incidents above, oldest first: "
        "who asked whom, when, what the alliance did, and in how many days."
    )
    if requests.empty:
        st.info("No request for help among the incidents shown.")
    else:
        render_download(
            requests,
            "requests",
            query,
            key="requests_download",
            data=incidents_csv(page.data_key, query, requests=True)
            if len(requests) <= DEFERRED_DOWNLOAD_ROWS
            else partial(download_csv, page.loaded, "requests", query),
        )
        config = {
            **REQUEST_HEADERS,
            "request_date": st.column_config.DateColumn("Requested", format="D MMM YYYY"),
            "response_date": st.column_config.DateColumn("Answered", format="D MMM YYYY"),
            "days_to_response": st.column_config.NumberColumn("Days to answer", format="%d"),
        }
        for to_alliance, heading in (
            (True, "Requests to the alliance (CST or CSTO)"),
            (False, "Requests that went only elsewhere (Russia, the CIS, the UN, …)"),
        ):
            part = requests[requests["to_alliance"] == to_alliance]
            st.markdown(f"**{heading}**: {len(part):,}")
            if not part.empty:
                render_table(
                    requests_for_screen(part.head(MAX_TABLE_ROWS), page.names),
                    hide_index=True,
                    column_config=config,
                )
