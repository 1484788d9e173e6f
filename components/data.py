"""Load the data package into typed pandas frames, validating every cell.

`load_package` either returns a `DataPackage` or raises `DataPackageError` listing every problem as
`file:row:column: message` (row as numbered in a spreadsheet, header = row 1). Nothing is dropped:
a package with any problem is refused as a whole.

Memory and time grow with the rows, not faster: a plain file is parsed by Arrow while it is
read, a block at a time (the whole file's bytes are never held, nor a decoded copy of the text),
each column's rules run once per distinct cell (a million clashes hold some thousands of
distinct dates), and text stays in Arrow's buffers as pandas' Arrow-backed strings.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pandas.api.extensions import ExtensionArray
from pandas.arrays import ArrowStringArray

from components.memory import configure_allocators, release_unused_memory
from components.schema import Field, count_ranges, id_columns, table_fields, tables

configure_allocators()  # before the first table is read: freed memory goes back to the system

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEOMETRY_FILE = "countries.geojson"
META_FILE = "datapackage.json"

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"
COUNT_PATTERN = r"^[0-9]+$"
NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
MAX_FILE_BYTES = 2**30  # 1 GiB: about 1.8 million clashes as the codebook describes them
TOO_LARGE = f"is larger than {MAX_FILE_BYTES // 2**20} MiB"
MAX_COUNT_DIGITS = 9  # counts up to 999,999,999: far above any real figure, safe in every type
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)
ALLIANCE_SIGNED = date(1992, 5, 15)
SNAPSHOT_TRIES, SNAPSHOT_PAUSE = 5, 0.1


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        return f"{self.file}:{row}:{self.column or '-'}: {self.message}"


class DataPackageError(Exception):
    """The data package is broken; `problems` says where and how."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.row or 0, str(p)))
        super().__init__(f"{len(self.problems)} problem(s) in the data package")


@dataclass(frozen=True)
class DataPackage:
    """All tables as typed frames, plus the map geometry and the package metadata."""

    tables: dict[str, pd.DataFrame]
    geometry: dict[str, Any]
    country_names: dict[str, str]
    meta: dict[str, Any]
    data_current_to: date = field(default=date(1992, 5, 15))

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


# --- reading ---------------------------------------------------------------------------------


def spreadsheet_row(index: object) -> int | None:
    """Spreadsheet row number of a frame index (header is row 1)."""
    return int(index) + 2 if isinstance(index, int | float) and not pd.isna(index) else None


def open_file(directory: Path, filename: str) -> tuple[BinaryIO | None, list[Problem]]:
    """A regular file directly inside `directory`, open for reading, or why it cannot be.

    Links are not followed (a link could show a file from outside the package), and folders,
    pipes, sockets and devices are refused without being opened for reading (a pipe would
    block the reader).
    """
    name = f"data/{filename}"
    path = directory / filename
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None, [Problem(name, None, None, "file is missing")]
    except OSError as error:
        return None, [Problem(name, None, None, f"cannot be read ({error.strerror})")]
    if stat.S_ISLNK(info.st_mode):
        return None, [Problem(name, None, None, "is a link: the package holds regular files only")]
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
        return None, [Problem(name, None, None, f"is {what}, not a file")]
    if info.st_size > MAX_FILE_BYTES:
        return None, [Problem(name, None, None, TOO_LARGE)]
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return None, [Problem(name, None, None, f"cannot be read ({error.strerror})")]
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
        handle.close()
        return None, [Problem(name, None, None, "is not a regular file")]
    return handle, []


