"""Map: each state's status on a date or through the years, with deployments and clashes."""

from datetime import date

import streamlit as st

from components.incidents import filter_incidents
from components.status import STATUS_LABELS, status_on
from components.ui import render_empty_result, start_page
from components.views import date_map, year_map

page = start_page("Map")
package, filters = page.package, page.filters
last_day = package.data_current_to

st.title("Map")
mode = st.segmented_control(
    "Show",
    ["Through the years", "On a date"],
    default="Through the years",
    key="map_mode",
    help="Play steps through the selected years in the browser; or pick one exact date.",
)
shown = filter_incidents(page.incidents, filters)
chart_config = {"displayModeBar": False, "scrollZoom": True}

if mode == "On a date":
    on = st.date_input(
        "Status on",
        value=min(last_day, date(filters.year_to, 12, 31)),
        min_value=date(1992, 1, 1),
        max_value=last_day,
        format="YYYY-MM-DD",
        key="map_date",
    )
    st.plotly_chart(date_map(page.data_key, filters, on), config=chart_config, key="map_on_date")
    st.caption(
        f"Status on {on:%d %B %Y}. Points: events of {filters.describe(page.names)} that began "
        f"by {on.year}. Point area shows fatalities (clashes) or personnel (deployments)."
    )
else:
    st.plotly_chart(year_map(page.data_key, filters), config=chart_config, key="map_years")
    on = min(last_day, date(filters.year_to, 12, 31))
    st.caption(
        "Each frame: status on 31 December of that year (the last year: the data-current-to "
        "date) and the events under way that year. Point area shows fatalities (clashes) or "
        "personnel (deployments); where there are too many points, nearby ones are merged."
    )
status = status_on(package["members"], package["withdrawals"], on, page.names)

if shown.empty:
    render_empty_result(page, "deployments or clashes", key="map_reset")

with st.expander(f"Status of every state on {on:%d %B %Y}", expanded=False):
    table = status.assign(
        country=status["country_iso3"].map(page.names),
        status=status["status"].astype(str).map(STATUS_LABELS),
    )[["country", "country_iso3", "status", "since"]]
    if filters.countries:
        table = table[table["country_iso3"].isin(filters.countries)]
    st.dataframe(
        table,
        hide_index=True,
        column_config={"since": st.column_config.DateColumn("Since", format="YYYY-MM-DD")},
    )
