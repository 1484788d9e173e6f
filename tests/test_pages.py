"""Every page through Streamlit's AppTest, on the fixture package."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from components.data import load_package
from components.export import to_csv_bytes, with_russian_columns, with_source_columns
from components.incidents import filter_incidents, make_requests
from components.navigation import PAGES as PAGE_SPECS
from components.query import Query
from components.tables import filter_package_tables
from components.widgets import CHART_CSS
from tests.conftest import incidents_of, read_table, write_table

ROOT = Path(__file__).resolve().parent.parent
PAGES = [spec.path for spec in PAGE_SPECS[1:]]
TIMEOUT = 60


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media store, remembered so tests can read download bytes."""

    latest: RecordingStorage | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        RecordingStorage.latest = self


@pytest.fixture
def app_env(mini_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CSTO_DATA_DIR", str(mini_dir))
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    return mini_dir


def open_app(page: str | None = None, **query: str | list[str]) -> AppTest:
    """Run the entry script, then (optionally) switch to `page`, as a visitor would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def download_bytes(at: AppTest, key: str) -> bytes:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    file_id = button.proto.url.rsplit("/", 1)[1].split(".")[0]
    assert RecordingStorage.latest is not None
    return RecordingStorage.latest.get_file(file_id).content


def download_name(at: AppTest, key: str) -> str:
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    return button.proto.help.split("Saves ", 1)[1].split(":", 1)[0]


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("page", [None, *PAGES])
def test_page_renders(app_env: Path, page: str | None, lang: str) -> None:
    at = open_app(page, lang=lang)
    assert at.title, "every page has a title"
    assert at.slider(key="years").value == (1992, 2024)
    assert at.segmented_control(key="lang").value == lang
    assert not at.error
    title = at.title[0].value
    if page and lang == "ru":
        assert re.fullmatch(r"[А-Яа-яЁё ]+", title), title


def test_russian_interface_speaks_russian(app_env: Path) -> None:
    at = open_app(None, lang="ru")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Члены"] == "3"
    assert metrics["Столкновения и кризисы"] == "3"
    assert at.multiselect(key="country").placeholder == "Все страны"
    assert "Данные по состоянию на 30 июня 2024" in " ".join(c.value for c in at.caption)
    at = open_app("pages/3_Incidents.py", lang="ru")
    assert "**5** из 5 событий" in texts(at)
    headers = column_labels(at.dataframe[0])
    assert headers["start_date"] == "Начало" and headers["place_name"] == "Место (на английском)"


def column_labels(frame) -> dict[str, str]:
    """Column -> the header a table shows (its configured label, else the column's name)."""
    config = json.loads(frame.proto.columns or "{}")
    shown = {str(c): str(c) for c in frame.value.columns}
    shown.update({k: v["label"] for k, v in config.items() if "label" in v})
    hidden = {k for k, v in config.items() if v.get("hidden")}
    return {k: v for k, v in shown.items() if k not in hidden}


@pytest.mark.parametrize("page", [None, *PAGES])
def test_russian_table_headers_are_russian(app_env: Path, page: str | None) -> None:
    """Tables draw their headers on a canvas the browser test cannot read: checked here."""
    at = open_app(page, lang="ru")
    for frame in at.dataframe:
        for column, header in column_labels(frame).items():
            assert not re.search("[A-Za-z]", header), (column, header)


HELP_ELEMENTS = ("slider", "multiselect", "toggle", "button", "metric", "download_button")
KNOWN_IN_HELP = re.compile(
    r"[\w.-]+\.(?:csv|png|svg|zip|json|cff)|UTF-8|CSV|PNG|SVG|README|CHROMIUM_PATH|Chromium"
)


@pytest.mark.parametrize("page", [None, *PAGES])
def test_russian_tooltips_are_russian(app_env: Path, page: str | None) -> None:
    """Tooltips show only on hover, so the browser test does not read them: checked here."""
    at = open_app(page, lang="ru")
    helps = [
        element.proto.help
        for name in HELP_ELEMENTS
        for element in at.get(name)
        if getattr(element.proto, "help", "")
    ]
    assert helps
    for text in helps:
        assert not re.search("[A-Za-z]{2,}", KNOWN_IN_HELP.sub("", text)), text


def test_a_russian_link_opens_in_english_and_back(app_env: Path) -> None:
    at = open_app(
        "pages/3_Incidents.py", lang="en", country="Армения", kind="Пограничное столкновение"
    )
    assert at.title[0].value == "Incidents"
    assert at.multiselect(key="country").value == ["ARM"]
    assert at.multiselect(key="kind").value == ["border_clash"]
    assert not at.warning
    at.segmented_control(key="lang").set_value("ru").run()
    assert at.title[0].value == "События"
    assert at.multiselect(key="country").value == ["ARM"], "filters survive a language switch"
    assert at.query_params["country"] in ("Армения", ["Армения"])
    at.segmented_control(key="lang").set_value("en").run()
    assert at.query_params["country"] in ("Armenia", ["Armenia"])


def test_browser_language_picks_russian(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("components.controls.browser_locale", lambda: "ru-RU")
    at = open_app()
    assert at.segmented_control(key="lang").value == "ru"
    assert at.subheader[0].value.startswith("ОДКБ на ")


def test_russian_downloads_add_russian_names(app_env: Path) -> None:
    at = open_app("pages/4_Data_and_sources.py", lang="ru", country="UZB", table="members")
    package = load_package(app_env)
    filtered = filter_package_tables(package, Query(1992, 2024, ("UZB",)))
    sources = package["sources"]
    readable = with_source_columns(filtered["members"], sources)
    expected = with_russian_columns(readable, package.country_names)
    assert download_bytes(at, "filtered_members") == to_csv_bytes(expected)
    assert "country_ru" in download_bytes(at, "filtered_members").decode().splitlines()[0]
    at = open_app("pages/3_Incidents.py", lang="ru")
    header = download_bytes(at, "incidents_download").decode().splitlines()[0].split(",")
    assert header.index("countries_ru") == header.index("countries") + 1


def test_overview_numbers_follow_the_years(app_env: Path) -> None:
    at = open_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Members"] == "3"
    assert metrics["Participation frozen or suspended"] == "1"
    assert metrics["Former members"] == "2"
    assert metrics["Clashes and crises"] == "3"
    assert metrics["Deaths in clashes that began in 1992–2024"] == "605–678"
    at.slider(key="years").set_value((1992, 2010)).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clashes and crises"] == "0"
    assert any("No events match" in i.value for i in at.info)


def test_incidents_filter_and_download_match(app_env: Path) -> None:
    at = open_app("pages/3_Incidents.py")
    assert "**5** of 5 incidents" in texts(at)
    at.multiselect(key="country").set_value(["ARM"]).run()
    assert "**2** of 5 incidents" in texts(at)
    at.multiselect(key="type").set_value(["clash"]).run()
    assert "**1** of 5 incidents" in texts(at)

    package = load_package(app_env)
    incidents = incidents_of(package)
    expected = filter_incidents(incidents, Query(1992, 2024, ("ARM",), ("clash",)))
    readable = with_source_columns(expected, package["sources"])
    assert download_bytes(at, "incidents_download") == to_csv_bytes(readable)
    assert download_name(at, "incidents_download") == "incidents_1992-2024_ARM_narrowed.csv"


def test_incidents_text_search_and_requests_view(app_env: Path) -> None:
    at = open_app("pages/3_Incidents.py")
    at.text_input(key="q").set_value("almaty").run()
    assert "**2** of 5 incidents" in texts(at)
    assert not any("request for help" in t for t in texts(at)), "only the open tab is drawn"
    at = open_app("pages/3_Incidents.py", tab="Requests for help", q="almaty")
    assert any(t.startswith("**1** request for help") for t in texts(at))
    assert not any(" of 5 incidents" in t for t in texts(at)), "only the open tab is drawn"
    at.text_input(key="q").set_value("no such place").run()
    assert any("No request for help" in i.value for i in at.info)
    at = open_app("pages/3_Incidents.py", q="no such place")
    assert any("No incidents match" in i.value for i in at.info)


def test_map_follows_the_filters(app_env: Path) -> None:
    at = open_app("pages/1_Map.py")
    assert at.select_slider(key="year").value == 2024
    at.slider(key="years").set_value((2000, 2001)).run()
    assert at.select_slider(key="year").value == 2001
    assert "Status on 31 December 2001" in " ".join(c.value for c in at.caption)
    at.segmented_control(key="mode").set_value("date").run()
    assert not at.exception
    assert at.date_input(key="on").value == date(2001, 12, 31)


def test_map_lists_members_and_folds_the_others(app_env: Path) -> None:
    at = open_app("pages/1_Map.py")
    listed = at.dataframe[0].value
    assert set(listed["status"]) <= {
        "Member",
        "Participation frozen",
        "Participation suspended",
        "Former member",
    }
    assert "Never a member" in set(at.dataframe[1].value["status"])


def test_timeline_follows_the_countries(app_env: Path) -> None:
    at = open_app("pages/2_Timeline.py")
    assert len(at.dataframe[0].value) == 5
    at.multiselect(key="country").set_value(["UZB"]).run()
    assert len(at.dataframe[0].value) == 3


def test_data_page_downloads_filtered_tables(app_env: Path) -> None:
    package = load_package(app_env)
    filtered = filter_package_tables(package, Query(1992, 2024, ("UZB",)))
    sources = package["sources"]
    for table in ("members", "withdrawals"):
        at = open_app("pages/4_Data_and_sources.py", country="UZB", table=table)
        expected = to_csv_bytes(with_source_columns(filtered[table], sources))
        assert download_bytes(at, f"filtered_{table}") == expected
        counted = f"`{table}.csv` · {len(filtered[table])} / {len(package[table])} rows"
        assert counted in [c.value for c in at.caption]
    at = open_app("pages/4_Data_and_sources.py", country="UZB", table="sources")
    assert download_bytes(at, "filtered_sources") == to_csv_bytes(filtered["sources"])
    at = open_app("pages/4_Data_and_sources.py", country="UZB", table="clashes")
    full = to_csv_bytes(with_source_columns(package["clashes"], sources))
    assert download_bytes(at, "full_clashes") == full


def test_data_page_offers_one_table_at_a_time(app_env: Path) -> None:
    """The picked table's two buttons, the incidents at first (the pick is in the link: see
    test_browser.test_link_round_trip)."""
    at = open_app("pages/4_Data_and_sources.py")
    keys = {b.proto.id.rsplit("-", 1)[1] for b in at.get("download_button")}
    assert keys == {"bundle_download", "filtered_incidents", "full_incidents"}
    at.selectbox(key="table").set_value("facilities").run()
    keys = {b.proto.id.rsplit("-", 1)[1] for b in at.get("download_button")}
    assert keys == {"bundle_download", "filtered_facilities", "full_facilities"}


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2020", "to": "2022", "country": ["ARM", "KAZ"]},
        {"years": ["2020", "2022"], "country": ["Armenia", "Kazakhstan"]},
        {"years": ["2022", "2020"], "country": ["arm", "kaz"]},
    ],
)
def test_link_sets_filters_and_survives_page_switch(app_env: Path, query: dict) -> None:
    at = open_app(None, **query)
    assert at.slider(key="years").value == (2020, 2022)
    assert at.multiselect(key="country").value == ["ARM", "KAZ"]
    at.switch_page("pages/3_Incidents.py").run()
    assert at.slider(key="years").value == (2020, 2022)
    assert at.multiselect(key="country").value == ["ARM", "KAZ"]


@pytest.mark.parametrize(
    ("query", "control", "value"),
    [
        ({"kind": ["border_clash"]}, "kind", ["border_clash"]),
        ({"type": ["Clash or crisis"]}, "type", ["clash"]),
        ({"type": ["Deployment or exercise"]}, "type", ["deployment"]),
        ({"requested": ["yes"]}, "requested", ["yes"]),
        ({"asked": ["CSTO"]}, "asked", ["CSTO"]),
        ({"response": ["Mission sent"]}, "response", ["mission"]),
        ({"members": ["internal_member"]}, "members", ["internal_member"]),
        ({"q": "almaty"}, "q", "almaty"),
    ],
)
def test_incidents_link_sets_every_narrowing_control(
    app_env: Path, query: dict, control: str, value: object
) -> None:
    at = open_app("pages/3_Incidents.py", **query)
    widget = at.text_input(key=control) if control == "q" else at.multiselect(key=control)
    assert widget.value == value


@pytest.mark.parametrize(
    "query",
    [
        {"from": "abc"},
        {"from": "2023", "to": "2001"},
        {"country": "<script>alert(1)</script>"},
        {"to": "9" * 5000},
        {"from": ["2001", "2002"]},
        {"years": ["2001"]},
        {"colour": "[click](http://example.com)"},
        {"country": "ÄRM😀"},
        {"kind": "![x](http://example.com/x.png)"},
    ],
)
def test_hostile_links_show_a_short_plain_notice(app_env: Path, query: dict) -> None:
    at = open_app(None, **query)
    assert at.slider(key="years").value == (1992, 2024)
    assert at.warning, "a notice names the ignored parameter"
    assert all(len(w.value) < 600 for w in at.warning)
    assert all("](" not in w.value and "<" not in w.value for w in at.warning)


def test_broken_data_shows_the_error_page(app_env: Path) -> None:
    frame = read_table(app_env, "clashes")
    frame.loc[0, "start_date"] = "yesterday"
    write_table(app_env, "clashes", frame)
    for page in [None, *PAGES]:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
        if page:
            at.switch_page(page).run()
        assert not at.exception
        assert at.error and "problem(s)" in at.error[0].value
        assert "data/clashes.csv:2:start_date: must be a date" in at.code[0].value


def test_data_edit_is_picked_up_a_broken_edit_keeps_the_last_good_data_and_a_fix_recovers(
    app_env: Path,
) -> None:
    at = open_app("pages/3_Incidents.py")
    assert "**5** of 5 incidents" in texts(at)
    clashes = read_table(app_env, "clashes")
    write_table(app_env, "clashes", clashes.iloc[:2])
    at.run()
    assert "**4** of 4 incidents" in texts(at)
    write_table(app_env, "clashes", clashes.assign(latitude="north"))
    at.run()
    assert not at.exception
    assert any("now have 3 problems" in w.value for w in at.warning)
    assert "**4** of 4 incidents" in texts(at), "the last good version is still shown"
    assert "data/clashes.csv:2:latitude: must be a decimal number" in at.code[0].value
    write_table(app_env, "clashes", clashes)
    at.run()
    assert not at.warning and "**5** of 5 incidents" in texts(at)


def set_column(table: str, **values: object):
    """An edit that sets columns of every row of `table`."""
    return lambda d: write_table(d, table, read_table(d, table).assign(**values))


BROKEN_EDITS = {
    "missing file": lambda d: (d / "milestones.csv").unlink(),
    "empty file": lambda d: (d / "sources.csv").write_text(""),
    "not UTF-8": lambda d: (d / "members.csv").write_bytes(b"spell_id\n\xff\xfe\n"),
    "missing column": lambda d: write_table(
        d, "clashes", read_table(d, "clashes").drop(columns="kind")
    ),
    "unexpected column": set_column("contingents", colour="red"),
    "end before start": set_column("deployments", end_date="1990-01-01"),
    "unknown country": set_column("withdrawals", country_iso3="XXX"),
    "unknown source": set_column("clashes", source_ids="src_nowhere"),
    "duplicate id": lambda d: write_table(
        d, "deployments", pd.concat([read_table(d, "deployments")] * 2)
    ),
    "coordinates out of range": set_column("clashes", latitude="91"),
}
LOCATED = re.compile(r"^data/[a-z_]+\.(csv|json|geojson):[0-9-]+:[^:]+: .+")


@pytest.mark.parametrize("edit", BROKEN_EDITS.values(), ids=BROKEN_EDITS.keys())
def test_every_kind_of_broken_data_gets_the_error_page(app_env: Path, edit) -> None:
    edit(app_env)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.error and "problem(s)" in at.error[0].value
    lines = at.code[0].value.splitlines()
    assert lines and all(
        re.match(r"^data/[a-z_]+\.(csv|json|geojson):[0-9-]+:[^:]+: .+", line) for line in lines
    )


def test_pages_leave_the_shared_data_untouched(app_env: Path) -> None:
    """The data cache shares its frames between sessions: no page may change them."""
    from components.store import data_signature, load_cached

    at = open_app()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
    loaded = load_cached(str(app_env), data_signature(app_env))
    package, incidents = loaded.package, loaded.incidents
    fresh = load_package(app_env)
    for table, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(package[table], frame)
    pd.testing.assert_frame_equal(incidents, incidents_of(fresh))


def test_every_headline_number_links_to_its_rows(app_env: Path) -> None:
    """The alliance's numbers lead to the map's list of states; the event counts to the rows."""
    at = open_app(None, years=["2020", "2022"], country="KAZ")
    links = {e.proto.label: (e.proto.page, e.proto.query_string) for e in at.get("page_link")}
    shared = "years=2020&years=2022&country=Kazakhstan"
    assert links["Each state's status on the map, with the members and former members listed"] == (
        "Map",
        shared,
    )
    assert links["See these clashes"] == ("Incidents", f"{shared}&type=Clash+or+crisis")
    assert links["See these deployments"] == (
        "Incidents",
        f"{shared}&type=Deployment+or+exercise",
    )


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1)", " =1+1"]


