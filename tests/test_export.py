"""CSV downloads: exact round trip, formula neutralisation, file names."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.export import (
    DEFERRED_DOWNLOAD_ROWS,
    download_payload,
    export_filename,
    neutralise_cell,
    restore_cell,
    to_csv_bytes,
)
from components.filters import Filters

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


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "'"])
def test_trigger_cells_are_prefixed(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
    assert restore_cell(neutralise_cell(value)) == value


@given(st.text())
def test_neutralised_text_never_starts_a_formula(value: str) -> None:
    safe = neutralise_cell(value)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_cell(safe) == value


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
    ("filters", "narrowed", "expected"),
    [
        (Filters(2020, 2023, ("ARM", "AZE")), False, "clashes_2020-2023_ARM-AZE.csv"),
        (Filters(2022, 2022), False, "clashes_2022_all-countries.csv"),
        (
            Filters(1992, 2025, ("ARM", "AZE", "BLR", "KAZ", "KGZ")),
            True,
            "clashes_1992-2025_ARM-AZE-BLR-KAZ-and-1-more_narrowed.csv",
        ),
    ],
)
def test_export_filename(filters: Filters, narrowed: bool, expected: str) -> None:
    assert export_filename("clashes", filters, narrowed) == expected


def test_large_downloads_are_written_on_click() -> None:
    small = pd.DataFrame({"n": range(10)})
    large = pd.DataFrame({"n": range(DEFERRED_DOWNLOAD_ROWS + 1)})
    assert download_payload(small) == to_csv_bytes(small)
    deferred = download_payload(large)
    assert callable(deferred) and deferred() == to_csv_bytes(large)
