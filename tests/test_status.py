"""Status of each state on a date, on the fixture package."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from components.status import members_on, status_by_year, status_on, statuses_on

from components.data import DataPackage


def statuses(package: DataPackage, on: str, extra: tuple[str, ...] = ()) -> dict[str, str]:
    frame = status_on(package["members"], package["withdrawals"], date.fromisoformat(on), extra)
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


def test_status_has_since_and_categorical_dtype(mini_package: DataPackage) -> None:
    frame = status_on(mini_package["members"], mini_package["withdrawals"], date(2013, 1, 1))
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    uzb = frame.set_index("country_iso3").loc["UZB"]
    assert uzb["status"] == "former_member"
    assert uzb["since"] == pd.Timestamp("2012-12-19")


def test_members_on_counts_frozen_states_as_inside(mini_package: DataPackage) -> None:
    assert members_on(mini_package["members"], date(2025, 1, 1)) == {"ARM", "KAZ", "KGZ", "TJK"}


def test_status_by_year_stops_at_last_day(mini_package: DataPackage) -> None:
    frame = status_by_year(
        mini_package["members"], mini_package["withdrawals"], [1999, 2012], date(2012, 7, 1)
    )
    by = frame.set_index(["year", "country_iso3"])["status"].astype(str)
    assert by[(1999, "AZE")] == "former_member"
    assert by[(2012, "UZB")] == "participation_suspended"


def test_vectorised_statuses_match_one_date_at_a_time(real_package: DataPackage) -> None:
    members, steps = real_package["members"], real_package["withdrawals"]
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
    together = statuses_on(members, steps, dates)
    for day in dates:
        alone = status_on(members, steps, day)
        block = together[together["on"] == day].drop(columns="on").reset_index(drop=True)
        pd.testing.assert_frame_equal(block, alone.reset_index(drop=True))


def test_status_by_year_past_the_last_day(mini_package: DataPackage) -> None:
    frame = status_by_year(
        mini_package["members"], mini_package["withdrawals"], [2024, 2025], date(2024, 6, 30)
    )
    assert sorted(frame["year"].unique()) == [2024, 2025]
    assert len(frame) == 2 * frame["country_iso3"].nunique()
