"""The rows and columns of a download for a query: one function for the pages and the API.

A page's CSV button, the Data page's table downloads, the documented archive and
`/api/v1/<table>.csv|json` all call `download_frame`, so they cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from components.export import (
    to_csv_bytes,
    with_clash_names_ru,
    with_russian_columns,
    with_source_columns,
)
from components.i18n import SOURCE_LANGUAGE
from components.incidents import filter_incidents, make_requests
from components.query import Query
from components.schema import tables
from components.tables import filter_package_table

if TYPE_CHECKING:
    from components.store import Loaded  # the shared cache's frames (a Streamlit module)

# Views derived from the package: the Incidents page's table and its requests for help.
VIEWS = ("incidents", "requests")


def download_names() -> tuple[str, ...]:
    """Every name that can be downloaded: the package's tables, then the derived views."""
    return (*tables(), *VIEWS)


def narrows(table: str) -> bool:
    """Whether the narrowing filters (kind, response, text, ...) apply to `table`.

    They apply to the incidents and requests views; package tables take years and countries.
    """
    return table in VIEWS


def download_frame(
    loaded: Loaded, table: str, query: Query | None, lang: str = SOURCE_LANGUAGE
) -> pd.DataFrame:
    """Exactly the rows and columns of `table`'s download for `query` (None: the whole table).

    Package tables are cut to the query's years and countries (sources to those the cut rows
    cite); incidents and requests also take the narrowing filters. Tables that cite sources get
    readable `source_titles` and `source_urls` beside `source_ids`. In another language than
    English, names in that language stand beside the English ones (`*_ru` columns); the English
    columns are the same in every language.
    """
    frame = _english_frame(loaded, table, query)
    if lang == SOURCE_LANGUAGE or table == "sources":
        return frame
    if table == "requests":
        frame = with_clash_names_ru(frame, loaded.incidents)
    return with_russian_columns(frame, loaded.package.country_names)


def _english_frame(loaded: Loaded, table: str, query: Query | None) -> pd.DataFrame:
    package = loaded.package
    if table in VIEWS:
        if query is None:
            raise ValueError(f"{table} is a view: it needs a query")
        frame = filter_incidents(loaded.incidents, query)
        if table == "requests":
            frame = make_requests(frame)
    elif table in package.tables:
        frame = package[table] if query is None else filter_package_table(package, query, table)
    else:
        raise KeyError(table)
    if table == "sources" or "source_ids" not in frame:
        return frame
    return with_source_columns(frame, package["sources"])


def download_csv(
    loaded: Loaded, table: str, query: Query | None, lang: str = SOURCE_LANGUAGE
) -> bytes:
    """The download's CSV bytes (for large tables, written when the button is clicked)."""
    return to_csv_bytes(download_frame(loaded, table, query, lang))
