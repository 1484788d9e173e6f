"""Deployments and clashes as one table of incidents, with the alliance context of each clash."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from components.data import split_codes
from components.filters import Filters, apply_filters, contains_text
from components.text import as_text

ALIGNMENT_LABELS = {
    "both_sides_members": "Both sides members",
    "one_side_member": "One side a member",
    "no_member": "No member involved",
    "internal_member": "Internal crisis in a member",
    "internal_non_member": "Internal crisis in a non-member",
}
ALIGNMENT_DTYPE = pd.CategoricalDtype(list(ALIGNMENT_LABELS))

# Columns of the incidents table, in order; each is a codebook column or described there.
INCIDENT_COLUMNS = [
    "incident_id",
    "category",
    "name",
    "kind",
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
    "response",
    "response_date",
    "response_note",
    "operator",
    "outcome",
    "source_ids",
    "note",
]
SEARCH_COLUMNS = ["name", "place_name", "note", "response_note", "outcome", "countries"]
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


def clash_alignment(clashes: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """For each clash: the states involved that were members on its start date, and what that means.

    Returns columns members_at_start (`;`-separated ISO3) and alignment (categorical, see
    ALIGNMENT_LABELS), indexed like `clashes`. Vectorised: one row per clash, side and state.
    """
    sides = pd.concat(
        [
            clashes[column].astype("string").str.split(";").explode().dropna().rename("code")
            .to_frame().assign(side=side)
            for side, column in (("a", "side_a"), ("b", "side_b"))
        ]
    )  # fmt: skip
    sides = sides[sides["code"] != ""]
    sides["row"] = sides.index
    sides["order"] = range(len(sides))
    sides["start_date"] = clashes["start_date"].reindex(sides["row"]).to_numpy()
    spells = members.loc[members["role"] == "member", ["country_iso3", "start_date", "end_date"]]
    matched = sides.merge(spells, left_on="code", right_on="country_iso3", suffixes=("", "_spell"))
    inside = (matched["start_date_spell"] <= matched["start_date"]) & (
        matched["end_date"].isna() | (matched["start_date"] < matched["end_date"])
    )
    in_alliance = matched[inside].sort_values("order")
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
    clashes: pd.DataFrame, deployments: pd.DataFrame, members: pd.DataFrame
) -> pd.DataFrame:
    """Clashes and deployments in one frame with INCIDENT_COLUMNS, newest first."""
    clash_rows = clashes.join(clash_alignment(clashes, members)).assign(
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
    for column in ("kind", "response", "help_requested", "operator", "alignment",
                   "start_date_precision", "end_date_precision"):  # fmt: skip
        frame[column] = frame[column].astype("string").astype("category")
    frame["category"] = frame["category"].astype(pd.CategoricalDtype(["clash", "deployment"]))
    for column in ("countries", "members_at_start", "name", "place_name", "source_ids", "note"):
        frame[column] = frame[column].astype("string")
    return frame.sort_values(["start_date", "incident_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def filter_incidents(
    incidents: pd.DataFrame,
    filters: Filters,
    categories: Sequence[str] = (),
    kinds: Sequence[str] = (),
    responses: Sequence[str] = (),
    help_requested: Sequence[str] = (),
    alignments: Sequence[str] = (),
    text: str = "",
) -> pd.DataFrame:
    """Incidents matching the shared filters and every non-empty page filter."""
    frame = apply_filters(incidents, filters, COUNTRY_COLUMNS)
    mask = pd.Series(True, index=frame.index)
    for column, wanted in (
        ("category", categories),
        ("kind", kinds),
        ("response", responses),
        ("help_requested", help_requested),
        ("alignment", alignments),
    ):
        if wanted:
            mask &= frame[column].isin(list(wanted))
    if text.strip():
        mask &= contains_text(frame, SEARCH_COLUMNS, text)
    return frame[mask]


def make_requests(incidents: pd.DataFrame, country_names: dict[str, str]) -> pd.DataFrame:
    """Requests for help among incidents: who asked whom, when, the answer, how many days later."""
    asked = incidents[(incidents["category"] == "clash") & (incidents["help_requested"] == "yes")]
    days = (asked["response_date"] - asked["request_date"]).dt.days.astype("Int64")
    return pd.DataFrame(
        {
            "clash_id": asked["incident_id"],
            "clash": asked["name"],
            "requested_by": asked["requested_by"].map(
                lambda c: country_names.get(c, c), na_action="ignore"
            ),
            "request_to": asked["request_to"],
            "request_date": asked["request_date"],
            "response": asked["response"],
            "response_date": asked["response_date"],
            "days_to_response": days,
            "response_note": asked["response_note"],
            "source_ids": asked["source_ids"],
        }
    ).sort_values("request_date")


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


def first_source_urls(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """The first cited source's URL for each row (NA when it has none), for link columns."""
    urls = sources.set_index("source_id")["url"]
    first = source_ids.astype("string").str.split(";").str[0]
    return first.map(urls).astype("string")


def country_options(codes: Iterable[str], names: dict[str, str]) -> list[str]:
    """Codes sorted by their country names."""
    return sorted(set(codes), key=lambda code: names.get(code, code))


def fatality_totals(clashes: pd.DataFrame) -> tuple[int, int, int]:
    """(low, high, clashes without figures): sums over clashes, a missing bound from the other.

    Where only a best estimate is given it counts for both bounds.
    """
    low = (
        clashes["fatalities_low"]
        .fillna(clashes["fatalities_best"])
        .fillna(clashes["fatalities_high"])
    )
    high = (
        clashes["fatalities_high"]
        .fillna(clashes["fatalities_best"])
        .fillna(clashes["fatalities_low"])
    )
    return int(low.sum()), int(high.sum()), int(low.isna().sum())


def status_counts(status: pd.DataFrame) -> dict[str, int]:
    """How many states hold each status."""
    return {str(k): int(v) for k, v in status["status"].value_counts(sort=False).items()}


def recent_events_markdown(incidents: pd.DataFrame) -> str:
    """A Markdown list of incidents (date, name, what the alliance did), data text escaped."""
    lines = []
    for row in incidents.itertuples():
        what = (
            f"alliance response: {str(row.response).replace('_', ' ')}"
            if row.category == "clash"
            else str(row.kind).replace("_", " ")
        )
        lines.append(
            f"- {row.start_date:%Y-%m-%d} · **{as_text(str(row.name))}** · {as_text(what)}"
        )
    return "\n".join(lines)
