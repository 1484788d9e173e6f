"""Figure builders: points, aggregation, shapes, and maps and timelines that need no internet."""

from __future__ import annotations

import html
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from components.data import DataPackage
from components.figures import (
    CHART_FONT,
    STATUS_COLOURS,
    _figure_range,
    _rings,
    _unvalidated_figure,
    aggregate_points,
    contingent_summary,
    country_outlines,
    facility_points,
    incident_points,
    make_map_legend,
    make_status_map,
    make_timeline,
    marker_sizes,
    mercator_y,
    points_active_in,
    row_label_width,
)
from components.i18n import ENGLISH, Translator
from components.membership import status_on
from tests.conftest import loaded_of

LAST_DAY = pd.Timestamp("2024-06-30")


def test_incident_points_measure_and_escaped_hover(mini_package: DataPackage) -> None:
    loaded = loaded_of(mini_package)
    points = incident_points(loaded.incidents, loaded.source_titles, loaded.contingents)
    by_hover = dict(
        zip(points["hover"].str.extract(r"<b>(.*?)</b>")[0], points["measure"], strict=True)
    )
    assert by_hover["Unrest in Kazakhstan"] == 227  # best estimate
    assert by_hover["Border clash"] == 140  # no best: the high bound
    assert by_hover["Collective force in Kazakhstan"] == 2100  # personnel, high bound
    assert pd.isna(by_hover["Exercise that was cancelled"])
    assert all("<img" not in h for h in points["hover"])
    assert set(points["category"]) == {"clash", "deployment"}


def test_deployment_hover_says_who_sent_how_many(mini_package: DataPackage) -> None:
    loaded = loaded_of(mini_package)
    sent = contingent_summary(mini_package["contingents"], mini_package.country_names)
    assert not sent.empty
    deployment_id = mini_package["contingents"]["deployment_id"].iloc[0]
    points = incident_points(loaded.incidents, loaded.source_titles, sent)
    hover = points[points["hover"].str.contains("Sent:")]["hover"]
    assert len(hover) >= 1 and sent[deployment_id] in hover.iloc[0]


def test_points_active_in_a_year() -> None:
    points = pd.DataFrame({"first_year": [1992, 2010, 2022], "last_year": [1997, 2010, 2022]})
    assert points_active_in(points, 1995).tolist() == [True, False, False]
    assert points_active_in(points, 2022).tolist() == [False, False, True]


def test_points_merge_past_the_threshold(mini_package: DataPackage) -> None:
    loaded = loaded_of(mini_package)
    many = pd.concat([loaded.incidents] * 500, ignore_index=True)
    merged = incident_points(many, loaded.source_titles, threshold=100)
    assert len(merged) < 10
    whole = incident_points(many, loaded.source_titles, threshold=10**6)
    assert merged["measure"].sum() == whole["measure"].sum()
    assert merged["hover"].str.contains("incidents").all()


def test_aggregate_points_by_cell() -> None:
    rng = np.random.default_rng(1)
    points = pd.DataFrame(
        {
            "latitude": rng.uniform(40.0, 41.99, 5000),
            "longitude": rng.uniform(70.0, 70.99, 5000),
            "first_year": 2021,
            "last_year": 2021,
            "category": "clash",
            "group": "Internal crisis or attack",
            "measure": 1.0,
        }
    )
    merged = aggregate_points(points)
    assert len(merged) == 2  # two 1-degree cells
    assert merged["measure"].sum() == 5000


def test_marker_sizes_grow_with_area() -> None:
    sizes = marker_sizes(pd.Series([None, 0, 25, 100]), largest=100)
    assert sizes[0] == sizes[1] < sizes[2] < sizes[3]
    assert sizes[3] / sizes[0] > 3


def no_geo_traces(figure: go.Figure) -> None:
    """Only cartesian SVG traces: `geo` traces fetch a world file from a CDN, MapLibre ones need
    WebGL."""
    assert {trace.type for trace in figure.data} == {"scatter"}
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.scaleanchor == "x"


def status_map(package: DataPackage, with_bases: bool = True) -> go.Figure:
    loaded = loaded_of(package)
    status = status_on(loaded.history, date(2024, 6, 30), package.country_names)
    points = incident_points(loaded.incidents, loaded.source_titles, loaded.contingents)
    bases = facility_points(package["facilities"], package.country_names, loaded.source_titles)
    return make_status_map(
        country_outlines(package.geometry),
        status,
        points,
        package.country_names,
        bases if with_bases else None,
    )


def test_status_map_draws_offline(mini_package: DataPackage) -> None:
    figure = status_map(mini_package)
    no_geo_traces(figure)
    filled = {trace.uid: trace for trace in figure.data if trace.fill == "toself"}
    assert {"ARM", "KAZ", "never"} <= set(filled)
    assert filled["ARM"].fillcolor == STATUS_COLOURS["participation_frozen"]
    assert filled["ARM"].hoveron == "fills" and "Armenia" in filled["ARM"].text
    # States never in the alliance share one trace, drawn first, without hover.
    assert figure.data[0].uid == "never" and figure.data[0].hoverinfo == "skip"
    assert filled["never"].fillcolor == STATUS_COLOURS["never_member"]


