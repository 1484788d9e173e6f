"""Incidents: deployments and clashes in one filterable table, and the requests for help."""

import streamlit as st

from components.controls import (
    INCIDENT_PARAM,
    link_row,
    linked_row,
    render_choice,
    render_open_tab,
    render_text_search,
)
from components.incident_view import (
    INCIDENT_HEADERS,
    REQUEST_HEADERS,
    contingents_for_screen,
    headers,
)
from components.incidents import filter_incidents, source_links
from components.page import start_page
from components.text import as_text
from components.views import csv_download, incident_screens
from components.widgets import (
    date_column,
    described,
    render_download,
    render_empty_result,
    render_table,
)

page = start_page("Incidents")
package, query, t = page.package, page.query, page.t
incidents = page.incidents
filters = described(query, page.names, t)

st.title(t.gettext("Incidents"))
st.caption(
    t.gettext(
        "Shared filters: %(filters)s. Narrow further below; click a column header to sort, a "
        "row to see all its sources.",
        filters=filters,
    )
)
with st.container(border=True):
    first, second, third = st.columns(3)
    render_choice(first, "type", t.gettext("Type"), page.options, page.last_year, t)
    render_choice(second, "kind", t.pgettext("incident", "Kind"), page.options, page.last_year, t)
    render_text_search(third, t.gettext("Search names, places and notes"), page.last_year)
    first, second, third, fourth = st.columns(4)
    render_choice(first, "requested", t.gettext("Help requested?"), page.options, page.last_year, t)
    render_choice(second, "asked", t.gettext("Asked whom"), page.options, page.last_year, t)
    render_choice(
        third, "response", t.gettext("Alliance response"), page.options, page.last_year, t
    )
    render_choice(
        fourth, "members", t.gettext("Members involved (clashes)"), page.options, page.last_year, t
    )

shown = filter_incidents(incidents, query)
screens = incident_screens(page.data_key, query, page.lang)
listed = screens.listed


def render_listed() -> None:
    """The incidents shown, their download, and the sources of the row picked."""
    st.markdown(
        t.ngettext(
            "**%(shown)s** of %(n)s incident",
            "**%(shown)s** of %(n)s incidents",
            len(incidents),
            shown=t.number(len(shown)),
        )
    )
    if shown.empty:
        render_empty_result(
            t.gettext("No incidents match the current filters (%(filters)s).", filters=filters),
            page.last_year,
            "incidents_reset",
            t,
        )
    else:
        render_download(
            len(shown),
            "incidents",
            query,
            key="incidents_download",
            t=t,
            data=csv_download(page.data_key, "incidents", query, len(shown), page.lang),
        )
        if len(listed) < len(shown):
            st.caption(
                t.gettext(
                    "The table lists the newest %(listed)s; narrow the filters to see the others. "
                    "The download holds all %(shown)s.",
                    listed=t.number(len(listed)),
                    shown=t.number(len(shown)),
                )
            )
        screen = screens.screen
        names = headers(INCIDENT_HEADERS, t)
        linked = linked_row(listed["incident_id"], INCIDENT_PARAM, t)
        selection = render_table(
            screen,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            # A table of its own per list shown: a row picked stays with its incident (by the
            # link), never with a position in another list.
            key=f"incidents_table_{screens.digest}",
            selection_default=None if linked is None else {"selection": {"rows": [linked]}},
            column_config={
                **names,
                "start_date": st.column_config.TextColumn(
                    names["start_date"],
                    help=t.gettext("As precise as known: day, month (YYYY-MM) or year (YYYY)."),
                ),
                "end_date": st.column_config.TextColumn(names["end_date"]),
                "source_url": st.column_config.LinkColumn(names["source_url"]),
            },
        )
        rows = selection.selection.rows if selection else []
        link_row(INCIDENT_PARAM, str(listed["incident_id"].iloc[rows[0]]) if rows else None)
        if rows:
            chosen = listed.iloc[rows[0]]
            st.markdown(f"**{as_text(str(screen['name'].iloc[rows[0]]))}**")
            if chosen["category"] == "deployment":
                sent = contingents_for_screen(
                    package["contingents"], str(chosen["incident_id"]), page.names
                )
                if sent.empty:
                    st.caption(t.gettext("No per-state figures are recorded for this deployment."))
                else:
                    st.caption(t.gettext("Who sent how many"))
                    render_table(
                        sent,
                        hide_index=True,
                        column_config={
                            "state": t.gettext("State"),
                            "personnel_low": t.gettext("Personnel (low)"),
                            "personnel_high": t.gettext("Personnel (high)"),
                            "note": t.in_english(t.gettext("Note")),
                        },
                    )
            st.caption(t.gettext("Sources"))
            for title, url in source_links(chosen["source_ids"], package["sources"]):
                if url:
                    st.link_button(as_text(title), url, icon=":material/open_in_new:")
                else:
                    st.text(t.gettext("%(source)s (no web address recorded)", source=title))


def render_requests() -> None:
    """The requests for help among the incidents shown, to the alliance and elsewhere."""
    requests = screens.requests
    st.markdown(
        t.ngettext(
            "**%(n)s** request for help among the incidents above, oldest first: who asked "
            "whom, when, what the alliance did, and in how many days.",
            "**%(n)s** requests for help among the incidents above, oldest first: who asked "
            "whom, when, what the alliance did, and in how many days.",
            len(requests),
        )
    )
    if requests.empty:
        st.info(t.gettext("No request for help among the incidents shown."))
    else:
        render_download(
            len(requests),
            "requests",
            query,
            key="requests_download",
            t=t,
            data=csv_download(page.data_key, "requests", query, len(requests), page.lang),
        )
        names = headers(REQUEST_HEADERS, t)
        config = {
            **names,
            "request_date": date_column(names["request_date"], t),
            "response_date": date_column(names["response_date"], t),
            "days_to_response": st.column_config.NumberColumn(
                names["days_to_response"], format="%d"
            ),
        }
        for to_alliance, heading in (
            (True, t.gettext("Requests to the alliance (CST or CSTO)")),
            (False, t.gettext("Requests that went only elsewhere (Russia, the CIS, the UN, …)")),
        ):
            part = requests[requests["to_alliance"] == to_alliance]
            st.markdown(
                t.gettext("**%(heading)s**: %(count)s", heading=heading, count=t.number(len(part)))
            )
            if not part.empty:
                render_table(
                    screens.request_screens[to_alliance],
                    hide_index=True,
                    column_config=config,
                )


render_open_tab("tab", {"incidents": render_listed, "requests": render_requests}, t)
