"""Plotly figures built from frames passed in; no Streamlit, no I/O, no module-level data.

Maps are plain SVG: plotly's cartesian `scatter` traces, countries filled from our own outlines
projected here (Web Mercator), so they draw without any network access and without WebGL. (The
MapLibre traces drew through WebGL: in a browser without a GPU, taking such a map down when the
reader left the page held the page for 250-500 ms, and a browser with WebGL off shows nothing.)
Clashes are discs, deployments rings and foreign bases dotted discs.

Figures style themselves for the light and the dark theme alike (CHART_LAYOUT, and
widgets.CHART_CSS for text colour) and carry no plotly template: see `_unvalidated_figure`.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.io.json import to_json_plotly
from shapely.geometry.polygon import orient

from components.data import split_codes
from components.i18n import ENGLISH, N_, Translator
from components.labels import label

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
# Statuses fill countries; points use hues the fills do not.
STATUS_COLOURS = {
    "member": "#0072B2",
    "participation_frozen": "#E69F00",
    "participation_suspended": "#F0E442",
    "former_member": "#8C8C8C",
    "never_member": "#DADADA",
}
# Group name (English, shown translated) -> colour.
POINT_GROUPS = {
    N_("War or clash between states"): "#D55E00",
    N_("Internal crisis or attack"): "#CC79A7",
    N_("Operation or mission"): "#009E73",
    # Mid grey, not Okabe-Ito black: it must show on the dark theme's background too.
    N_("Exercise or special operation"): "#7A7A7A",
}
FACILITY_COLOUR = "#332288"
POINT_GROUP_OF_KIND = {
    "interstate_war": "War or clash between states",
    "border_clash": "War or clash between states",
    "incursion": "War or clash between states",
    "civil_war": "Internal crisis or attack",
    "insurgency": "Internal crisis or attack",
    "internal_unrest": "Internal crisis or attack",
    "coup_or_mutiny": "Internal crisis or attack",
    "terrorist_attack": "Internal crisis or attack",
    "peacekeeping_operation": "Operation or mission",
    "collective_operation": "Operation or mission",
    "logistics_assistance": "Operation or mission",
    "fact_finding_mission": "Operation or mission",
    "observer_mission": "Operation or mission",
    "exercise": "Exercise or special operation",
    "exercise_cancelled": "Exercise or special operation",
    "exercise_moved": "Exercise or special operation",
    "special_operation": "Exercise or special operation",
}
# Timeline event colours by kind group (the same groups as the map), plus the alliance's own.
MILESTONE_COLOUR = "#56B4E9"
STEP_COLOUR = "#D55E00"
# What the map shows at first, in degrees: central Europe to the Bering Strait, the Gulf to the
# Arctic coast (plotly widens one of them to fit the frame).
MAP_LONGITUDES, MAP_LATITUDES = (8.0, 180.0), (22.0, 74.0)
# Rings wholly outside this box are never in view, even panned: they are not sent. Rings wholly
# west of the box's west edge are moved 360 degrees east (Chukotka and Alaska, beside Russia).
_REACH_LONGITUDES, _REACH_LATITUDES = (-30.0, 200.0), (-10.0, 86.0)
_OUTLINE_DECIMALS = 2  # 0.01 degree: a fraction of a pixel at the map's scale
# Outlines as the map draws them: simplified to 0.1 degree (under a pixel across the first view,
# a third of the points to draw), islands and enclaves under 0.003 square degrees (about 25 km2)
# left out. The Fergana valley's enclaves Sokh, Vorukh and Shakhimardan stay.
_SIMPLIFY_DEGREES, _MIN_RING_AREA = 0.1, 0.003
AGGREGATE_THRESHOLD = 2_000
_MIN_MARKER, _MAX_MARKER = 8.0, 34.0
_RING_HOLE = 0.55  # inner diameter of a ring, as a share of the outer
_FACILITY_SIZE, _FACILITY_DOT = 11.0, 4.0
LAYERS = ("clashes", "deployments", "facilities")
# What Streamlit's chart theme gave: its body font at its chart size, and a grid that shows on
# either background. Text colour comes from the page (widgets.CHART_CSS); backgrounds stay clear.
CHART_FONT = '"Source Sans", sans-serif'
GRID_COLOUR = "rgba(128, 128, 128, 0.25)"
# An average character of the chart's font at its size, and a gap before the axis, in pixels.
_CHAR_WIDTH, _LABEL_PAD = 7, 16
CHART_LAYOUT: dict[str, Any] = {
    "font": {"family": CHART_FONT, "size": 12},
    "hoverlabel": {"font": {"family": CHART_FONT}},
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def _escape(value: object) -> str:
    """Data text made safe for plotly's HTML-like hover labels."""
    return "" if pd.isna(value) else html.escape(str(value))


