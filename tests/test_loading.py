"""How the loader reads: Arrow straight from the bytes for a plain file, the careful way for the
rest, with the same tables and the same problems either way."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pytest

from components import data as data_module
from components.data import DataPackageError, load_package, read_table_stream
from components.schema import tables
from tests.conftest import read_table, write_table

TABLE_FILES = [table.path for table in tables().values()]


def as_frame(raw: bytes) -> pd.DataFrame:
    read, problems = read_table_stream("data/x.csv", io.BytesIO(raw))
    assert read.table is not None and not problems
    return read.table.to_pandas(types_mapper=lambda _: pd.StringDtype())


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


def plain_text(raw: bytes) -> bool:
    """What PlainTextScan means, on the whole file at once: UTF-8, no NUL, no blank line (also
    as CR LF), no carriage return outside CR LF."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lines = raw.replace(b"\r\n", b"\n")
    return b"\x00" not in raw and b"\r" not in lines and b"\n\n" not in lines


def scanned(raw: bytes, step: int) -> bool:
    scan = data_module.PlainTextScan()
    for start in range(0, len(raw), step):
        scan.feed(raw[start : start + step])
    return scan.finish()


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        (b"a\nb\nc\n", True),
        (b"a\n\nb", False),
        (b"ab\n\n", False),
        (b"\n\nab", False),
        (b"abc\n", True),
        (b"", True),
        (b"\n", True),
        (b"a\r\nb\r\n", True),
        (b"a\r\n\r\nb", False),
        (b"a\n\r\nb", False),
        (b"a\rb\n", False),
        (b"ab\r", False),
        (b"a\x00b", False),
        ("ü€😀\n".encode(), True),
        ("ü€😀".encode()[:-1], False),
        (b"a\xffb", False),
        (b"a\x80b", False),
        (b"\xed\xa0\x80", False),  # a surrogate
        (b"\xef\xbb\xbfa,b\n", True),  # byte order mark
    ],
)
@pytest.mark.parametrize("step", [1, 2, 3, 5, 2**24])
def test_plain_text_is_judged_the_same_in_blocks_of_any_size(
    raw: bytes, plain: bool, step: int
) -> None:
    assert plain_text(raw) is plain
    assert scanned(raw, step) is plain


def test_plain_text_scan_agrees_with_the_whole_file_on_random_bytes() -> None:
    pieces = [b"a", b",", b"\n", b"\r", b"\r\n", b"\x00", "ü".encode(), "€".encode()]
    pieces += ["😀".encode(), b"\x80", b"\xc3", b"\xf0\x9f", b"\xe2\x82"]
    generator = random.Random(15)
    for _ in range(3000):
        raw = b"".join(generator.choices(pieces, k=generator.randint(0, 12)))
        expected = plain_text(raw)
        for step in (1, 2, 3, 4, 7):
            assert scanned(raw, step) is expected, (raw, step)


def test_a_file_is_hashed_and_parsed_while_it_is_read(mini_dir: Path) -> None:
    raw = (mini_dir / "clashes.csv").read_bytes()
    read, problems = data_module.read_table_file(mini_dir, "clashes.csv")
    assert not problems and read is not None and read.table is not None
    assert read.hash == data_module.file_hash(raw)
    assert read.table.num_rows == raw.count(b"\n") - 1


@pytest.mark.parametrize(
    "change",
    [lambda raw: raw + b"\n\n", lambda raw: raw.replace(b",", b",\xff", 1)],
    ids=["blank line", "not utf-8"],
)
def test_a_file_read_the_careful_way_has_the_hash_of_all_its_bytes(mini_dir: Path, change) -> None:
    path = mini_dir / "clashes.csv"
    path.write_bytes(change(path.read_bytes()))
    read, problems = data_module.read_table_file(mini_dir, "clashes.csv")
    assert problems and read is not None
    assert read.hash == data_module.file_hash(path.read_bytes())


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
