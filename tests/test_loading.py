"""How the loader reads: Arrow straight from the bytes for a plain file, the careful way for the
rest, with the same tables and the same problems either way."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from components import data as data_module
from components.data import DataPackageError, load_package, read_arrow_table
from components.schema import tables
from tests.conftest import read_table, write_table

TABLE_FILES = [table.path for table in tables().values()]


def as_frame(raw: bytes) -> pd.DataFrame:
    table, problems = read_arrow_table("data/x.csv", raw)
    assert table is not None and not problems
    return table.to_pandas(types_mapper=lambda _: pd.StringDtype())


@pytest.mark.parametrize("filename", TABLE_FILES)
def test_fast_and_careful_reading_give_the_same_cells(mini_dir: Path, filename: str) -> None:
    raw = (mini_dir / filename).read_bytes()
    careful, problems = data_module._read_carefully("data/x.csv", raw)
    assert careful is not None and not problems
    pd.testing.assert_frame_equal(as_frame(raw), careful, check_dtype=False)


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw.replace(b"\n", b"\r\n"),  # CR LF: read the careful way
        lambda raw: b"\xef\xbb\xbf" + raw,  # byte order mark: read by Arrow
    ],
    ids=["crlf", "bom"],
)
def test_line_ends_and_byte_order_mark_load_the_same_tables(mini_dir: Path, change) -> None:
    plain = load_package(mini_dir)
    for filename in TABLE_FILES:
        path = mini_dir / filename
        path.write_bytes(change(path.read_bytes()))
    changed = load_package(mini_dir)
    for name, frame in plain.tables.items():
        pd.testing.assert_frame_equal(changed[name], frame, check_exact=True)


@pytest.mark.parametrize(
    ("raw", "blank"),
    [
        (b"a\nb\nc\n", False),
        (b"a\n\nb", True),
        (b"ab\n\n", True),
        (b"\n\nab", True),
        (b"abc\n", False),
        (b"", False),
        (b"\n", False),
    ],
)
@pytest.mark.parametrize("step", [1, 2, 3, 2**24])
def test_blank_lines_are_found_across_slices(raw: bytes, blank: bool, step: int) -> None:
    assert data_module._has_blank_line(raw, step) is blank


def test_a_typed_frame_keeps_its_dtypes(mini_package) -> None:
    clashes = mini_package["clashes"]
    assert str(clashes["clash_id"].dtype) == "string"
    assert str(clashes["start_date"].dtype) == "datetime64[us]"
    assert str(clashes["fatalities_low"].dtype) == "Int64"
    assert str(clashes["latitude"].dtype) == "float64"
    assert list(clashes["response"].cat.categories) == list(
        tables()["clashes"].field("response").allowed
    )


def test_each_bad_coordinate_is_reported_at_its_own_row(mini_dir: Path) -> None:
    frame = read_table(mini_dir, "clashes")
    frame.loc[0, "latitude"] = "abc"
    frame.loc[1, "latitude"] = "95"
    write_table(mini_dir, "clashes", frame)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    assert [str(p) for p in raised.value.problems] == [
        "data/clashes.csv:2:latitude: must be a decimal number (got 'abc')",
        "data/clashes.csv:3:latitude: must lie between -90 and 90 (got '95')",
    ]


def test_a_repeated_id_is_reported_at_every_row_that_holds_it(mini_dir: Path) -> None:
    frame = read_table(mini_dir, "sources")
    frame.loc[2, "source_id"] = frame.loc[0, "source_id"]
    write_table(mini_dir, "sources", frame)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    repeated = [str(p) for p in raised.value.problems if "duplicate id" in p.message]
    value = frame.loc[0, "source_id"]
    assert repeated == [
        f"data/sources.csv:2:source_id: duplicate id (got {value!r})",
        f"data/sources.csv:4:source_id: duplicate id (got {value!r})",
    ]