def read_file(directory: Path, filename: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file directly inside `directory`, or why it cannot be read
    (see `open_file`)."""
    handle, problems = open_file(directory, filename)
    if handle is None:
        return None, problems
    with handle:
        return handle.read(MAX_FILE_BYTES + 1), []


@dataclass(frozen=True)
class ReadTable:
    """A table file as read: its cells as Arrow text (None if they could not be parsed), and the
    hash of its bytes (for the sealed-package check)."""

    table: pa.Table | None
    hash: str


def read_table_file(directory: Path, filename: str) -> tuple[ReadTable | None, list[Problem]]:
    """A CSV table file parsed while it is read (`read_table_stream`), or why it cannot be."""
    handle, problems = open_file(directory, filename)
    if handle is None:
        return None, problems
    with handle:
        return read_table_stream(f"data/{filename}", handle)


FileEntry = tuple[str, int | None, int | None, int | None]


def file_signature(directory: Path, filenames: Iterable[str]) -> tuple[FileEntry, ...]:
    """Size, modification time and inode of each file (absent files included, never raising)."""
    entries: list[FileEntry] = []
    for filename in filenames:
        try:
            info = (directory / filename).lstat()
            entries.append((filename, info.st_size, info.st_mtime_ns, info.st_ino))
        except OSError:
            entries.append((filename, None, None, None))
    return tuple(entries)


def read_snapshot(
    directory: Path,
    filenames: Sequence[str],
    read: Callable[[Path, str], tuple[Any, list[Problem]]] | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Every file as it was at one moment (by default its bytes; `read` reads one file), or the
    problems that stopped that.

    A file saved while it is read (written in place, or written aside and renamed over) changes
    the signature: then the whole set is read again, a few times, before giving up.
    """
    read = read or read_file
    for attempt in range(SNAPSHOT_TRIES):
        before = file_signature(directory, filenames)
        contents: dict[str, Any] = {}
        problems: list[Problem] = []
        for filename in filenames:
            data, file_problems = read(directory, filename)
            problems += file_problems
            if data is not None:
                contents[filename] = data
        if file_signature(directory, filenames) == before:
            return contents, problems
        del contents  # the next try must not hold this one's tables too
        time.sleep(SNAPSHOT_PAUSE * (attempt + 1))
    message = "files kept changing while being read; nothing was loaded (try again)"
    return {}, [Problem("data/", None, None, message)]


CSV_PARSE = pacsv.ParseOptions(ignore_empty_lines=True)
CSV_TEXT = pacsv.ConvertOptions(
    default_column_type=pa.string(), strings_can_be_null=True, null_values=[""]
)


def read_table_stream(name: str, handle: BinaryIO) -> tuple[ReadTable, list[Problem]]:
    """Parse a CSV file while reading it into an Arrow table of text (empty cells as nulls),
    hashing its bytes on the way; or say why it cannot be parsed.

    Fast path, for the usual file (UTF-8, no NUL, no blank line, no bare carriage return, a
    header of distinct names): Arrow parses the file a block at a time as it is read, each
    block checked (`PlainTextScan`) and hashed on its way in and freed once parsed, so the
    whole file's bytes are never held, nor a decoded copy of its text. Anything else is read
    again whole and goes the careful way (`_read_carefully`), which locates the problem. Both
    give the same table for a file both can read.
    """
    stream = _CheckedStream(handle)
    with contextlib.suppress(pa.ArrowInvalid, ValueError):
        table = pacsv.read_csv(stream, parse_options=CSV_PARSE, convert_options=CSV_TEXT)
        names = table.column_names
        distinct = names and all(names) and len(set(names)) == len(names)
        if stream.whole_and_plain() and distinct:
            return ReadTable(table, stream.hash()), []
        del table
    handle.seek(0)
    raw = handle.read(MAX_FILE_BYTES + 1)
    digest = file_hash(raw)
    if len(raw) > MAX_FILE_BYTES:
        return ReadTable(None, digest), [Problem(name, None, None, TOO_LARGE)]
    frame, problems = _read_carefully(name, raw)
    del raw
    if frame is None:
        return ReadTable(None, digest), problems
    return ReadTable(pa.table({str(c): arrow_text(frame[c]) for c in frame}), digest), problems


class _CheckedStream(io.RawIOBase):
    """A file as Arrow's CSV reader reads it: each block hashed and scanned on its way.

    A block that fails the scan (or one past the size limit) ends the stream early: the
    careful path reads the file again anyway.
    """

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__()
        self._handle = handle
        self._hash = hashlib.sha256()
        self._scan = PlainTextScan()
        self._size = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._ended or not self._scan.plain or self._size > MAX_FILE_BYTES:
            return b""
        block = self._handle.read(MAX_FILE_BYTES + 1 if size is None or size < 0 else size)
        if not block:
            self._ended = True
            return b""
        self._size += len(block)
        self._hash.update(block)
        return block if self._scan.feed(block) and self._size <= MAX_FILE_BYTES else b""

    def whole_and_plain(self) -> bool:
        """Whether the file was read to its end, and is plain text as `PlainTextScan` means it."""
        return self._ended and self._scan.finish()

    def hash(self) -> str:
        """The hash of every byte read, as the package descriptor records it."""
        return "sha256:" + self._hash.hexdigest()


def arrow_text(cells: pd.Series) -> pa.ChunkedArray:
    """A column as Arrow text: its own buffers when it is Arrow-backed text already."""
    arrow = pa.array(cells.astype("string").array)
    chunked = arrow if isinstance(arrow, pa.ChunkedArray) else pa.chunked_array([arrow])
    return chunked.cast(pa.large_string())


class PlainTextScan:
    """Whether a file, fed block by block (of any sizes), is plain text: UTF-8 without NUL
    bytes, blank lines (also as CR LF) or carriage returns outside CR LF.

    The same answer as looking at the whole file at once; the blocks are not copied or kept
    (a few bytes of a block's end are, to see what straddles two blocks).
    """

    def __init__(self) -> None:
        self.plain = True
        self._tail = b""  # the last two bytes fed
        self._bare_returns = 0  # carriage returns not followed by a line feed
        self._partial = b""  # a character that the last block cut short (UTF-8)

    def feed(self, block: bytes) -> bool:
        """Take the next block; False as soon as the file is known not to be plain (a bare
        carriage return is known at the end: its line feed may begin the next block)."""
        if self.plain and block:
            self._count_bare_returns(block)
            self.plain = (
                b"\x00" not in block
                and not _has_blank_line(self._tail + block[:2])  # a blank line across blocks
                and not _has_blank_line(block)
                and self._valid_utf8(block)
            )
            self._tail = (self._tail + block[-2:])[-2:]
        return self.plain

    def finish(self) -> bool:
        """The answer for the whole file, once every block has been fed."""
        last = _utf8(self._partial, 0, len(self._partial))  # whole, or cut short by the end
        self.plain = self.plain and last and self._bare_returns == 0
        return self.plain

    def _count_bare_returns(self, block: bytes) -> None:
        if self._tail.endswith(b"\r") and block.startswith(b"\n"):
            self._bare_returns -= 1  # a CR LF cut in two: counted bare in the block before
        if block.find(b"\r") >= 0:
            self._bare_returns += block.count(b"\r") - block.count(b"\r\n")

    def _valid_utf8(self, block: bytes) -> bool:
        start = 0
        if self._partial:  # the continuation bytes of the character cut short
            while start < min(len(block), 4) and 0x80 <= block[start] < 0xC0:
                start += 1
            self._partial += block[:start]
            if start == len(block) and len(self._partial) < 4:
                return True  # still maybe cut short: the next block says
            if not _utf8(self._partial, 0, len(self._partial)):
                return False
            self._partial = b""
        end = max(start, _last_character_start(block))
        self._partial = block[end:]
        return _utf8(block, start, end)


def _last_character_start(block: bytes) -> int:
    """Where the block's last character starts if that may be cut short (a lead byte among the
    last four); else the block's length."""
    for back in range(1, min(4, len(block)) + 1):
        byte = block[-back]
        if byte < 0x80:
            return len(block) - back + 1
        if byte >= 0xC0:
            return len(block) - back
    return len(block)


def _utf8(data: bytes, start: int, end: int) -> bool:
    """Whether data[start:end] is valid UTF-8 (checked by Arrow, without decoding or copying)."""
    if start >= end:
        return True
    offsets = pa.py_buffer(np.array([start, end], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _has_blank_line(raw: bytes) -> bool:
    """Whether two line feeds follow each other, or a CR LF follows a line feed."""
    if raw.find(b"\n") < 0:
        return False
    data = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    gaps = np.diff(newlines)
    if (gaps == 1).any():
        return True
    between = newlines[:-1][gaps == 2] + 1
    return bool((data[between] == ord("\r")).any())


def _read_carefully(name: str, raw: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Decode, then parse with Arrow through pandas or, failing that, with the csv module."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, [
            Problem(name, line, None, f"not UTF-8: byte 0x{byte} at offset {error.start}")
        ]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(name, line, None, "holds a NUL character: not a text file")]
    blank_line = "\n\n" in text.replace("\r\n", "\n")
    bare_return = "\r" in text.replace("\r\n", "")
    frame = None
    if not (blank_line or bare_return):
        # Arrow's strict parser; the csv module then locates any problem it refuses.
        with contextlib.suppress(pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
            frame = pd.read_csv(
                io.BytesIO(raw), dtype="string", engine="pyarrow", keep_default_na=False
            )
    header = [str(c) for c in frame.columns] if frame is not None else []
    if frame is not None and header and len(set(header)) == len(header) and all(header):
        return frame.replace("", pd.NA), []
    return _read_with_csv_module(name, text)


def _read_with_csv_module(name: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Slow path: read record by record to report empty files, ragged rows, repeated columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as error:
        return None, [Problem(name, reader.line_num or None, None, f"is not valid CSV ({error})")]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(name, None, None, "file is empty: expected a header row")]
    header, rows = records[0], records[1:]
    problems = [
        Problem(name, i + 2, None, f"has {len(row)} cells, the header has {len(header)}")
        for i, row in enumerate(rows)
        if len(row) != len(header)
    ]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems += [Problem(name, 1, c, "column appears more than once") for c in duplicated]
    if problems:
        return None, problems
    frame = pd.DataFrame(rows, columns=header, dtype="string").replace("", pd.NA)
    return frame, problems


# --- text-level checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class TextCheck:
    """A rule for the text of a cell: `passes` maps distinct non-empty cells to True or False."""

    message: str
    passes: Callable[[pd.Series], pd.Series]


def _matches(pattern: str, message: str) -> TextCheck:
    return TextCheck(message, lambda s: s.str.match(pattern, na=False))


def _one_of(values: Iterable[str], message: str) -> TextCheck:
    """Cells that are one of `values` (looked up in Arrow: pandas' isin would make an Arrow
    scalar of each allowed value, slow for the thousands of ids a reference can name)."""
    value_set = pa.array(list(values), pa.large_string())

    def check(series: pd.Series) -> pd.Series:
        found = pc.is_in(pa.array(series.array, pa.large_string()), value_set=value_set)
        return pd.Series(found.to_numpy(zero_copy_only=False), index=series.index)

    return TextCheck(message, check)


def _list_check(known: set[str], what: str) -> TextCheck:
    """Every `;`-separated item of a cell is in `known` (vectorised in Arrow: one row per item)."""
    value_set = pa.array(sorted(known), pa.large_string())

    def check(series: pd.Series) -> pd.Series:
        lists = pc.split_pattern(pa.array(series.array, pa.large_string()), ";")
        unknown = pc.invert(pc.is_in(pc.list_flatten(lists), value_set=value_set))
        ok = np.ones(len(series), dtype=bool)
        ok[pc.list_parent_indices(lists).filter(unknown).to_numpy()] = False
        return pd.Series(ok, index=series.index)

    return TextCheck(f"names an unknown {what}", check)


def _valid_date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna()


def _date_in_range(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    return (text >= FIRST_DATE.isoformat()) & (text <= LAST_DATE.isoformat())


def text_checks(spec: Field, context: dict[str, set[str]]) -> list[TextCheck]:
    """The rules for one raw (string) column."""
    kind = spec.kind
    if kind == "id":
        return [_matches(ID_PATTERN, "must be a lowercase id (a-z, 0-9, _ -)")]
    if kind == "date":
        return [
            _matches(DATE_PATTERN, "must be a date as YYYY-MM-DD"),
            TextCheck("is not a real calendar date", _valid_date),
            TextCheck(f"lies outside {FIRST_DATE.year}–{LAST_DATE.year}", _date_in_range),
        ]
    if kind == "partial_date":
        return [_matches(PARTIAL_DATE_PATTERN, "must be YYYY, YYYY-MM or YYYY-MM-DD")]
    if kind == "code":
        return [_one_of(spec.allowed, f"must be one of: {', '.join(spec.allowed)}")]
    if kind == "code_list":
        expected = f"code (expected {', '.join(spec.allowed)} joined by ;)"
        return [_list_check(set(spec.allowed), expected)]
    if kind == "iso3":
        return [_one_of(sorted(context["iso3"]), "is not a country code in the package")]
    if kind == "iso3_list":
        return [_list_check(context["iso3"], "country code (expected ISO3 codes joined by ;)")]
    if kind == "ref":
        return [_one_of(sorted(context[spec.table]), f"is not an id in {spec.table}.csv")]
    if kind == "refs":
        return [_list_check(context[spec.table], f"id: not in {spec.table}.csv")]
    if kind == "url":
        return [_matches(URL_PATTERN, "must be an http(s) address")]
    if kind == "count":
        return [
            _matches(COUNT_PATTERN, "must be a whole number >= 0"),
            TextCheck(
                f"is too large (at most {MAX_COUNT_DIGITS} digits)",
                lambda s: s.astype("string").str.lstrip("0").str.len() <= MAX_COUNT_DIGITS,
            ),
        ]
    if kind in ("latitude", "longitude"):
        limit = 90 if kind == "latitude" else 180

        def within_limit(cells: pd.Series) -> pd.Series:
            return pd.to_numeric(cells, errors="coerce").abs() <= limit

        return [
            _matches(NUMBER_PATTERN, "must be a decimal number"),
            TextCheck(f"must lie between -{limit} and {limit}", within_limit),
        ]
    return []


@dataclass(frozen=True)
class Coded:
    """A column as its distinct non-empty cells and, per row, which one (-1: empty)."""

    values: pd.Series  # distinct cells, as strings
    codes: np.ndarray  # int32 per row

    @classmethod
    def of(cls, cells: pa.ChunkedArray) -> Coded:
        encoded = pc.dictionary_encode(cells)
        if encoded.num_chunks == 0:
            return cls(pd.Series([], dtype="string"), np.zeros(0, dtype=np.int32))
        dictionary = encoded.chunks[0].dictionary
        if any(not chunk.dictionary.equals(dictionary) for chunk in encoded.chunks[1:]):
            encoded = pa.chunked_array([pc.dictionary_encode(cells.combine_chunks())])
            dictionary = encoded.chunks[0].dictionary
        indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks], pa.int32())
        codes = indices.fill_null(-1).to_numpy()
        return cls(pd.Series(ArrowStringArray(dictionary.cast(pa.large_string()))), codes)

    def rows(self, failing: np.ndarray) -> np.ndarray:
        """Rows (0-based) whose cell is one of the distinct cells flagged in `failing`."""
        flagged = np.append(failing, False)  # code -1 (empty) is never flagged
        return np.flatnonzero(flagged[self.codes])

    def take(self, converted: ExtensionArray | np.ndarray) -> ExtensionArray | np.ndarray:
        """`converted` (one value per distinct cell) spread to the rows, empty cells missing."""
        return pd.api.extensions.take(converted, self.codes, allow_fill=True)


def check_text(
    file: str, table: str, raw: pa.Table, context: dict[str, set[str]]
) -> tuple[list[Problem], dict[str, Coded]]:
    """Every problem in the raw cells of `table`, and the columns coded on the way.

    What is checked: the header (missing and unexpected columns), empty required cells,
    repeated ids, and each column's rules (`text_checks`) on its distinct cells.
    """
    fields = table_fields()[table]
    expected = [spec.name for spec in fields]
    problems = [Problem(file, 1, c, "unexpected column") for c in raw.column_names]
    problems = [p for p in problems if p.column not in expected]
    coded: dict[str, Coded] = {}
    for spec in fields:
        if spec.name not in raw.column_names:
            problems.append(Problem(file, 1, spec.name, "missing column"))
            continue
        cells = raw.column(spec.name)
        if spec.required and cells.null_count:
            empty = np.flatnonzero(cells.is_null().to_numpy(zero_copy_only=False))
            problems += [Problem(file, int(i) + 2, spec.name, "must not be empty") for i in empty]
        checks = text_checks(spec, context)
        if not checks and spec.kind != "id":
            continue
        column = coded[spec.name] = Coded.of(cells)
        if spec.kind == "id":
            repeated = np.bincount(column.codes + 1, minlength=len(column.values) + 1)[1:] > 1
            problems += _cell_problems(file, spec.name, column, repeated, "duplicate id")
        for check in checks:
            # A rule that cannot judge a cell (a coordinate that is no number) leaves it to the
            # column's other rules.
            passes = check.passes(column.values).to_numpy(dtype=bool, na_value=True)
            problems += _cell_problems(file, spec.name, column, ~passes, check.message)
    return problems, coded


def _cell_problems(
    file: str, column_name: str, column: Coded, failing: np.ndarray, message: str
) -> list[Problem]:
    """One problem per row whose cell is flagged in `failing`, quoting the cell."""
    if not failing.any():
        return []
    rows = column.rows(failing)
    values = column.values.to_numpy()[column.codes[rows]]
    return [
        Problem(file, int(i) + 2, column_name, f"{message} (got {str(value)[:80]!r})")
        for i, value in zip(rows, values, strict=True)
    ]


# --- typed frame and row-level checks --------------------------------------------------------


def typed_frame(table: str, raw: pa.Table, coded: dict[str, Coded]) -> pd.DataFrame:
    """The typed frame of a checked raw table: datetimes, categoricals for codes, nullable integer
    counts, floats for coordinates, and text as Arrow-backed strings (the parsed cells
    themselves, not a copy).

    Dates, counts and coordinates are converted once per distinct cell (`coded`), then spread.
    """
    columns: dict[str, Any] = {}
    for spec in table_fields()[table]:
        cells = raw.column(spec.name)
        column = coded.get(spec.name)
        if spec.kind == "code":
            dtype = pd.CategoricalDtype(list(spec.allowed))
            assert column is not None
            positions = dtype.categories.get_indexer(column.values)
            codes = np.append(positions, -1)[column.codes]
            columns[spec.name] = pd.Categorical.from_codes(codes, dtype=dtype)
        elif spec.kind in ("date", "count", "latitude", "longitude"):
            assert column is not None
            columns[spec.name] = column.take(_convert(spec.kind, column.values).array)
        else:  # the parsed text itself (wider offsets, the same characters): no copy
            columns[spec.name] = ArrowStringArray(cells.cast(pa.large_string()))
    return pd.DataFrame(columns, index=pd.RangeIndex(raw.num_rows), copy=False)


def _convert(kind: str, cells: pd.Series) -> pd.Series:
    """Checked text cells as dates, counts or coordinates."""
    if kind == "date":
        return pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
    if kind == "count":
        return pd.to_numeric(cells, errors="coerce").astype("Int64")
    return pd.to_numeric(cells, errors="coerce").astype("float64")


@dataclass(frozen=True)
class RowCheck:
    """A rule over whole rows (or against other tables); failures are reported at `column`."""

    column: str
    message: str
    passes: Callable[[pd.DataFrame], pd.Series]

    def problems(self, frame: pd.DataFrame, file: str) -> list[Problem]:
        """One problem per row that fails (a missing answer counts as a pass)."""
        ok = self.passes(frame).fillna(True).astype(bool).to_numpy()
        return [
            Problem(file, spreadsheet_row(index), self.column, self.message)
            for index in frame.index[~ok]
        ]


def _precision_checks(table: str) -> list[RowCheck]:
    """Dates of month precision fall on the 1st, of year precision on 1 January."""
    checks = []
    for spec in table_fields()[table]:
        if not spec.name.endswith("_date_precision"):
            continue
        date_column = spec.name.removesuffix("_precision")

        def passes(
            frame: pd.DataFrame, date_column: str = date_column, precision: str = spec.name
        ) -> pd.Series:
            day, month = frame[date_column].dt.day, frame[date_column].dt.month
            coarse_ok = ((frame[precision] != "month") | (day == 1)) & (
                (frame[precision] != "year") | ((day == 1) & (month == 1))
            )
            both = frame[date_column].isna() == frame[precision].isna()
            return coarse_ok & both

        checks.append(
            RowCheck(
                date_column,
                "month precision needs day 01, year precision 01-01; a date needs its precision",
                passes,
            )
        )
    return checks


def row_checks(table: str, tables: dict[str, pd.DataFrame]) -> list[RowCheck]:
    """Checks that compare cells of a row, or rows with other tables."""
    columns = {spec.name for spec in table_fields()[table]}
    checks = _precision_checks(table)
    if {"start_date", "end_date"} <= columns:
        checks.append(
            RowCheck(
                "end_date",
                "ends before it starts",
                lambda f: f["end_date"].isna() | (f["end_date"] >= f["start_date"]),
            )
        )
    for low, high in count_ranges(table):
        checks.append(RowCheck(high, f"is smaller than {low}", _ordered(low, high)))
    if table == "members":
        checks.append(RowCheck("start_date", "overlaps another spell of this state", _no_overlap))
        checks.append(
            RowCheck(
                "end_mode",
                "must be given exactly when end_date is",
                lambda f: f["end_date"].isna() == f["end_mode"].isna(),
            )
        )
    if table == "withdrawals" and "members" in tables:
        members = tables["members"]
        checks.append(
            RowCheck(
                "step_date",
                "lies outside every membership spell of this state",
                lambda f: _within_spell(f, members),
            )
        )
        checks.append(
            RowCheck(
                "status_after",
                "former_member must fall on the end_date of one of the state's spells",
                lambda f: _ends_spell(f, members),
            )
        )
    return checks


def _ordered(low: str, high: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Rows where `low` does not exceed `high` (either may be empty)."""
    return lambda f: f[low].isna() | f[high].isna() | (f[low] <= f[high])


def _no_overlap(members: pd.DataFrame) -> pd.Series:
    ordered = members.sort_values(["country_iso3", "start_date"])
    previous_end = ordered.groupby("country_iso3")["end_date"].shift()
    previous_open = ordered.groupby("country_iso3")["end_date"].transform(
        lambda s: s.isna().shift(fill_value=False)
    )
    first = ordered.groupby("country_iso3").cumcount() == 0
    ok = first | (~previous_open & (previous_end <= ordered["start_date"]))
    return ok.reindex(members.index)


def _within_spell(steps: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    spans = (
        steps[["country_iso3", "step_date"]]
        .reset_index()
        .merge(members[["country_iso3", "start_date", "end_date"]], on="country_iso3", how="left")
    )
    inside = (spans["start_date"] <= spans["step_date"]) & (
        spans["end_date"].isna() | (spans["step_date"] <= spans["end_date"])
    )
    return inside.groupby(spans["index"]).any().reindex(steps.index, fill_value=False)


def _ends_spell(steps: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    ends = set(zip(members["country_iso3"], members["end_date"], strict=True))
    is_end = pd.Series(
        [(c, d) in ends for c, d in zip(steps["country_iso3"], steps["step_date"], strict=True)],
        index=steps.index,
    )
    return (steps["status_after"] != "former_member") | is_end


def package_checks(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each ended spell is closed by exactly one former_member step of that state on that day."""
    if "members" not in tables or "withdrawals" not in tables:
        return []
    members, steps = tables["members"], tables["withdrawals"]
    closing = steps[steps["status_after"] == "former_member"]
    problems = []
    for index, spell in members[members["end_date"].notna()].iterrows():
        matches = closing[
            (closing["country_iso3"] == spell["country_iso3"])
            & (closing["step_date"] == spell["end_date"])
        ]
        if len(matches) != 1:
            problems.append(
                Problem(
                    "data/members.csv",
                    spreadsheet_row(index),
                    "end_date",
                    f"needs exactly one withdrawals.csv step with status_after=former_member "
                    f"on this date; found {len(matches)}",
                )
            )
    return problems


# --- package ---------------------------------------------------------------------------------


def parse_meta(raw: bytes | None) -> tuple[dict[str, Any], date | None, list[Problem]]:
    """The package descriptor and its data_current_to date, checked."""
    name = f"data/{META_FILE}"
    if raw is None:
        return {}, None, []
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        return {}, None, [Problem(name, None, None, f"is not valid JSON ({str(error)[:120]})")]
    if not isinstance(meta, dict):
        return {}, None, [Problem(name, None, None, "must hold a JSON object")]
    try:
        current_to = date.fromisoformat(str(meta.get("data_current_to")))
    except ValueError:
        message = "must be a date as YYYY-MM-DD"
        return meta, None, [Problem(name, None, "data_current_to", message)]
    if not ALLIANCE_SIGNED <= current_to <= date.today():
        message = f"must lie between {ALLIANCE_SIGNED} (the treaty) and today"
        return meta, None, [Problem(name, None, "data_current_to", message)]
    return meta, current_to, []


def parse_geometry(raw: bytes | None) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """The country shapes and the code-to-name table they carry, checked."""
    name = f"data/{GEOMETRY_FILE}"
    if raw is None:
        return {}, {}, []
    try:
        geometry = json.loads(raw.decode("utf-8"))
        features = geometry["features"]
        properties = [feature["properties"] for feature in features]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError) as error:
        message = f"is not the expected GeoJSON FeatureCollection ({str(error)[:120]})"
        return {}, {}, [Problem(name, None, None, message)]
    problems, names = [], {}
    for number, (feature, props) in enumerate(zip(features, properties, strict=True), start=1):
        code, label = props.get("iso3"), props.get("name")
        good_code = isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code)
        good_label = isinstance(label, str) and label.strip()
        if not good_code:
            problems.append(Problem(name, number, "iso3", "must be three capital letters"))
        if not good_label:
            problems.append(Problem(name, number, "name", "must be a country name (text)"))
        if (feature.get("geometry") or {}).get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(name, number, "geometry", "must be a Polygon or MultiPolygon"))
        if good_code and good_label:
            names[code] = label
    return geometry, names, problems


