"""Plotly figures built from frames passed in; no Streamlit, no I/O, no module-level data.

Maps use plotly's MapLibre traces (`Choroplethmap`, `Scattermap`) on a style with no tile source,
with our own country shapes, so they draw without any network access.
"""

from __future__ import annotations

import html
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.data import split_codes
from components.status import STATUS_LABELS

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
# Statuses fill countries; incident groups colour points, with hues the fills do not use.
STATUS_COLOURS = {
    "member": "#0072B2",
    "participation_frozen": "#E69F00",
    "participation_suspended": "#F0E442",
    "former_member": "#8C8C8C",
    "never_member": "#DADADA",
}
POINT_GROUPS = {
    "War or clash between states": "#D55E00",
    "Internal crisis": "#CC79A7",
    "Operation": "#009E73",
    "Mission": "#56B4E9",
    "Exercise": "#000000",
}
POINT_GROUP_OF_KIND = {
    "interstate_war": "War or clash between states",
    "civil_war": "Internal crisis",
    "border_clash": "War or clash between states",
    "incursion": "War or clash between states",
    "insurgency": "Internal crisis",
    "internal_unrest": "Internal crisis",
    "peacekeeping_operation": "Operation",
    "collective_operation": "Operation",
    "logistics_assistance": "Operation",
    "fact_finding_mission": "Mission",
    "observer_mission": "Mission",
    "exercise": "Exercise",
    "exercise_cancelled": "Exercise",
}
# plotly's built-in blank MapLibre style: a white background, no tile source to fetch. (A custom
# style dict draws too, but raises "Map error." in the browser when animation frames re-apply it.)
MAP_STYLE = "white-bg"
MAP_CENTER = {"lat": 47.0, "lon": 68.0}
MAP_ZOOM = 1.9
AGGREGATE_THRESHOLD = 2_000
_MIN_MARKER, _MAX_MARKER = 7.0, 34.0


def _escape(value: object) -> str:
    """Data text made safe for plotly's HTML-like hover labels."""
    return "" if pd.isna(value) else html.escape(str(value))


def _figure_range(low: object, high: object, unit: str) -> str:
    if pd.isna(low) and pd.isna(high):
        return f"{unit}: not known"
    if pd.isna(high) or low == high:
        return f"{unit}: {int(low):,}"
    if pd.isna(low):
        return f"{unit}: up to {int(high):,}"
    return f"{unit}: {int(low):,}–{int(high):,}"


def _period(start: object, end: object) -> str:
    first = pd.Timestamp(start).date().isoformat()
    if pd.isna(end):
        return f"{first} –"
    last = pd.Timestamp(end).date().isoformat()
    return first if first == last else f"{first} – {last}"


def _hover_texts(incidents: pd.DataFrame, source_titles: pd.Series) -> list[str]:
    """One hover label per incident: name, place and dates, figures, response, first source."""
    first_source = incidents["source_ids"].astype("string").str.split(";").str[0]
    return [
        "<br>".join(
            [
                f"<b>{_escape(row.name)}</b>",
                f"{_escape(row.place_name)} · {_period(row.start_date, row.end_date)}",
                _figure_range(row.fatalities_low, row.fatalities_high, "Fatalities")
                if row.category == "clash"
                else _figure_range(row.personnel_low, row.personnel_high, "Personnel"),
                f"Alliance response: {_escape(row.response)}"
                if row.category == "clash"
                else f"Operator: {_escape(row.operator)}",
                f"Source: {_escape(source_titles.get(source, source))}",
            ]
        )
        for row, source in zip(incidents.itertuples(), first_source, strict=True)
    ]