DATA_PAGE = "pages/4_Data_and_sources.py"
# Every view with a table: the Overview has none, and Data & sources draws one section at a time.
TABLE_VIEWS = [
    *((page, {}) for page in PAGES if page != DATA_PAGE),
    *(
        (DATA_PAGE, {"section": s})
        for s in ("Coverage", "Foreign bases", "Bibliography", "Codebook")
    ),
]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize(
    ("page", "view"),
    TABLE_VIEWS,
    ids=lambda v: str(v.get("section", "")) if isinstance(v, dict) else v,
)
def test_no_table_shows_a_formula(
    app_env: Path, page: str, view: dict[str, str], formula: str
) -> None:
    """Every table's toolbar can export what it shows as CSV: text from the data that would start
    a spreadsheet formula is shown neutralised, as in our own CSVs."""
    from components.export import neutralise_cell
    from components.schema import tables

    for table in tables().values():
        frame = read_table(app_env, table.name)
        for field in table.fields:
            if field.kind == "text" and not frame.empty:
                frame[field.name] = formula
        write_table(app_env, table.name, frame)
    at = open_app(page, **view)
    assert at.dataframe, "the page shows a table"
    for shown in at.dataframe:
        for column in shown.value.select_dtypes(exclude="number").columns:
            cells = shown.value[column].dropna().astype(str)
            assert not cells.str.startswith(formula).any(), (column, formula)
            neutralised = neutralise_cell(formula)
            assert neutralised != formula  # the payload is one the CSVs neutralise


