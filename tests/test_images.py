"""Chart images: titled copies of the figures, drawn offline by kaleido in local Chromium."""

from __future__ import annotations

import struct
from datetime import date

import pandas as pd
import pytest
from kaleido import PageGenerator

from components.data import DataPackage
from components.figures import country_outlines, incident_points, make_status_map, make_timeline
from components.images import (
    MAP_HEIGHT,
    TITLE_SPACE,
    WIDTH,
    figure_image,
    image_stem,
    map_legend_lines,
    source_line,
    titled,
)
from components.membership import status_on
from components.query import Query
from components.tables import filter_facilities, filter_history, filter_milestones
from tests.conftest import loaded_of
from tests.live_server import chromium_path

META = {"version": "9.8.7", "data_current_to": "2024-06-30", "licenses": [{"name": "CC-BY-4.0"}]}


@pytest.fixture(scope="module")
def figures(mini_package: DataPackage) -> dict:
    loaded = loaded_of(mini_package)
    names = mini_package.country_names
    points = incident_points(loaded.incidents, loaded.source_titles, loaded.contingents)
    status = status_on(loaded.history, mini_package.data_current_to, names)
    query = Query(1992, 2024)
    timeline = make_timeline(
        filter_history(loaded.history, query),
        mini_package["withdrawals"],
        filter_milestones(mini_package["milestones"], query),
        loaded.incidents,
        filter_facilities(mini_package["facilities"], query),
        names,
        loaded.source_titles,
        (1992, 2024),
        pd.Timestamp(mini_package.data_current_to),
    )
    status_map = make_status_map(country_outlines(mini_package.geometry), status, points, names)
    return {"map": status_map, "timeline": timeline}


def test_titled_copy_keeps_the_chart_and_adds_title_and_source(figures: dict) -> None:
    original = figures["map"]
    before = original.to_dict()
    copy = titled(original, "A <title>", "Sub", source_line(META), map_legend_lines(True), 640)
    assert original.to_dict() == before, "the shared figure is not changed"
    assert len(copy.data) == len(original.data)
    assert "A &lt;title&gt;" in copy.layout.title.text
    assert "version 9.8.7, data current to 2024-06-30 (CC BY 4.0)" in copy.layout.title.text
    assert [a.text for a in copy.layout.annotations] == map_legend_lines(True)
    assert copy.layout.width == WIDTH and copy.layout.height > 640 + TITLE_SPACE
    assert copy.layout.paper_bgcolor == "white"


def test_legend_lines_name_every_status_and_point() -> None:
    statuses, points = map_legend_lines(True)
    assert "Member" in statuses and "Never a member" in statuses
    assert "Foreign base" in points and "Foreign base" not in map_legend_lines(False)[1]


def test_image_names_say_what_they_show() -> None:
    query = Query(2020, 2023, ("ARM", "AZE"), kinds=("border_clash",))
    assert image_stem("timeline", query) == "csto-timeline_2020-2023_ARM-AZE"
    assert image_stem("map", query, date(2023, 12, 31)) == "csto-map_2023-12-31_ARM-AZE"


def test_kaleido_page_loads_nothing_from_the_network() -> None:
    page = PageGenerator(mathjax=False).generate_index()
    assert "http://" not in page and "https://" not in page
    assert "plotly" in page and "file://" in page


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("chart", ["map", "timeline"])
def test_charts_render_as_png_and_svg(figures: dict, chart: str) -> None:
    browser = chromium_path()
    foot = map_legend_lines(True) if chart == "map" else ()
    height = MAP_HEIGHT if chart == "map" else None
    figure = titled(figures[chart], f"Test {chart}", "Subtitle", source_line(META), foot, height)
    png = figure_image(figure, "png", browser)
    assert png_size(png) == (2 * WIDTH, 2 * int(figure.layout.height))
    svg = figure_image(figure, "svg", browser).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and f"Test {chart}" in svg
    assert "version 9.8.7" in svg


def test_unknown_format_is_refused(figures: dict) -> None:
    with pytest.raises(ValueError, match="png, svg"):
        figure_image(figures["map"], "gif")
