"""End to end in headless Chromium: pages, map drawing, filters, downloads, deep links, payloads."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from components.data import load_package
from components.export import with_source_columns
from components.incidents import filter_incidents
from components.navigation import PAGES as PAGE_SPECS
from components.query import Query
from components.text import WORD_JOINER
from tests.conftest import copy_mini_package, incidents_of, read_table, write_table
from tests.live_server import (
    IDLE,
    dashboard_server,
    is_local,
)

pytestmark = pytest.mark.browser

PAYLOAD = "<img src=x onerror=alert(1)> [a link](http://example.com) **bold**"
PAGES = {
    spec.url_path: "CSTO Monitor" if spec.url_path == "" else spec.title for spec in PAGE_SPECS
}


@pytest.fixture(scope="session")
def browser_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture package with a markup payload planted in a clash name."""
    directory = copy_mini_package(tmp_path_factory.mktemp("browser") / "data")
    clashes = read_table(directory, "clashes")
    clashes.loc[clashes["clash_id"] == "arm-aze-2022", "name"] = PAYLOAD
    write_table(directory, "clashes", clashes)
    return directory


@pytest.fixture(scope="session")
def server(browser_data: Path) -> Iterator[str]:
    with dashboard_server(browser_data) as base:
        yield base


class Visit:
    """A browser tab that records requests leaving the machine, page errors and dialogs."""

    def __init__(
        self,
        browser: Browser,
        downloads: Path,
        viewport: tuple[int, int] = (1400, 1000),
        colour_scheme: str = "light",
    ):
        self.context = browser.new_context(
            accept_downloads=True,
            viewport={"width": viewport[0], "height": viewport[1]},
            color_scheme=colour_scheme,  # type: ignore[arg-type]
        )
        self.page: Page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.downloads = downloads
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Page:
        self.page.goto(url)
        # A heading is drawn by the first run, so that run has begun: wait for its end.
        self.page.locator("h1").first.wait_for(timeout=60_000)
        self.page.wait_for_selector(IDLE, timeout=60_000)
        self.page.wait_for_timeout(300)
        return self.page

    def wait(self) -> None:
        """Wait for the script run that an interaction started to finish."""
        with contextlib.suppress(PlaywrightTimeoutError):  # the run may already be over
            self.page.wait_for_selector(
                "[data-testid='stApp'][data-test-script-state='running']", timeout=1500
            )
        self.page.wait_for_selector(IDLE, timeout=60_000)
        self.page.wait_for_timeout(300)

    def pick_first_row(self) -> None:
        """Click the selection cell of the first row of the page's first table."""
        grid = self.page.locator("[data-testid='stDataFrame']").first
        grid.wait_for(timeout=30_000)
        box = grid.bounding_box()
        assert box
        self.page.mouse.click(box["x"] + 12, box["y"] + 55)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, tmp_path: Path) -> Iterator[Visit]:
    tab = Visit(browser, tmp_path)
    yield tab
    tab.close()
    assert not tab.outside, f"requests left the machine: {tab.outside}"
    assert not tab.errors, f"page errors: {tab.errors}"
    assert not tab.dialogs, f"dialogs opened: {tab.dialogs}"


def expect_count(page: Page, shown: int, total: int) -> None:
    """Wait until the Incidents page says it shows `shown` of `total` incidents."""
    expect(page.get_by_text(f"{shown} of {total} incidents", exact=True)).to_be_visible(
        timeout=30_000
    )


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_every_page_loads(server: str, visit: Visit, path: str, heading: str) -> None:
    page = visit.open(f"{server}/{path}")
    assert page.locator("h1").first.inner_text().strip() == heading
    expect(page.get_by_role("link", name="Overview")).to_have_count(1)
    assert page.locator("[data-testid='stException']").count() == 0


# The map: the first plotly figure of a map page (its legend is the second), drawn in SVG.
MAP_PLOT = ".js-plotly-plot"


