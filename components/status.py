"""Each state's standing in the alliance on a date, from membership spells and withdrawal steps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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


def status_on(
    members: pd.DataFrame,
    withdrawals: pd.DataFrame,
    on: date | pd.Timestamp,
    countries: Iterable[str] = (),
) -> pd.DataFrame:
    """Status of every state in `members` (and any extra `countries`) on the date `on`.

    A spell covers `start_date` up to the day before `end_date`; from `end_date` on the state is a
    former member. Inside a spell, the latest step whose `status_after` is not `unchanged`
    (participation frozen or suspended) sets the status. Returns columns country_iso3, status
    (categorical) and since (the date that status began; NaT for never_member).
    """
    day = pd.Timestamp(on)
    spells = members[members["role"] == "member"]
    everyone = sorted(set(members["country_iso3"]).union(countries))

    started = spells[spells["start_date"] <= day]
    current = started[started["end_date"].isna() | (started["end_date"] > day)]
    current_start = current.groupby("country_iso3")["start_date"].max()
    last_end = started.groupby("country_iso3")["end_date"].max()

    steps = withdrawals[
        (withdrawals["step_date"] <= day)
        & withdrawals["status_after"].isin(["participation_frozen", "participation_suspended"])
    ].merge(current_start.rename("spell_start").reset_index(), on="country_iso3")
    steps = steps[steps["step_date"] >= steps["spell_start"]].sort_values("step_date")
    latest_step = steps.groupby("country_iso3").tail(1).set_index("country_iso3")

    rows = []
    for country in everyone:
        if country in latest_step.index:
            step = latest_step.loc[country]
            rows.append((country, str(step["status_after"]), step["step_date"]))
        elif country in current_start.index:
            rows.append((country, "member", current_start[country]))
        elif country in last_end.index and not pd.isna(last_end[country]):
            rows.append((country, "former_member", last_end[country]))
        else:
            rows.append((country, "never_member", pd.NaT))
    result = pd.DataFrame(rows, columns=["country_iso3", "status", "since"])
    result["status"] = result["status"].astype(STATUS_DTYPE)
    result["since"] = pd.to_datetime(result["since"])
    return result


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
    frames = []
    for year in years:
        on = min(date(year, 12, 31), last_day)
        frame = status_on(members, withdrawals, on, countries)
        frame.insert(0, "year", year)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
