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
    """Exactly the rows and columns of `table`'s download for `query` (None: the whole table, or
    every incident of a view).

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


def download_query(table: str, query: Query) -> Query:
    """The part of a page's `query` that `table`'s download takes: every filter for the
    incidents and requests views, the years and countries for package tables."""
    return query if narrows(table) else query.shared()


def download_row_count(loaded: Loaded, table: str, query: Query | None) -> int:
    """How many rows `table`'s download for `query` holds (None: the whole table or view),
    without writing it."""
    return len(_selected_rows(loaded, table, query))


def _selected_rows(loaded: Loaded, table: str, query: Query | None) -> pd.DataFrame:
    """The rows of `table`'s download, with the table's own columns."""
    package = loaded.package
    if table in VIEWS:
        frame = loaded.incidents if query is None else filter_incidents(loaded.incidents, query)
        return make_requests(frame) if table == "requests" else frame
    if table in package.tables:
        return package[table] if query is None else filter_package_table(package, query, table)
    raise KeyError(table)


def _english_frame(loaded: Loaded, table: str, query: Query | None) -> pd.DataFrame:
    frame = _selected_rows(loaded, table, query)
    if table == "sources" or "source_ids" not in frame:
        return frame
    return with_source_columns(frame, loaded.package["sources"])


def download_csv(
    loaded: Loaded, table: str, query: Query | None, lang: str = SOURCE_LANGUAGE
) -> bytes:
    """The download's CSV bytes (for large tables, written when the button is clicked)."""
    return to_csv_bytes(download_frame(loaded, table, query, lang))
