"""Load the data package into typed pandas frames, validating every cell with pandera.

`load_package` either returns a `DataPackage` or raises `DataPackageError` listing every problem as
`file:row:column: message` (row as numbered in a spreadsheet, header = row 1). Nothing is dropped:
a package with any problem is refused as a whole.
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

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from components.schema import Field, count_ranges, id_columns, table_fields, tables

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEOMETRY_FILE = "countries.geojson"
META_FILE = "datapackage.json"

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"
COUNT_PATTERN = r"^[0-9]+$"
NUMBER_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
MAX_FILE_BYTES = 256 * 2**20
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
    geometry: dict
    country_names: dict[str, str]
    meta: dict
    data_current_to: date = field(default=date(1992, 5, 15))

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


# --- reading ---------------------------------------------------------------------------------


def spreadsheet_row(index: object) -> int | None:
    """Spreadsheet row number of a frame index (header is row 1)."""
    return int(index) + 2 if isinstance(index, int | float) and not pd.isna(index) else None


def read_file(directory: Path, filename: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file directly inside `directory`, or why it cannot be read.

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
        limit = MAX_FILE_BYTES // 2**20
        return None, [Problem(name, None, None, f"is larger than {limit} MiB")]
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return None, [Problem(name, None, None, f"cannot be read ({error.strerror})")]
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
            return None, [Problem(name, None, None, "is not a regular file")]
        return handle.read(MAX_FILE_BYTES + 1), []


def file_signature(directory: Path, filenames: Iterable[str]) -> tuple:
    """Size, modification time and inode of each file (absent files included, never raising)."""
    entries = []
    for filename in filenames:
        try:
            info = (directory / filename).lstat()
            entries.append((filename, info.st_size, info.st_mtime_ns, info.st_ino))
        except OSError:
            entries.append((filename, None, None, None))
    return tuple(entries)


def read_snapshot(
    directory: Path, filenames: Sequence[str]
) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file's bytes as they were at one moment, or the problems that stopped that.

    A file saved while it is read (written in place, or written aside and renamed over) changes
    the signature: then the whole set is read again, a few times, before giving up.
    """
    for attempt in range(SNAPSHOT_TRIES):
        before = file_signature(directory, filenames)
        contents: dict[str, bytes] = {}
        problems: list[Problem] = []
        for filename in filenames:
            data, file_problems = read_file(directory, filename)
            problems += file_problems
            if data is not None:
                contents[filename] = data
        if file_signature(directory, filenames) == before:
            return contents, problems
        time.sleep(SNAPSHOT_PAUSE * (attempt + 1))
    message = "files kept changing while being read; nothing was loaded (try again)"
    return {}, [Problem("data/", None, None, message)]


