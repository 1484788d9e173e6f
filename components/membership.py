"""The one membership rule: each state's status as consecutive periods, and the status on any date.

`status_history` turns membership spells and withdrawal steps into periods of one status each;
every other question (status on a date, who was a member when a clash began, the timeline's bars,
the "since" of a status) is answered by looking dates up in those periods with `status_at`.

The rule: a spell covers `start_date` up to the day before `end_date`; from `end_date` on the state
is a former member (until a later spell). Inside a spell, a step whose `status_after` is
`participation_frozen` or `participation_suspended` sets the status from its date on. A status
begins when it first holds: repeated steps with the same status (a second boycott while frozen) do
not start a new period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from components.schema import STATUSES

IN_ALLIANCE = ("member", "participation_frozen", "participation_suspended")
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
HISTORY_COLUMNS = ["country_iso3", "status", "start", "end"]


def status_history(members: pd.DataFrame, withdrawals: pd.DataFrame) -> pd.DataFrame:
    """Periods of one status per state: country_iso3, status, start, end (NaT while it lasts).

    States that were never members have no periods. Sorted by state and start.
    """
    changes = withdrawals[withdrawals["status_after"].isin(IN_ALLIANCE[1:])]
    rows: list[tuple[str, str, pd.Timestamp, pd.Timestamp]] = []
    spells = members[members["role"] == "member"].sort_values(["country_iso3", "start_date"])
    for spell in spells.itertuples():
        steps = changes[
            (changes["country_iso3"] == spell.country_iso3)
            & (changes["step_date"] >= spell.start_date)
            & (pd.isna(spell.end_date) or changes["step_date"] < spell.end_date)
        ].sort_values("step_date")
        cursor, status = spell.start_date, "member"
        for step in steps.itertuples():
            if str(step.status_after) == status:
                continue
            if step.step_date > cursor:
                rows.append((spell.country_iso3, status, cursor, step.step_date))
            cursor, status = step.step_date, str(step.status_after)
        rows.append((spell.country_iso3, status, cursor, spell.end_date))
        if not pd.isna(spell.end_date):
            rows.append((spell.country_iso3, "former_member", spell.end_date, pd.NaT))
    history = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    # A former-member period ends where the state's next spell begins.
    next_start = history.groupby("country_iso3")["start"].shift(-1)
    leaving = history["status"] == "former_member"
    history.loc[leaving, "end"] = next_start[leaving]
    history["country_iso3"] = history["country_iso3"].astype("string")
    history["status"] = history["status"].astype(STATUS_DTYPE)
    for column in ("start", "end"):
        history[column] = pd.to_datetime(history[column]).astype("datetime64[us]")
    return history.reset_index(drop=True)


def status_at(history: pd.DataFrame, countries: pd.Series, dates: pd.Series) -> pd.DataFrame:
    """Status and since of each (country, date) pair: columns status, since, indexed like the pairs.

    `since` is the day the status began (NaT for states never a member). Each distinct pair is
    looked up once: a million clashes name a few states on some thousands of days.
    """
    pairs = pd.DataFrame(
        {"country_iso3": countries.astype("string").to_numpy(), "on": pd.to_datetime(dates)},
    ).reset_index(drop=True)
    group = pairs.groupby(["country_iso3", "on"], sort=False, dropna=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]
    distinct = pairs.iloc[first].reset_index(drop=True)
    distinct["pair"] = range(len(distinct))
    matched = distinct.merge(history, on="country_iso3")
    inside = (matched["start"] <= matched["on"]) & (
        matched["end"].isna() | (matched["on"] < matched["end"])
    )
    found = matched[inside].drop_duplicates("pair").set_index("pair")
    index = pd.RangeIndex(len(distinct))
    status = found["status"].reindex(index).astype("string").fillna("never_member")
    since = found["start"].reindex(index).astype("datetime64[us]")
    return pd.DataFrame(
        {
            "status": pd.Categorical(status.to_numpy()[group], dtype=STATUS_DTYPE),
            "since": since.to_numpy()[group],
        },
        index=countries.index,
    )


def statuses_on(
    history: pd.DataFrame, dates: Iterable[date | pd.Timestamp], countries: Iterable[str] = ()
) -> pd.DataFrame:
    """Every state's status on each date: columns on, country_iso3, status, since.

    Covers the states in `history` and any extra `countries`, one row per date and state.
    """
    everyone = sorted(set(history["country_iso3"]).union(countries))
    grid = pd.DataFrame({"on": pd.to_datetime(list(dates))}).merge(
        pd.DataFrame({"country_iso3": everyone}), how="cross"
    )
    found = status_at(history, grid["country_iso3"], grid["on"])
    result = grid.join(found)
    result["country_iso3"] = result["country_iso3"].astype("string")
    return result


def status_on(
    history: pd.DataFrame, on: date | pd.Timestamp, countries: Iterable[str] = ()
) -> pd.DataFrame:
    """Every state's status on one date: columns country_iso3, status, since."""
    return statuses_on(history, [on], countries).drop(columns="on")


def status_by_year(
    history: pd.DataFrame, years: Iterable[int], last_day: date, countries: Iterable[str] = ()
) -> pd.DataFrame:
    """Status at the end of each year (31 December, or `last_day` if earlier), one block a year."""
    ends = pd.DataFrame({"year": list(years)})
    ends["on"] = pd.to_datetime([min(date(y, 12, 31), last_day) for y in ends["year"]])
    frame = statuses_on(history, ends["on"].unique(), countries)
    return ends.merge(frame, on="on").drop(columns="on")


def members_on(history: pd.DataFrame, on: date | pd.Timestamp) -> set[str]:
    """States inside a membership spell on `on` (whatever their participation)."""
    status = status_on(history, on)
    return set(status.loc[status["status"].isin(IN_ALLIANCE), "country_iso3"])
