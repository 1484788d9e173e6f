"""Deployments and clashes as one table of incidents, with the alliance context of each clash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from components.data import arrow_text, codes_pattern, split_codes
from components.filters import contains_text, shared_mask
from components.i18n import ENGLISH, Translator
from components.labels import label
from components.membership import IN_ALLIANCE, status_at
from components.query import ALIGNMENTS, Query
from components.text import as_text

ALIGNMENT_DTYPE = pd.CategoricalDtype(list(ALIGNMENTS))
ALLIANCE_BODIES = ("CST", "CSTO")

# Columns of the incidents table, in order; each is a codebook column or described there.
INCIDENT_COLUMNS = [
    "incident_id",
    "category",
    "name",
    "name_ru",
    "kind",
    "series",
    "start_date",
    "start_date_precision",
    "end_date",
    "end_date_precision",
    "countries",
    "members_at_start",
    "alignment",
    "place_name",
    "latitude",
    "longitude",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "displaced_low",
    "displaced_high",
    "personnel_low",
    "personnel_high",
    "help_requested",
    "requested_by",
    "request_to",
    "request_date",
    "request_date_precision",
    "response",
    "response_date",
    "response_note",
    "operator",
    "outcome",
    "source_ids",
    "note",
]
SEARCH_COLUMNS = ["name", "name_ru", "place_name", "note", "response_note", "outcome", "countries"]
COUNTRY_COLUMNS = ["countries"]


def join_codes(first: pd.Series, second: pd.Series) -> pd.Series:
    """Row-wise union of two `;`-separated code columns, first-seen order, no repeats.

    Worked out once per distinct pair of cells: tables repeat the same combinations of states.
    """

    def union(pair: tuple[object, object]) -> str:
        codes: list[str] = []
        for cell in pair:
            codes += [c for c in split_codes(cell) if c not in codes]
        return ";".join(codes)

    group, firsts = _distinct_rows(pd.DataFrame({"a": first.array, "b": second.array}))
    pairs = zip(first.iloc[firsts].astype(object), second.iloc[firsts].astype(object), strict=True)
    joined = pa.array([union(pair) for pair in pairs], pa.large_string()).take(group)
    return pd.Series(ArrowStringArray(joined), index=first.index)


def _distinct_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the number of its distinct combination of values (in order of first
    appearance); and for each combination, the row where it first appears."""
    group = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup().to_numpy()
    return group, np.unique(group, return_index=True)[1]


