"""Figure builders: points, aggregation, segments, and maps that need no internet."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from components.status import status_by_year, status_on

from components.data import DataPackage
from components.figures import (
    aggregate_points,
    incident_points,
    make_animated_map,
    make_status_map,
    make_timeline,
    marker_sizes,
    membership_segments,
    points_active_in,
    source_title_lookup,
)
from tests.conftest import incidents_of


def test_incident_points_measure_and_escaped_hover(mini_package: DataPackage) -> None:
    points = incident_points(
        incidents_of(mini_package), source_title_lookup(mini_package["sources"])
    )
    by_hover = dict(
        zip(points["hover"].str.extract(r"<b>(.*?)</b>")[0], points["measure"], strict=True)
    )
    assert by_hover["Unrest in Kazakhstan"] == 227  # best estimate
    assert by_hover["Border clash"] == 140  # no best: the high bound
    assert by_hover["Collective force in Kazakhstan"] == 2100  # personnel, high bound
    assert pd.isna(by_hover["Exercise that was cancelled"])
    assert all("<img" not in h for h in points["hover"])


def test_points_active_in_a_year(mini_package: DataPackage) -> None:
    points = pd.DataFrame({"first_year": [1992, 2010, 2022], "last_year": [1997, 2010, 2022]})
    assert points_active_in(points, 1995).tolist() == [True, False, False]
    assert points_active_in(points, 2022).tolist() == [False, False, True]


def test_points_merge_past_the_threshold(mini_package: DataPackage) -> None:
    titles = source_title_lookup(mini_package["sources"])
    many = pd.concat([incidents_of(mini_package)] * 500, ignore_index=True)
    merged = incident_points(many, titles, threshold=100)
    assert len(merged) < 10
    assert (
        merged["measure"].sum() == incident_points(many, titles, threshold=10**6)["measure"].sum()
    )
    assert merged["hover"].str.contains("incidents").all()


def test_aggregate_points_by_cell() -> None:
    rng = np.random.default_rng(1)
    points = pd.DataFrame(
        {
            "latitude": rng.uniform(40.0, 41.99, 5000),
            "longitude": rng.uniform(70.0, 70.99, 5000),
            "first_year": 2021,
            "last_year": 2021,
            "group": "Internal crisis",
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


def test_membership_segments_split_at_freeze(mini_package: DataPackage) -> None:
    segments = membership_segments(
        mini_package["members"], mini_package["withdrawals"], date(2024, 6, 30)
    )
    armenia = segments[segments["country_iso3"] == "ARM"]
    assert armenia["status"].tolist() == ["member", "participation_frozen"]
    assert armenia["end"].iloc[-1] == pd.Timestamp("2024-06-30")
    uzbekistan = segments[segments["country_iso3"] == "UZB"]
    assert uzbekistan["status"].tolist() == ["member", "member", "participation_suspended"]


def no_geo_traces(figure: go.Figure) -> None:
    """Only MapLibre traces: `geo` traces fetch a world file from a CDN."""
    assert all(trace.type in ("choroplethmap", "scattermap") for trace in figure.data)
    assert figure.layout.map.style == "white-bg"


def test_status_map_draws_offline(mini_package: DataPackage) -> None:
    status = status_on(mini_package["members"], mini_package["withdrawals"], date(2024, 6, 30))
    points = incident_points(
        incidents_of(mini_package), source_title_lookup(mini_package["sources"])
    )
    figure = make_status_map(mini_package.geometry, status, points, mini_package.country_names)
    no_geo_traces(figure)
    assert figure.data[0].geojson == mini_package.geometry


def test_animated_map_has_a_frame_per_year(mini_package: DataPackage) -> None:
    by_year = status_by_year(
        mini_package["members"], mini_package["withdrawals"], range(2020, 2025), date(2024, 6, 30)
    )
    points = incident_points(
        incidents_of(mini_package), source_title_lookup(mini_package["sources"])
    )
    figure = make_animated_map(mini_package.geometry, by_year, points, mini_package.country_names)
    assert [frame.name for frame in figure.frames] == ["2020", "2021", "2022", "2023", "2024"]
    assert figure.layout.sliders[0].active == 4
    no_geo_traces(figure)


def test_timeline_rows_and_markers(mini_package: DataPackage) -> None:
    segments = membership_segments(
        mini_package["members"], mini_package["withdrawals"], date(2024, 6, 30)
    )
    figure = make_timeline(
        segments,
        mini_package["withdrawals"],
        mini_package["milestones"],
        incidents_of(mini_package),
        mini_package.country_names,
        source_title_lookup(mini_package["sources"]),
        (1992, 2024),
    )
    names = [trace.name for trace in figure.data]
    assert names[:3] == ["Member", "Participation frozen", "Participation suspended"]
    assert "Alliance milestones" in figure.layout.yaxis.categoryarray
    go.Figure(figure.to_dict())  # built unvalidated for speed: valid all the same


def test_timeline_counts_incidents_per_year_when_there_are_many(mini_package: DataPackage) -> None:
    segments = membership_segments(
        mini_package["members"], mini_package["withdrawals"], date(2024, 6, 30)
    )
    one = incidents_of(mini_package).iloc[[0]]
    many = pd.concat([one] * 3000, ignore_index=True)
    figure = make_timeline(
        segments,
        mini_package["withdrawals"].iloc[:0],
        mini_package["milestones"],
        many,
        mini_package.country_names,
        source_title_lookup(mini_package["sources"]),
        (1992, 2024),
    )
    markers = figure.data[-1]
    assert len(markers.x) == 1 and markers.text[0] == "<b>3,000 incidents</b> in 2022"


def test_map_figures_pass_plotly_validation(mini_package: DataPackage) -> None:
    """The maps are built without validation for speed; this validates them once."""
    by_year = status_by_year(
        mini_package["members"], mini_package["withdrawals"], range(2020, 2025), date(2024, 6, 30)
    )
    points = incident_points(
        incidents_of(mini_package), source_title_lookup(mini_package["sources"])
    )
    status = by_year[by_year["year"] == 2024].drop(columns="year")
    for figure in (
        make_animated_map(mini_package.geometry, by_year, points, mini_package.country_names),
        make_status_map(mini_package.geometry, status, points, mini_package.country_names),
    ):
        go.Figure(figure.to_dict())  # raises on any invalid property
