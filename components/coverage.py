"""How many rows each table holds per decade: the short coverage statement of the Data page."""

from __future__ import annotations

import pandas as pd

from components.data import DataPackage

# The date that places a row in time, per table.
DATE_COLUMNS = {
    "members": "start_date",
    "withdrawals": "step_date",
    "deployments": "start_date",
    "clashes": "start_date",
    "milestones": "milestone_date",
    "facilities": "start_date",
}


def rows_per_decade(package: DataPackage) -> pd.DataFrame:
    """Rows per table (index) and decade (columns, e.g. "1990s"), with a total column."""
    counts = {}
    for table, column in DATE_COLUMNS.items():
        decades = (package[table][column].dt.year // 10 * 10).astype("Int64")
        counts[table] = decades.value_counts()
    frame = pd.DataFrame(counts).T.fillna(0).astype(int)
    frame = frame.reindex(sorted(frame.columns), axis=1)
    frame.columns = [f"{decade}s" for decade in frame.columns]
    frame["total"] = frame.sum(axis=1)
    return frame