def _items(cells: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """The items of `;`-separated cells, in order: (row position of each, item); empty ones left
    out."""
    lists = pc.split_pattern(arrow_text(cells), ";")
    rows = pc.list_parent_indices(lists).to_numpy()
    items = pc.list_flatten(lists)
    kept = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
    return rows[kept], items.filter(kept)


def clash_alignment(clashes: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """For each clash: the states involved that were members on its start date, and what that means.

    Returns columns members_at_start (`;`-separated ISO3) and alignment (categorical, see
    query.ALIGNMENTS), indexed like `clashes`. Membership comes from the status history
    (membership.status_at): frozen or suspended participation still counts as membership.
    """
    count = len(clashes)
    rows_a, codes_a = _items(clashes["side_a"])
    rows_b, codes_b = _items(clashes["side_b"])
    rows = np.concatenate([rows_a, rows_b])
    codes = pa.chunked_array([*codes_a.chunks, *codes_b.chunks], pa.large_string())
    on = pd.Series(clashes["start_date"].to_numpy()[rows])
    status = status_at(history, pd.Series(ArrowStringArray(codes)), on)
    inside = status["status"].isin(IN_ALLIANCE).to_numpy()
    side_a = np.arange(len(rows)) < len(rows_a)
    has_a = np.bincount(rows[inside & side_a], minlength=count) > 0
    has_b = np.bincount(rows[inside & ~side_a], minlength=count) > 0
    internal = clashes["side_b"].isna().to_numpy()
    alignment = np.select(
        [internal & has_a, internal, has_a & has_b, has_a | has_b],
        ["internal_member", "internal_non_member", "both_sides_members", "one_side_member"],
        "no_member",
    )
    # The members in order (side A's, then side B's, each as listed), joined per clash.
    order = np.argsort(rows[inside], kind="stable")
    members = codes.filter(pa.array(inside)).take(order)
    per_clash = np.bincount(rows[inside], minlength=count)
    offsets = np.concatenate([[0], np.cumsum(per_clash)]).astype(np.int64)
    lists = pa.LargeListArray.from_arrays(offsets, members.combine_chunks())
    joined = pc.binary_join(lists, pa.scalar(";", pa.large_string()))
    joined = pc.if_else(pa.array(per_clash > 0), joined, pa.scalar(None, pa.large_string()))
    return pd.DataFrame(
        {
            "members_at_start": ArrowStringArray(joined),
            "alignment": pd.Categorical(alignment, dtype=ALIGNMENT_DTYPE),
        },
        index=clashes.index,
    )


# Columns turned into categories of the codes they hold (sorted), and columns kept as text.
CODED_COLUMNS = (
    "kind",
    "response",
    "help_requested",
    "operator",
    "alignment",
    "start_date_precision",
    "end_date_precision",
)
TEXT_COLUMNS = ("countries", "members_at_start", "name", "source_ids")
# Free text that incidents repeat (a place, a standard note): categories of the distinct texts,
# each held once. These columns are only read, searched and written out, never parsed.
REPEATED_TEXT = ("name_ru", "place_name", "response_note", "outcome", "note")
CATEGORY_DTYPE = pd.CategoricalDtype(["clash", "deployment"])


def make_incidents(
    clashes: pd.DataFrame, deployments: pd.DataFrame, history: pd.DataFrame
) -> pd.DataFrame:
    """Clashes and deployments in one frame with INCIDENT_COLUMNS, newest first.

    Built column by column in the final order: each cell is copied once, and no column is
    turned into Python objects on the way. Free text that repeats (REPEATED_TEXT) is held once
    per distinct text, as a categorical.
    """
    parts = (
        {
            **clashes,
            **clash_alignment(clashes, history),
            "incident_id": clashes["clash_id"],
            "countries": join_codes(clashes["side_a"], clashes["side_b"]),
        },
        {
            **deployments,
            "incident_id": deployments["deployment_id"],
            "countries": join_codes(deployments["host_iso3"], deployments["contributors"]),
            # A deployment answers a request when one is recorded; otherwise the question is moot.
            "help_requested": deployments["requested_by"].notna().map({True: "yes", False: pd.NA}),
        },
    )
    sizes = (len(clashes), len(deployments))
    order = _newest_first(parts)
    columns: dict[str, object] = {}
    for column in INCIDENT_COLUMNS:
        if column == "category":
            columns[column] = pd.Categorical.from_codes(
                np.repeat(np.arange(2, dtype=np.int8), sizes)[order], dtype=CATEGORY_DTYPE
            )
        elif column in CODED_COLUMNS:
            columns[column] = _coded([part.get(column) for part in parts], sizes, order)
        elif column in REPEATED_TEXT:
            stacked = _stacked([part.get(column) for part in parts], sizes)
            columns[column] = _text_categories(stacked, order)
        else:
            stacked = _stacked([part.get(column) for part in parts], sizes)
            if column in TEXT_COLUMNS:
                stacked = stacked.astype("string")
            columns[column] = stacked.take(order).array
    return pd.DataFrame(columns, index=pd.RangeIndex(len(order)), copy=False)


def _text_categories(cells: pd.Series, order: np.ndarray) -> pd.Categorical:
    """Text as a categorical of its distinct values (sorted), in `order`: each distinct text is
    held once however many incidents repeat it."""
    text = arrow_text(cells)
    encoded = pc.dictionary_encode(text).combine_chunks()
    by_text = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(by_text) + 1, dtype=np.int32)
    rank[by_text] = np.arange(len(by_text), dtype=np.int32)
    rank[-1] = -1
    codes = rank[encoded.indices.fill_null(-1).to_numpy()][order]
    categories = pd.Index(ArrowStringArray(encoded.dictionary.take(by_text)))
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))


def _newest_first(parts: tuple[dict[str, pd.Series], ...]) -> np.ndarray:
    """Row positions of the stacked parts by start date (newest first), then id (stable)."""
    dates = np.concatenate([part["start_date"].to_numpy() for part in parts])
    ids = pa.chunked_array(
        [chunk for part in parts for chunk in arrow_text(part["incident_id"]).chunks],
        pa.large_string(),
    )
    keys = pa.table({"date": pa.array(dates, from_pandas=True), "id": ids})
    sorted_by = [("date", "descending"), ("id", "ascending")]
    order: np.ndarray = pc.sort_indices(keys, sort_keys=sorted_by).to_numpy()
    return order


