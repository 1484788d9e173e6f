"""The Data page's short codebook and coverage table, in the reader's language.

Column meanings come from the Table Schema (`description`, and `csto:description_ru` beside it):
they describe the data package, so they live with it, reach readers of the package who never
open the dashboard, and are edited together with the English. The words of the tables around
them are the dashboard's own and go through the catalogs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from components.i18n import ENGLISH, N_, Translator
from components.labels import label
from components.schema import FieldKind, Table

# Field kind -> what it is, in words (English, shown translated).
KIND_WORDS: dict[FieldKind, str] = {
    "id": N_("id"),
    "ref": N_("id in another table"),
    "refs": N_("ids in another table"),
    "text": N_("text"),
    "url": N_("web address"),
    "date": N_("date"),
    "partial_date": N_("partial date"),
    "code": N_("code"),
    "code_list": N_("list of codes"),
    "iso3": N_("country code"),
    "iso3_list": N_("list of country codes"),
    "count": N_("whole number"),
    "latitude": N_("latitude"),
    "longitude": N_("longitude"),
}
CODEBOOK_COLUMNS = ("column", "kind", "required", "allowed", "meaning")


def description(table: Table, t: Translator = ENGLISH) -> str:
    """What a table holds, in `t`'s language (English, marked so, where no translation exists)."""
    return _meaning(table.description, table.description_ru, t)


def _meaning(english: str, russian: str, t: Translator) -> str:
    if t.lang == "en" or not english:
        return english
    return russian or t.in_english(english)


def codebook_frame(tables: Iterable[Table], t: Translator = ENGLISH) -> pd.DataFrame:
    """One row per column of every table: its file, name, kind in words, required, allowed codes
    and meaning (one grid to sort and search, rather than one per table)."""

    def allowed(codes: tuple[str, ...]) -> str:
        if t.lang == "en":
            return ", ".join(codes)
        return ", ".join(f"{code} ({label(code, t)})" for code in codes)

    fields = [(f"{table.name}.csv", field) for table in tables for field in table.fields]
    return pd.DataFrame(
        {
            "table": [file for file, _ in fields],
            "column": [f.name for _, f in fields],
            "kind": [t.gettext(KIND_WORDS[f.kind]) for _, f in fields],
            "required": [f.required for _, f in fields],
            "allowed": [allowed(f.allowed) for _, f in fields],
            "meaning": [_meaning(f.description, f.description_ru, t) for _, f in fields],
        }
    )


def table_descriptions(tables: Iterable[Table], t: Translator = ENGLISH) -> pd.DataFrame:
    """One row per table: its file, what it holds and how many columns it has."""
    listed = list(tables)
    return pd.DataFrame(
        {
            "table": [f"{table.name}.csv" for table in listed],
            "holds": [description(table, t) for table in listed],
            "columns": [len(table.fields) for table in listed],
        }
    )


def codebook_headers(t: Translator = ENGLISH) -> dict[str, str]:
    """Headers of `codebook_frame`'s and `table_descriptions`' columns."""
    return {
        "table": t.pgettext("codebook", "table"),
        "column": t.pgettext("codebook", "column"),
        # TRANSLATORS: the kind of values a data column holds (text, date, code...).
        "kind": t.pgettext("codebook", "kind"),
        "required": t.pgettext("codebook", "required"),
        "allowed": t.pgettext("codebook", "allowed values"),
        "meaning": t.pgettext("codebook", "meaning"),
        "holds": t.pgettext("codebook", "holds"),
        "columns": t.pgettext("codebook", "columns"),
    }


def coverage_for_screen(counts: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    """`coverage.rows_per_decade` with the tables and decades in words."""
    decades = {
        # TRANSLATORS: a decade, e.g. "1990s".
        column: t.gettext("%(decade)ss", decade=column.removesuffix("s"))
        for column in counts.columns
        if column.endswith("0s")
    }
    return counts.rename(
        index=lambda table: label(table, t), columns={**decades, "total": t.gettext("Total")}
    )
