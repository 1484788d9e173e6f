"""Every kind of broken edit, in every table it applies to, is reported as file:row:column."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from components.data import DataPackageError, load_package
from components.schema import id_columns, table_fields
from components.validate import main as validate_main
from tests.conftest import read_table, write_table

ROOT = Path(__file__).resolve().parent.parent


def first_column(table: str, kinds: tuple[str, ...]) -> str | None:
    return next((f.name for f in table_fields()[table] if f.kind in kinds), None)


def edit_cell(table: str, column: str, value: str) -> Callable[[Path], tuple[int | None, str]]:
    def edit(directory: Path) -> tuple[int | None, str]:
        frame = read_table(directory, table)
        frame.loc[0, column] = value
        write_table(directory, table, frame)
        return 2, column

    return edit


def missing_file(table: str):
    def edit(directory: Path):
        (directory / f"{table}.csv").unlink()
        return None, None

    return edit


def empty_file(table: str):
    def edit(directory: Path):
        (directory / f"{table}.csv").write_text("")
        return None, None

    return edit


def missing_column(table: str):
    column = next(f.name for f in table_fields()[table] if f.required and f.kind != "id")

    def edit(directory: Path):
        write_table(directory, table, read_table(directory, table).drop(columns=[column]))
        return 1, column

    return edit


def unexpected_column(table: str):
    def edit(directory: Path):
        write_table(directory, table, read_table(directory, table).assign(colour="red"))
        return 1, "colour"

    return edit


def end_before_start(table: str):
    def edit(directory: Path):
        frame = read_table(directory, table)
        frame.loc[0, ["end_date", "end_date_precision"]] = ["1990-01-01", "day"]
        if "end_mode" in frame:
            frame.loc[0, "end_mode"] = "withdrew"
        write_table(directory, table, frame)
        return 2, "end_date"

    return edit


def duplicate_id(table: str):
    def edit(directory: Path):
        frame = read_table(directory, table)
        write_table(directory, table, pd.concat([frame, frame.iloc[[0]]], ignore_index=True))
        return len(frame) + 2, id_columns()[table]

    return edit


def not_utf8(table: str):
    def edit(directory: Path):
        path = directory / f"{table}.csv"
        lines = path.read_bytes().split(b"\n")
        lines[1] = lines[1].replace(b",", b",\xff", 1)
        path.write_bytes(b"\n".join(lines))
        return 2, None

    return edit


def cases() -> list:
    params = []
    for table in table_fields():
        date_column = first_column(table, ("date",))
        partial = first_column(table, ("partial_date",))
        iso3 = first_column(table, ("iso3", "iso3_list"))
        edits: dict[str, Callable] = {
            "missing file": missing_file(table),
            "empty file": empty_file(table),
            "missing column": missing_column(table),
            "unexpected column": unexpected_column(table),
            "not UTF-8": not_utf8(table),
        }
        if date_column or partial:
            edits["unparseable date"] = edit_cell(table, date_column or partial, "13/45/2022")
        if {"start_date", "end_date"} <= {f.name for f in table_fields()[table]}:
            edits["end before start"] = end_before_start(table)
        if iso3:
            edits["unknown country"] = edit_cell(table, iso3, "XXX")
        if table != "sources":
            edits["unknown source id"] = edit_cell(table, "source_ids", "src_nowhere")
        if table in id_columns():
            edits["duplicate id"] = duplicate_id(table)
        if first_column(table, ("latitude",)):
            edits["latitude out of range"] = edit_cell(table, "latitude", "95.5")
            edits["longitude out of range"] = edit_cell(table, "longitude", "-200")
        params += [pytest.param(table, edit, id=f"{table}-{name}") for name, edit in edits.items()]
    return params


@pytest.mark.parametrize(("table", "edit"), cases())
def test_broken_edit_is_reported_with_location(mini_dir: Path, table: str, edit) -> None:
    row, column = edit(mini_dir)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    located = [p for p in raised.value.problems if p.file == f"data/{table}.csv"]
    assert located, [str(p) for p in raised.value.problems]
    assert any(p.row == row and p.column == column for p in located), [str(p) for p in located]


def test_every_problem_is_listed_not_just_the_first(mini_dir: Path) -> None:
    edit_cell("clashes", "latitude", "95")(mini_dir)
    edit_cell("members", "country_iso3", "XXX")(mini_dir)
    edit_cell("sources", "kind", "rumour")(mini_dir)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    lines = [str(p) for p in raised.value.problems]
    assert "data/clashes.csv:2:latitude: must lie between -90 and 90 (got '95')" in lines
    assert any(line.startswith("data/members.csv:2:country_iso3: ") for line in lines)
    assert any(line.startswith("data/sources.csv:2:kind: must be one of") for line in lines)


def test_precision_must_match_date(mini_dir: Path) -> None:
    frame = read_table(mini_dir, "clashes")
    frame.loc[1, "start_date_precision"] = "year"
    write_table(mini_dir, "clashes", frame)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    assert [p.column for p in raised.value.problems if p.row == 3] == ["start_date"]


def test_overlapping_spells_and_stray_withdrawals(mini_dir: Path) -> None:
    members = read_table(mini_dir, "members")
    members.loc[members["spell_id"] == "uzb-2", "start_date"] = "1998-01-01"
    write_table(mini_dir, "members", members)
    steps = read_table(mini_dir, "withdrawals")
    steps.loc[steps["step_id"] == "arm-2024-freeze", "country_iso3"] = "BLR"
    write_table(mini_dir, "withdrawals", steps)
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    lines = [str(p) for p in raised.value.problems]
    assert "data/members.csv:8:start_date: overlaps another spell of this state" in lines
    assert (
        "data/withdrawals.csv:6:step_date: lies outside every membership spell of this state"
        in lines
    )


def test_ended_spell_needs_its_closing_step(mini_dir: Path) -> None:
    steps = read_table(mini_dir, "withdrawals")
    write_table(mini_dir, "withdrawals", steps[steps["step_id"] != "aze-1999"])
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    assert [str(p) for p in raised.value.problems] == [
        "data/members.csv:3:end_date: needs exactly one withdrawals.csv step with "
        "status_after=former_member on this date; found 0"
    ]


def test_validate_command_prints_problems_and_fails(mini_dir: Path, capsys) -> None:
    edit_cell("deployments", "start_date", "soon")(mini_dir)
    assert validate_main([str(mini_dir)]) == 1
    out = capsys.readouterr().out
    assert "data/deployments.csv:2:start_date: must be a date as YYYY-MM-DD (got 'soon')" in out


def test_validate_command_on_valid_package(mini_dir: Path, capsys) -> None:
    assert validate_main([str(mini_dir)]) == 0
    assert "data package valid (current to 2024-06-30)" in capsys.readouterr().out


def test_validate_command_rejects_bad_arguments(tmp_path: Path) -> None:
    assert validate_main(["--nope"]) == 2
    assert validate_main([str(tmp_path / "absent")]) == 2


def test_validate_runs_as_module_without_traceback(mini_dir: Path) -> None:
    (mini_dir / "clashes.csv").write_bytes(b"\xff\xfe")
    result = subprocess.run(
        [sys.executable, "-m", "components.validate", str(mini_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "data/clashes.csv:1:-: not UTF-8" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda lines: [*lines[:2], lines[2].rsplit(",", 3)[0], *lines[3:]],
            "data/clashes.csv:3:-: has",
        ),
        (lambda lines: [*lines[:2], "", *lines[2:]], "data/clashes.csv:3:-: has 0 cells"),
        (lambda lines: [lines[0] + ",note", *lines[1:]], "data/clashes.csv:1:note: column appears"),
    ],
    ids=["short row", "blank line", "repeated column"],
)
def test_layout_problems_are_located(mini_dir: Path, edit, expected: str) -> None:
    path = mini_dir / "clashes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    with pytest.raises(DataPackageError) as raised:
        load_package(mini_dir)
    assert any(str(p).startswith(expected) for p in raised.value.problems), raised.value.problems
