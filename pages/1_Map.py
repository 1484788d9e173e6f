"""Map: each state's status through the years or on a date, with events and foreign bases."""

from datetime import date

import streamlit as st

from components.chart_images import render_image_downloads
from components.images import MAP_HEIGHT, image_stem, map_legend_lines
from components.incidents import filter_incidents
from components.labels import label
from components.membership import status_on
from components.page import start_page
from components.views import status_map, year_end
from components.widgets import render_empty_result, render_map

page = start_page("Map")
package, query = page.package, page.query.shared()
last_day = package.data_current_to
years = list(range(query.year_from, query.year_to + 1))

st.title("Map")
left, right = st.columns([2, 1])
mode = (
    left.segmented_control(
        "Show",
        ["Through the years", "On a date"],
        default="Through the years",
        key="mode",
        bind="query-params",
        help="Step or play through the selected years, or pick one exact date.",
    )
    or "Through the years"
)
bases = right.toggle(
    "Foreign bases",
    value=True,
    key="layers",
    bind="query-params",
    help="Russian and other foreign military presence in member states.",
)


def render_map_images(on: date, year: int | None, key: str) -> None:
    """PNG and SVG of the map shown (drawn on the server when clicked)."""
    events = f"events under way in {year}" if year else f"events begun by {on:%d %B %Y}"
    render_image_downloads(
        status_map(page.data_key, query, on, year, bases),
        image_stem("map", query, on),
        f"CSTO Monitor: status on {on:%d %B %Y}",
        f"{query.describe(page.names)}; {events}",
        package.meta,
        key,
        map_legend_lines(bases),
        MAP_HEIGHT,
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
    year = st.select_slider("Year", options=years, value=years[-1], key="year", bind="query-params")
    on = year_end(page.data_key, year)
    render_map(status_map(page.data_key, query, on, year, bases), "map_years", bases)
    render_map_images(on, year, "map_years_image")
    st.caption(
        f"Status on {on:%d %B %Y} and the events under way in {year}. Discs: clashes and "
        "crises (area: deaths); rings: deployments and exercises (area: personnel); dotted "
        "discs: foreign bases."
    )
    return on


if mode == "On a date":
    on = st.date_input(
        "Status on",
        value=min(last_day, date(query.year_to, 12, 31)),
        min_value=date(1992, 1, 1),
        max_value=last_day,
        format="YYYY-MM-DD",
        key="on",
        bind="query-params",
    )
    render_map(status_map(page.data_key, query, on, None, bases), "map_on_date", bases)
    render_map_images(on, None, "map_on_date_image")
    st.caption(
        f"Status on {on:%d %B %Y}; events of the selected years that began by {on.year}. Discs: "
        "clashes and crises (area: deaths); rings: deployments and exercises (area: "
        "personnel); dotted discs: foreign bases present on that date."
    )
else:
    if st.session_state.get("play") and st.session_state.get("year") == years[-1]:
        st.session_state["year"] = years[0]  # Play from the last year starts again
    st.toggle("Play", key="play", help="Step through the selected years, one a second.")
    on = render_year_map()

if filter_incidents(page.incidents, query).empty:
    render_empty_result(query, page.names, page.last_year, "events", key="map_reset")

status = status_on(page.loaded.history, on, page.names)
table = status.assign(
    country=status["country_iso3"].map(page.names),
    status=status["status"].astype(str).map(label),
)[["country", "status", "since"]]
involved = status["status"].astype(str) != "never_member"
if query.countries:
    involved &= status["country_iso3"].isin(query.countries)
config = {
    "country": "State",
    "status": "Status",
    "since": st.column_config.DateColumn("Since", format="D MMM YYYY"),
}
st.subheader(f"Members and former members on {on:%d %B %Y}")
st.dataframe(table[involved].sort_values("country"), hide_index=True, column_config=config)
with st.expander("States that were never members (drawn for context)"):
    st.dataframe(table[~involved].sort_values("country"), hide_index=True, column_config=config)
