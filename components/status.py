"""Each state's standing in the alliance on a date, from membership spells and withdrawal steps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from components.schema import STATUSES

STATUS_LABELS = {
    "member": "Member",
    "participation_frozen": "Participation frozen",
    "participation_suspended": "Participation suspended",
    "former_member": "Former member",
    "never_member": "Never a member",
}
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))


def statuses_on(
    members: pd.DataFrame,
    withdrawals: pd.DataFrame,
    dates: Iterable[date | pd.Timestamp],
    countries: Iterable[str] = (),
) -> pd.DataFrame:
    """Status of every state in `members` (and any extra `countries`) on each of `dates`.

    A spell covers `start_date` up to the day before `end_date`; from `end_date` on the state is a
    former member. Inside a spell, the latest step whose `status_after` is not `unchanged`
    (participation frozen or suspended) sets the status. Returns columns on, country_iso3,
    status (categorical) and since (the date that status began; NaT for never_member), one row per
    date and state, vectorised over all dates at once.
    """
    days = pd.DataFrame({"on": pd.to_datetime(list(dates))})
    everyone = sorted(set(members["country_iso3"]).union(countries))
    grid = days.merge(pd.DataFrame({"country_iso3": everyone}), how="cross")

    spells = members.loc[members["role"] == "member", ["country_iso3", "start_date", "end_date"]]
    started = days.merge(spells, how="cross")
    started = started[started["start_date"] <= started["on"]]
    current = started[started["end_date"].isna() | (started["end_date"] > started["on"])]
    keys = ["on", "country_iso3"]
    spell_start = current.groupby(keys)["start_date"].max().rename("spell_start")
    last_end = started.groupby(keys)["end_date"].max().rename("last_end")

    changes = withdrawals.loc[
        withdrawals["status_after"].isin(["participation_frozen", "participation_suspended"]),
        ["country_iso3", "step_date", "status_after"],
    ]
    steps = days.merge(changes, how="cross").merge(spell_start.reset_index(), on=keys)
    steps = steps[
        (steps["step_date"] <= steps["on"]) & (steps["step_date"] >= steps["spell_start"])
    ]
    latest = steps.sort_values("step_date").groupby(keys).tail(1).set_index(keys)

    grid = grid.join(spell_start, on=keys).join(last_end, on=keys)
    grid = grid.join(latest[["step_date", "status_after"]], on=keys)
    frozen = grid["status_after"].notna()
    inside = grid["spell_start"].notna()
    left = grid["last_end"].notna()
    grid["status"] = np.select(
        [frozen, inside, left],
        [grid["status_after"].astype("string"), "member", "former_member"],
        "never_member",
    )
    grid["since"] = np.select(
        [frozen, inside, left],
        [grid["step_date"], grid["spell_start"], grid["last_end"]],
        pd.NaT,
    )
    result = grid[["on", "country_iso3", "status", "since"]].copy()
    result["country_iso3"] = result["country_iso3"].astype("string")
    result["status"] = result["status"].astype(STATUS_DTYPE)
    result["since"] = pd.to_datetime(result["since"]).astype("datetime64[us]")
    return result


def status_on(
    members: pd.DataFrame,
    withdrawals: pd.DataFrame,
    on: date | pd.Timestamp,
    countries: Iterable[str] = (),
) -> pd.DataFrame:
    """Status of every state on one date: columns country_iso3, status, since (see statuses_on)."""
    return statuses_on(members, withdrawals, [on], countries).drop(columns="on")


def members_on(members: pd.DataFrame, on: date | pd.Timestamp) -> set[str]:
    """States inside a membership spell on `on` (whatever their participation)."""
    day = pd.Timestamp(on)
    inside = (
        (members["role"] == "member")
        & (members["start_date"] <= day)
        & (members["end_date"].isna() | (members["end_date"] > day))
    )
    return set(members.loc[inside, "country_iso3"])


def status_by_year(
    members: pd.DataFrame,
    withdrawals: pd.DataFrame,
    years: Iterable[int],
    last_day: date,
    countries: Iterable[str] = (),
) -> pd.DataFrame:
    """Status at the end of each year (31 December, or `last_day` if earlier), one block a year."""
    ends = pd.DataFrame({"year": list(years)})
    ends["on"] = pd.to_datetime([min(date(y, 12, 31), last_day) for y in ends["year"]])
    frame = statuses_on(members, withdrawals, ends["on"].unique(), countries)
    return ends.merge(frame, on="on").drop(columns="on")