def _figures(low: object, high: object, t: Translator) -> str | None:
    """The figures as known: "10–20", "10", "up to 20", or None when neither bound is."""
    if pd.isna(low) and pd.isna(high):
        return None
    # The bounds are pandas cells (numbers or NA): int() below only ever gets a number, which
    # their `object` type cannot say, hence the call-overload ignores.
    if pd.isna(low):
        return t.gettext("up to %(high)s", high=t.number(int(high)))  # type: ignore[call-overload]
    if pd.isna(high) or low == high:
        return t.number(int(low))  # type: ignore[call-overload]
    return t.number_range(int(low), int(high))  # type: ignore[call-overload]


def _figure_range(low: object, high: object, unit: str, t: Translator = ENGLISH) -> str:
    """A figure with its unit: "Deaths: 10–20", "Deaths: up to 20" or "Deaths: not known"."""
    figures = _figures(low, high, t)
    if figures is None:
        return t.gettext("%(what)s: not known", what=unit)
    return t.gettext("%(what)s: %(figures)s", what=unit, figures=figures)


def contingent_summary(
    contingents: pd.DataFrame, names: Mapping[str, str], t: Translator = ENGLISH
) -> pd.Series:
    """deployment_id -> "Russia 1,200–1,500; Armenia 100; Kyrgyzstan (no figure)", plain text."""

    def one(row: pd.Series) -> str:
        name = names.get(row["country_iso3"], row["country_iso3"])
        figures = _figures(row["personnel_low"], row["personnel_high"], t)
        if figures is None:
            return t.gettext("%(country)s (no figure)", country=name)
        return t.gettext("%(country)s %(figures)s", country=name, figures=figures)

    if contingents.empty:
        return pd.Series(dtype="string")
    parts = contingents.apply(one, axis=1)
    return parts.groupby(contingents["deployment_id"].to_numpy()).agg("; ".join)


def _title_line(name: object, kind: object, t: Translator) -> str:
    """ "<b>Name</b> (Kind)", name and kind escaped."""
    return t.gettext("<b>%(name)s</b> (%(kind)s)", name=_escape(name), kind=_escape(label(kind, t)))


def _source_line(title: object, t: Translator) -> str:
    return t.gettext("Source: %(source)s", source=_escape(title))


def _hover_texts(
    incidents: pd.DataFrame, source_titles: pd.Series, contingents: pd.Series, t: Translator
) -> list[str]:
    """One hover label per incident: name, place and dates, figures, response, first source."""
    first_source = incidents["source_ids"].astype("string").str.split(";").str[0]
    names = t.names(incidents["name"], incidents.get("name_ru"))
    texts = []
    for row, name, source in zip(incidents.itertuples(), names, first_source, strict=True):
        lines = [
            _title_line(name, row.kind, t),
            f"{_escape(row.place_name)} · {t.dates(row.start_date, row.end_date)}",
        ]
        if row.category == "clash":
            deaths = t.gettext("Fatalities")
            lines.append(_figure_range(row.fatalities_low, row.fatalities_high, deaths, t))
            lines.append(
                t.gettext("Alliance: %(response)s", response=_escape(label(row.response, t)))
            )
        else:
            personnel = t.gettext("Personnel")
            lines.append(_figure_range(row.personnel_low, row.personnel_high, personnel, t))
            sent = contingents.get(row.incident_id)
            if sent:
                lines.append(t.gettext("Sent: %(contingents)s", contingents=_escape(sent)))
        lines.append(_source_line(source_titles.get(source, source), t))
        texts.append("<br>".join(lines))
    return texts


