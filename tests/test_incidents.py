"""Incidents: alliance alignment of clashes, requests for help, filters and downloads."""

from __future__ import annotations

import html
import io
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.data import DataPackage, split_codes
from components.export import restore_cell, to_csv_bytes
from components.incident_view import (
    dates_as_known,
    incidents_for_screen,
    requests_for_screen,
    row_position,
)
from components.incidents import (
    INCIDENT_COLUMNS,
    FatalityTotal,
    clash_alignment,
    fatality_totals,
    filter_incidents,
    make_requests,
    names_ru_of,
    recent_events_markdown,
    source_links,
)
from components.labels import labels_of
from components.membership import members_on
from components.query import CHOICE_PARAMS, Query, query_options
from components.tables import (
    filter_history,
    filter_milestones,
    filter_package_tables,
    filter_withdrawals,
)
from tests.conftest import history_of, incidents_of


def test_alignment_says_who_was_a_member(mini_package: DataPackage) -> None:
    aligned = clash_alignment(mini_package["clashes"], history_of(mini_package))
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
    everything = Query(1992, 2024)
    cases = [
        (everything, 5),
        (Query(1992, 2024, responses=("mission",)), 1),
        (Query(1992, 2024, alignments=("internal_member",)), 1),
        (Query(1992, 2024, help_requested=("no",)), 1),
        (Query(1992, 2024, request_to=("CSTO",)), 2),
        (Query(1992, 2024, request_to=("RUS",)), 0),
        (Query(1992, 2024, kinds=("border_clash",), text="batken"), 1),
        (Query(1992, 2021), 0),
    ]
    for query, expected in cases:
        assert len(filter_incidents(incidents, query)) == expected, query


def test_requests_view_is_in_date_order_with_whole_days(mini_package: DataPackage) -> None:
    requests = make_requests(incidents_of(mini_package))
    assert requests["requested_by"].tolist() == ["KAZ", "ARM"]
    assert requests["request_date"].is_monotonic_increasing
    assert requests["days_to_response"].tolist() == [1, 0]
    assert str(requests["days_to_response"].dtype) == "Int64"
    assert requests["response"].astype(str).tolist() == ["deployed", "mission"]
    assert requests["to_alliance"].tolist() == [True, True]


def test_requests_to_others_only_have_no_alliance_delay() -> None:
    incidents = pd.DataFrame(
        {
            "incident_id": ["a", "b"],
            "name": ["To Russia", "To the CSTO"],
            "category": ["clash", "clash"],
            "help_requested": ["yes", "yes"],
            "requested_by": ["ARM", "KGZ"],
            "request_to": ["RUS", "RUS;CSTO"],
            "request_date": pd.to_datetime(["2020-10-31", "2010-06-12"]),
            "request_date_precision": ["day", "day"],
            "response": ["statement", "refused"],
            "response_date": pd.to_datetime(["2020-11-02", "2010-06-14"]),
            "response_note": [None, None],
            "source_ids": ["s", "s"],
        }
    )
    requests = make_requests(incidents)
    assert requests["clash"].tolist() == ["To the CSTO", "To Russia"]
    assert requests["to_alliance"].tolist() == [True, False]
    assert requests["days_to_response"].tolist()[0] == 2
    assert pd.isna(requests["days_to_response"].iloc[1])


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ((2022, 2022), FatalityTotal(225 + 100 + 280, 238 + 140 + 300, 3, 0, 0)),
        ((2023, 2024), FatalityTotal(0, 0, 0, 0, 3)),
    ],
)
def test_fatality_totals_count_clashes_that_began_in_the_years(
    mini_package: DataPackage, years: tuple[int, int], expected: FatalityTotal
) -> None:
    assert fatality_totals(mini_package["clashes"], *years) == expected


def test_fatality_totals_leave_out_wars_begun_before() -> None:
    clashes = pd.DataFrame(
        {
            "start_date": pd.to_datetime(["1988-02-01", "1993-01-01", "1994-01-01"]),
            "fatalities_low": pd.array([30000, None, 10], dtype="Int64"),
            "fatalities_best": pd.array([None, None, None], dtype="Int64"),
            "fatalities_high": pd.array([None, None, 20], dtype="Int64"),
        }
    )
    assert fatality_totals(clashes, 1992, 1995) == FatalityTotal(10, 20, 1, 1, 1)


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
    assert "alliance: not asked, nothing done" in html.unescape(text)


def test_source_links(mini_package: DataPackage) -> None:
    links = source_links("src_news;src_treaty;src_unknown", mini_package["sources"])
    assert links == [
        ("A news report (Fixture Wire)", None),
        ("Collective Security Treaty (Fixture Publisher)", "https://example.org/treaty"),
    ]


def test_package_tables_follow_the_filters(mini_package: DataPackage) -> None:
    tables = filter_package_tables(mini_package, Query(2012, 2024, ("UZB",)))
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
    query = Query(years[0], years[1], tuple(sorted(countries)), tuple(categories), text=text)
    shown = filter_incidents(incidents, query)
    back = parse_download(to_csv_bytes(shown), shown)
    pd.testing.assert_frame_equal(back, shown.reset_index(drop=True), check_categorical=False)