def incident_points(
    incidents: pd.DataFrame, source_titles: pd.Series, threshold: int = AGGREGATE_THRESHOLD
) -> pd.DataFrame:
    """Map points of incidents: position, years, size measure, colour group and hover text.

    `source_titles` maps source_id to a short title. The size measure is fatalities (best, else
    high, else low) for clashes and personnel (high, else low) for deployments. Past `threshold`
    incidents, nearby points are merged (`aggregate_points`) before any label is written.
    """
    is_clash = incidents["category"] == "clash"
    fatalities = (
        incidents["fatalities_best"]
        .fillna(incidents["fatalities_high"])
        .fillna(incidents["fatalities_low"])
    )
    personnel = incidents["personnel_high"].fillna(incidents["personnel_low"])
    points = pd.DataFrame(
        {
            "latitude": incidents["latitude"].to_numpy(),
            "longitude": incidents["longitude"].to_numpy(),
            "first_year": incidents["start_date"].dt.year.to_numpy(),
            "last_year": incidents["end_date"].fillna(incidents["start_date"]).dt.year.to_numpy(),
            "group": incidents["kind"].astype("string").map(POINT_GROUP_OF_KIND).to_numpy(),
            "measure": fatalities.where(is_clash, personnel).astype("Float64").to_numpy(),
        }
    )
    if len(points) > threshold:
        return aggregate_points(points)
    return points.assign(hover=_hover_texts(incidents, source_titles))


def aggregate_points(points: pd.DataFrame) -> pd.DataFrame:
    """One point per 1-degree cell, colour group and years.

    An aggregated point sits at its cell's mean position; its measure is the sum, and its hover
    says how many incidents it stands for.
    """
    cells = points.assign(
        cell_lat=np.floor(points["latitude"]), cell_lon=np.floor(points["longitude"]), n=1
    )
    keys = ["cell_lat", "cell_lon", "group", "first_year", "last_year"]
    grouped = cells.groupby(keys, observed=True).agg(
        latitude=("latitude", "mean"),
        longitude=("longitude", "mean"),
        measure=("measure", "sum"),
        n=("n", "sum"),
    )
    grouped = grouped.reset_index()
    grouped["hover"] = [
        f"<b>{n:,} incidents ({html.escape(group)}, {first}–{last})</b><br>"
        f"near {lat:.1f}°N {lon:.1f}°E<br>total: {measure:,.0f}"
        for n, group, first, last, lat, lon, measure in zip(
            grouped["n"], grouped["group"], grouped["first_year"], grouped["last_year"],
            grouped["latitude"],
            grouped["longitude"], grouped["measure"].fillna(0), strict=True,
        )
    ]  # fmt: skip
    return grouped[
        ["latitude", "longitude", "first_year", "last_year", "group", "measure", "hover"]
    ]


def points_active_in(points: pd.DataFrame, year: int) -> pd.Series:
    """Points whose incident was under way at some time in `year`."""
    return (points["first_year"] <= year) & (points["last_year"] >= year)


def _largest_measure(points: pd.DataFrame) -> float:
    """The largest known measure, the reference for marker sizes (0 when none is known)."""
    largest = pd.to_numeric(points["measure"], errors="coerce").max() if len(points) else 0
    return 0.0 if pd.isna(largest) else float(largest)


def marker_sizes(measure: pd.Series, largest: float) -> np.ndarray:
    """Marker diameters: area proportional to the measure; unknown measures get the smallest."""
    values = pd.to_numeric(measure, errors="coerce").astype("float64").fillna(0.0).to_numpy()
    scale = np.sqrt(values / largest) if largest > 0 else np.zeros_like(values)
    return _MIN_MARKER + (_MAX_MARKER - _MIN_MARKER) * scale


