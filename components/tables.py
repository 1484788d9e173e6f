"""The shared filters applied to every table of the package, for the Data & sources downloads."""

from __future__ import annotations

import pandas as pd

from components.data import DataPackage, split_codes
from components.filters import Filters, apply_filters, overlaps_years


def filter_package_tables(package: DataPackage, filters: Filters) -> dict[str, pd.DataFrame]:
    """Each table cut to the selected years and countries; sources cut to those still cited."""
    members = apply_filters(package["members"], filters, ["country_iso3"])
    withdrawals = apply_filters(
        package["withdrawals"], filters, ["country_iso3"], start="step_date", end="step_date"
    )
    deployments = apply_filters(package["deployments"], filters, ["host_iso3", "contributors"])
    contingents = package["contingents"]
    contingents = contingents[contingents["deployment_id"].isin(deployments["deployment_id"])]
    clashes = apply_filters(package["clashes"], filters, ["side_a", "side_b"])
    milestones = package["milestones"]
    milestones = milestones[
        overlaps_years(
            milestones, filters.year_from, filters.year_to, "milestone_date", "milestone_date"
        )
    ]
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
