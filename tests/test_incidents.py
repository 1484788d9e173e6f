"""Incidents: alliance alignment of clashes, requests for help, filters and downloads."""

from __future__ import annotations

import html
import io

import pandas as pd
from components.status import members_on
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.data import DataPackage, split_codes
from components.export import restore_cell, to_csv_bytes
from components.filters import Filters
from components.incidents import (
    INCIDENT_COLUMNS,
    clash_alignment,
    fatality_totals,
    filter_incidents,
    make_requests,
    recent_events_markdown,
    source_links,
)
from components.tables import (
    filter_milestones,
    filter_package_tables,
    filter_segments,
    filter_withdrawals,
)
from tests.conftest import incidents_of


def test_alignment_says_who_was_a_member(mini_package: DataPackage) -> None:
    aligned = clash_alignment(mini_package["clashes"], mini_package["members"])
    by_id = dict(zip(mini_package["clashes"]["clash_id"], aligned["alignment"], strict=True))
    assert by_id == {
        "kaz-unrest-2022": "internal_member",
        "kgz-tjk-2022": "both_sides_members",
        "arm-aze-2022": "one_side_member",
    }
    members = dict(
        zip(mini_package["clashes"]["clash_id"], aligned["members_at_start"], strict=True)
    )
    assert members["arm-aze-2022"] == "ARM"


def test_incidents_table_columns_and_order(mini_package: DataPackage) -> None:
    incidents = incidents_of(mini_package)
    assert list(incidents.columns) == INCIDENT_COLUMNS
    assert incidents["start_date"].is_monotonic_decreasing
    assert incidents["category"].value_counts().to_dict() == {"clash": 3, "deployment": 2}
    deployment = incidents.set_index("incident_id").loc["kaz-2022"]
    assert deployment["countries"] == "KAZ;RUS;ARM;KGZ;TJK"
    assert deployment["help_requested"] == "yes"
    assert pd.isna(incidents.set_index("incident_id").loc["drill-2022", "help_requested"])


def test_filter_incidents_combines_every_filter(mini_package: DataPackage) -> None:
    incidents = incidents_of(mini_package)
    everything = Filters(1992, 2024)
    assert len(filter_incidents(incidents, everything)) == 5
    assert len(filter_incidents(incidents, everything, responses=["mission"])) == 1
    assert len(filter_incidents(incidents, everything, alignments=["internal_member"])) == 1
    assert len(filter_incidents(incidents, everything, help_requested=["no"])) == 1
    assert len(filter_incidents(incidents, everything, kinds=["border_clash"], text="batken")) == 1
    assert filter_incidents(incidents, Filters(1992, 2021)).empty


def test_requests_view_measures_the_answer(mini_package: DataPackage) -> None:
    requests = make_requests(incidents_of(mini_package), mini_package.country_names)
    assert requests["requested_by"].tolist() == ["Kazakhstan", "Armenia"]
    assert requests["days_to_response"].tolist() == [1, 0]
    assert requests["response"].astype(str).tolist() == ["deployed", "mission"]


def test_fatality_totals_use_ranges(mini_package: DataPackage) -> None:
    assert fatality_totals(mini_package["clashes"]) == (225 + 100 + 280, 238 + 140 + 300, 0)


def test_recent_events_escape_data_text() -> None:
    frame = pd.DataFrame(
        {
            "start_date": pd.to_datetime(["2022-09-13"]),
            "name": ["<img src=x onerror=alert(1)> *x*"],
            "category": ["clash"],
            "kind": ["incursion"],
            "response": ["not_requested"],
        }
    )
    text = recent_events_markdown(frame)
    assert "<" not in text and "*x*" not in text
    assert "alliance response: not requested" in html.unescape(text)


def test_source_links(mini_package: DataPackage) -> None:
    links = source_links("src_news;src_treaty;src_unknown", mini_package["sources"])
    assert links == [
        ("A news report (Fixture Wire)", None),
        ("Collective Security Treaty (Fixture Publisher)", "https://example.org/treaty"),
    ]


def test_package_tables_follow_the_filters(mini_package: DataPackage) -> None:
    tables = filter_package_tables(mini_package, Filters(2012, 2024, ("UZB",)))
    assert tables["members"]["spell_id"].tolist() == ["uzb-2"]
    assert tables["withdrawals"]["step_id"].tolist() == ["uzb-2012-notice", "uzb-2012-decision"]
    assert tables["clashes"].empty and tables["contested_values"].empty
    assert set(tables["sources"]["source_id"]) == {"src_treaty", "src_news"}


def parse_download(data: bytes, like: pd.DataFrame) -> pd.DataFrame:
    """Read a download back with the frame's dtypes, undoing formula neutralisation."""
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False).replace("", pd.NA)
    for column in like.columns:
        dtype = like[column].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            back[column] = pd.to_datetime(back[column]).astype(dtype)
        elif pd.api.types.is_numeric_dtype(dtype):
            back[column] = pd.to_numeric(back[column]).astype(dtype)
        else:
            back[column] = back[column].map(restore_cell, na_action="ignore").astype(dtype)
    return back


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    years=st.tuples(st.integers(1992, 2025), st.integers(1992, 2025)).map(sorted),
    countries=st.lists(
        st.sampled_from(["ARM", "AZE", "KAZ", "KGZ", "RUS", "TJK", "UZB", "UKR"]),
        max_size=3,
        unique=True,
    ),
    categories=st.lists(st.sampled_from(["clash", "deployment"]), max_size=1),
    text=st.sampled_from(["", "border", "armenia", "=", "<"]),
)
def test_download_reads_back_as_the_filtered_frame(
    real_package: DataPackage, years, countries, categories, text
) -> None:
    incidents = incidents_of(real_package)
    filters = Filters(years[0], years[1], tuple(sorted(countries)))
    shown = filter_incidents(incidents, filters, categories=categories, text=text)
    back = parse_download(to_csv_bytes(shown), shown)
    pd.testing.assert_frame_equal(back, shown.reset_index(drop=True), check_categorical=False)


def test_alignment_matches_a_row_by_row_reading(real_package: DataPackage) -> None:
    clashes, members = real_package["clashes"], real_package["members"]
    aligned = clash_alignment(clashes, members)
    for index, clash in clashes.iterrows():
        inside = members_on(members, clash["start_date"])
        a = [c for c in split_codes(clash["side_a"]) if c in inside]
        b = [c for c in split_codes(clash["side_b"]) if c in inside]
        expected = ";".join(a + b) if a + b else None
        got = aligned.at[index, "members_at_start"]
        assert (None if pd.isna(got) else got) == expected, clash["clash_id"]


def test_timeline_pieces_follow_the_filters(mini_package: DataPackage) -> None:
    filters = Filters(2012, 2012, ("UZB",))
    steps = filter_withdrawals(mini_package["withdrawals"], filters)
    assert steps["step_id"].tolist() == ["uzb-2012-notice", "uzb-2012-decision"]
    assert filter_milestones(mini_package["milestones"], filters).empty
    assert len(filter_milestones(mini_package["milestones"], Filters(1992, 1992))) == 1
    segments = pd.DataFrame({"country_iso3": ["ARM", "UZB", "UZB"]})
    assert filter_segments(segments, filters)["country_iso3"].tolist() == ["UZB", "UZB"]
    assert len(filter_segments(segments, Filters(1992, 2024))) == 3
