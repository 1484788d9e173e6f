"""CSV downloads: exact round trip, formula neutralisation, file names."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components import export as export_module
from components.export import (
    export_filename,
    neutralise_cell,
    neutralise_frame,
    restore_cell,
    to_csv_bytes,
    with_source_columns,
)
from components.query import Query
from tests.conftest import loaded_of

EXPECTED_CSV = (
    "name,start_date,deaths,note\r\n"
    '"\'=HYPERLINK(""http://x"")",2022-01-06,227,\r\n'
    "Plain,2022-09-13,,'-5 then text\r\n"
)


def test_csv_text_is_exact() -> None:
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "Plain"],
            "start_date": pd.to_datetime(["2022-01-06", "2022-09-13"]),
            "deaths": pd.array([227, None], dtype="Int64"),
            "note": [None, "-5 then text"],
        }
    )
    assert to_csv_bytes(frame).decode("utf-8") == EXPECTED_CSV


TRIGGERS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "\nx",
    "'=x",
    "'",
    " =1+1",
    "   +1",
    "\n=cmd",
    "\r\n@x",
    "\u00a0=1",
    "\u3000-1",
    "\uff1d1+1",
    "\uff0b1",
    "\uff0d1",
    "\uff20x",
    " \uff1dx",
]
SAFE = ["plain", "1=1", "a-b", "x@y", "", " text", "\u00a0x"]


@pytest.mark.parametrize("value", TRIGGERS)
def test_trigger_cells_are_prefixed(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
    assert restore_cell(neutralise_cell(value)) == value


@pytest.mark.parametrize("value", SAFE)
def test_safe_cells_are_left_alone(value: str) -> None:
    assert neutralise_cell(value) == value


def test_frame_rule_is_the_cell_rule() -> None:
    frame = pd.DataFrame({"text": pd.array([*TRIGGERS, *SAFE, None], dtype="string")})
    expected = frame["text"].map(neutralise_cell, na_action="ignore")
    pd.testing.assert_series_equal(neutralise_frame(frame)["text"], expected.astype("string"))


@given(st.text())
def test_neutralised_text_never_starts_a_formula(value: str) -> None:
    safe = neutralise_cell(value)
    stripped = safe.lstrip()
    assert safe.startswith("'") or not stripped.startswith(("=", "+", "-", "@", "\uff1d"))
    assert restore_cell(safe) == value


def test_source_columns_are_readable() -> None:
    sources = pd.DataFrame(
        {
            "source_id": ["a", "b"],
            "title": ["Report", "=Bad"],
            "publisher": ["Wire", "Site"],
            "url": ["https://x.example/1", None],
        }
    )
    frame = pd.DataFrame({"source_ids": ["a;b", "b", None]})
    out = with_source_columns(frame, sources)
    assert out["source_titles"].tolist()[:2] == ["Report (Wire) | =Bad (Site)", "=Bad (Site)"]
    assert out["source_urls"].tolist()[0] == "https://x.example/1"
    assert pd.isna(out["source_urls"].iloc[1]) and pd.isna(out["source_titles"].iloc[2])


def read_back(data: bytes, like: pd.DataFrame) -> pd.DataFrame:
    """Parse a download the documented way: text as text, then undo the neutralisation."""
    text_columns = [c for c in like.columns if like[c].dtype == "string"]
    frame = pd.read_csv(
        io.BytesIO(data),
        dtype=dict.fromkeys(text_columns, "string"),
        keep_default_na=False,
        na_values={c: [""] for c in like.columns},
    )
    for column in text_columns:
        frame[column] = frame[column].map(restore_cell, na_action="ignore").astype("string")
    return frame


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.none(), st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1)
            ),
            st.one_of(st.none(), st.integers(0, 10**6)),
        ),
        max_size=20,
    )
)
def test_csv_round_trip_preserves_every_value(rows) -> None:
    frame = pd.DataFrame(
        {
            "text": pd.array([r[0] for r in rows], dtype="string"),
            "count": pd.array([r[1] for r in rows], dtype="Int64"),
        }
    )
    back = read_back(to_csv_bytes(frame), frame)
    assert len(back) == len(frame)
    pd.testing.assert_series_equal(
        back["text"].reset_index(drop=True), frame["text"], check_names=False
    )
    assert back["count"].astype("Int64").tolist() == frame["count"].tolist()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query(2020, 2023, ("ARM", "AZE")), "clashes_2020-2023_ARM-AZE.csv"),
        (Query(2022, 2022), "clashes_2022_all-countries.csv"),
        (
            Query(1992, 2025, ("ARM", "AZE", "BLR", "KAZ", "KGZ"), kinds=("border_clash",)),
            "clashes_1992-2025_ARM-AZE-BLR-KAZ-and-1-more_narrowed.csv",
        ),
    ],
)
def test_export_filename(query: Query, expected: str) -> None:
    assert export_filename("clashes", query) == expected


@given(
    st.lists(st.one_of(st.none(), st.sampled_from([*TRIGGERS, *SAFE]), st.text(max_size=5))),
    st.sampled_from(["object", "string", "category"]),
)
def test_frame_rule_is_the_cell_rule_for_any_text_column(values: list, dtype: str) -> None:
    frame = pd.DataFrame({"text": pd.Series(values, dtype=dtype)})
    shown = neutralise_frame(frame)["text"]
    assert [None if pd.isna(v) else v for v in shown] == [
        None if v is None else neutralise_cell(v) for v in values
    ]


def test_csv_written_in_slices_is_the_csv_of_the_whole_frame(
    mini_package, monkeypatch: pytest.MonkeyPatch
) -> None:
    incidents = loaded_of(mini_package).incidents
    frame = pd.concat([incidents] * 3, ignore_index=True)
    frame.loc[5, "name"] = "=1+1"  # neutralised in one slice only
    whole = neutralise_frame(frame).to_csv(
        index=False, date_format="%Y-%m-%d", lineterminator="\r\n"
    )
    monkeypatch.setattr(export_module, "CSV_SLICE_ROWS", 7)
    assert to_csv_bytes(frame) == whole.encode("utf-8")
    assert to_csv_bytes(frame.head(0)) == frame.head(0).to_csv(
        index=False, lineterminator="\r\n"
    ).encode("utf-8")
