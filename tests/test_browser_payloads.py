"""Nothing in the data executes or reaches out: every text field of every table (and a country
name) holds Markdown, HTML, LaTeX and Streamlit colour and icon codes, and every page, in a real
browser, shows them as text, fetches nothing from outside and opens no dialog."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from components.navigation import PAGES
from components.schema import tables
from tests.conftest import copy_mini_package, read_table, write_table
from tests.live_server import dashboard_server
from tests.test_browser import Visit

pytestmark = pytest.mark.browser

PAYLOAD = (
    "![i](http://example.com/x.png) <img src=x onerror=alert(1)> [a](http://example.com) "
    "**b** $\\frac{1}{2}$ :red[c] :material/home: <script>alert(2)</script> =1+1"
)


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = copy_mini_package(tmp_path_factory.mktemp("payload") / "data")
    for table in tables().values():
        frame = read_table(directory, table.name)
        for field in table.fields:
            if field.kind == "text" and not frame.empty:
                frame[field.name] = f"{PAYLOAD} {field.name}"
        write_table(directory, table.name, frame)
    shapes_path = directory / "countries.geojson"
    shapes = json.loads(shapes_path.read_text(encoding="utf-8"))
    for feature in shapes["features"]:
        if feature["properties"]["iso3"] == "ARM":
            feature["properties"]["name"] = f"Armenia {PAYLOAD}"
    shapes_path.write_text(json.dumps(shapes), encoding="utf-8")
    with dashboard_server(directory) as base:
        yield base


def assert_nothing_ran(visit: Visit) -> None:
    page = visit.page
    assert page.locator("img[src='x'], img[src*='example.com']").count() == 0
    outside = "a[href^='http://example.com'], a[href^='https://example.com']"
    assert page.locator(outside).count() == 0
    assert page.locator(".katex, script:text('alert(2)')").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_every_page_shows_payloads_as_text(
    payload_server: str, browser: Browser, tmp_path: Path, spec
) -> None:
    tab = Visit(browser, tmp_path)
    try:
        tab.open(f"{payload_server}/{spec.url_path}?country=ARM")
        tab.page.wait_for_timeout(1500)  # maps and charts finish drawing
        assert_nothing_ran(tab)
        assert tab.page.get_by_text("<img src=x onerror=alert(1)>", exact=False).count() >= 1 or (
            spec.title in ("Map", "Timeline")
        ), "payload text is visible as text"
    finally:
        tab.close()
    assert not tab.outside, f"requests left the machine: {tab.outside}"
    assert not tab.errors, f"page errors: {tab.errors}"
    assert not tab.dialogs, f"dialogs opened: {tab.dialogs}"


def test_selected_incident_sources_show_as_text(
    payload_server: str, browser: Browser, tmp_path: Path
) -> None:
    tab = Visit(browser, tmp_path)
    try:
        page = tab.open(f"{payload_server}/Incidents")
        tab.pick_first_row()
        tab.wait()
        expect(page.get_by_text("Sources", exact=True)).to_be_visible(timeout=20_000)
        assert_nothing_ran(tab)
    finally:
        tab.close()
    assert not tab.outside and not tab.errors and not tab.dialogs