def test_alignment_matches_a_row_by_row_reading(real_package: DataPackage) -> None:
    clashes, history = real_package["clashes"], history_of(real_package)
    aligned = clash_alignment(clashes, history)
    for index, clash in clashes.iterrows():
        inside = members_on(history, clash["start_date"])
        a = [c for c in split_codes(clash["side_a"]) if c in inside]
        b = [c for c in split_codes(clash["side_b"]) if c in inside]
        expected = ";".join(a + b) if a + b else None
        got = aligned.at[index, "members_at_start"]
        assert (None if pd.isna(got) else got) == expected, clash["clash_id"]


def test_timeline_pieces_follow_the_filters(mini_package: DataPackage) -> None:
    query = Query(2012, 2012, ("UZB",))
    steps = filter_withdrawals(mini_package["withdrawals"], query)
    assert steps["step_id"].tolist() == ["uzb-2012-notice", "uzb-2012-decision"]
    assert filter_milestones(mini_package["milestones"], query).empty
    assert len(filter_milestones(mini_package["milestones"], Query(1992, 1992))) == 1
    history = pd.DataFrame({"country_iso3": ["ARM", "UZB", "UZB"]})
    assert filter_history(history, query)["country_iso3"].tolist() == ["UZB", "UZB"]
    assert len(filter_history(history, Query(1992, 2024))) == 3


def test_dates_show_only_what_is_known() -> None:
    dates = pd.Series(pd.to_datetime(["2024-02-13", "2023-02-01", "2023-01-01", None]))
    precisions = pd.Series(["day", "month", "year", None])
    shown = dates_as_known(dates, precisions)
    assert shown.tolist()[:3] == ["2024-02-13", "2023-02", "2023"]
    assert pd.isna(shown.iloc[3])
    assert sorted(shown.dropna()) == ["2023", "2023-02", "2024-02-13"], "text order is date order"


def test_filtered_tables_keep_spells_and_bases_that_last(mini_package: DataPackage) -> None:
    """Armenia's open membership spell and a base still there belong to 2020-2023."""
    tables = filter_package_tables(mini_package, Query(2020, 2023, ("ARM",)))
    assert "arm-1" in set(tables["members"]["spell_id"])
    assert "base-gyumri" in set(tables["facilities"]["facility_id"])


def test_russian_names_are_looked_up_for_the_ids_asked_only(mini_package: DataPackage) -> None:
    incidents = incidents_of(mini_package)
    everything = pd.Series(incidents["name_ru"].array, index=incidents["incident_id"].array)
    asked = pd.Series([incidents["incident_id"].iloc[3], None, incidents["incident_id"].iloc[0]])
    found = names_ru_of(incidents, asked)
    assert sorted(found.index) == sorted(asked.dropna())
    pd.testing.assert_series_equal(
        found.sort_index(), everything[found.index].sort_index(), check_index_type=False
    )
    assert names_ru_of(incidents, pd.Series(["no-such-id"], dtype="string")).empty


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "object", "category"])
@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (["member", None, "not_a_code"], ["Member", None, "not_a_code"]),
        (
            [None, None],
            [None, None],
        ),  # no value at all: Arrow types it as null, which holds no text
        ([], []),
    ],
)
def test_labels_of_keeps_text_and_missing_values(
    dtype: str, codes: list[str | None], words: list[str | None]
) -> None:
    shown = labels_of(pd.Series(codes, dtype=dtype))
    assert pd.api.types.is_string_dtype(shown)
    assert [None if pd.isna(w) else w for w in shown] == words


def _single_choices() -> list[tuple[str, str]]:
    options = query_options({})
    return [
        (field, code)
        for field in CHOICE_PARAMS.values()
        if field != "countries"
        for code in options[field]
    ]


@pytest.mark.parametrize(("field", "code"), _single_choices())
def test_every_single_choice_gives_screen_frames(
    mini_package: DataPackage, field: str, code: str
) -> None:
    """Any one filter value, even one that leaves a column without any value (only deployments:
    no alignment, no response), gives the Incidents page's frames."""
    incidents = incidents_of(mini_package)
    shown = filter_incidents(incidents, replace(Query(1992, 2024), **{field: (code,)}))
    screen = incidents_for_screen(shown, {}, mini_package["sources"])
    assert len(screen) == len(shown)
    requests = make_requests(shown)
    assert len(requests_for_screen(requests, {})) == len(requests)


@pytest.mark.parametrize(
    ("ids", "wanted", "position"),
    [
        (["a", "b", "c"], "b", 1),
        (["a", "b", "b"], "b", 1),  # the first
        (["a", "b"], "B", None),  # ids are exact
        (["a", None], "None", None),
        ([], "a", None),
        ([1, 2], "2", 1),
    ],
)
def test_row_position(ids: list[object], wanted: str, position: int | None) -> None:
    assert row_position(pd.Series(ids, dtype=object), wanted) == position