CHART_PAGES = {None: 2, "pages/1_Map.py": 2, "pages/2_Timeline.py": 1}


@pytest.mark.parametrize(("page", "charts"), CHART_PAGES.items())
def test_charts_are_drawn_as_built_and_styled_by_the_page(
    app_env: Path, page: str | None, charts: int
) -> None:
    """Streamlit's theme, re-applied once a chart is on the page, made plotly draw every chart
    twice; the figures style themselves and the page gives their text its own colour."""
    at = open_app(page)
    drawn = at.get("plotly_chart")
    assert len(drawn) == charts
    for chart in drawn:
        assert chart.proto.theme == "", "drawn without Streamlit's theme"
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout.get("template") is None and layout["datarevision"]
    assert CHART_CSS in [h.proto.body for h in at.get("html")]


@pytest.mark.parametrize(
    ("section", "downloads", "tables"),
    [
        (None, True, 0),
        ("Download", True, 0),
        ("Coverage", False, 1),
        ("Foreign bases", False, 1),
        ("Bibliography", False, 1),
        ("Codebook", False, 2),
        ("Список источников", False, 1),  # the Russian word opens the same section
        ("Nonsense", True, 0),  # an unknown section: the first one, as with no section
    ],
)
def test_data_page_draws_only_the_section_in_the_link(
    app_env: Path, section: str | None, downloads: bool, tables: int
) -> None:
    at = open_app(DATA_PAGE, **({"section": section} if section else {}))
    assert bool(at.get("download_button")) == downloads
    assert len(at.dataframe) == tables
    if section == "Bibliography":
        sources = read_table(app_env, "sources")
        assert list(at.dataframe[0].value["source_id"]) == list(sources["source_id"])


