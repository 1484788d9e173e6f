"""Every page through Streamlit's AppTest, on the fixture package."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from components.data import load_package
from components.export import to_csv_bytes
from components.filters import Filters
from components.incidents import filter_incidents
from components.tables import filter_package_tables
from tests.conftest import incidents_of, read_table, write_table

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/1_Map.py",
    "pages/2_Timeline.py",
    "pages/3_Incidents.py",
    "pages/4_Data_and_sources.py",
]
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


@pytest.mark.parametrize("page", [None, *PAGES])
def test_page_renders(app_env: Path, page: str | None) -> None:
    at = open_app(page)
    assert at.title, "every page has a title"
    assert at.slider(key="year_range").value == (1992, 2024)
    assert not at.error


def test_overview_numbers_follow_the_years(app_env: Path) -> None:
    at = open_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Members"] == "3"
    assert metrics["Participation frozen or suspended"] == "1"
    assert metrics["Former members"] == "2"
    assert metrics["Clashes and crises"] == "3"
    at.slider(key="year_range").set_value((1992, 2010)).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Clashes and crises"] == "0"
    assert any("No events match" in i.value for i in at.info)


def test_incidents_filter_and_download_match(app_env: Path) -> None:
    at = open_app("pages/3_Incidents.py")
    assert "**5** of 5 incidents" in texts(at)
    at.multiselect(key="countries").set_value(["ARM"]).run()
    assert "**2** of 5 incidents" in texts(at)
    at.multiselect(key="inc_category").set_value(["clash"]).run()
    assert "**1** of 5 incidents" in texts(at)

    package = load_package(app_env)
    incidents = incidents_of(package)
    expected = filter_incidents(incidents, Filters(1992, 2024, ("ARM",)), categories=["clash"])
    assert download_bytes(at, "incidents_download") == to_csv_bytes(expected)
    assert download_name(at, "incidents_download") == "incidents_1992-2024_ARM_narrowed.csv"


def test_incidents_text_search_and_requests_view(app_env: Path) -> None:
    at = open_app("pages/3_Incidents.py")
    at.text_input(key="inc_text").set_value("almaty").run()
    assert "**2** of 5 incidents" in texts(at)
    assert any(t.startswith("**1** requests for help") for t in texts(at))
    at.text_input(key="inc_text").set_value("no such place").run()
    assert any("No incidents match" in i.value for i in at.info)


def test_map_follows_the_filters(app_env: Path) -> None:
    at = open_app("pages/1_Map.py")
    figure = at.get("plotly_chart")[0].proto.spec
    assert '"frames"' in figure and "2024" in figure
    at.slider(key="year_range").set_value((2000, 2001)).run()
    figure = at.get("plotly_chart")[0].proto.spec
    assert '"name":"2001"' in figure.replace(" ", "") and '"name":"2024"' not in figure
    at.segmented_control(key="map_mode").set_value("On a date").run()
    assert not at.exception
    assert '"frames"' not in at.get("plotly_chart")[0].proto.spec


def test_timeline_follows_the_countries(app_env: Path) -> None:
    at = open_app("pages/2_Timeline.py")
    assert len(at.dataframe[0].value) == 5
    at.multiselect(key="countries").set_value(["UZB"]).run()
    assert len(at.dataframe[0].value) == 3


def test_data_page_downloads_filtered_tables(app_env: Path) -> None:
    at = open_app("pages/4_Data_and_sources.py", country="UZB")
    package = load_package(app_env)
    filtered = filter_package_tables(package, Filters(1992, 2024, ("UZB",)))
    for table in ("members", "withdrawals", "sources"):
        assert download_bytes(at, f"filtered_{table}") == to_csv_bytes(filtered[table])
    assert download_bytes(at, "full_clashes") == to_csv_bytes(package["clashes"])


def test_query_string_sets_filters_and_survives_page_switch(app_env: Path) -> None:
    at = open_app(None, **{"from": "2020", "to": "2022", "country": ["ARM", "KAZ"]})
    assert at.slider(key="year_range").value == (2020, 2022)
    assert at.multiselect(key="countries").value == ["ARM", "KAZ"]
    at.switch_page("pages/3_Incidents.py").run()
    assert at.slider(key="year_range").value == (2020, 2022)
    # The URL still carries the filters after the switch.
    assert at.query_params["from"] in ("2020", ["2020"])
    assert at.query_params["country"] == ["ARM", "KAZ"]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "abc"},
        {"from": "2023", "to": "2001"},
        {"country": "<script>alert(1)</script>"},
        {"to": "9" * 5000},
        {"from": ["2001", "2002"]},
        {"colour": "[click](http://example.com)"},
        {"country": "ÄRM😀"},
    ],
)
def test_hostile_query_strings_show_a_notice(app_env: Path, query: dict) -> None:
    at = open_app(None, **query)
    assert at.slider(key="year_range").value == (1992, 2024)
    assert at.warning, "a notice names the ignored parameter"
    assert all(len(w.value) < 200 for w in at.warning)


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


def test_data_edit_is_picked_up_and_a_fix_recovers(app_env: Path) -> None:
    at = open_app("pages/3_Incidents.py")
    assert "**5** of 5 incidents" in texts(at)
    clashes = read_table(app_env, "clashes")
    write_table(app_env, "clashes", clashes.iloc[:2])
    at.run()
    assert "**4** of 4 incidents" in texts(at)
    write_table(app_env, "clashes", clashes.assign(latitude="north"))
    at.run()
    assert at.error and not at.exception
    write_table(app_env, "clashes", clashes)
    at.run()
    assert not at.error and "**5** of 5 incidents" in texts(at)


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
    from components.ui import data_signature, load_cached

    at = open_app()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception
    package, incidents, _, _ = load_cached(str(app_env), data_signature(app_env))
    fresh = load_package(app_env)
    for table, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(package[table], frame)
    pd.testing.assert_frame_equal(incidents, incidents_of(fresh))
