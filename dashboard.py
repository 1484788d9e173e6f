"""CSTO Monitor: the Overview page, and the main script that app.py serves (scripts/start)."""

from dataclasses import replace

import streamlit as st

from components.incidents import (
    FATALITY_COLUMNS,
    fatality_totals,
    filter_incidents,
    recent_events_markdown,
)
from components.labels import label
from components.navigation import page_by_title
from components.page import start_page
from components.query import to_params
from components.text import as_text
from components.views import status_map, status_table
from components.widgets import described, render_empty_result, render_map

page = start_page("Overview")
package, query, t = page.package, page.query.shared(), page.t
today = package.data_current_to
incidents_page = page_by_title("Incidents").path

st.title("CSTO Monitor")
st.markdown(
    t.gettext(
        "The Collective Security Treaty Organization as data: who was a member when, who left "
        "or froze their participation, where the alliance deployed forces, and which clashes in "
        "or between member states it answered or ignored. Every row cites its sources."
    )
)

status = status_table(page.data_key, today)
counts = status["status"].astype(str).value_counts()
shown = filter_incidents(page.incidents, query)
is_clash = (shown["category"] == "clash").to_numpy()
# Counted through a mask, and only the columns the totals read are copied: at a million clashes
# a copy of the clash rows would hold hundreds of MB for the length of a rerun.
deaths = fatality_totals(shown.loc[is_clash, FATALITY_COLUMNS], query.year_from, query.year_to)

st.subheader(t.gettext("The alliance on %(date)s", date=t.date(today)))
columns = st.columns(3)
columns[0].metric(
    t.gettext("Members"),
    int(counts.get("member", 0)),
    help=t.gettext("Inside a spell, participating."),
)
columns[1].metric(
    t.gettext("Participation frozen or suspended"),
    int(counts.get("participation_frozen", 0) + counts.get("participation_suspended", 0)),
    help=t.gettext("Still parties to the treaty, but not taking part."),
)
columns[2].metric(t.gettext("Former members"), int(counts.get("former_member", 0)))
map_params = to_params(query, page.last_year, page.options)
if page.lang != "en":
    map_params["lang"] = [page.lang]
st.page_link(
    page_by_title("Map").path,
    label=t.gettext("Each state's status on the map, with the members and former members listed"),
    icon=":material/map:",
    query_params=map_params,
)
standing = status[status["status"].astype(str) != "never_member"].sort_values("since")
st.caption(
    as_text(
        "; ".join(
            t.gettext(
                "%(country)s: %(status)s since %(date)s",
                country=page.names.get(code, code),
                status=label(s, t).lower(),
                date=t.date(since, "medium"),
            )
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
    if page.lang != "en":
        params["lang"] = [page.lang]
    st.page_link(incidents_page, label=text, icon=":material/table:", query_params=params)


st.subheader(t.gettext("Events in %(filters)s", filters=described(query, page.names, t)))
columns = st.columns(3)
with columns[0]:
    st.metric(
        t.gettext("Deployments and exercises"), int((shown["category"] == "deployment").sum())
    )
    link_to_incidents("deployment", t.gettext("See these deployments"))
with columns[1]:
    st.metric(t.gettext("Clashes and crises"), int(is_clash.sum()))
    link_to_incidents("clash", t.gettext("See these clashes"))
with columns[2]:
    st.metric(
        t.gettext("Deaths in clashes that began in %(years)s", years=query.years_text()),
        t.number_range(deaths.low, deaths.high),
        help=t.gettext(
            "Sum of the sourced low and high estimates (a single figure counts for both)."
        ),
    )
    st.caption(
        " ".join(
            [
                t.ngettext(
                    "Counts the %(n)s clash that began in these years and has a figure;",
                    "Counts the %(n)s clashes that began in these years and have a figure;",
                    deaths.counted,
                ),
                t.ngettext("%(n)s more has none,", "%(n)s more have none,", deaths.without_figure),
                t.ngettext(
                    "and %(n)s under way but begun earlier is not counted (its deaths cannot "
                    "be split by year).",
                    "and %(n)s under way but begun earlier are not counted (their deaths "
                    "cannot be split by year).",
                    deaths.begun_earlier,
                ),
            ]
        )
    )

left, right = st.columns([3, 2])
with left:
    render_map(
        status_map(page.data_key, query, today, None, True, height=430, lang=page.lang),
        "overview_map",
        bases=True,
        t=t,
        scroll_zoom=False,
    )
    st.caption(
        t.gettext(
            "Status today; points are the events in the selected years. The Map page has more."
        )
    )
with right:
    st.markdown(t.gettext("**Most recent events**"))
    if shown.empty:
        render_empty_result(
            t.gettext(
                "No events match the current filters (%(filters)s).",
                filters=described(query, page.names, t),
            ),
            page.last_year,
            "overview_reset",
            t,
        )
    else:
        st.markdown(recent_events_markdown(shown.head(8), t))
st.caption(
    t.gettext(
        "Data current to %(date)s. Sources and licence: see Data & sources.", date=t.date(today)
    )
)
