"""The membership rule: status periods, and each state's status and "since" on any date."""

from __future__ import annotations

import itertools
from datetime import date

import pandas as pd
import pytest

from components.data import DataPackage
from components.membership import (
    members_on,
    status_by_year,
    status_history,
    status_on,
    statuses_on,
)
from tests.conftest import history_of


def statuses(package: DataPackage, on: str, extra: tuple[str, ...] = ()) -> dict[str, str]:
    frame = status_on(history_of(package), date.fromisoformat(on), extra)
    return dict(zip(frame["country_iso3"], frame["status"].astype(str), strict=True))


@pytest.mark.parametrize(
    ("on", "country", "expected"),
    [
        ("1992-05-14", "ARM", "never_member"),
        ("1992-05-15", "ARM", "member"),
        ("1993-09-23", "AZE", "never_member"),
        ("1993-09-24", "AZE", "member"),
        ("1999-04-19", "AZE", "member"),
        ("1999-04-20", "AZE", "former_member"),
        ("2005-01-01", "UZB", "former_member"),
        ("2006-06-23", "UZB", "member"),
        ("2012-06-28", "UZB", "participation_suspended"),
        ("2012-12-19", "UZB", "former_member"),
        ("2024-01-31", "ARM", "member"),
        ("2024-02-01", "ARM", "participation_frozen"),
        ("2026-01-01", "ARM", "participation_frozen"),
        ("2026-01-01", "BLR", "never_member"),
    ],
)
def test_status_on_date(mini_package: DataPackage, on: str, country: str, expected: str) -> None:
    assert statuses(mini_package, on, ("BLR",))[country] == expected


def test_history_periods_follow_each_other_without_gaps(real_package: DataPackage) -> None:
    history = history_of(real_package)
    for _, periods in history.groupby("country_iso3"):
        ends, starts = periods["end"].iloc[:-1].to_numpy(), periods["start"].iloc[1:].to_numpy()
        assert (ends == starts).all(), periods
        statuses = periods["status"].astype(str).tolist()
        assert all(a != b for a, b in itertools.pairwise(statuses)), periods
        assert pd.isna(periods["end"].iloc[-1]), "the last period lasts"


def test_since_is_when_the_status_began_not_the_latest_step(mini_package: DataPackage) -> None:
    """A second step with the same status (a boycott while frozen) does not restart it."""
    steps = mini_package["withdrawals"]
    repeat = steps[steps["status_after"] == "participation_frozen"].iloc[[0]].copy()
    repeat["step_id"] = "arm-repeat"
    repeat["step_date"] = pd.Timestamp("2024-05-20")
    more = pd.concat([steps, repeat], ignore_index=True)
    status = status_on(status_history(mini_package["members"], more), date(2024, 6, 1))
    armenia = status.set_index("country_iso3").loc["ARM"]
    assert armenia["status"] == "participation_frozen"
    assert armenia["since"] == pd.Timestamp("2024-02-01")


def expected_from_spells(package: DataPackage, code: str, day: pd.Timestamp) -> tuple[str, object]:
    """Status and since worked out by hand from the spells and steps (the rule in words)."""
    members, steps = package["members"], package["withdrawals"]
    spells = members[(members["country_iso3"] == code) & (members["role"] == "member")]
    current = spells[
        (spells["start_date"] <= day) & (spells["end_date"].isna() | (day < spells["end_date"]))
    ]
    if current.empty:
        ended = spells[spells["end_date"] <= day]
        if ended.empty:
            return "never_member", pd.NaT
        return "former_member", ended["end_date"].max()
    spell = current.iloc[0]
    inside = steps[
        (steps["country_iso3"] == code)
        & (steps["step_date"] >= spell["start_date"])
        & (steps["step_date"] <= day)
        & steps["status_after"].isin(["participation_frozen", "participation_suspended"])
    ].sort_values("step_date")
    status, since = "member", spell["start_date"]
    for step in inside.itertuples():
        if str(step.status_after) != status:
            status, since = str(step.status_after), step.step_date
    return status, since


def test_every_state_on_every_first_of_january(real_package: DataPackage) -> None:
    """Status and since on 1 January of every year, against the membership history by hand."""
    last = real_package.data_current_to.year
    days = pd.to_datetime([f"{year}-01-01" for year in range(1992, last + 1)])
    frame = statuses_on(history_of(real_package), days, real_package.country_names)
    for row in frame.itertuples():
        status, since = expected_from_spells(real_package, row.country_iso3, row.on)
        assert str(row.status) == status, row
        assert (pd.isna(row.since) and pd.isna(since)) or row.since == since, row


def test_armenia_frozen_since_february_2024(real_package: DataPackage) -> None:
    status = status_on(history_of(real_package), real_package.data_current_to)
    armenia = status.set_index("country_iso3").loc["ARM"]
    assert armenia["status"] == "participation_frozen"
    assert armenia["since"] == pd.Timestamp("2024-02-22")


def test_members_on_counts_frozen_states_as_inside(mini_package: DataPackage) -> None:
    history = history_of(mini_package)
    assert members_on(history, date(2025, 1, 1)) == {"ARM", "KAZ", "KGZ", "TJK"}


def test_status_by_year_stops_at_last_day(mini_package: DataPackage) -> None:
    frame = status_by_year(history_of(mini_package), [1999, 2012], date(2012, 7, 1))
    by = frame.set_index(["year", "country_iso3"])["status"].astype(str)
    assert by[(1999, "AZE")] == "former_member"
    assert by[(2012, "UZB")] == "participation_suspended"


def test_vectorised_statuses_match_one_date_at_a_time(real_package: DataPackage) -> None:
    history = history_of(real_package)
    dates = pd.to_datetime(
        [
            "1992-05-14",
            "1992-05-15",
            "1999-04-19",
            "1999-04-20",
            "2006-06-23",
            "2012-06-28",
            "2012-12-18",
            "2012-12-19",
            "2024-02-21",
            "2024-02-22",
            str(real_package.data_current_to),
        ]
    )
    together = statuses_on(history, dates)
    for day in dates:
        alone = status_on(history, day)
        block = together[together["on"] == day].drop(columns="on").reset_index(drop=True)
        pd.testing.assert_frame_equal(block, alone.reset_index(drop=True))