@pytest.mark.parametrize(
    ("view", "table"),
    [
        ({"section": "<script>alert(1)</script>"}, "incidents"),
        ({"section": "[x](http://example.com)"}, "incidents"),
        ({"section": ["Bibliography", "Codebook"]}, None),
        ({"table": "../../etc/passwd"}, "incidents"),
        ({"table": "<b>clashes</b>"}, "incidents"),
        ({"table": "9" * 5000}, "incidents"),
        ({"table": ["clashes", "members"]}, "members"),  # the last, as Streamlit reads it
        ({"table": "clashes.csv"}, "incidents"),
    ],
)
def test_hostile_data_page_views_open_a_known_view(
    app_env: Path, view: dict, table: str | None
) -> None:
    """A section or table the page does not have opens a section and table it has; nothing of
    the link is rendered as Markdown or HTML (the Copy link box shows the address as text)."""
    at = open_app(DATA_PAGE, **view)
    if table is not None:
        assert at.selectbox(key="table").value == table
    # The first page opened says what the link asked for that no page has (as for `country=`).
    ((name, values),) = view.items()
    valid = isinstance(values, list)  # both values are the page's; the last one is used
    first = open_app(None, **view)
    named = [w.value for w in first.warning if f"'{name}' value" in html.unescape(w.value)]
    assert bool(named) != valid, "a value the page does not have gets a notice naming it"
    assert all(len(w.value) < 600 for w in first.warning), "short, however long the value"
    assert all("<" not in w.value and "](" not in w.value for w in first.warning), "plain text"
    shown = texts(at)
    assert not [s for s in shown if "<script" in s or "<b>" in s or "example.com" in s]
    assert not [s for s in shown if "passwd" in s or "9" * 100 in s]


