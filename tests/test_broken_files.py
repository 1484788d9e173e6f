"""Every kind of broken file in the data folder gives a located message: never a traceback or a
hang, never a silently shorter table. Table-driven: each kind of damage on each file it applies
to, through the loader, and each kind once through the page a visitor opens."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import data as data_module
from components.data import DataPackageError, file_signature, load_package, read_snapshot
from components.schema import tables
from components.validate import main as validate_main
from tests.conftest import read_table

ROOT = Path(__file__).resolve().parent.parent
TABLE_FILES = [table.path for table in tables().values()]
LOCATED = re.compile(r"^data/[a-z_.]*:[0-9-]+:[^:]+: .+")
Damage = Callable[[Path, str], None]


def header_and_row(directory: Path, filename: str) -> tuple[str, str]:
    text = (directory / filename).read_text(encoding="utf-8")
    header = text.splitlines()[0]
    return header, ",".join(["x"] * len(header.split(",")))


def bare_return(d: Path, f: str) -> None:
    header, row = header_and_row(d, f)
    broken = row.replace("x", "a\rb", 1)
    (d / f).write_text(f"{header}\n{broken}\n", encoding="utf-8", newline="")


def huge_field(d: Path, f: str) -> None:
    header, row = header_and_row(d, f)
    (d / f).write_text(f"{header}\n{row.replace('x', 'y' * 200_000, 1)}\n", encoding="utf-8")


def duplicated_header(d: Path, f: str) -> None:
    text = (d / f).read_text(encoding="utf-8").splitlines()
    first = text[0].split(",")[0]
    text[0] = f"{text[0]},{first}"
    text[1:] = [f"{line},x" for line in text[1:]]
    (d / f).write_text("\n".join(text) + "\n", encoding="utf-8")


def nul_byte(d: Path, f: str) -> None:
    (d / f).write_bytes((d / f).read_bytes().replace(b",", b",\x00", 1))


def folder(d: Path, f: str) -> None:
    (d / f).unlink()
    (d / f).mkdir()


def dangling_link(d: Path, f: str) -> None:
    (d / f).unlink()
    (d / f).symlink_to(d / "no-such-file")


def link_outside(d: Path, f: str) -> None:
    outside = d.parent / f"outside-{f}"
    outside.write_bytes((d / f).read_bytes())
    (d / f).unlink()
    (d / f).symlink_to(outside)


def named_pipe(d: Path, f: str) -> None:
    (d / f).unlink()
    os.mkfifo(d / f)


def cut_mid_row(d: Path, f: str) -> None:
    raw = (d / f).read_bytes()
    (d / f).write_bytes(raw[: len(raw) - 7])


DAMAGE: dict[str, Damage] = {
    "bare carriage return in an unquoted cell": bare_return,
    "cell longer than the CSV reader's limit": huge_field,
    "header names a column twice": duplicated_header,
    "NUL byte": nul_byte,
    "folder instead of a file": folder,
    "dangling link": dangling_link,
    "link to a file outside the folder": link_outside,
    "named pipe": named_pipe,
}


def expect_located_problems(directory: Path) -> list[str]:
    with pytest.raises(DataPackageError) as caught:
        load_package(directory)
    lines = [str(p) for p in caught.value.problems]
    assert lines, "a broken package lists its problems"
    assert all(LOCATED.match(line) for line in lines), lines
    return lines


@pytest.mark.parametrize("filename", TABLE_FILES)
@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_table_file_is_reported(mini_dir: Path, kind: str, filename: str) -> None:
    DAMAGE[kind](mini_dir, filename)
    lines = expect_located_problems(mini_dir)
    assert any(line.startswith(f"data/{filename}:") for line in lines), lines


def test_a_link_is_never_followed(mini_dir: Path) -> None:
    secret = mini_dir.parent / "secret.txt"
    secret.write_text("source_id\nTOP-SECRET-LINE\n")
    (mini_dir / "sources.csv").unlink()
    (mini_dir / "sources.csv").symlink_to(secret)
    lines = expect_located_problems(mini_dir)
    assert not any("TOP-SECRET" in line for line in lines)
    assert "data/sources.csv:-:-: is a link: the package holds regular files only" in lines


@pytest.mark.parametrize(
    ("column_kind", "value", "message"),
    [
        ("date", "0000-01-01", "lies outside 1900–2100"),
        ("date", "9999-12-31", "lies outside 1900–2100"),
        ("date", "2021-02-30", "is not a real calendar date"),
        ("count", "99999999999999999999", "is too large"),
        ("count", "-5", "must be a whole number"),
        ("latitude", "1e400", "must be a decimal number"),
    ],
)
def test_values_outside_what_the_columns_hold(
    mini_dir: Path, column_kind: str, value: str, message: str
) -> None:
    for table in tables().values():
        column = next((f.name for f in table.fields if f.kind == column_kind), None)
        frame = read_table(mini_dir, table.name)
        if column is None or frame.empty:
            continue
        frame.loc[0, column] = value
        frame.to_csv(mini_dir / table.path, index=False)
        lines = expect_located_problems(mini_dir)
        assert any(table.path in line and column in line and message in line for line in lines), (
            lines
        )
        return
    pytest.fail(f"no table has a {column_kind} column")


DESCRIPTORS = {
    "invalid JSON": b"{not json",
    "deeply nested JSON": b"[" * 100_000 + b"]" * 100_000,
    "a list, not an object": b"[]",
    "no data_current_to": b'{"name": "x"}',
    "data_current_to not a date": b'{"data_current_to": "soon"}',
    "data_current_to before the treaty": b'{"data_current_to": "1980-01-01"}',
    "data_current_to in the future": b'{"data_current_to": "2999-01-01"}',
    "not UTF-8": b'{"data_current_to": "\xff"}',
}


@pytest.mark.parametrize("content", DESCRIPTORS.values(), ids=DESCRIPTORS.keys())
def test_broken_descriptor_is_reported(mini_dir: Path, content: bytes) -> None:
    (mini_dir / "datapackage.json").write_bytes(content)
    lines = expect_located_problems(mini_dir)
    assert any(line.startswith("data/datapackage.json:") for line in lines), lines


def geometry_with(mini_dir: Path, **properties: object) -> None:
    path = mini_dir / "countries.geojson"
    shapes = json.loads(path.read_text(encoding="utf-8"))
    shapes["features"][0]["properties"].update(properties)
    path.write_text(json.dumps(shapes), encoding="utf-8")


@pytest.mark.parametrize(
    "properties",
    [{"name": None}, {"name": 42}, {"name": ""}, {"iso3": None}, {"iso3": "armenia"}],
    ids=["null name", "numeric name", "empty name", "null code", "lowercase code"],
)
def test_broken_outlines_are_reported(mini_dir: Path, properties: dict) -> None:
    geometry_with(mini_dir, **properties)
    lines = expect_located_problems(mini_dir)
    assert any(line.startswith("data/countries.geojson:1:") for line in lines), lines


def test_editor_files_beside_the_package_do_not_matter(mini_dir: Path) -> None:
    (mini_dir / ".~lock.clashes.csv#").write_text("lock")
    (mini_dir / ".#clashes.csv").symlink_to(mini_dir / "gone")
    (mini_dir / "clashes.csv.swp").write_bytes(b"\x00\x01")
    assert load_package(mini_dir).tables["clashes"] is not None


def cut_at_row_boundary(d: Path, f: str) -> None:
    lines = (d / f).read_text(encoding="utf-8").splitlines(keepends=True)
    (d / f).write_text("".join(lines[:-1]), encoding="utf-8")


@pytest.mark.parametrize("filename", TABLE_FILES)
@pytest.mark.parametrize("cut", [cut_at_row_boundary, cut_mid_row], ids=["row boundary", "mid row"])
def test_a_sealed_package_refuses_a_half_written_file(
    mini_dir: Path, filename: str, cut: Damage
) -> None:
    """A shorter table can look valid: the hashes recorded by --seal tell it apart."""
    assert validate_main(["--seal", str(mini_dir)]) == 0
    load_package(mini_dir)
    cut(mini_dir, filename)
    problems = expect_located_problems(mini_dir)
    assert any(filename in line and "hash" in line for line in problems), problems


def test_the_shipped_package_is_sealed() -> None:
    meta = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert all("hash" in resource and "bytes" in resource for resource in meta["resources"])


def test_a_file_saved_while_it_is_read_is_read_again(
    mini_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write-aside-and-rename during a read: the reader notices and reads the new set."""
    real_read = data_module.read_file
    calls = {"n": 0}

    def read_while_saving(directory: Path, filename: str):
        calls["n"] += 1
        if calls["n"] == 3:
            target = directory / "clashes.csv"
            aside = directory / "clashes.csv.tmp"
            aside.write_bytes(target.read_bytes())
            aside.replace(target)
        return real_read(directory, filename)

    monkeypatch.setattr(data_module, "read_file", read_while_saving)
    files = ["datapackage.json", "clashes.csv", "members.csv"]
    contents, problems = read_snapshot(mini_dir, files)
    assert not problems and set(contents) == set(files)
    assert calls["n"] > len(files), "the first read was thrown away"
    assert file_signature(mini_dir, files)


