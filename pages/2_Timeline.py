"""Timeline: status periods per state, steps, milestones and sessions, events and foreign bases."""

import streamlit as st

from components.chart_images import render_image_downloads
from components.controls import BIND, EVENT_KINDS
from components.images import image_stem
from components.labels import label, labels_of
from components.page import start_page
from components.tables import filter_history, filter_withdrawals
from components.views import table_csv, timeline
from components.widgets import (
    date_column,
    described,
    render_chart,
    render_download,
    render_empty_result,
    render_table,
)

page = start_page("Timeline")
package, query, t = page.package, page.query.shared(), page.t

st.title(t.gettext("Timeline"))
st.caption(
    t.gettext(
        "Bars: membership (hatched where participation was frozen or suspended). Diamonds: steps "
        "that reduced a state's participation. Stars: the alliance's milestones and council "
        "sessions. Dots: clashes; open circles: deployments and exercises. Dotted lines: foreign "
        "bases. Click a legend entry to hide or show it."
    )
)
chosen = st.multiselect(
    t.gettext("Events shown"),
    EVENT_KINDS,
    format_func=lambda code: label(code, t),
    key="events",
    bind=BIND,
    placeholder=t.gettext("Every kind of event"),
    help=t.gettext("Show only these kinds of clash, deployment and milestone."),
)
history = filter_history(page.loaded.history, query)
steps = filter_withdrawals(package["withdrawals"], query)

if history.empty:
    render_empty_result(
        t.gettext(
            "No member states match the current filters (%(filters)s).",
            filters=described(query, page.names, t),
        ),
        page.last_year,
        "timeline_reset",
        t,
    )
else:
    figure = timeline(page.data_key, query, tuple(chosen), page.lang)
    render_chart(figure, "timeline", {"displayModeBar": False})
    render_image_downloads(
        figure,
        image_stem("timeline", query),
        t.gettext("CSTO Monitor: membership and events, %(years)s", years=query.years_text()),
        query.describe(page.names, t),
        package.meta,
        "timeline_image",
        t=t,
    )

st.subheader(t.gettext("Steps that reduced participation"))
if steps.empty:
    st.info(t.gettext("No withdrawal steps in the selected years and countries."))
else:
    shown = steps.assign(
        country=steps["country_iso3"].map(page.names),
        kind=labels_of(steps["kind"], t),
        status_after=labels_of(steps["status_after"], t),
    )
    render_table(
        shown[["step_date", "country", "kind", "status_after", "actor", "statement"]],
        hide_index=True,
        column_config={
            "step_date": date_column(t.gettext("Date"), t),
            "country": t.gettext("State"),
            "kind": t.gettext("Step"),
            "status_after": t.gettext("Status after"),
            "actor": t.in_english(t.gettext("Who")),
            "statement": t.in_english(t.gettext("What was said or done")),
        },
    )
    render_download(
        len(steps),
        "withdrawals",
        query,
        key="timeline_steps_download",
        t=t,
        data=table_csv(page.data_key, "withdrawals", query, page.lang),
    )