def incident_points(
    incidents: pd.DataFrame,
    source_titles: pd.Series,
    contingents: pd.Series | None = None,
    threshold: int = AGGREGATE_THRESHOLD,
    t: Translator = ENGLISH,
) -> pd.DataFrame:
    """Map points of incidents: position, years, category, colour group, size measure and hover.

    `source_titles` maps source_id to a short title; `contingents` maps deployment_id to who
    sent how many (`contingent_summary`). The size measure is fatalities (best, else high, else
    low) for clashes and personnel (high, else low) for deployments. Past `threshold` incidents,
    nearby points are merged (`aggregate_points`) before any label is written.
    """
    is_clash = (incidents["category"] == "clash").to_numpy()
    fatalities = _first_known(incidents, ["fatalities_best", "fatalities_high", "fatalities_low"])
    personnel = _first_known(incidents, ["personnel_high", "personnel_low"])
    # Numbers and categoricals only: at a million incidents, a column of Python strings would
    # hold tens of MB per column for every map drawn.
    points = pd.DataFrame(
        {
            "latitude": incidents["latitude"].to_numpy(),
            "longitude": incidents["longitude"].to_numpy(),
            "first_year": incidents["start_date"].dt.year.to_numpy(),
            "last_year": incidents["end_date"].fillna(incidents["start_date"]).dt.year.to_numpy(),
            "category": pd.Categorical(incidents["category"]),
            "group": _point_groups(incidents["kind"]),
            "measure": np.where(is_clash, fatalities, personnel),
        }
    )
    if len(points) > threshold:
        return aggregate_points(points, t)
    sent = pd.Series(dtype="string") if contingents is None else contingents
    return points.assign(hover=_hover_texts(incidents, source_titles, sent, t))


def _first_known(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Per row, the first of `columns` that holds a number, as floats (NaN when none does)."""
    values: np.ndarray = frame[columns[0]].to_numpy(dtype="float64", na_value=np.nan)
    for column in columns[1:]:
        values = np.where(
            np.isnan(values), frame[column].to_numpy(dtype="float64", na_value=np.nan), values
        )
    return values


def _point_groups(kinds: pd.Series) -> pd.Categorical:
    """The map's colour group of each incident kind (POINT_GROUP_OF_KIND; missing when the kind
    has none), as a categorical of the groups in alphabetical order."""
    kinds = kinds.astype("category")
    dtype = pd.CategoricalDtype(sorted(set(POINT_GROUP_OF_KIND.values())))
    groups = [POINT_GROUP_OF_KIND.get(str(kind)) for kind in kinds.cat.categories]
    of_kind = np.append(dtype.categories.get_indexer(groups), -1)
    return pd.Categorical.from_codes(of_kind[kinds.cat.codes.to_numpy()], dtype=dtype)


def facility_points(
    facilities: pd.DataFrame,
    names: Mapping[str, str],
    source_titles: pd.Series,
    t: Translator = ENGLISH,
) -> pd.DataFrame:
    """Map points of foreign bases and presence: position, years and hover text."""
    first_source = facilities["source_ids"].astype("string").str.split(";").str[0]
    titles = t.names(facilities["name"], facilities.get("name_ru"))
    hover = []
    for row, title, source in zip(facilities.itertuples(), titles, first_source, strict=True):
        operator = names.get(row.operator_iso3, row.operator_iso3)
        host = names.get(row.host_iso3, row.host_iso3)
        lines = [
            _title_line(title, row.kind, t),
            t.gettext(
                "%(operator)s in %(host)s · %(place)s",
                operator=_escape(operator),
                host=_escape(host),
                place=_escape(row.place_name),
            ),
            t.dates(row.start_date, row.end_date),
        ]
        if not pd.isna(row.term_until):
            lines.append(t.gettext("Agreement runs to %(year)s", year=int(row.term_until)))
        if not (pd.isna(row.personnel_low) and pd.isna(row.personnel_high)):
            personnel = t.gettext("Personnel")
            lines.append(_figure_range(row.personnel_low, row.personnel_high, personnel, t))
        lines.append(_source_line(source_titles.get(source, source), t))
        hover.append("<br>".join(lines))
    return pd.DataFrame(
        {
            "latitude": facilities["latitude"].to_numpy(),
            "longitude": facilities["longitude"].to_numpy(),
            "first_year": facilities["start_date"].dt.year.to_numpy(),
            "last_year": facilities["end_date"].dt.year.fillna(9999).astype(int).to_numpy(),
            "hover": hover,
        }
    )


def aggregate_points(points: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    """One point per 1-degree cell, category, colour group and years.

    An aggregated point sits at its cell's mean position; its measure is the sum, and its hover
    says how many incidents it stands for.
    """
    cells = points.assign(
        cell_lat=np.floor(points["latitude"]), cell_lon=np.floor(points["longitude"]), n=1
    )
    keys = ["cell_lat", "cell_lon", "category", "group", "first_year", "last_year"]
    grouped = cells.groupby(keys, observed=True).agg(
        latitude=("latitude", "mean"),
        longitude=("longitude", "mean"),
        measure=("measure", "sum"),
        n=("n", "sum"),
    )
    grouped = grouped.reset_index()
    groups = {group: html.escape(t.gettext(group)) for group in POINT_GROUPS}
    grouped["hover"] = [
        t.ngettext(
            "<b>%(n)s incident (%(group)s, %(first)s–%(last)s)</b><br>near %(lat)s°N "
            "%(lon)s°E<br>total: %(total)s",
            "<b>%(n)s incidents (%(group)s, %(first)s–%(last)s)</b><br>near %(lat)s°N "
            "%(lon)s°E<br>total: %(total)s",
            int(n),
            group=groups.get(group, html.escape(str(group))),
            first=first,
            last=last,
            lat=t.number(lat, 1),
            lon=t.number(lon, 1),
            total=t.number(round(measure)),
        )
        for n, group, first, last, lat, lon, measure in zip(
            grouped["n"],
            grouped["group"],
            grouped["first_year"],
            grouped["last_year"],
            grouped["latitude"],
            grouped["longitude"],
            grouped["measure"].fillna(0),
            strict=True,
        )
    ]
    columns = ["latitude", "longitude", "first_year", "last_year", "category", "group"]
    return grouped[[*columns, "measure", "hover"]]


def points_active_in(points: pd.DataFrame, year: int) -> pd.Series:
    """Points whose incident or presence was under way at some time in `year`."""
    return (points["first_year"] <= year) & (points["last_year"] >= year)


def _largest_measure(points: pd.DataFrame) -> float:
    """The largest known measure, the reference for marker sizes (0 when none is known)."""
    largest = pd.to_numeric(points["measure"], errors="coerce").max() if len(points) else 0
    return 0.0 if pd.isna(largest) else float(largest)


def marker_sizes(measure: pd.Series, largest: float) -> np.ndarray:
    """Marker diameters: area proportional to the measure; unknown measures get the smallest."""
    values: np.ndarray = (
        pd.to_numeric(measure, errors="coerce").astype("float64").fillna(0.0).to_numpy()
    )
    scale = np.sqrt(values / largest) if largest > 0 else np.zeros_like(values)
    return _MIN_MARKER + (_MAX_MARKER - _MIN_MARKER) * scale


Outline = tuple[list[float | None], list[float | None]]


def mercator_y(latitude: np.ndarray) -> np.ndarray:
    """Web Mercator's northing of `latitude` (degrees), in degrees of longitude at the equator."""
    y: np.ndarray = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(latitude) / 2)))
    return y