def test_map_is_drawn(server: str, visit: Visit, tmp_path: Path) -> None:
    page = visit.open(f"{server}/Map")
    plot = page.locator(MAP_PLOT).first
    plot.locator("path.js-fill").first.wait_for(state="attached", timeout=30_000)
    shot = tmp_path / "map.png"
    plot.screenshot(path=str(shot))
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 20, "the map is blank"
    member_blue = sum(
        n for n, (r, g, b) in colours if abs(r - 0) + abs(g - 114) + abs(b - 178) < 60
    )
    assert member_blue > 200, "no member state is filled"


def test_filter_change_updates_the_table(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Incidents")
    expect_count(page, 5, 5)
    search = page.get_by_label("Search names, places and notes")
    search.fill("almaty")
    search.press("Enter")
    expect_count(page, 2, 5)


def test_download_holds_the_filtered_rows(server: str, visit: Visit, browser_data: Path) -> None:
    page = visit.open(f"{server}/Incidents?country=ARM&from=2022")
    package = load_package(browser_data)
    incidents = incidents_of(package)
    expected = filter_incidents(incidents, Query(2022, 2024, ("ARM",)))
    with page.expect_download() as download_info:
        page.get_by_role("button", name=f"Download {len(expected)} rows as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "incidents_2022-2024_ARM.csv"
    target = visit.downloads / download.suggested_filename
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["incident_id"] for r in rows] == expected["incident_id"].tolist()
    readable = with_source_columns(expected, package["sources"])
    assert list(rows[0]) == list(readable.columns)
    assert rows[0]["source_titles"], "sources are readable, not only ids"


def test_markup_in_the_data_stays_text(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/")
    assert page.get_by_text("<img src=x onerror=alert(1)>", exact=False).count() >= 1
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href='http://example.com']").count() == 0
    assert page.get_by_text("**bold**", exact=False).count() >= 1


def test_fresh_server_deep_link(browser: Browser, browser_data: Path, tmp_path: Path) -> None:
    """The very first request to a new server opens a page with the URL's filters applied."""
    copy = tmp_path / "data"
    shutil.copytree(browser_data, copy)
    with dashboard_server(copy) as base:
        tab = Visit(browser, tmp_path)
        try:
            page = tab.open(f"{base}/Incidents?from=2022&to=2022&country=ARM")
            assert page.locator("h1").first.inner_text().strip() == "Incidents"
            labels = page.locator("[data-testid='stSidebar'] a").all_inner_texts()
            # Each link's text is its icon's ligature name, then its label.
            assert [label.split("\n")[-1].strip() for label in labels[:5]] == [
                "Overview",
                "Map",
                "Timeline",
                "Incidents",
                "Data & sources",
            ]
            expect_count(page, 2, 5)
            slider = page.locator("[data-testid='stSlider']").first.inner_text()
            assert "2022" in slider
            # The old link form is rewritten into the controls' own form.
            assert "years=2022&years=2022" in page.url and "country=Armenia" in page.url
        finally:
            tab.close()
        assert not tab.outside and not tab.errors


def test_bad_link_shows_a_notice(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Map?from=banana&country=<b>x</b>")
    notices = page.locator("[data-testid='stAlertContentWarning']").all_inner_texts()
    assert any("from" in n for n in notices), notices
    assert any("country" in n for n in notices), notices
    assert page.locator("b", has_text="x").count() == 0


def test_live_edit_breaks_and_recovers_without_restart(
    browser: Browser, browser_data: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(browser_data, copy)
    clashes = read_table(copy, "clashes")
    with dashboard_server(copy) as base:
        tab = Visit(browser, tmp_path)
        try:
            page = tab.open(f"{base}/Incidents")
            expect_count(page, 5, 5)
            write_table(copy, "clashes", clashes.assign(start_date="soon"))
            page.reload()
            tab.wait()
            # The broken edit is listed; the last good version stays on screen meanwhile.
            expect(
                page.get_by_text("The data files were changed and now have", exact=False)
            ).to_be_visible()
            expect_count(page, 5, 5)
            page.get_by_text("What is wrong with the changed files").click()
            expect(page.get_by_text("data/clashes.csv:2:start_date", exact=False)).to_be_visible()
            write_table(copy, "clashes", clashes.iloc[:1])
            page.reload()
            tab.page.locator("h1").first.wait_for()
            tab.wait()
            expect_count(page, 3, 3)
        finally:
            tab.close()
        assert not tab.outside and not tab.errors


def reddish_purple_pixels(image: Image.Image) -> int:
    """Pixels of the internal-crisis hue (#CC79A7) blended over any fill: red and blue high,
    green well below both. No status fill, ring or base colour has that hue."""
    return sum(
        n
        for n, (r, g, b) in image.getcolors(maxcolors=1_000_000) or []
        if r > 140 and b > 120 and g < min(r, b) - 30
    )


def test_year_from_the_link_draws_that_years_points(
    server: str, visit: Visit, tmp_path: Path
) -> None:
    page = visit.open(f"{server}/Map?years=2020&years=2024&year=2022")
    expect(page.get_by_text("Status on 31 December 2022", exact=False)).to_be_visible()
    # The January 2022 unrest in Almaty: an internal-crisis disc (#CC79A7, 80% opaque, over the
    # CSTO force's ring or Kazakhstan's fill): reddish purple, whatever lies under it.
    shot = tmp_path / "map-2022.png"
    plot = page.locator(MAP_PLOT).first
    plot.locator("path.point").first.wait_for(state="attached", timeout=30_000)
    plot.screenshot(path=str(shot))
    found = reddish_purple_pixels(Image.open(shot).convert("RGB"))
    assert found > 30, "points of the chosen year are not drawn"


def test_play_steps_through_the_years_by_keyboard(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Map?years=2021&years=2024&year=2021")
    expect(page.get_by_text("Status on 31 December 2021", exact=False)).to_be_visible()
    play = page.get_by_role("switch", name="Play")
    play.focus()
    page.keyboard.press("Space")
    # One year a second, then it stops by itself at the last year (the fixture's data end).
    # Only the end is asserted: a busy machine may draw a year in between too briefly to see.
    expect(page.get_by_text("Status on 30 June 2024", exact=False)).to_be_visible(timeout=30_000)
    expect(play).not_to_be_checked(timeout=10_000)


def test_phone_size_map_keeps_legend_off_the_map(
    browser: Browser, server: str, tmp_path: Path
) -> None:
    tab = Visit(browser, tmp_path, viewport=(390, 844))
    try:
        page = tab.open(f"{server}/Map")
        plot = page.locator(MAP_PLOT).first
        plot.wait_for(state="visible", timeout=30_000)
        legend = page.locator(MAP_PLOT).nth(1)  # the legend: a figure of its own
        expect(legend).to_contain_text("Foreign base")
        map_box, legend_box = plot.bounding_box(), legend.bounding_box()
        assert map_box and legend_box
        assert legend_box["y"] >= map_box["y"] + map_box["height"] - 2, (map_box, legend_box)
        assert map_box["width"] <= 390
    finally:
        tab.close()
    assert not tab.outside and not tab.errors


def is_bright(css_colour: str) -> bool:
    """Whether a computed `rgb(...)` or `rgba(...)` colour is nearer white than black."""
    red, green, blue = (
        int(float(v)) for v in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]
    )
    return red + green + blue > 382


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_theme_follows_the_browser(
    browser: Browser, server: str, tmp_path: Path, scheme: str
) -> None:
    tab = Visit(browser, tmp_path, colour_scheme=scheme)
    try:
        page = tab.open(f"{server}/Timeline")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        bright = is_bright(background)
        assert bright == (scheme == "light"), background
        heading = page.locator("h1").first.evaluate("e => getComputedStyle(e).color")
        assert is_bright(heading) != bright, "headings contrast with the background"
        # Charts are drawn without Streamlit's theme: their text takes the page's colour.
        for chart_text in (".ytick text", ".legendtext"):
            fill = page.locator(f".js-plotly-plot {chart_text}").first
            colour = fill.evaluate("e => getComputedStyle(e).fill")
            assert is_bright(colour) != bright, f"{chart_text} contrasts with the background"
    finally:
        tab.close()
    assert not tab.outside and not tab.errors


def test_download_is_reachable_by_keyboard_without_the_table(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Incidents")
    page.get_by_label("Search names, places and notes").focus()
    label, presses = "", 0
    while "Download" not in label and presses < 20:
        page.keyboard.press("Tab")
        presses += 1
        label = page.evaluate("document.activeElement.innerText || ''")
    assert "Download" in label, f"no download button within {presses} presses of Tab"


@pytest.mark.parametrize(
    "link",
    [
        "Incidents?years=2020&years=2022&country=Armenia",
        "Incidents?kind=Incursion&q=jermuk",
        "Incidents?type=Clash+or+crisis&response=Mission+sent&tab=Requests+for+help",
        "Map?mode=On+a+date&on=2022-01-10&layers=false",
        "Timeline?country=Uzbekistan&events=Exercise+%28cancelled%29",
        "Data_and_sources?country=Armenia&table=facilities",
        "Data_and_sources?section=Codebook",
    ],
)
def test_link_round_trip(server: str, visit: Visit, link: str) -> None:
    """A view's address reopens the same view: the controls keep every parameter."""
    page = visit.open(f"{server}/{link}")
    page.wait_for_timeout(500)
    opened = page.url.split("?", 1)[1]
    wanted = dict(p.split("=", 1) for p in link.split("?", 1)[1].split("&"))
    kept = dict(p.split("=", 1) for p in opened.split("&") if "=" in p)
    for key, value in wanted.items():
        assert kept.get(key) == value or f"{key}={value}" in opened, (key, opened)


def test_a_page_seen_recently_is_not_sent_again(server: str, visit: Visit) -> None:
    """The browser keeps a page's large elements (the map's outlines) for several script runs,
    so back on the Overview three pages later the server sends a reference, not the map."""
    received = [0]

    def count(payload: bytes | str) -> None:
        received[0] += len(payload)

    visit.page.on("websocket", lambda socket: socket.on("framereceived", count))
    page = visit.open(f"{server}/")
    expect(page.locator(".js-plotly-plot path.js-fill").first).to_be_attached(timeout=30_000)
    first_visit = received[0]
    sidebar = page.locator("[data-testid='stSidebar']")
    for title in ("Incidents", "Data & sources", "Timeline", "Overview"):
        received[0] = 0
        sidebar.get_by_role("link", name=title, exact=True).click()
        # The new title is set by the page's run, so the run has begun: wait for its end.
        expect(page).to_have_title(re.compile(f"^{re.escape(title)} ·"), timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
    expect(page.locator(".js-plotly-plot path.js-fill").first).to_be_attached(timeout=30_000)
    assert first_visit > 50_000, first_visit  # the map's outlines: worth keeping
    assert received[0] < first_visit / 4, (received[0], first_visit)


def test_picked_incident_is_in_the_link_and_survives_the_requests_tab(
    server: str, visit: Visit
) -> None:
    """Picking a row puts its incident into the address; the Requests tab and back, the address
    opened afresh and a search that keeps it all show the same incident's details; a search that
    leaves it out says so and takes it out of the address."""
    page = visit.open(f"{server}/Incidents")
    visit.pick_first_row()
    sources = page.get_by_text("Sources", exact=True)
    expect(sources).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"[?&]incident=[^&]+"), timeout=10_000)
    picked = re.search(r"[?&]incident=([^&]+)", page.url)
    assert picked
    heading = page.locator("[data-testid='stMarkdown'] strong").filter(has_not_text="incidents")
    name = heading.last.inner_text()

    page.get_by_role("tab", name="Requests for help").click()
    visit.wait()
    expect(sources).to_have_count(0)
    page.get_by_role("tab", name="All incidents").click()
    visit.wait()
    expect(sources).to_be_visible(timeout=20_000)
    expect(page.get_by_text(name, exact=True).last).to_be_visible()
    assert f"incident={picked.group(1)}" in page.url

    visit.open(page.url)
    expect(sources).to_be_visible(timeout=20_000)
    expect(page.get_by_text(name, exact=True).last).to_be_visible()

    counted = page.get_by_text(re.compile(r"^[0-9]+ of [0-9]+ incidents$"))
    every = counted.inner_text()
    search = page.get_by_label("Search names, places and notes")
    search.fill(name.split()[0])  # fewer rows, the picked one among them
    search.press("Enter")
    visit.wait()
    expect(counted).not_to_have_text(every)
    expect(sources).to_be_visible(timeout=20_000)
    expect(page.get_by_text(name, exact=True).last).to_be_visible()
    search.fill("Border")  # other rows only
    search.press("Enter")
    visit.wait()
    expect(sources).to_have_count(0)
    expect(page.get_by_text("not among the rows listed")).to_be_visible()
    assert "incident=" not in page.url


def test_timeline_downloads_as_an_image(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Timeline?country=ARM")
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("button", name="PNG").click()
    download = download_info.value
    assert download.suggested_filename == "csto-timeline_1992-2024_ARM.png"
    target = visit.downloads / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(target).size[0] == 2400


def test_data_page_downloads_the_documented_archive(server: str, visit: Visit) -> None:
    page = visit.open(f"{server}/Data_and_sources?country=ARM")
    expect(page.get_by_text("/api/v1/incidents.csv?country=ARM", exact=False)).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download with documentation").click()
    target = visit.downloads / download_info.value.suggested_filename
    download_info.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert {"incidents.csv", "datapackage.json", "CITATION.cff", "README.md"} <= names


def test_unknown_addresses_are_never_a_blank_page(server: str, visit: Visit) -> None:
    page = visit.page
    answer = page.goto(f"{server}/Map/x/y")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Map").click()
    page.locator("h1").first.wait_for(timeout=60_000)
    assert page.locator("h1").first.inner_text().strip() == "Map"
    # One unknown segment: Streamlit's own answer, the entry page with its "Page not found".
    page = visit.open(f"{server}/nothing")
    assert page.locator("h1").first.inner_text().strip() == "CSTO Monitor"
    expect(page.get_by_text("Page not found", exact=False)).to_be_visible()


# --- the Russian interface -----------------------------------------------------------------

# Every visible text node. Icons (marked translate=no) are ligature names such as `map`, not text;
# code, inline or in blocks, holds identifiers and machine-readable text (file and column names,
# API addresses, BibTeX, the validator's file:row:column lines).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('script, style, noscript, [translate=no]')) continue;
    if (el.closest('code, pre')) continue;
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    out.push(text);
  }
  return out;
}"""
# Latin text that belongs in the Russian interface, and why. Everything else in Latin letters
# must come from the data.
KNOWN_LATIN = {
    "Language · Язык": "the switch is labelled in both languages, so either reader finds it",
    "en": "the switch's choices are the codes the address keeps (lang=ru)",
    "ru": "the switch's choices are the codes the address keeps (lang=ru)",
    "CSTO Monitor": "the project's name",
    "CSV": "a file format",
    "PNG": "a file format",
    "JSON": "a file format",
    "/api/v1/": "the API's address",
    "SVG": "a file format",
    "CITATION.cff": "a file in the package",
    "README": "a file in the package",
    "UTF-8": "an encoding",
    "CC BY 4.0": "a licence's name",
    "MIT": "a licence's name",
    "ISO 8601": "a standard's name",
    "data/README.md": "a file in the package",
    "Skip to main content": "Streamlit's own keyboard link, which it offers in English only",
}
URL = re.compile(r"https?://\S+")
# Text the interface quotes verbatim from the link (parameter names and values in notices).
QUOTED = re.compile(r"«[^»]*»")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
TEXT_KINDS = ("text",)


def data_strings(directory: Path) -> list[str]:
    """Every free-text cell of the package (names, places, titles, notes...): they are data and
    stay as the sources wrote them. Longest first, so that a name is removed before its parts."""
    from components.schema import table_fields

    cells: set[str] = set()
    for table, fields in table_fields().items():
        frame = read_table(directory, table)
        for field in fields:
            if field.kind in TEXT_KINDS and field.name in frame:
                cells |= {v.strip() for v in frame[field.name] if v.strip()}
    return sorted(cells, key=len, reverse=True)


def untranslated(texts: list[str], data: list[str]) -> list[str]:
    """Texts that still hold a Latin word once data, addresses and known names are taken out."""
    found = []
    for text in texts:
        rest = text.replace(WORD_JOINER, "")
        for value in data:
            rest = rest.replace(value, " ")
        rest = QUOTED.sub(" ", URL.sub(" ", rest))
        for known in sorted(KNOWN_LATIN, key=len, reverse=True):
            rest = rest.replace(known, " ") if len(known) > 2 else rest
        if rest.strip() in KNOWN_LATIN:
            continue
        if LATIN_WORD.search(rest):
            found.append(text)
    return found


def test_the_check_finds_english_among_russian() -> None:
    data = ["Border clash"]
    assert untranslated(["Border clash (англ.)", "Скачать 5 строк в CSV", "en"], data) == []
    assert untranslated(["Сбросить filters", "Reset", "Border clash is here"], data) == [
        "Сбросить filters",
        "Reset",
        "Border clash is here",
    ]


RUSSIAN_VIEWS = [
    "?lang=ru",
    "Map?lang=ru",
    "Map?lang=ru&mode=На+дату",
    "Timeline?lang=ru",
    "Incidents?lang=ru",
    "Incidents?lang=ru&tab=Просьбы+о+помощи",
    "Data_and_sources?lang=ru",
    "Incidents?lang=ru&country=Narnia&from=abc",
]


@pytest.mark.parametrize("view", RUSSIAN_VIEWS)
def test_every_page_in_russian_shows_no_untranslated_text(
    server: str, visit: Visit, browser_data: Path, view: str
) -> None:
    """Walks each page in Russian and reads every visible text node, in the page and in its
    figures (plotly's SVG: legends, axes), with expanders and the link popover open. A Latin
    word left once the data (free-text cells of the package), addresses and KNOWN_LATIN are
    taken out is an interface string that missed the catalog. Tables draw on a canvas: their
    headers are checked in tests/test_pages.py."""
    page = visit.open(f"{server}/{view}")
    page.wait_for_timeout(1500)  # figures draw after the script run
    for expander in page.locator("[data-testid=stExpander] summary").all():
        expander.click()
    page.locator("[data-testid=stPopover] button").first.click()
    visit.wait()
    texts = page.evaluate(VISIBLE_TEXT)
    assert any(re.search("[А-Яа-я]", t) for t in texts)
    assert untranslated(texts, data_strings(browser_data)) == []


def test_language_switch_rewords_the_address(server: str, visit: Visit) -> None:
    """The switch changes every word on the page and in the address; the view stays."""
    page = visit.open(
        f"{server}/Incidents?lang=ru&country=ARM&kind=Incursion&years=2020&years=2024"
    )
    assert page.locator("h1").first.inner_text().strip() == "События"
    opened = unquote(page.url)
    assert "country=Армения" in opened and "kind=Вторжение" in opened and "lang=ru" in opened
    switch = page.locator("[data-testid=stSidebar] [data-testid=stButtonGroup] button")
    switch.filter(has_text="en").click()
    visit.wait()
    expect(page.locator("h1").first).to_have_text("Incidents")
    english = unquote(page.url)
    assert "country=Armenia" in english and "kind=Incursion" in english, english
    assert "lang=" not in english and "years=2020&years=2024" in english
    switch.filter(has_text="ru").click()
    visit.wait()
    expect(page.locator("h1").first).to_have_text("События")
    assert "country=Армения" in unquote(page.url)


def test_data_page_section_and_table_go_into_the_link(server: str, visit: Visit) -> None:
    """Only the open section is drawn, and which one, like the table picked, is in the address."""
    page = visit.open(f"{server}/Data_and_sources")
    expect(page.get_by_role("button", name="Filtered")).to_be_visible()
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Table")
    picker.click()
    page.get_by_role("option", name="facilities", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]table=facilities(&|$)"))
    expect(page.get_by_text("/api/v1/facilities.csv", exact=False)).to_be_visible()
    page.get_by_role("tab", name="Bibliography").click()
    expect(page).to_have_url(re.compile(r"[?&]section=Bibliography(&|$)"))
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(1)
    expect(page.get_by_role("button", name="Filtered")).to_have_count(0)
