"""Timeline: status periods per state, steps, milestones and sessions, events and foreign bases."""

import streamlit as st

from components.chart_images import render_image_downloads
from components.images import image_stem
from components.labels import label, labels_of
from components.page import start_page
from components.schema import allowed_codes
from components.tables import filter_history, filter_withdrawals
from components.views import table_csv, timeline
from components.widgets import render_download, render_empty_result

page = start_page("Timeline")
package, query = page.package, page.query.shared()

st.title("Timeline")
st.caption(
    "Bars: membership (hatched where participation was frozen or suspended). Diamonds: steps "
    "that reduced a state's participation. Stars: the alliance's milestones and council "
    "sessions. Dots: clashes; open circles: deployments and exercises. Dotted lines: foreign "
    "bases. Click a legend entry to hide or show it."
)
event_kinds = (
    allowed_codes("clashes", "kind")
    + allowed_codes("deployments", "kind")
    + allowed_codes("milestones", "kind")
)
chosen = st.multiselect(
    "Events shown",
    event_kinds,
    format_func=label,
    key="events",
    bind="query-params",
    placeholder="Every kind of event",
    help="Show only these kinds of clash, deployment and milestone.",
)
history = filter_history(page.loaded.history, query)
steps = filter_withdrawals(package["withdrawals"], query)

if history.empty:
    render_empty_result(query, page.names, page.last_year, "member states", key="timeline_reset")
else:
    st.plotly_chart(
        timeline(page.data_key, query, tuple(chosen)),
        config={"displayModeBar": False},
        key="timeline",
    )
    render_image_downloads(
        timeline(page.data_key, query, tuple(chosen)),
        image_stem("timeline", query),
        f"CSTO Monitor: membership and events, {query.years_text()}",
        query.describe(page.names),
        package.meta,
        "timeline_image",
    )

st.subheader("Steps that reduced participation")
if steps.empty:
    st.info("No withdrawal steps in the selected years and countries.")
else:
    shown = steps.assign(
        country=steps["country_iso3"].map(page.names),
        kind=labels_of(steps["kind"]),
        status_after=labels_of(steps["status_after"]),
    )
    st.dataframe(
        shown[["step_date", "country", "kind", "status_after", "actor", "statement"]],
        hide_index=True,
        column_config={
            "step_date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
            "country": "State",
            "kind": "Step",
            "status_after": "Status after",
            "actor": "Who",
            "statement": "What was said or done",
        },
    )
    render_download(
        steps,
        "withdrawals",
        query,
        key="timeline_steps_download",
        data=table_csv(page.data_key, "withdrawals", query),
    )