def sealed_problems(meta: dict[str, Any], hashes: dict[str, str]) -> list[Problem]:
    """Files whose hashes (`hashes`, by path) differ from those the descriptor records (if it
    does).

    A sealed package (`python -m components.validate --seal`) cannot be read half-written: a
    file cut short or saved half-way no longer matches its hash.
    """
    problems = []
    for resource in meta.get("resources", []) if isinstance(meta.get("resources"), list) else []:
        if not isinstance(resource, dict) or "hash" not in resource:
            continue
        path = str(resource.get("path", ""))
        if path in hashes and resource["hash"] != hashes[path]:
            message = (
                "does not match the hash in datapackage.json: it changed after the package was "
                "checked (half-written, or edited: check it, then run "
                "`python -m components.validate --seal`)"
            )
            problems.append(Problem(f"data/{path}", None, None, message))
    return problems


def file_hash(raw: bytes) -> str:
    """A file's hash as the data package descriptor records it."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def read_package_file(directory: Path, filename: str) -> tuple[Any, list[Problem]]:
    """One package file as `load_package` needs it: a table parsed (`ReadTable`), else bytes."""
    if filename.endswith(".csv"):
        return read_table_file(directory, filename)
    return read_file(directory, filename)


def package_files() -> list[str]:
    """Every file the package consists of: descriptor, shapes and the tables."""
    return [META_FILE, GEOMETRY_FILE, *(table.path for table in tables().values())]


def load_package(data_dir: Path = DATA_DIR, check_seal: bool = True) -> DataPackage:
    """Read, validate and type every table; raise DataPackageError listing all problems.

    `check_seal`: refuse files that differ from the hashes the descriptor records (if any).
    Table files are parsed while they are read, a block at a time (their bytes are never held
    whole), and each table's raw cells are freed as soon as it is typed.
    """
    if not data_dir.is_dir() or data_dir.is_symlink():
        raise DataPackageError([Problem("data/", None, None, "is not a folder")])
    contents, problems = read_snapshot(data_dir, package_files(), read_package_file)
    meta, current_to, meta_problems = parse_meta(contents.pop(META_FILE, None))
    geometry, names, geometry_problems = parse_geometry(contents.pop(GEOMETRY_FILE, None))
    problems += meta_problems + geometry_problems
    if check_seal:
        problems += sealed_problems(meta, {path: read.hash for path, read in contents.items()})

    raw: dict[str, pa.Table] = {}
    for table, spec in tables().items():
        read = contents.pop(spec.path, None)
        if read is not None and read.table is not None:
            raw[table] = read.table
        del read

    context: dict[str, set[str]] = {"iso3": set(names)}
    for table in {f.table for fields in table_fields().values() for f in fields if f.table}:
        id_column = id_columns().get(table)
        found = table in raw and id_column in raw[table].column_names
        context[table] = (
            set(raw[table].column(id_column).drop_null().to_pylist()) if found else set()
        )

    typed: dict[str, pd.DataFrame] = {}
    for table in list(raw):
        cells = raw.pop(table)  # what the typed frame does not keep is freed once it is typed
        file = f"data/{tables()[table].path}"
        table_problems, coded = check_text(file, table, cells, context)
        problems += table_problems
        if not table_problems:  # typed checks only make sense on well-formed cells
            typed[table] = typed_frame(table, cells, coded)
        del cells, coded
    for table, frame in typed.items():
        file = f"data/{tables()[table].path}"
        for check in row_checks(table, typed):
            problems += check.problems(frame, file)
    problems += package_checks(typed)
    release_unused_memory()

    if problems or current_to is None:
        raise DataPackageError(problems)
    return DataPackage(typed, geometry, names, meta, current_to)


def split_codes(cell: object) -> list[str]:
    """Items of a `;`-separated cell (empty list for NA)."""
    return [] if pd.isna(cell) else [item for item in str(cell).split(";") if item]


def codes_pattern(codes: Iterable[str]) -> str:
    """Regex matching a `;`-separated cell that contains any of `codes`."""
    return r"(?:^|;)(?:" + "|".join(re.escape(c) for c in codes) + r")(?:;|$)"