def _eastern(longitude: np.ndarray) -> np.ndarray:
    """Longitudes of a ring that lies wholly west of the map's reach, moved 360 degrees east."""
    shifted: np.ndarray = longitude + 360.0 if longitude.max() < _REACH_LONGITUDES[0] else longitude
    return shifted


def _rings(feature: Mapping[str, Any]) -> list[np.ndarray]:
    """A feature's rings as drawn at the map's scale: simplified, islands and holes smaller
    than `_MIN_RING_AREA` left out, outer rings counter-clockwise and holes clockwise (so that
    SVG's nonzero fill leaves holes empty)."""
    shape = shapely.geometry.shape(feature["geometry"])
    polygons = shape.geoms if isinstance(shape, shapely.MultiPolygon) else [shape]
    rings = []
    for polygon in polygons:
        if polygon.area < _MIN_RING_AREA:
            continue
        simple = orient(polygon.simplify(_SIMPLIFY_DEGREES, preserve_topology=True), sign=1.0)
        rings.append(np.asarray(simple.exterior.coords))
        rings += [
            np.asarray(hole.coords)
            for hole in simple.interiors
            if shapely.Polygon(hole).area >= _MIN_RING_AREA
        ]
    return rings


def country_outlines(geometry: Mapping[str, Any]) -> dict[str, Outline]:
    """Each country's rings projected for the map, as x and y lists with None between rings.

    Rings that can never be in view are left out (see `_REACH_LONGITUDES`).
    """
    outlines: dict[str, Outline] = {}
    for feature in geometry["features"]:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for points in _rings(feature):
            longitude, latitude = _eastern(points[:, 0]), points[:, 1]
            if (
                longitude.max() < _REACH_LONGITUDES[0]
                or longitude.min() > _REACH_LONGITUDES[1]
                or latitude.max() < _REACH_LATITUDES[0]
                or latitude.min() > _REACH_LATITUDES[1]
            ):
                continue
            if xs:
                xs.append(None)
                ys.append(None)
            xs += np.round(longitude, _OUTLINE_DECIMALS).tolist()
            ys += np.round(mercator_y(latitude), _OUTLINE_DECIMALS).tolist()
        if xs:
            code = str(feature["properties"]["iso3"])
            previous = outlines.get(code, ([], []))
            joiner: list[float | None] = [None] if previous[0] else []
            outlines[code] = (previous[0] + joiner + xs, previous[1] + joiner + ys)
    return outlines