def _stacked(columns: list[pd.Series | None], sizes: tuple[int, ...]) -> pd.Series:
    """The parts' columns one after the other; a part without the column gives empty cells of
    the other parts' type."""
    like = next(column for column in columns if column is not None)
    filled = [
        column.reset_index(drop=True)
        if column is not None
        else pd.Series(like.array.take(np.full(size, -1), allow_fill=True))
        for column, size in zip(columns, sizes, strict=True)
    ]
    return pd.concat(filled, ignore_index=True)


def _coded(
    columns: list[pd.Series | None], sizes: tuple[int, ...], order: np.ndarray
) -> pd.Categorical:
    """The parts' codes as one categorical of the codes present (sorted), in `order`.

    The same as stacking the columns, reading them as text and making that a category, without
    turning a million cells into Python strings on the way.
    """
    pieces = [
        pd.Categorical(column) if column is not None else pd.Categorical([None] * size)
        for column, size in zip(columns, sizes, strict=True)
    ]
    present = sorted(
        {
            str(piece.categories[code])
            for piece in pieces
            for code in np.unique(piece.codes)
            if code >= 0
        }
    )
    dtype = pd.CategoricalDtype(pd.Index(present, dtype="string"))
    codes = np.concatenate(
        [
            np.append(dtype.categories.get_indexer(piece.categories.astype(str)), -1)[piece.codes]
            for piece in pieces
        ]
    )
    return pd.Categorical.from_codes(codes[order], dtype=dtype)


def filter_incidents(incidents: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Incidents in the query's years and countries that pass every narrowing filter set.

    When every incident passes, the result shares the incidents' columns rather than copying
    them (a shallow copy: pandas copies a column only if it is written to).
    """
    frame = incidents
    mask = shared_mask(frame, query, COUNTRY_COLUMNS)
    for column, wanted in (
        ("category", query.categories),
        ("kind", query.kinds),
        ("response", query.responses),
        ("help_requested", query.help_requested),
        ("alignment", query.alignments),
    ):
        if wanted:
            mask &= frame[column].isin(list(wanted))
    if query.request_to:
        mask &= names_any_code(frame["request_to"], query.request_to)
    if query.text.strip():
        mask &= _contains_text(frame, SEARCH_COLUMNS, query.text)
    return frame.copy(deep=False) if mask.all() else frame[mask]


def _contains_text(frame: pd.DataFrame, columns: list[str], text: str) -> pd.Series:
    """`filters.contains_text`, searching a categorical column once per distinct text."""
    mask = np.zeros(len(frame), dtype=bool)
    for column in columns:
        cells = frame[column]
        if isinstance(cells.dtype, pd.CategoricalDtype):
            distinct = pd.DataFrame({column: cells.cat.categories})
            found = contains_text(distinct, [column], text).to_numpy()
            mask |= np.append(found, False)[cells.cat.codes.to_numpy()]
        else:
            mask |= contains_text(frame, [column], text).to_numpy()
    return pd.Series(mask, index=frame.index)


def names_any_code(cells: pd.Series, codes: Iterable[str]) -> pd.Series:
    """Cells (`;`-separated codes) that name any of `codes`."""
    return cells.astype("string").str.contains(codes_pattern(codes), regex=True, na=False)


REQUEST_SOURCE_COLUMNS = [
    "incident_id",
    "name",
    "requested_by",
    "request_to",
    "request_date",
    "request_date_precision",
    "response",
    "response_date",
    "response_note",
    "source_ids",
]


def make_requests(incidents: pd.DataFrame) -> pd.DataFrame:
    """Requests for help among the clashes, oldest first: who asked whom, when, and the answer.

    `to_alliance` is True when the request went to the alliance (CST or CSTO), False when it went
    only elsewhere (Russia bilaterally, the CIS, the UN, ...). `days_to_response` counts whole
    days from the request to the alliance's response (empty when a date is unknown or the
    alliance was not asked).
    """
    wanted = (incidents["category"] == "clash") & (incidents["help_requested"] == "yes")
    asked = incidents.loc[wanted, REQUEST_SOURCE_COLUMNS]  # only the columns used: less to copy
    to_alliance = names_any_code(asked["request_to"], ALLIANCE_BODIES)
    days = (asked["response_date"] - asked["request_date"]).dt.days.astype("Int64")
    return (
        pd.DataFrame(
            {
                "clash_id": asked["incident_id"],
                "clash": asked["name"],
                "requested_by": asked["requested_by"],
                "request_to": asked["request_to"],
                "to_alliance": to_alliance.astype("boolean"),
                "request_date": asked["request_date"],
                "request_date_precision": asked["request_date_precision"],
                "response": asked["response"],
                "response_date": asked["response_date"],
                "days_to_response": days.where(to_alliance),
                "response_note": asked["response_note"],
                "source_ids": asked["source_ids"],
            }
        )
        .sort_values(["request_date", "clash_id"], na_position="last")
        .reset_index(drop=True)
    )


def names_ru_of(incidents: pd.DataFrame, incident_ids: pd.Series) -> pd.Series:
    """The sourced Russian name (`name_ru`) of each incident in `incident_ids`, by incident id.

    Only those rows are looked up: an index over every incident's id would cost tens of MB at a
    million incidents, for the few thousand requests a page shows.
    """
    wanted = pa.array(incident_ids.dropna().unique(), pa.large_string())
    rows = pc.is_in(arrow_text(incidents["incident_id"]), value_set=wanted)
    rows = rows.to_numpy(zero_copy_only=False)
    found = incidents.loc[rows, ["incident_id", "name_ru"]]
    return pd.Series(found["name_ru"].array, index=pd.Index(found["incident_id"].array))


def source_links(source_ids: object, sources: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(title, url) for each id in a `;`-separated cell, in order."""
    indexed = sources.set_index("source_id")
    links = []
    for source_id in split_codes(source_ids):
        if source_id in indexed.index:
            row = indexed.loc[source_id]
            url = None if pd.isna(row["url"]) else str(row["url"])
            links.append((f"{row['title']} ({row['publisher']})", url))
    return links


