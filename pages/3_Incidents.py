"""Incidents: deployments and clashes in one filterable table, and the requests for help."""

import streamlit as st

from components.export import DEFERRED_DOWNLOAD_ROWS
from components.incidents import (
    ALIGNMENT_LABELS,
    filter_incidents,
    first_source_urls,
    make_requests,
    source_links,
)
from components.schema import allowed_codes
from components.text import as_text
from components.ui import render_download, render_empty_result, start_page
from components.views import incidents_csv

# A browser table of more rows than this is slow to send and no easier to read.
MAX_TABLE_ROWS = 5_000

page = start_page("Incidents")
package, filters = page.package, page.filters
incidents = page.incidents


st.title("Incidents")
st.caption(
    f"Shared filters: {filters.describe(page.names)}. Narrow further below; click a column "
    "header to sort, a row to see all its sources."
)
with st.container(border=True):
    first, second, third = st.columns(3)
    categories = first.multiselect(
        "Type", ["clash", "deployment"], key="inc_category", placeholder="Clashes and deployments"
    )
    kinds = second.multiselect(
        "Kind",
        allowed_codes("clashes", "kind") + allowed_codes("deployments", "kind"),
        key="inc_kind",
        placeholder="Any kind",
    )
    text = third.text_input("Search names, places and notes", key="inc_text", max_chars=200)
    first, second, third = st.columns(3)
    requested = first.multiselect(
        "Help requested?",
        allowed_codes("clashes", "help_requested"),
        key="inc_requested",
        placeholder="Any",
    )
    responses = second.multiselect(
        "Alliance response",
        allowed_codes("clashes", "response"),
        key="inc_response",
        placeholder="Any",
    )
    alignments = third.multiselect(
        "Members involved (clashes)",
        list(ALIGNMENT_LABELS),
        format_func=ALIGNMENT_LABELS.get,
        key="inc_alignment",
        placeholder="Any",
    )

narrowing = (tuple(categories), tuple(kinds), tuple(responses), tuple(requested),
             tuple(alignments), text)  # fmt: skip
shown = filter_incidents(incidents, filters, *narrowing)
narrowed = bool(categories or kinds or responses or requested or alignments or text.strip())

table_tab, requests_tab = st.tabs(["All incidents", "Requests for help"])
with table_tab:
    st.markdown(f"**{len(shown):,}** of {len(incidents):,} incidents")
    if shown.empty:
        render_empty_result(page, "incidents", key="incidents_reset")
    else:
        listed = shown.head(MAX_TABLE_ROWS)
        if len(listed) < len(shown):
            st.caption(
                f"The table lists the newest {len(listed):,}; narrow the filters to see the "
                f"others. The download holds all {len(shown):,}."
            )
        view = listed.assign(source_url=first_source_urls(listed["source_ids"], package["sources"]))
        selection = st.dataframe(
            view,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key="incidents_table",
            column_order=["start_date", "name", "category", "kind", "countries", "alignment",
                          "help_requested", "response", "fatalities_low", "fatalities_high",
                          "personnel_low", "personnel_high", "source_url",
                          *[c for c in shown.columns if c not in ("start_date", "name")]],
            column_config={
                "start_date": st.column_config.DateColumn("Began", format="YYYY-MM-DD"),
                "end_date": st.column_config.DateColumn("Ended", format="YYYY-MM-DD"),
                "request_date": st.column_config.DateColumn("Requested", format="YYYY-MM-DD"),
                "response_date": st.column_config.DateColumn("Answered", format="YYYY-MM-DD"),
                "name": "Incident",
                "category": "Type",
                "kind": "Kind",
                "countries": "States involved",
                "alignment": "Members involved",
                "members_at_start": "Members at start",
                "help_requested": "Help requested?",
                "response": "Alliance response",
                "source_url": st.column_config.LinkColumn("First source"),
            },
        )  # fmt: skip
        render_download(
            shown, "incidents", filters, key="incidents_download", narrowed=narrowed,
            data=incidents_csv(page.data_key, filters, narrowing, requests=False)
            if len(shown) <= DEFERRED_DOWNLOAD_ROWS else None,
        )  # fmt: skip
        rows = selection.selection.rows if selection else []
        if rows:
            chosen = listed.iloc[rows[0]]
            st.markdown(f"**Sources for:** {as_text(str(chosen['name']))}")
            for title, url in source_links(chosen["source_ids"], package["sources"]):
                if url:
                    st.link_button(title, url, icon=":material/open_in_new:")
                else:
                    st.text(f"{title} (no web address recorded)")

with requests_tab:
    requests = make_requests(shown, page.names)
    st.markdown(
        f"**{len(requests):,}** requests for help in the incidents above: who asked, when, what "
        "the alliance did, and how many days it took."
    )
    if requests.empty:
        st.info("No request for help among the incidents shown.")
    else:
        st.dataframe(
            requests.head(MAX_TABLE_ROWS),
            hide_index=True,
            column_config={
                "request_date": st.column_config.DateColumn("Requested", format="YYYY-MM-DD"),
                "response_date": st.column_config.DateColumn("Answered", format="YYYY-MM-DD"),
                "days_to_response": st.column_config.NumberColumn("Days to answer"),
            },
        )
        render_download(
            requests, "requests", filters, key="requests_download", narrowed=narrowed,
            data=incidents_csv(page.data_key, filters, narrowing, requests=True)
            if len(requests) <= DEFERRED_DOWNLOAD_ROWS else None,
        )  # fmt: skip