def _filled(xs: list[float | None], ys: list[float | None], colour: str) -> dict[str, Any]:
    """A filled outline without hover (the hover is set by the caller where there is one)."""
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": colour,
        "line": {"color": "#FFFFFF", "width": 0.8},
        "opacity": 0.9,
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _status_traces(
    outlines: Mapping[str, Outline],
    status: pd.DataFrame,
    names: Mapping[str, str],
    t: Translator,
) -> list[dict[str, Any]]:
    """States filled by status. Each state that was ever in the alliance is a trace of its own,
    whose hover names it, its status and since when; the states never in it share one trace
    without hover (plotly's cost in the browser grows with the number of traces)."""
    traces = []
    never_x: list[float | None] = []
    never_y: list[float | None] = []
    for code, state, since in zip(
        status["country_iso3"].astype(str),
        status["status"].astype(str),
        status["since"],
        strict=True,
    ):
        if code not in outlines:
            continue
        xs, ys = outlines[code]
        if state == "never_member":
            joiner: list[float | None] = [None] if never_x else []
            never_x += joiner + xs
            never_y += joiner + ys
            continue
        hover = (
            "<b>"
            + html.escape(names.get(code, code))
            + "</b><br>"
            + (
                label(state, t)
                if pd.isna(since)
                else t.gettext(
                    "%(status)s since %(date)s",
                    status=label(state, t),
                    date=t.date(since, "medium"),
                )
            )
        )
        traces.append(
            {
                **_filled(xs, ys, STATUS_COLOURS[state]),
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": hover,
                "uid": code,  # never shown: the hover names the state
            }
        )
    if never_x:
        # Drawn first, under the others: a shared border shows the alliance state's edge.
        traces.insert(
            0, {**_filled(never_x, never_y, STATUS_COLOURS["never_member"]), "uid": "never"}
        )
    return traces


def _circles(
    at: pd.DataFrame,
    size: Sequence[float] | pd.Series,
    colour: Sequence[str] | str,
    name: str,
    hover: pd.Series | None = None,
    opacity: float = 0.8,
) -> dict[str, Any]:
    """One trace of circles at `at`'s latitude and longitude, projected (no hover if None)."""
    longitude = at["longitude"].to_numpy(dtype="float64")
    trace = {
        "type": "scatter",
        "x": np.where(longitude < _REACH_LONGITUDES[0], longitude + 360.0, longitude).tolist(),
        "y": np.round(mercator_y(at["latitude"].to_numpy(dtype="float64")), 4).tolist(),
        "mode": "markers",
        "marker": {"size": list(size), "color": colour, "opacity": opacity, "line": {"width": 0}},
        "name": name,
        "showlegend": False,
    }
    if hover is None:
        trace["hoverinfo"] = "skip"
    else:
        trace["text"] = hover.tolist()
        trace["hovertemplate"] = "%{text}<extra></extra>"
    return trace