@dataclass(frozen=True)
class FatalityTotal:
    """Summed fatality estimates of the clashes that began in a year range."""

    low: int
    high: int
    counted: int  # clashes that began in the range and have a figure
    without_figure: int  # clashes that began in the range with no figure
    begun_earlier: int  # clashes under way in the range that began before it (not counted)


# The columns `fatality_totals` reads.
FATALITY_COLUMNS = ["start_date", "fatalities_low", "fatalities_best", "fatalities_high"]


def fatality_totals(clashes: pd.DataFrame, year_from: int, year_to: int) -> FatalityTotal:
    """Sum the low and high estimates of clashes that began in `year_from`..`year_to`.

    A war that began before the range is not counted (its deaths cannot be split by year). A
    missing bound is taken from the best estimate, then the other bound.
    """
    began = clashes["start_date"].dt.year.between(year_from, year_to)
    low = clashes["fatalities_low"].fillna(clashes["fatalities_best"])
    low = low.fillna(clashes["fatalities_high"])
    high = clashes["fatalities_high"].fillna(clashes["fatalities_best"])
    high = high.fillna(clashes["fatalities_low"])
    known = began & low.notna()
    return FatalityTotal(
        low=int(low[known].sum()),
        high=int(high[known].sum()),
        counted=int(known.sum()),
        without_figure=int((began & low.isna()).sum()),
        begun_earlier=int((~began).sum()),
    )


def status_counts(status: pd.DataFrame) -> dict[str, int]:
    """How many states hold each status."""
    return {str(k): int(v) for k, v in status["status"].value_counts(sort=False).items()}


def recent_events_markdown(incidents: pd.DataFrame, t: Translator = ENGLISH) -> str:
    """A Markdown list of incidents (date, name, what it was or what the alliance did).

    Data text is escaped with as_text; the rest is the dashboard's own words.
    """
    lines = []
    names = t.names(incidents["name"], incidents.get("name_ru"))
    for row, shown in zip(incidents.itertuples(), names, strict=True):
        what = (
            t.gettext("alliance: %(response)s", response=label(row.response, t).lower())
            if row.category == "clash"
            else label(row.kind, t)
        )
        name = as_text(str(shown))
        lines.append(f"- {t.date(row.start_date, 'medium')} · **{name}** · {as_text(what)}")
    return "\n".join(lines)