INCIDENTS_PAGE = "pages/3_Incidents.py"


def test_incident_in_the_link_opens_its_details(app_env: Path) -> None:
    at = open_app(INCIDENTS_PAGE, incident="kgz-tjk-2022")
    assert "**Border clash**" in texts(at)
    assert "Sources" in [c.value for c in at.caption]
    assert at.query_params["incident"] == "kgz-tjk-2022"
    assert not at.warning
    at.button_group(key="lang").set_value("ru").run()  # another language, the same incident
    assert at.query_params["incident"] == "kgz-tjk-2022"
    assert any(m.value.startswith("**Border clash") for m in at.markdown)
    assert not at.warning


@pytest.mark.parametrize(
    "link",
    [
        {"incident": "no-such-incident"},
        {"incident": "kgz-tjk-2022", "type": "deployment"},  # there, but filtered out
        {"incident": "[x](http://example.com) <b>y</b>"},
        {"incident": "9" * 5000},
        {"incident": ""},
    ],
)
def test_incident_the_table_does_not_list_gets_a_plain_notice(app_env: Path, link: dict) -> None:
    at = open_app(INCIDENTS_PAGE, **link)
    assert "Sources" not in [c.value for c in at.caption]
    (notice,) = [w.value for w in at.warning if "not among the rows listed" in w.value]
    assert len(notice) < 600 and "<" not in notice and "](" not in notice
    assert "incident" not in at.query_params