def _point_traces(points: pd.DataFrame, facilities: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Deployments as rings, clashes as discs on top, foreign bases as dotted discs.

    Rings first and clashes over them (80% opaque): a ring larger than a disc shows around it,
    and a disc in a ring's half see-through hole shows through. Small points lie over large ones.
    """
    sizes = marker_sizes(points["measure"], _largest_measure(points))
    order = np.argsort(-sizes, kind="stable")
    ordered = points.iloc[order].assign(size=sizes[order])
    ordered = ordered.assign(colour=ordered["group"].map(POINT_GROUPS))
    rings = ordered[ordered["category"] == "deployment"]
    discs = ordered[ordered["category"] == "clash"]
    traces = [
        _circles(
            rings, rings["size"], rings["colour"].tolist(), "Deployments", rings["hover"], 0.95
        ),
        _circles(rings, rings["size"] * _RING_HOLE, "#FFFFFF", "Deployment centres", None, 0.7),
        _circles(discs, discs["size"], discs["colour"].tolist(), "Clashes", discs["hover"]),
    ]
    if facilities is not None:
        n = len(facilities)
        traces += [
            _circles(
                facilities,
                [_FACILITY_SIZE] * n,
                FACILITY_COLOUR,
                "Foreign bases",
                facilities["hover"],
                0.95,
            ),
            _circles(facilities, [_FACILITY_DOT] * n, "#FFFFFF", "Base centres", None, 1.0),
        ]
    return traces


LEGEND_COLUMNS = 2


def make_map_legend(with_facilities: bool = True, t: Translator = ENGLISH) -> go.Figure:
    """The map's legend as its own small figure, drawn under the map at any width.

    Shapes as on the map: filled squares for status fills, discs for clashes, rings for
    deployments and exercises, dotted discs for foreign bases. Two columns fit a phone's width.
    """
    entries = [(label(s, t), "square", c) for s, c in STATUS_COLOURS.items()]
    for group, colour in POINT_GROUPS.items():
        shape = "circle" if group.startswith(("War", "Internal")) else "circle-open"
        entries.append((t.gettext(group), shape, colour))
    if with_facilities:
        entries.append((t.gettext("Foreign base"), "circle-dot", FACILITY_COLOUR))
    rows = -(-len(entries) // LEGEND_COLUMNS)
    names, shapes, colours = zip(*entries, strict=True)
    # One trace for every entry: plotly's set-up cost is per trace.
    data = [
        {
            "type": "scatter",
            "x": [i // rows for i in range(len(entries))],
            "y": [-(i % rows) for i in range(len(entries))],
            "mode": "markers+text",
            "marker": {
                "symbol": list(shapes),
                "size": 13,
                "color": list(colours),
                "line": {"color": list(colours), "width": 2.5},
            },
            "text": list(names),
            "textposition": "middle right",
            "hoverinfo": "skip",
            "showlegend": False,
            "cliponaxis": False,
        }
    ]
    hidden = {"visible": False, "fixedrange": True}
    layout = {
        "height": 24 * rows + 16,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "xaxis": {**hidden, "range": [-0.05, LEGEND_COLUMNS]},
        "yaxis": {**hidden, "range": [-rows + 0.5, 0.5]},
    }
    return _unvalidated_figure(data, layout)


def _map_layout(height: int) -> dict[str, Any]:
    """The map alone: its legend is a figure of its own (make_map_legend), never over it."""
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return {
        "xaxis": {**hidden, "range": list(MAP_LONGITUDES)},
        # One degree east as long as one Mercator degree north; plotly widens whichever range
        # the frame leaves room for, so the whole view shows at any width.
        "yaxis": {
            **hidden,
            "range": mercator_y(np.array(MAP_LATITUDES)).round(4).tolist(),
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        "dragmode": "pan",
        "hovermode": "closest",
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "height": height,
        "showlegend": False,
    }


def _unvalidated_figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from trace dicts without plotly's per-property validation, styled by
    CHART_LAYOUT, with no template and a data revision that names its traces' content.

    Validation costs most of the build time of a map; the shapes built here are fixed and a test
    validates them once. Why no template and a revision: Streamlit's chart sets its figure again
    once it is on the page, and plotly then draws the whole figure a second time unless the
    figure has no template (Streamlit makes its own every figure's default) and a `datarevision`
    it has seen before. That second drawing was a quarter of the time to open the Timeline.
    """
    revision = hashlib.blake2b(to_json_plotly(data).encode(), digest_size=8)
    figure = go.Figure(
        data=data,
        layout={**CHART_LAYOUT, **layout, "datarevision": revision.hexdigest()},
        _validate=False,
    )
    figure.layout.pop("template")
    return figure


def make_status_map(
    outlines: Mapping[str, Outline],
    status: pd.DataFrame,
    points: pd.DataFrame,
    names: Mapping[str, str],
    facilities: pd.DataFrame | None = None,
    height: int = 560,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Countries coloured by status, with incident points and (if given) foreign bases on top.

    `outlines`: the country shapes as `country_outlines` projects them.
    """
    data = [*_status_traces(outlines, status, names, t), *_point_traces(points, facilities)]
    return _unvalidated_figure(data, _map_layout(height))


def _iso_dates(values: pd.Series) -> list[str]:
    return cast(list[str], values.dt.strftime("%Y-%m-%d").tolist())


def _marker_trace(
    x: list[str], y: list[str], text: list[str], name: str, symbol: str, colour: str
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "markers",
        "name": name,
        "legendgroup": name,
        "marker": {
            "symbol": symbol,
            "size": 11,
            "color": colour,
            "line": {"color": "#FFFFFF", "width": 1},
        },
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
    }


def _when(dates: pd.Series, precisions: pd.Series, t: Translator = ENGLISH) -> list[str]:
    """Dates as precise as they are known: 22 Feb 2024, Feb 2024 (month known) or 2024 (year
    known)."""
    texts = []
    for d, p in zip(dates, precisions, strict=True):
        if p == "month":
            texts.append(t.gettext("%(date)s (month known)", date=t.month(d)))
        elif p == "year":
            texts.append(t.gettext("%(date)s (year known)", date=pd.Timestamp(d).year))
        else:
            texts.append(t.date(d, "medium"))
    return texts


def _event_texts(
    frame: pd.DataFrame,
    titles: pd.Series,
    when: str,
    source_titles: pd.Series,
    t: Translator,
) -> list[str]:
    """Hover text: title, kind, date with its precision, first source."""
    first = frame["source_ids"].astype("string").str.split(";").str[0]
    dates = _when(frame[when], frame[f"{when}_precision"], t)
    return [
        f"<b>{_escape(title)}</b><br>{_escape(label(k, t))} · {d}<br>"
        + _source_line(source_titles.get(s, s), t)
        for title, k, d, s in zip(titles, frame["kind"], dates, first, strict=True)
    ]


def _incident_markers(
    incidents: pd.DataFrame, rows: Mapping[str, str], source_titles: pd.Series, t: Translator
) -> list[dict[str, Any]]:
    """One trace per point group (coloured as on the map): a marker per incident and state.

    Past AGGREGATE_THRESHOLD markers, one marker per state, year and group counts them.
    """
    exploded = incidents.assign(code=incidents["countries"].map(split_codes)).explode("code")
    exploded = exploded[exploded["code"].isin(list(rows))]
    exploded = exploded.assign(group=exploded["kind"].astype("string").map(POINT_GROUP_OF_KIND))
    symbol = {"clash": "circle", "deployment": "circle-open"}
    traces = []
    many = len(exploded) > AGGREGATE_THRESHOLD
    for group, colour in POINT_GROUPS.items():
        part = exploded[exploded["group"] == group]
        if part.empty:
            continue
        shape = symbol[str(part["category"].iloc[0])]
        if many:
            counts = (
                part.assign(year=part["start_date"].dt.year)
                .groupby(["code", "year"])
                .size()
                .rename("n")
                .reset_index()
            )
            x = [f"{year}-07-01" for year in counts["year"]]
            y = counts["code"].map(rows).tolist()
            text = [
                t.ngettext(
                    "<b>%(n)s event</b> in %(year)s",
                    "<b>%(n)s events</b> in %(year)s",
                    int(n),
                    year=year,
                )
                for n, year in zip(counts["n"], counts["year"], strict=True)
            ]
        else:
            x = _iso_dates(part["start_date"])
            y = part["code"].map(rows).tolist()
            titles = t.names(part["name"], part.get("name_ru"))
            text = _event_texts(part, titles, "start_date", source_titles, t)
        traces.append(_marker_trace(x, y, text, t.gettext(group), shape, colour))
    return traces


def make_timeline(
    history: pd.DataFrame,
    steps: pd.DataFrame,
    milestones: pd.DataFrame,
    incidents: pd.DataFrame,
    facilities: pd.DataFrame,
    names: Mapping[str, str],
    source_titles: pd.Series,
    year_range: tuple[int, int],
    last_day: pd.Timestamp,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Status periods per state as bars, with steps, milestones, events and foreign bases.

    Every kind of marker is its own legend entry, so a click on the legend hides or shows it.
    """
    spells = history[history["status"] != "former_member"]
    order = spells.groupby("country_iso3")["start"].min().sort_values(ascending=False).index
    # Axis labels are drawn as plotly's HTML-like text: names from the data are escaped.
    rows = {code: _escape(names.get(code, code)) for code in order}
    milestone_row = _escape(t.gettext("Alliance"))
    data = []
    for status, pattern in (
        ("member", ""),
        ("participation_frozen", "/"),
        ("participation_suspended", "x"),
    ):
        part = spells[spells["status"] == status]
        ends = part["end"].fillna(last_day)
        starts = _iso_dates(part["start"])
        shown = [
            [t.date(s, "medium"), t.date(e, "medium")]
            for s, e in zip(part["start"], ends, strict=True)
        ]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label(status, t),
                "y": part["country_iso3"].map(rows).tolist(),
                "x": ((ends - part["start"]).dt.total_seconds() * 1000).tolist(),
                "base": starts,
                "marker": {"color": STATUS_COLOURS[status], "pattern": {"shape": pattern}},
                "customdata": shown,
                "hovertemplate": "%{y}: "
                + _escape(label(status, t))
                + "<br>%{customdata[0]} – %{customdata[1]}<extra></extra>",
            }
        )
    shown_facilities = facilities[facilities["host_iso3"].isin(list(rows))]
    if not shown_facilities.empty:
        ends = shown_facilities["end_date"].fillna(last_day)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": t.gettext("Foreign base (span)"),
                "legendgroup": "facilities",
                "x": [
                    v
                    for s, e in zip(
                        _iso_dates(shown_facilities["start_date"]), _iso_dates(ends), strict=True
                    )
                    for v in (s, e, None)
                ],
                "y": [v for c in shown_facilities["host_iso3"] for v in (rows[c], rows[c], None)],
                "line": {"color": FACILITY_COLOUR, "width": 3, "dash": "dot"},
                "hoverinfo": "skip",
            }
        )
        data.append(
            _marker_trace(
                _iso_dates(shown_facilities["start_date"]),
                shown_facilities["host_iso3"].map(rows).tolist(),
                _event_texts(
                    shown_facilities,
                    t.names(shown_facilities["name"], shown_facilities.get("name_ru")),
                    "start_date",
                    source_titles,
                    t,
                ),
                t.gettext("Foreign base (start)"),
                "square",
                FACILITY_COLOUR,
            )
        )
    data.append(
        _marker_trace(
            _iso_dates(milestones["milestone_date"]),
            [milestone_row] * len(milestones),
            _event_texts(
                milestones,
                t.names(milestones["title"], milestones.get("name_ru")),
                "milestone_date",
                source_titles,
                t,
            ),
            t.gettext("Alliance milestone or session"),
            "star",
            MILESTONE_COLOUR,
        )
    )
    shown_steps = steps[steps["country_iso3"].isin(list(rows))]
    dates = _when(shown_steps["step_date"], shown_steps["step_date_precision"], t)
    step_text = [
        f"<b>{_escape(a) or _escape(names.get(c, c))}</b>: {_escape(label(k, t))}<br>{d}"
        f"<br>{_escape(s)}"
        for c, k, d, a, s in zip(
            shown_steps["country_iso3"],
            shown_steps["kind"],
            dates,
            shown_steps["actor"],
            shown_steps["statement"],
            strict=True,
        )
    ]
    data.append(
        _marker_trace(
            _iso_dates(shown_steps["step_date"]),
            shown_steps["country_iso3"].map(rows).tolist(),
            step_text,
            t.gettext("Step reducing participation"),
            "diamond",
            STEP_COLOUR,
        )
    )
    data += _incident_markers(incidents, rows, source_titles, t)
    all_rows = [*rows.values(), milestone_row]
    layout = {
        "barmode": "overlay",
        "height": 160 + 40 * len(all_rows),
        "xaxis": {
            "type": "date",
            "range": [f"{year_range[0]}-01-01", f"{year_range[1]}-12-31"],
            "gridcolor": GRID_COLOUR,
            **_date_ticks(year_range, t),
        },
        "yaxis": {
            "categoryorder": "array",
            "categoryarray": all_rows,
            "title": {"text": ""},
            "gridcolor": GRID_COLOUR,
        },
        # Above the plot: below it, the legend would cover the year labels.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "margin": {"l": row_label_width(all_rows), "r": 10, "t": 10, "b": 30},
    }
    return _unvalidated_figure(data, layout)


def row_label_width(rows: Sequence[str]) -> int:
    """Pixels of left margin that hold the longest row name at the chart's font.

    Given, not measured: plotly's own measuring (an axis's `automargin`) draws the whole figure
    a second time, which was a third of the time to draw the timeline.
    """
    return _LABEL_PAD + _CHAR_WIDTH * max((len(html.unescape(row)) for row in rows), default=0)


def _date_ticks(year_range: tuple[int, int], t: Translator) -> dict[str, object]:
    """Year ticks with a grid; over a short range, months (as numbers outside English: plotly's
    month names are English only)."""
    short = "%b %Y" if t.lang == "en" else "%m.%Y"
    fmt = "%Y" if year_range[1] - year_range[0] >= 2 else short
    return {"tickformat": fmt, "nticks": 12, "showgrid": True}


def source_title_lookup(sources: pd.DataFrame) -> pd.Series:
    """source_id -> 'Title (Publisher)' for hover labels."""
    return pd.Series(
        (sources["title"] + " (" + sources["publisher"] + ")").to_numpy(),
        index=sources["source_id"].to_numpy(),
    )
