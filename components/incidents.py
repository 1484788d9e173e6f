"""Deployments and clashes as one table of incidents, with the alliance context of each clash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from components.data import codes_pattern, split_codes
from components.filters import contains_text, filter_shared
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

    pairs = pd.Series(list(zip(first.astype(object), second.astype(object), strict=True)))
    unique = pairs.drop_duplicates()
    joined = dict(zip(unique, unique.map(union), strict=True))
    return pd.Series(pairs.map(joined).to_numpy(), index=first.index, dtype="string")


def clash_alignment(clashes: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """For each clash: the states involved that were members on its start date, and what that means.

    Returns columns members_at_start (`;`-separated ISO3) and alignment (categorical, see
    query.ALIGNMENTS), indexed like `clashes`. Membership comes from the status history
    (membership.status_at): frozen or suspended participation still counts as membership.
    """
    sides = pd.concat(
        [
            clashes[column]
            .astype("string")
            .str.split(";")
            .explode()
            .dropna()
            .rename("code")
            .to_frame()
            .assign(side=side)
            for side, column in (("a", "side_a"), ("b", "side_b"))
        ]
    )
    sides = sides[sides["code"] != ""]
    sides["row"] = sides.index
    sides["order"] = range(len(sides))
    on = clashes["start_date"].reindex(sides["row"])
    status = status_at(history, sides["code"].reset_index(drop=True), on.reset_index(drop=True))
    inside = status["status"].isin(IN_ALLIANCE).to_numpy()
    in_alliance = sides[inside].sort_values("order")
    has_a = in_alliance[in_alliance["side"] == "a"].groupby("row").size().reindex(clashes.index)
    has_b = in_alliance[in_alliance["side"] == "b"].groupby("row").size().reindex(clashes.index)
    has_a, has_b = has_a.fillna(0) > 0, has_b.fillna(0) > 0
    internal = clashes["side_b"].isna()
    alignment = np.select(
        [internal & has_a, internal, has_a & has_b, has_a | has_b],
        ["internal_member", "internal_non_member", "both_sides_members", "one_side_member"],
        "no_member",
    )
    joined: dict[object, str] = {}  # plain loop: groupby-join is far slower on many rows
    for row, code in zip(in_alliance["row"].tolist(), in_alliance["code"].tolist(), strict=True):
        joined[row] = f"{joined[row]};{code}" if row in joined else code
    members_at_start = pd.Series(joined, dtype="string").reindex(clashes.index)
    return pd.DataFrame(
        {
            "members_at_start": members_at_start.astype("string"),
            "alignment": pd.Categorical(alignment, dtype=ALIGNMENT_DTYPE),
        },
        index=clashes.index,
    )


def make_incidents(
    clashes: pd.DataFrame, deployments: pd.DataFrame, history: pd.DataFrame
) -> pd.DataFrame:
    """Clashes and deployments in one frame with INCIDENT_COLUMNS, newest first."""
    clash_rows = clashes.join(clash_alignment(clashes, history)).assign(
        incident_id=clashes["clash_id"],
        category="clash",
        countries=join_codes(clashes["side_a"], clashes["side_b"]),
    )
    deployment_rows = deployments.assign(
        incident_id=deployments["deployment_id"],
        category="deployment",
        countries=join_codes(deployments["host_iso3"], deployments["contributors"]),
        # A deployment answers a request when one is recorded; otherwise the question is moot.
        help_requested=deployments["requested_by"].notna().map({True: "yes", False: pd.NA}),
    )
    frame = pd.concat([clash_rows, deployment_rows], ignore_index=True)
    frame = frame.reindex(columns=INCIDENT_COLUMNS)
    for column in (
        "kind",
        "response",
        "help_requested",
        "operator",
        "alignment",
        "start_date_precision",
        "end_date_precision",
    ):
        frame[column] = frame[column].astype("string").astype("category")
    frame["category"] = frame["category"].astype(pd.CategoricalDtype(["clash", "deployment"]))
    for column in ("countries", "members_at_start", "name", "place_name", "source_ids", "note"):
        frame[column] = frame[column].astype("string")
    return frame.sort_values(["start_date", "incident_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def filter_incidents(incidents: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Incidents in the query's years and countries that pass every narrowing filter set."""
    frame = filter_shared(incidents, query, COUNTRY_COLUMNS)
    mask = pd.Series(True, index=frame.index)
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
        mask &= contains_text(frame, SEARCH_COLUMNS, query.text)
    return frame[mask]


def names_any_code(cells: pd.Series, codes: Iterable[str]) -> pd.Series:
    """Cells (`;`-separated codes) that name any of `codes`."""
    return cells.astype("string").str.contains(codes_pattern(codes), regex=True, na=False)


def make_requests(incidents: pd.DataFrame) -> pd.DataFrame:
    """Requests for help among the clashes, oldest first: who asked whom, when, and the answer.

    `to_alliance` is True when the request went to the alliance (CST or CSTO), False when it went
    only elsewhere (Russia bilaterally, the CIS, the UN, ...). `days_to_response` counts whole
    days from the request to the alliance's response (empty when a date is unknown or the
    alliance was not asked).
    """
    asked = incidents[(incidents["category"] == "clash") & (incidents["help_requested"] == "yes")]
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
