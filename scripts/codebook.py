"""Write the column tables of the codebook (data/README.md) from the Table Schema.

Each `<table>.csv` section of the codebook holds a generated table between the markers
`<!-- columns: <table> -->` and `<!-- /columns -->`; the prose around them is written by hand.
Run `python -m scripts.codebook` after editing the schema in data/datapackage.json; a test fails
while the committed codebook differs from what this writes.
"""

from __future__ import annotations

import re
import sys

from components.schema import SCHEMA_FILE, Field, Table, tables

CODEBOOK = SCHEMA_FILE.parent / "README.md"
KIND_NAMES = {
    "iso3_list": "iso3 list",
    "partial_date": "partial date",
    "code_list": "code list",
}
MARKERS = re.compile(r"(<!-- columns: (\w+) -->\n).*?(<!-- /columns -->)", re.DOTALL)


def _meaning(field: Field) -> str:
    codes = ", ".join(f"`{code}`" for code in field.allowed)
    parts = [f"{codes}." if codes else "", field.description]
    return " ".join(p for p in parts if p)


def column_table(table: Table) -> str:
    """The Markdown table of one table's columns."""
    lines = [
        "| Column | Type | Required | Allowed values / meaning |",
        "| --- | --- | --- | --- |",
    ]
    for field in table.fields:
        kind = KIND_NAMES.get(field.kind, field.kind)
        required = "yes" if field.required else "no"
        row = f"| `{field.name}` | {kind} | {required} | {_meaning(field)} |"
        lines.append(row.replace("|  |", "| |"))
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    """The codebook text with every marked column table regenerated."""
    known = tables()

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + column_table(known[match.group(2)]) + match.group(3)

    return MARKERS.sub(replace, text)


def main() -> int:
    text = CODEBOOK.read_text(encoding="utf-8")
    CODEBOOK.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