def _status_columns(status: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per state: location, colour index and hover text of the status layer (vectorised)."""
    labels = status["status"].astype(str)
    since = status["since"].dt.strftime("%Y-%m-%d")
    country = status["country_iso3"].astype(str)
    hover = (
        "<b>" + country.map(lambda c: html.escape(names.get(c, c))) + "</b><br>"
        + labels.map(STATUS_LABELS) + (" since " + since).fillna("")
    )  # fmt: skip
    return pd.DataFrame(
        {"locations": country, "z": labels.map(list(STATUS_COLOURS).index), "text": hover}
    )


def _status_values(columns: pd.DataFrame) -> dict:
    """The parts of the status layer that change from one date to another."""
    return {
        "type": "choroplethmap",
        "locations": columns["locations"].tolist(),
        "z": columns["z"].tolist(),
        "text": columns["text"].tolist(),
    }


def _status_trace(geometry: dict, columns: pd.DataFrame) -> dict:
    n = len(STATUS_COLOURS)
    colorscale = []
    for i, colour in enumerate(STATUS_COLOURS.values()):
        colorscale += [[i / n, colour], [(i + 1) / n, colour]]
    return {
        **_status_values(columns),
        "geojson": geometry,
        "featureidkey": "properties.iso3",
        "zmin": -0.5,
        "zmax": n - 0.5,
        "colorscale": colorscale,
        "showscale": False,
        "marker": {"line": {"color": "#FFFFFF", "width": 0.8}, "opacity": 0.9},
        "hovertemplate": "%{text}<extra></extra>",
        "name": "Status",
        "showlegend": False,
    }


def _point_columns(points: pd.DataFrame) -> pd.DataFrame:
    """Per point: position, marker size and colour, hover and years, largest first."""
    sizes = marker_sizes(points["measure"], _largest_measure(points))
    order = np.argsort(-sizes, kind="stable")  # small points drawn last, on top
    return pd.DataFrame(
        {
            "lat": points["latitude"].to_numpy()[order],
            "lon": points["longitude"].to_numpy()[order],
            "size": sizes[order],
            "colour": points["group"].map(POINT_GROUPS).to_numpy()[order],
            "text": points["hover"].to_numpy()[order],
            "first_year": points["first_year"].to_numpy()[order],
            "last_year": points["last_year"].to_numpy()[order],
        }
    )


def _point_trace(columns: pd.DataFrame) -> dict:
    """All incident points in one trace, coloured by group.

    One trace that is never empty: a map layer that starts empty is drawn faintly once an
    animation frame fills it, so an invisible anchor point keeps it alive.
    """
    return {
        "type": "scattermap",
        "lat": [MAP_CENTER["lat"], *columns["lat"].tolist()],
        "lon": [MAP_CENTER["lon"], *columns["lon"].tolist()],
        "mode": "markers",
        "marker": {
            "size": [0.0, *columns["size"].tolist()],
            "color": ["#FFFFFF", *columns["colour"].tolist()],
            "opacity": 0.75,
        },
        "text": ["", *columns["text"].tolist()],
        "hovertemplate": "%{text}<extra></extra>",
        "name": "Incidents",
        "showlegend": False,
    }


def _legend_entries() -> list[dict]:
    """Legend-only entries, the same in every frame: status fills, then incident groups."""
    entries = [(STATUS_LABELS[s], c) for s, c in STATUS_COLOURS.items()]
    entries += list(POINT_GROUPS.items())
    return [
        {"type": "scattermap", "lat": [None], "lon": [None], "mode": "markers",
         "marker": {"size": 12, "color": colour}, "name": label, "showlegend": True,
         "hoverinfo": "skip"}
        for label, colour in entries
    ]  # fmt: skip


def _map_layout(height: int) -> dict:
    return {
        "map": {"style": MAP_STYLE, "center": MAP_CENTER, "zoom": MAP_ZOOM},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": height,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 0.0, "x": 0.0,
                   "bgcolor": "rgba(255,255,255,0.8)", "font": {"color": "#222222"}},
        "paper_bgcolor": "rgba(0,0,0,0)",
    }  # fmt: skip


def _unvalidated_figure(
    data: list[dict], layout: dict, frames: list[dict] | None = None
) -> go.Figure:
    """A figure from trace dicts without plotly's per-property validation.

    Validation costs most of the build time of a map with a frame per year; the shapes built here
    are fixed and a test validates them once.
    """
    return go.Figure(data=data, layout=layout, frames=frames, _validate=False)


def make_status_map(
    geometry: dict,
    status: pd.DataFrame,
    points: pd.DataFrame,
    names: dict[str, str],
    height: int = 560,
) -> go.Figure:
    """Countries coloured by status, with incident points on top."""
    data = [
        _status_trace(geometry, _status_columns(status, names)),
        _point_trace(_point_columns(points)),
        *_legend_entries(),
    ]
    return _unvalidated_figure(data, _map_layout(height))


def make_animated_map(
    geometry: dict,
    status_by_year: pd.DataFrame,
    points: pd.DataFrame,
    names: dict[str, str],
    height: int = 600,
) -> go.Figure:
    """One frame per year: status at the year's end and the incidents under way that year.

    The figure carries plotly's own year slider and play button, so stepping through the years
    happens in the browser without a round trip to the server.
    """
    years = sorted(status_by_year["year"].unique())
    status_columns = _status_columns(status_by_year, names)
    rows_of_year = status_by_year.groupby("year").indices
    point_columns = _point_columns(points)

    def status_for(year: int) -> pd.DataFrame:
        return status_columns.iloc[rows_of_year[year]]

    def points_for(year: int) -> dict:
        return _point_trace(point_columns[points_active_in(point_columns, year)])

    # Frames update traces in place, so they carry the changing values but not the geometry.
    frames = [
        {"name": str(year), "data": [_status_values(status_for(year)), points_for(year)]}
        for year in years
    ]
    last = years[-1]
    data = [
        _status_trace(geometry, status_for(last)),
        points_for(last),
        *_legend_entries(),
    ]
    slider_steps = [
        {
            "label": str(year),
            "method": "animate",
            "args": [[str(year)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                   "transition": {"duration": 0}}],
        }
        for year in years
    ]  # fmt: skip
    layout = _map_layout(height)
    layout.update(
        margin={"l": 0, "r": 0, "t": 0, "b": 70},
        sliders=[{"active": len(years) - 1, "steps": slider_steps, "x": 0.1, "len": 0.9,
                  "y": 0, "yanchor": "top", "currentvalue": {"prefix": "Year: "}}],
        updatemenus=[{
            "type": "buttons", "x": 0.0, "y": 0, "yanchor": "top", "xanchor": "left",
            "buttons": [
                {"label": "▶ Play", "method": "animate",
                 "args": [None, {"frame": {"duration": 900, "redraw": True},
                                 "fromcurrent": False, "transition": {"duration": 0}}]},
                {"label": "❚❚ Pause", "method": "animate",
                 "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}]},
            ],
        }],
    )  # fmt: skip
    return _unvalidated_figure(data, layout, frames)


def membership_segments(
    members: pd.DataFrame, withdrawals: pd.DataFrame, last_day: date
) -> pd.DataFrame:
    """Membership spells split where participation was frozen or suspended.

    Columns: country_iso3, status (member / participation_frozen / participation_suspended),
    start, end (open spells end at `last_day`).
    """
    rows = []
    changes = withdrawals[
        withdrawals["status_after"].isin(["participation_frozen", "participation_suspended"])
    ]
    for spell in members[members["role"] == "member"].itertuples():
        end = spell.end_date if not pd.isna(spell.end_date) else pd.Timestamp(last_day)
        inside = changes[
            (changes["country_iso3"] == spell.country_iso3)
            & (changes["step_date"] >= spell.start_date)
            & (changes["step_date"] < end)
        ].sort_values("step_date")
        cursor, status = spell.start_date, "member"
        for step in inside.itertuples():
            if step.step_date > cursor:
                rows.append((spell.country_iso3, status, cursor, step.step_date))
            cursor, status = step.step_date, str(step.status_after)
        rows.append((spell.country_iso3, status, cursor, end))
    return pd.DataFrame(rows, columns=["country_iso3", "status", "start", "end"])


def _iso_dates(values: pd.Series) -> list[str]:
    return values.dt.strftime("%Y-%m-%d").tolist()


def _marker_trace(x: list[str], y: list[str], text: list[str], name: str, symbol: str,
                  colour: str) -> dict:  # fmt: skip
    return {
        "type": "scatter", "x": x, "y": y, "mode": "markers", "name": name,
        "marker": {"symbol": symbol, "size": 11, "color": colour,
                   "line": {"color": "#FFFFFF", "width": 1}},
        "text": text, "hovertemplate": "%{text}<extra></extra>",
    }  # fmt: skip


def _titled(frame: pd.DataFrame, title: str, kind: str, when: str, sources: pd.Series) -> list[str]:
    """Hover text: title, date and kind, first source."""
    first = frame["source_ids"].astype("string").str.split(";").str[0]
    return [
        f"<b>{_escape(t)}</b><br>{pd.Timestamp(d).date()} · {_escape(k)}"
        f"<br>Source: {_escape(sources.get(s, s))}"
        for t, k, d, s in zip(frame[title], frame[kind], frame[when], first, strict=True)
    ]


def _incident_markers(incidents: pd.DataFrame, labels: dict[str, str], sources: pd.Series) -> dict:
    """One marker per incident and state row, or per state and year past AGGREGATE_THRESHOLD."""
    exploded = incidents.assign(code=incidents["countries"].map(split_codes)).explode("code")
    exploded = exploded[exploded["code"].isin(list(labels))]
    name, symbol, colour = "Deployment or clash", "circle", "#009E73"
    if len(exploded) <= AGGREGATE_THRESHOLD:
        return _marker_trace(
            _iso_dates(exploded["start_date"]), exploded["code"].map(labels).tolist(),
            _titled(exploded, "name", "kind", "start_date", sources), name, symbol, colour,
        )  # fmt: skip
    counts = (
        exploded.assign(year=exploded["start_date"].dt.year)
        .groupby(["code", "year"]).size().rename("n").reset_index()
    )  # fmt: skip
    return _marker_trace(
        [f"{year}-07-01" for year in counts["year"]], counts["code"].map(labels).tolist(),
        [f"<b>{n:,} incidents</b> in {year}" for n, year in zip(counts["n"], counts["year"],
                                                                strict=True)],
        name, symbol, colour,
    )  # fmt: skip


def make_timeline(
    segments: pd.DataFrame,
    steps: pd.DataFrame,
    milestones: pd.DataFrame,
    incidents: pd.DataFrame,
    names: dict[str, str],
    source_titles: pd.Series,
    year_range: tuple[int, int],
) -> go.Figure:
    """Spells per state as bars (frozen or suspended hatched), with steps, milestones, events."""
    order = (
        segments.groupby("country_iso3")["start"].min().sort_values(ascending=False).index.tolist()
    )
    labels = {code: names.get(code, code) for code in order}
    milestone_row = "Alliance milestones"
    rows = [*labels.values(), milestone_row]
    data = []
    for status, pattern in (("member", ""), ("participation_frozen", "/"),
                            ("participation_suspended", "x")):  # fmt: skip
        part = segments[segments["status"] == status]
        starts, ends = _iso_dates(part["start"]), _iso_dates(part["end"])
        data.append({
            "type": "bar", "orientation": "h", "name": STATUS_LABELS[status],
            "y": part["country_iso3"].map(labels).tolist(),
            "x": ((part["end"] - part["start"]).dt.total_seconds() * 1000).tolist(),
            "base": starts,
            "marker": {"color": STATUS_COLOURS[status], "pattern": {"shape": pattern}},
            "customdata": [list(pair) for pair in zip(starts, ends, strict=True)],
            "hovertemplate": "%{y}: " + STATUS_LABELS[status]
            + "<br>%{customdata[0]} – %{customdata[1]}<extra></extra>",
        })  # fmt: skip
    data.append(
        _marker_trace(
            _iso_dates(milestones["milestone_date"]), [milestone_row] * len(milestones),
            _titled(milestones, "title", "kind", "milestone_date", source_titles),
            "Milestone", "star", "#000000",
        )
    )  # fmt: skip
    shown_steps = steps[steps["country_iso3"].isin(order)]
    step_text = [
        f"<b>{_escape(a) or names.get(c, c)}</b>: {_escape(k)}<br>{pd.Timestamp(d).date()}"
        f"<br>{_escape(s)}"
        for c, k, d, a, s in zip(shown_steps["country_iso3"], shown_steps["kind"],
                                 shown_steps["step_date"], shown_steps["actor"],
                                 shown_steps["statement"], strict=True)
    ]  # fmt: skip
    data.append(
        _marker_trace(
            _iso_dates(shown_steps["step_date"]), shown_steps["country_iso3"].map(labels).tolist(),
            step_text, "Withdrawal step", "diamond", "#D55E00",
        )
    )  # fmt: skip
    data.append(_incident_markers(incidents, labels, source_titles))
    layout = {
        "barmode": "overlay",
        "height": 120 + 46 * len(rows),
        "xaxis": {"type": "date", "range": [f"{year_range[0]}-01-01", f"{year_range[1]}-12-31"]},
        "yaxis": {"categoryorder": "array", "categoryarray": rows, "title": {"text": ""}},
        "legend": {"orientation": "h", "y": -0.12},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    }
    return _unvalidated_figure(data, layout)


def source_title_lookup(sources: pd.DataFrame) -> pd.Series:
    """source_id -> 'Title (Publisher)' for hover labels."""
    return pd.Series(
        (sources["title"] + " (" + sources["publisher"] + ")").to_numpy(),
        index=sources["source_id"].to_numpy(),
    )
