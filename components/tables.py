"""The shared filters applied to every table of the package, for the Data & sources downloads."""

from __future__ import annotations

import pandas as pd

from components.data import DataPackage, split_codes
from components.filters import Filters, apply_filters, overlaps_years


def filter_withdrawals(withdrawals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Withdrawal steps of the selected states dated in the selected years."""
    return apply_filters(withdrawals, filters, ["country_iso3"], start="step_date", end="step_date")


def filter_milestones(milestones: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Milestones in the selected years (they concern the whole alliance, not one state)."""
    start, end = filters.year_from, filters.year_to
    return milestones[overlaps_years(milestones, start, end, "milestone_date", "milestone_date")]


def filter_segments(segments: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Membership segments of the selected states (all of each spell, whatever the years)."""
    if not filters.countries:
        return segments
    return segments[segments["country_iso3"].isin(filters.countries)]


def filter_package_tables(package: DataPackage, filters: Filters) -> dict[str, pd.DataFrame]:
    """Each table cut to the selected years and countries; sources cut to those still cited."""
    members = apply_filters(package["members"], filters, ["country_iso3"])
    withdrawals = filter_withdrawals(package["withdrawals"], filters)
    deployments = apply_filters(package["deployments"], filters, ["host_iso3", "contributors"])
    contingents = package["contingents"]
    contingents = contingents[contingents["deployment_id"].isin(deployments["deployment_id"])]
    clashes = apply_filters(package["clashes"], filters, ["side_a", "side_b"])
    milestones = filter_milestones(package["milestones"], filters)
    kept_ids = {
        "members": set(members["spell_id"]),
        "withdrawals": set(withdrawals["step_id"]),
        "deployments": set(deployments["deployment_id"]),
        "clashes": set(clashes["clash_id"]),
    }
    contested = package["contested_values"]
    contested = contested[
        [record in kept_ids.get(str(table), set())
         for table, record in zip(contested["record_table"], contested["record_id"], strict=True)]
    ]  # fmt: skip
    tables = {
        "members": members,
        "withdrawals": withdrawals,
        "deployments": deployments,
        "contingents": contingents,
        "clashes": clashes,
        "milestones": milestones,
        "contested_values": contested,
    }
    cited = {
        sid
        for frame in tables.values()
        for cell in frame["source_ids"]
        for sid in split_codes(cell)
    }
    sources = package["sources"]
    tables = {"sources": sources[sources["source_id"].isin(cited)], **tables}
    return tables