@pytest.mark.parametrize(
    ("link", "kept", "left_out"),
    [
        ({"country": ["Narnia", "Armenia"]}, ["country=Armenia"], ["Narnia"]),
        ({"from": "abc", "to": "2010"}, ["years=1992", "years=2010"], ["abc"]),
        ({"tab": ["Nonsense"], "section": ["Codebook"]}, ["section=Codebook"], ["Nonsense"]),
        ({"section": "<b>x</b>", "table": ["clashes"]}, ["table=clashes"], ["<b>", "x%3C"]),
        ({"table": ["../x", "facilities"]}, ["table=facilities"], [".."]),
        ({"mode": ["sideways"], "year": ["2010"]}, ["year=2010"], ["sideways", "mode="]),
        ({"events": ["border_clash", "[x](http://e.org)"]}, ["events="], ["e.org", "%5Bx"]),
    ],
)
def test_copy_link_holds_only_what_the_view_could_use(
    app_env: Path, link: dict, kept: list[str], left_out: list[str]
) -> None:
    """On a link's first run, the address to copy leaves out the values the notice names, of the
    filters and of the pages' own choices alike, and keeps the rest."""
    at = open_app(None, **link)
    assert at.warning, "a notice names what was left out"
    (address,) = [c.value for c in at.code]
    assert all(part in address for part in kept), address
    assert not [part for part in left_out if part in address], address


@pytest.mark.parametrize("table", ["incidents", "requests"])
def test_data_page_views_take_the_incidents_filters(app_env: Path, table: str) -> None:
    """Incidents and requests are cut by every filter of the link, and the page says so."""
    at = open_app(DATA_PAGE, table=table, q="almaty")
    incidents = incidents_of(load_package(app_env))
    narrowed = filter_incidents(incidents, Query(1992, 2024, text="almaty"))
    rows = {"incidents": (len(narrowed), len(incidents))}
    rows["requests"] = (len(make_requests(narrowed)), len(make_requests(incidents)))
    shown, total = rows[table]
    assert shown < total, "the filter leaves some rows out"
    captions = [c.value for c in at.caption]
    assert f"`{table}.csv` · {shown} / {total} rows" in captions
    assert any("The Incidents page's filters narrow these rows too." in c for c in captions)
    at = open_app(DATA_PAGE, table="members", q="almaty")
    assert not any("narrow these rows" in c.value for c in at.caption)