def ring(*corners: tuple[float, float]) -> list[list[float]]:
    return [list(corner) for corner in (*corners, corners[0])]


def test_country_outlines_project_and_turn_the_rings() -> None:
    """Outer rings turn one way and holes the other (SVG's nonzero fill leaves holes empty);
    rings across the antimeridian come east; rings never in reach are left out."""
    square = ring((0, 0), (0, 10), (10, 10), (10, 0))  # clockwise
    hole = ring((2, 2), (4, 2), (4, 4), (2, 4))  # counter-clockwise
    geometry = {
        "features": [
            {
                "properties": {"iso3": "AAA"},
                "geometry": {"type": "Polygon", "coordinates": [square, hole]},
            },
            {
                "properties": {"iso3": "BBB"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [ring((-179, 65), (-170, 65), (-170, 60))],
                        [ring((-100, 30), (-90, 30), (-90, 40))],  # never in view
                    ],
                },
            },
        ]
    }
    outlines = country_outlines(geometry)
    xs, ys = outlines["AAA"]
    split = xs.index(None)
    outer = shapely.LinearRing(list(zip(xs[:split], ys[:split], strict=True)))
    inner = shapely.LinearRing(list(zip(xs[split + 1 :], ys[split + 1 :], strict=True)))
    assert outer.is_ccw and not inner.is_ccw
    assert max(ys[:split]) == pytest.approx(float(mercator_y(np.array([10.0]))[0]), abs=0.01)
    bxs, _ = outlines["BBB"]
    assert None not in bxs and min(bxs) == 181.0 and max(bxs) == 190.0


def test_clashes_and_deployments_differ_in_shape_as_well_as_colour(
    mini_package: DataPackage,
) -> None:
    """Discs for clashes; rings (a white, see-through hole on top) for deployments."""
    traces = {trace.name: trace for trace in status_map(mini_package).data}
    discs, rings, holes = traces["Clashes"], traces["Deployments"], traces["Deployment centres"]
    assert len(discs.y) == 3 and len(rings.y) == 2
    assert list(holes.y) == list(rings.y)
    assert all(h < r for h, r in zip(holes.marker.size, rings.marker.size, strict=True))
    assert holes.marker.color == "#FFFFFF" and 0 < holes.marker.opacity < 1
    order = [trace.name for trace in status_map(mini_package).data]
    assert order.index("Clashes") > order.index("Deployment centres"), "clashes drawn on top"


def test_foreign_bases_are_a_layer_that_can_be_left_out(mini_package: DataPackage) -> None:
    with_bases = [t.name for t in status_map(mini_package, True).data]
    without = [t.name for t in status_map(mini_package, False).data]
    assert "Foreign bases" in with_bases
    assert "Foreign bases" not in without


def test_map_legend_is_its_own_figure_with_the_shapes_of_the_map(
    mini_package: DataPackage,
) -> None:
    """The legend is its own figure (under the map at any width), shapes as on the map."""
    assert status_map(mini_package).layout.showlegend is False
    legend = make_map_legend(True)
    (entries,) = legend.data  # one trace: plotly's set-up cost is per trace
    shapes = dict(zip(entries.text, entries.marker.symbol, strict=True))
    assert shapes["Member"] == "square"
    assert shapes["War or clash between states"] == "circle"
    assert shapes["Operation or mission"] == "circle-open"
    assert shapes["Foreign base"] == "circle-dot"
    assert "Foreign base" not in make_map_legend(False).data[0].text


def timeline(
    package: DataPackage,
    incidents: pd.DataFrame | None = None,
    names: dict[str, str] | None = None,
    t: Translator = ENGLISH,
) -> go.Figure:
    """The package's timeline over 1992-2024 (`incidents` and country `names` if given)."""
    loaded = loaded_of(package)
    return make_timeline(
        loaded.history,
        package["withdrawals"],
        package["milestones"],
        loaded.incidents if incidents is None else incidents,
        package["facilities"],
        package.country_names if names is None else names,
        loaded.source_titles,
        (1992, 2024),
        LAST_DAY,
        t,
    )


def test_timeline_rows_and_markers_by_kind(mini_package: DataPackage) -> None:
    figure = timeline(mini_package)
    names = [trace.name for trace in figure.data]
    assert names[:3] == ["Member", "Participation frozen", "Participation suspended"]
    assert "Alliance" in figure.layout.yaxis.categoryarray
    assert "Foreign base (span)" in names
    groups = {"War or clash between states", "Internal crisis or attack", "Operation or mission"}
    assert groups <= set(names), "events coloured by kind, one legend entry each"
    colours = {trace.marker.color for trace in figure.data if trace.name in groups}
    assert len(colours) == len(groups)
    go.Figure(figure.to_dict())  # built unvalidated for speed: valid all the same


