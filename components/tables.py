"""The query applied to every table of the package, for the Data & sources downloads and the API."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from components.data import DataPackage, split_codes
from components.filters import filter_shared, overlaps_years
from components.query import Query
from components.schema import id_columns


def filter_withdrawals(withdrawals: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Withdrawal steps of the selected states dated in the selected years."""
    return filter_shared(withdrawals, query, ["country_iso3"], start="step_date", end="step_date")


def filter_milestones(milestones: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Milestones in the selected years (they concern the whole alliance, not one state)."""
    years = overlaps_years(
        milestones, query.year_from, query.year_to, "milestone_date", "milestone_date"
    )
    return milestones[years]


def filter_history(history: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Status periods of the selected states (all of each, whatever the years)."""
    if not query.countries:
        return history
    return history[history["country_iso3"].isin(query.countries)]


def filter_facilities(facilities: pd.DataFrame, query: Query) -> pd.DataFrame:
    """Foreign presence in the selected years, in or by the selected states."""
    return filter_shared(facilities, query, ["host_iso3", "operator_iso3"], open_ended=True)


# Tables cut by their own dates and countries alone.
OWN_FILTERS: dict[str, Callable[[pd.DataFrame, Query], pd.DataFrame]] = {
    "members": lambda frame, query: filter_shared(frame, query, ["country_iso3"], open_ended=True),
    "withdrawals": filter_withdrawals,
    "deployments": lambda frame, query: filter_shared(frame, query, ["host_iso3", "contributors"]),
    "clashes": lambda frame, query: filter_shared(frame, query, ["side_a", "side_b"]),
    "milestones": filter_milestones,
    "facilities": filter_facilities,
}


def _contingents(package: DataPackage, deployments: pd.DataFrame) -> pd.DataFrame:
    contingents = package["contingents"]
    return contingents[contingents["deployment_id"].isin(deployments["deployment_id"])]


def filter_package_table(package: DataPackage, query: Query, table: str) -> pd.DataFrame:
    """`filter_package_tables(package, query)[table]`, cutting no more tables than it needs."""
    if table in OWN_FILTERS:
        return OWN_FILTERS[table](package[table], query)
    if table == "contingents":
        return _contingents(package, OWN_FILTERS["deployments"](package["deployments"], query))
    return filter_package_tables(package, query)[table]


def filter_package_tables(package: DataPackage, query: Query) -> dict[str, pd.DataFrame]:
    """Each table cut to the query's years and countries; sources cut to those still cited."""
    own = {name: cut(package[name], query) for name, cut in OWN_FILTERS.items()}
    contingents = {"contingents": _contingents(package, own["deployments"])}
    order = ["members", "withdrawals", "deployments", "contingents", "clashes", "milestones"]
    tables = {name: {**own, **contingents}[name] for name in [*order, "facilities"]}
    kept = {
        (table, str(row_id))
        for table, column in id_columns().items()
        if table in tables
        for row_id in tables[table][column]
    }
    contested = package["contested_values"]
    pairs = zip(contested["record_table"].astype(str), contested["record_id"], strict=True)
    tables["contested_values"] = contested[[pair in kept for pair in pairs]]
    cited = {
        sid
        for frame in tables.values()
        for cell in frame["source_ids"]
        for sid in split_codes(cell)
    }
    sources = package["sources"]
    return {"sources": sources[sources["source_id"].isin(cited)], **tables}
