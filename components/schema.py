"""The data package's tables and columns, read from the Table Schema in `data/datapackage.json`.

That descriptor is the one place where a column is declared: its name, type, whether it is
required, its allowed codes, pattern, bounds and description. This module maps it to `Field`s; the
loader builds its checks from them, and `scripts/codebook.py` writes the codebook's column
tables from them (a test checks the committed codebook is current).

Besides the standard Table Schema properties, each field carries `csto:kind`, the project's finer
type (an ISO3 list, a `;`-list of ids, a date with a precision column, ...), and fields that name
rows of another table carry `csto:references`. Every field and table also carries
`csto:description_ru`, its description in Russian, beside the English one it translates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "datapackage.json"

FieldKind = Literal[
    "id",  # lowercase slug, unique in its table
    "ref",  # an id of another table
    "refs",  # `;`-separated ids of another table
    "text",
    "url",
    "date",  # YYYY-MM-DD
    "partial_date",  # YYYY, YYYY-MM or YYYY-MM-DD
    "code",  # one of `allowed`
    "code_list",  # `;`-separated items of `allowed`
    "iso3",  # ISO 3166-1 alpha-3
    "iso3_list",  # `;`-separated ISO 3166-1 alpha-3 codes
    "count",  # non-negative integer
    "latitude",
    "longitude",
]

STATUSES = (
    "member",
    "participation_frozen",
    "participation_suspended",
    "former_member",
    "never_member",
)


@dataclass(frozen=True)
class Field:
    """One CSV column: its name, kind, whether it may be empty, allowed codes and meaning."""

    name: str
    kind: FieldKind
    required: bool = False
    allowed: tuple[str, ...] = ()
    table: str = ""  # for ref/refs: the table whose ids it names
    description: str = ""
    description_ru: str = ""  # `csto:description_ru`: the meaning in Russian


@dataclass(frozen=True)
class Table:
    """One resource of the package: its file, description, columns and key."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    description_ru: str = ""  # `csto:description_ru`

    @property
    def id_column(self) -> str | None:
        """The single-column primary key, if the table has one."""
        return self.primary_key[0] if len(self.primary_key) == 1 else None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _field(spec: dict[str, Any]) -> Field:
    constraints = spec.get("constraints", {})
    return Field(
        name=spec["name"],
        kind=cast(FieldKind, spec["csto:kind"]),
        required=bool(constraints.get("required", False)),
        allowed=tuple(constraints.get("enum", ())),
        table=spec.get("csto:references", ""),
        description=spec.get("description", ""),
        description_ru=spec.get("csto:description_ru", ""),
    )


@cache
def tables(path: Path = SCHEMA_FILE) -> dict[str, Table]:
    """Every table of the package, in the descriptor's order."""
    meta = json.loads(path.read_text(encoding="utf-8"))
    result = {}
    for resource in meta["resources"]:
        schema = resource["schema"]
        key = schema.get("primaryKey", ())
        result[resource["name"]] = Table(
            name=resource["name"],
            path=resource["path"],
            description=resource.get("description", ""),
            fields=tuple(_field(spec) for spec in schema["fields"]),
            primary_key=(key,) if isinstance(key, str) else tuple(key),
            description_ru=resource.get("csto:description_ru", ""),
        )
    return result


def table_fields() -> dict[str, tuple[Field, ...]]:
    """Each table's columns, in file order."""
    return {name: table.fields for name, table in tables().items()}


def id_columns() -> dict[str, str]:
    """The id column of each table that has one."""
    return {name: t.id_column for name, t in tables().items() if t.id_column}


def allowed_codes(table: str, column: str) -> list[str]:
    """The codes a coded column of `table` accepts."""
    return list(tables()[table].field(column).allowed)


def count_ranges(table: str) -> list[tuple[str, str]]:
    """Pairs (lower, upper) of count columns where lower must not exceed upper.

    By naming rule: `<x>_low` ≤ `<x>_best` ≤ `<x>_high` for every prefix `<x>` with such columns.
    """
    counts = {f.name for f in tables()[table].fields if f.kind == "count"}
    pairs = []
    for name in sorted(counts):
        if name.endswith("_low"):
            prefix = name.removesuffix("_low")
            chain = [f"{prefix}_{s}" for s in ("low", "best", "high") if f"{prefix}_{s}" in counts]
            pairs += [(a, b) for i, a in enumerate(chain) for b in chain[i + 1 :]]
    return pairs