def test_a_file_that_never_stops_changing_gives_up_with_a_message(
    mini_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = iter(range(10_000))
    monkeypatch.setattr(data_module, "file_signature", lambda directory, filenames: (next(ticks),))
    monkeypatch.setattr(data_module, "SNAPSHOT_PAUSE", 0.0)
    contents, problems = read_snapshot(mini_dir, ["clashes.csv"])
    assert contents == {} and "kept changing" in str(problems[0])


def test_an_unreadable_file_is_reported(mini_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("members.csv"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(data_module.os, "open", refuse)
    lines = expect_located_problems(mini_dir)
    assert "data/members.csv:-:-: cannot be read (Permission denied)" in lines


PAGE_CASES = [(kind, TABLE_FILES[i % len(TABLE_FILES)]) for i, kind in enumerate(DAMAGE)] + [
    ("data_current_to before the treaty", "datapackage.json")
]


@pytest.mark.parametrize(("kind", "filename"), PAGE_CASES)
def test_the_page_shows_the_problems_not_a_traceback(
    mini_dir: Path, monkeypatch: pytest.MonkeyPatch, kind: str, filename: str
) -> None:
    if filename == "datapackage.json":
        (mini_dir / filename).write_bytes(DESCRIPTORS[kind])
    else:
        DAMAGE[kind](mini_dir, filename)
    monkeypatch.setenv("CSTO_DATA_DIR", str(mini_dir))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert at.error and "problem(s)" in at.error[0].value
    lines = at.code[0].value.splitlines()
    assert lines and all(LOCATED.match(line) for line in lines), lines
    assert any(line.startswith(f"data/{filename}:") for line in lines), lines