def read_raw_table(name: str, raw: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse CSV bytes as strings (empty cells as NA), reporting encoding and layout problems."""
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
        # Fast path: Arrow's strict parser; the csv module then locates any problem it refuses.
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


# --- text-level schema -----------------------------------------------------------------------


def _list_check(known: set[str], what: str) -> pa.Check:
    """Every `;`-separated item of a cell is in `known` (vectorised: one row per item)."""

    def check(series: pd.Series) -> pd.Series:
        items = series.astype("string").str.split(";").explode()
        return items.isin(known).groupby(level=0).all().reindex(series.index, fill_value=True)

    return pa.Check(check, error=f"names an unknown {what}")


def _valid_date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna()


def _date_in_range(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    return (text >= FIRST_DATE.isoformat()) & (text <= LAST_DATE.isoformat())


def text_checks(spec: Field, context: dict[str, set[str]]) -> list[pa.Check]:
    """pandera checks for one raw (string) column."""
    kind = spec.kind
    if kind == "id":
        return [pa.Check.str_matches(ID_PATTERN, error="must be a lowercase id (a-z, 0-9, _ -)")]
    if kind == "date":
        return [
            pa.Check.str_matches(DATE_PATTERN, error="must be a date as YYYY-MM-DD"),
            pa.Check(_valid_date, error="is not a real calendar date"),
            pa.Check(_date_in_range, error=f"lies outside {FIRST_DATE.year}–{LAST_DATE.year}"),
        ]
    if kind == "partial_date":
        return [
            pa.Check.str_matches(PARTIAL_DATE_PATTERN, error="must be YYYY, YYYY-MM or YYYY-MM-DD")
        ]
    if kind == "code":
        return [pa.Check.isin(spec.allowed, error=f"must be one of: {', '.join(spec.allowed)}")]
    if kind == "code_list":
        expected = f"code (expected {', '.join(spec.allowed)} joined by ;)"
        return [_list_check(set(spec.allowed), expected)]
    if kind == "iso3":
        return [
            pa.Check.isin(sorted(context["iso3"]), error="is not a country code in the package")
        ]
    if kind == "iso3_list":
        return [_list_check(context["iso3"], "country code (expected ISO3 codes joined by ;)")]
    if kind == "ref":
        return [
            pa.Check.isin(sorted(context[spec.table]), error=f"is not an id in {spec.table}.csv")
        ]
    if kind == "refs":
        return [_list_check(context[spec.table], f"id: not in {spec.table}.csv")]
    if kind == "url":
        return [pa.Check.str_matches(URL_PATTERN, error="must be an http(s) address")]
    if kind == "count":
        return [
            pa.Check.str_matches(COUNT_PATTERN, error="must be a whole number >= 0"),
            pa.Check(
                lambda s: s.astype("string").str.lstrip("0").str.len() <= MAX_COUNT_DIGITS,
                error=f"is too large (at most {MAX_COUNT_DIGITS} digits)",
            ),
        ]
    if kind in ("latitude", "longitude"):
        limit = 90 if kind == "latitude" else 180
        return [
            pa.Check.str_matches(NUMBER_PATTERN, error="must be a decimal number"),
            pa.Check(
                lambda s, limit=limit: pd.to_numeric(s, errors="coerce").abs() <= limit,
                error=f"must lie between -{limit} and {limit}",
            ),
        ]
    return []


def text_schema(table: str, context: dict[str, set[str]]) -> pa.DataFrameSchema:
    """Schema over the raw string cells of `table`."""
    columns = {
        spec.name: pa.Column(
            None,
            checks=text_checks(spec, context),
            nullable=not spec.required,
            unique=spec.kind == "id",
            report_duplicates="all",
            required=True,
        )
        for spec in table_fields()[table]
    }
    return pa.DataFrameSchema(columns, strict=True, name=table)


# --- typed frame and row-level schema --------------------------------------------------------


def to_typed(table: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Typed copy of a raw frame: datetimes, categoricals for codes, nullable integer counts."""
    typed = pd.DataFrame(index=raw.index)
    for spec in table_fields()[table]:
        cells = raw[spec.name]
        if spec.kind == "date":
            typed[spec.name] = pd.to_datetime(cells, format="%Y-%m-%d", errors="coerce")
        elif spec.kind == "code":
            allowed = list(spec.allowed)
            typed[spec.name] = pd.Categorical(cells.where(cells.isin(allowed)), categories=allowed)
        elif spec.kind == "count":
            typed[spec.name] = pd.to_numeric(cells, errors="coerce").astype("Int64")
        elif spec.kind in ("latitude", "longitude"):
            typed[spec.name] = pd.to_numeric(cells, errors="coerce").astype("float64")
        else:
            typed[spec.name] = cells.astype("string")
    return typed


def _row_check(column: str, message: str, passes: Callable[[pd.DataFrame], pd.Series]) -> pa.Check:
    """A check over whole rows whose failures are reported against `column`."""
    return pa.Check(
        lambda frame: passes(frame).fillna(True).astype(bool), error=f"{column}: {message}"
    )


def _precision_checks(table: str) -> list[pa.Check]:
    """Dates of month precision fall on the 1st, of year precision on 1 January."""
    checks = []
    for spec in table_fields()[table]:
        if not spec.name.endswith("_date_precision"):
            continue
        date_column = spec.name.removesuffix("_precision")

        def passes(frame: pd.DataFrame, date_column=date_column, precision=spec.name) -> pd.Series:
            day, month = frame[date_column].dt.day, frame[date_column].dt.month
            coarse_ok = ((frame[precision] != "month") | (day == 1)) & (
                (frame[precision] != "year") | ((day == 1) & (month == 1))
            )
            both = frame[date_column].isna() == frame[precision].isna()
            return coarse_ok & both

        checks.append(
            _row_check(
                date_column,
                "month precision needs day 01, year precision 01-01; a date needs its precision",
                passes,
            )
        )
    return checks


def row_checks(table: str, tables: dict[str, pd.DataFrame]) -> list[pa.Check]:
    """Checks that compare cells of a row, or rows with other tables."""
    columns = {spec.name for spec in table_fields()[table]}
    checks = _precision_checks(table)
    if {"start_date", "end_date"} <= columns:
        checks.append(
            _row_check(
                "end_date",
                "ends before it starts",
                lambda f: f["end_date"].isna() | (f["end_date"] >= f["start_date"]),
            )
        )
    for low, high in count_ranges(table):
        checks.append(
            _row_check(
                high,
                f"is smaller than {low}",
                lambda f, low=low, high=high: f[low].isna() | f[high].isna() | (f[low] <= f[high]),
            )
        )
    if table == "members":
        checks.append(_row_check("start_date", "overlaps another spell of this state", _no_overlap))
        checks.append(
            _row_check(
                "end_mode",
                "must be given exactly when end_date is",
                lambda f: f["end_date"].isna() == f["end_mode"].isna(),
            )
        )
    if table == "withdrawals" and "members" in tables:
        members = tables["members"]
        checks.append(
            _row_check(
                "step_date",
                "lies outside every membership spell of this state",
                lambda f: _within_spell(f, members),
            )
        )
        checks.append(
            _row_check(
                "status_after",
                "former_member must fall on the end_date of one of the state's spells",
                lambda f: _ends_spell(f, members),
            )
        )
    return checks


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


# --- running schemas -------------------------------------------------------------------------

_CHECK_MESSAGES = {
    "not_nullable": "must not be empty",
    "field_uniqueness": "duplicate id",
    "column_in_schema": "unexpected column",
    "column_in_dataframe": "missing column",
}


def run_schema(schema: pa.DataFrameSchema, frame: pd.DataFrame, file: str) -> list[Problem]:
    """Validate lazily and turn pandera's failure cases into problems."""
    try:
        schema.validate(frame, lazy=True, inplace=True)  # checks only: no copy of the frame
    except SchemaErrors as errors:
        return list(_problems_from_failures(errors.failure_cases, file))
    return []


def _problems_from_failures(failures: pd.DataFrame, file: str) -> Iterable[Problem]:
    for case in failures.itertuples():
        check = str(case.check)
        row = spreadsheet_row(case.index)
        if check in ("column_in_schema", "column_in_dataframe"):
            yield Problem(file, 1, str(case.failure_case), _CHECK_MESSAGES[check])
        elif case.schema_context == "DataFrameSchema" and ": " in check:
            column, message = check.split(": ", 1)
            yield Problem(file, row, column, message)
        else:
            message = _CHECK_MESSAGES.get(check, check)
            if not pd.isna(case.failure_case) and check != "not_nullable":
                message = f"{message} (got {str(case.failure_case)[:80]!r})"
            yield Problem(file, row, str(case.column), message)


# --- package ---------------------------------------------------------------------------------


def parse_meta(raw: bytes | None) -> tuple[dict, date | None, list[Problem]]:
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


def parse_geometry(raw: bytes | None) -> tuple[dict, dict[str, str], list[Problem]]:
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


def sealed_problems(meta: dict, contents: dict[str, bytes]) -> list[Problem]:
    """Files whose bytes differ from the hash the descriptor records for them (if it does).

    A sealed package (`python -m components.validate --seal`) cannot be read half-written: a
    file cut short or saved half-way no longer matches its hash.
    """
    problems = []
    for resource in meta.get("resources", []) if isinstance(meta.get("resources"), list) else []:
        if not isinstance(resource, dict) or "hash" not in resource:
            continue
        path = str(resource.get("path", ""))
        if path in contents and resource["hash"] != file_hash(contents[path]):
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


def package_files() -> list[str]:
    """Every file the package consists of: descriptor, shapes and the tables."""
    return [META_FILE, GEOMETRY_FILE, *(table.path for table in tables().values())]


def load_package(data_dir: Path = DATA_DIR, check_seal: bool = True) -> DataPackage:
    """Read, validate and type every table; raise DataPackageError listing all problems.

    `check_seal`: refuse files that differ from the hashes the descriptor records (if any).
    """
    if not data_dir.is_dir() or data_dir.is_symlink():
        raise DataPackageError([Problem("data/", None, None, "is not a folder")])
    contents, problems = read_snapshot(data_dir, package_files())
    meta, current_to, meta_problems = parse_meta(contents.get(META_FILE))
    geometry, names, geometry_problems = parse_geometry(contents.get(GEOMETRY_FILE))
    problems += meta_problems + geometry_problems
    if check_seal:
        problems += sealed_problems(meta, contents)

    raw: dict[str, pd.DataFrame] = {}
    for table, spec in tables().items():
        if spec.path not in contents:
            continue
        frame, table_problems = read_raw_table(f"data/{spec.path}", contents.pop(spec.path))
        problems += table_problems
        if frame is not None:
            raw[table] = frame

    context: dict[str, set[str]] = {"iso3": set(names)}
    for table, id_column in id_columns().items():
        if table in raw and id_column in raw[table]:
            context[table] = set(raw[table][id_column].dropna())
        else:
            context[table] = set()

    typed: dict[str, pd.DataFrame] = {}
    for table in list(raw):
        frame = raw.pop(table)  # the raw strings are freed once the table is typed
        file = f"data/{tables()[table].path}"
        table_problems = run_schema(text_schema(table, context), frame, file)
        problems += table_problems
        if not table_problems:  # typed checks only make sense on well-formed cells
            typed[table] = to_typed(table, frame)
        del frame
    for table, frame in typed.items():
        schema = pa.DataFrameSchema(checks=row_checks(table, typed), name=table)
        problems += run_schema(schema, frame, f"data/{tables()[table].path}")
    problems += package_checks(typed)

    if problems or current_to is None:
        raise DataPackageError(problems)
    return DataPackage(typed, geometry, names, meta, current_to)


def split_codes(cell: object) -> list[str]:
    """Items of a `;`-separated cell (empty list for NA)."""
    return [] if pd.isna(cell) else [item for item in str(cell).split(";") if item]


def codes_pattern(codes: Iterable[str]) -> str:
    """Regex matching a `;`-separated cell that contains any of `codes`."""
    return r"(?:^|;)(?:" + "|".join(re.escape(c) for c in codes) + r")(?:;|$)"
