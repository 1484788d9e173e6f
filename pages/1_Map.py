"""Map: each state's status through the years or on a date, with events and foreign bases."""

from datetime import date

import streamlit as st

from components.chart_images import render_image_downloads
from components.controls import BIND, view_words
from components.images import MAP_HEIGHT, image_stem, map_legend_lines
from components.incidents import filter_incidents
from components.labels import label
from components.page import start_page
from components.views import status_map, status_table, year_end
from components.widgets import (
    date_column,
    described,
    render_empty_result,
    render_map,
    render_table,
)

page = start_page("Map")
package, query, t = page.package, page.query.shared(), page.t
last_day = package.data_current_to
years = list(range(query.year_from, query.year_to + 1))
modes = view_words("mode", t)

st.title(t.gettext("Map"))
left, right = st.columns([2, 1])
mode = (
    left.segmented_control(
        t.gettext("Show"),
        list(modes),
        format_func=modes.get,
        default="years",
        key="mode",
        bind=BIND,
        help=t.gettext("Step or play through the selected years, or pick one exact date."),
    )
    or "years"
)
bases = right.toggle(
    t.gettext("Foreign bases"),
    value=True,
    key="layers",
    bind=BIND,
    help=t.gettext("Russian and other foreign military presence in member states."),
)


def render_map_images(on: date, year: int | None, key: str) -> None:
    """PNG and SVG of the map shown (drawn on the server when clicked)."""
    when = t.date(on)
    events = (
        t.gettext("events under way in %(year)s", year=year)
        if year
        else t.gettext("events begun by %(date)s", date=when)
    )
    render_image_downloads(
        status_map(page.data_key, query, on, year, bases, lang=page.lang),
        image_stem("map", query, on),
        t.gettext("CSTO Monitor: status on %(date)s", date=when),
        f"{query.describe(page.names, t)}; {events}",
        package.meta,
        key,
        map_legend_lines(bases),
        MAP_HEIGHT,
        t=t,
    )


@st.fragment(run_every=1.0 if st.session_state.get("play") else None)
def render_year_map() -> date:
    """The year slider and the map; while Play is on, one year a second, then it stops."""
    if st.session_state.get("year") not in (None, *years):
        st.session_state["year"] = years[-1]  # left over from another year range
    if st.session_state.get("play"):
        following = [y for y in years if y > st.session_state.get("year", years[-1])]
        if not following:
            st.session_state["play"] = False
            st.rerun(scope="app")  # stop the timer
        st.session_state["year"] = following[0]
    year = st.select_slider(
        t.gettext("Year"), options=years, value=years[-1], key="year", bind=BIND
    )
    on = year_end(page.data_key, year)
    figure = status_map(page.data_key, query, on, year, bases, lang=page.lang)
    render_map(figure, "map_years", bases, t=t)
    render_map_images(on, year, "map_years_image")
    st.caption(
        t.gettext(
            "Status on %(date)s and the events under way in %(year)s. Discs: clashes and crises "
            "(area: deaths); rings: deployments and exercises (area: personnel); dotted discs: "
            "foreign bases.",
            date=t.date(on),
            year=year,
        )
    )
    return on


if mode == "date":
    on = st.date_input(
        t.gettext("Status on"),
        value=min(last_day, date(query.year_to, 12, 31)),
        min_value=date(1992, 1, 1),
        max_value=last_day,
        format="YYYY-MM-DD",
        key="on",
        bind=BIND,
    )
    figure = status_map(page.data_key, query, on, None, bases, lang=page.lang)
    render_map(figure, "map_on_date", bases, t=t)
    render_map_images(on, None, "map_on_date_image")
    st.caption(
        t.gettext(
            "Status on %(date)s; events of the selected years that began by %(year)s. Discs: "
            "clashes and crises (area: deaths); rings: deployments and exercises (area: "
            "personnel); dotted discs: foreign bases present on that date.",
            date=t.date(on),
            year=on.year,
        )
    )
else:
    if st.session_state.get("play") and st.session_state.get("year") == years[-1]:
        st.session_state["year"] = years[0]  # Play from the last year starts again
    st.toggle(
        t.gettext("Play"),
        key="play",
        help=t.gettext("Step through the selected years, one a second."),
    )
    on = render_year_map()

if filter_incidents(page.incidents, query).empty:
    render_empty_result(
        t.gettext(
            "No events match the current filters (%(filters)s).",
            filters=described(query, page.names, t),
        ),
        page.last_year,
        "map_reset",
        t,
    )

status = status_table(page.data_key, on)
table = status.assign(
    country=status["country_iso3"].map(page.names),
    status=status["status"].astype(str).map(lambda code: label(code, t)),
)[["country", "status", "since"]]
involved = status["status"].astype(str) != "never_member"
if query.countries:
    involved &= status["country_iso3"].isin(query.countries)
config = {
    "country": t.gettext("State"),
    "status": t.gettext("Status"),
    "since": date_column(t.gettext("Since"), t),
}
st.subheader(t.gettext("Members and former members on %(date)s", date=t.date(on)))
render_table(table[involved].sort_values("country"), hide_index=True, column_config=config)
with st.expander(t.gettext("States that were never members (drawn for context)")):
    render_table(table[~involved].sort_values("country"), hide_index=True, column_config=config)