def test_timeline_hover_gives_date_precision(mini_package: DataPackage) -> None:
    texts = [t for trace in timeline(mini_package).data for t in (trace.text or ())]
    assert any("(month known)" in t for t in texts)


def test_timeline_counts_incidents_per_year_when_there_are_many(mini_package: DataPackage) -> None:
    one = loaded_of(mini_package).incidents.iloc[[0]]
    figure = timeline(mini_package, pd.concat([one] * 3000, ignore_index=True))
    markers = figure.data[-1]
    assert len(markers.x) == 1 and markers.text[0] == "<b>3,000 events</b> in 2022"


FIGURES = {
    "map": status_map,
    "map without bases": lambda package: status_map(package, with_bases=False),
    "legend": lambda package: make_map_legend(),
    "timeline": lambda package: timeline(package),
}


@pytest.mark.parametrize("build", FIGURES.values(), ids=FIGURES.keys())
def test_charts_carry_no_template_and_a_revision_of_their_data(
    mini_package: DataPackage, build
) -> None:
    """Drawn without Streamlit's theme, a chart is drawn once per page view only if its figure
    has no template and a data revision it keeps (figures._unvalidated_figure)."""
    figure = build(mini_package)
    spec = figure.to_plotly_json()
    assert spec["layout"].get("template") is None
    assert spec["layout"]["datarevision"] == build(mini_package).layout.datarevision
    assert spec["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)", "the page's background shows"
    assert spec["layout"]["font"]["family"] == CHART_FONT


def test_data_revision_changes_with_the_traces_only() -> None:
    """A chart that keeps its revision is not redrawn: the revision must follow the data."""

    def revision(height: int = 100, **change: object) -> str:
        trace = {"type": "scatter", "x": [1, 2], "y": [3, 4], **change}  # plotly takes it over
        return _unvalidated_figure([trace], {"height": height}).layout.datarevision

    assert revision() == revision() == revision(height=200)
    assert revision() != revision(y=[3, 5])
    assert revision() != revision(name="another")


def test_timeline_leaves_room_for_its_row_names(mini_package: DataPackage) -> None:
    """The margin is given, not measured by plotly (which draws the figure twice to measure)."""
    layout = timeline(mini_package).layout
    assert not layout.yaxis.automargin and not layout.xaxis.automargin
    longest = max(len(html.unescape(row)) for row in layout.yaxis.categoryarray)
    assert layout.margin.l == 16 + 7 * longest
    assert layout.margin.b >= 24, "room for the years under the axis"


@pytest.mark.parametrize(
    ("rows", "width"),
    [(["Russia"], 16 + 7 * 6), (["Кыргызстан", "Alliance"], 16 + 7 * 10), (["A &amp; B"], 16 + 35)],
)
def test_row_label_width_counts_characters_as_shown(rows: list[str], width: int) -> None:
    assert row_label_width(rows) == width


def test_map_figures_pass_plotly_validation(mini_package: DataPackage) -> None:
    """The maps are built without validation for speed; this validates them once."""
    go.Figure(status_map(mini_package).to_dict())


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (None, None, "Deaths: not known"),
        (10, None, "Deaths: 10"),
        (None, 20, "Deaths: up to 20"),
        (10, 10, "Deaths: 10"),
        (1000, 2500, "Deaths: 1,000–2,500"),
        (pd.NA, 5, "Deaths: up to 5"),
        (5, pd.NA, "Deaths: 5"),
    ],
)
def test_figure_ranges_read_well_with_any_bound_missing(low, high, expected: str) -> None:
    assert _figure_range(low, high, "Deaths") == expected


def test_timeline_axis_labels_are_text(mini_package: DataPackage) -> None:
    """A state's name from the data is shown as text on the axis, not as a link or markup."""
    names = {**mini_package.country_names, "ARM": '<a href="http://example.com">Armenia</a>'}
    figure = timeline(mini_package, names=names)
    labels = list(figure.layout.yaxis.categoryarray)
    assert "&lt;a href=&quot;http://example.com&quot;&gt;Armenia&lt;/a&gt;" in labels
    assert not any("<a" in label for label in labels)


def test_map_outlines_keep_the_fergana_enclaves(real_package: DataPackage) -> None:
    """Simplified for the map's scale, but the enclaves the border clashes were fought around
    (Sokh, Shakhimardan: Uzbek; Vorukh: Tajik) are still drawn, as holes in Kyrgyzstan too."""
    features = {f["properties"]["iso3"]: f for f in real_package.geometry["features"]}
    assert len(_rings(features["KGZ"])) == 4  # the country and three holes
    assert len(_rings(features["UZB"])) == 3  # the country, Sokh and Shakhimardan
    assert len(_rings(features["TJK"])) >= 2  # the country and Vorukh
