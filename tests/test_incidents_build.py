"""The incidents table, built column by column, equals the plain pandas construction: stack
clashes and deployments, read the coded columns and the repeated free text as text and make
them categories, sort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.data import DataPackage, split_codes
from components.incidents import (
    CODED_COLUMNS,
    INCIDENT_COLUMNS,
    filter_incidents,
    make_incidents,
)
from components.membership import IN_ALLIANCE, status_at, status_history
from components.query import ALIGNMENTS, Query


def reference_join(first: pd.Series, second: pd.Series) -> pd.Series:
    def union(a: object, b: object) -> str:
        codes: list[str] = []
        for cell in (a, b):
            codes += [c for c in split_codes(cell) if c not in codes]
        return ";".join(codes)

    joined = [union(a, b) for a, b in zip(first.astype(object), second.astype(object), strict=True)]
    return pd.Series(joined, index=first.index, dtype="string")


def reference_alignment(clashes: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    members, alignment = [], []
    for clash in clashes.itertuples():
        status = {}
        for side in ("side_a", "side_b"):
            codes = split_codes(getattr(clash, side))
            found = status_at(history, pd.Series(codes), pd.Series([clash.start_date] * len(codes)))
            status[side] = [
                c for c, s in zip(codes, found["status"], strict=True) if s in IN_ALLIANCE
            ]
        has_a, has_b = bool(status["side_a"]), bool(status["side_b"])
        internal = pd.isna(clash.side_b)
        alignment.append(
            "internal_member"
            if internal and has_a
            else "internal_non_member"
            if internal
            else "both_sides_members"
            if has_a and has_b
            else "one_side_member"
            if has_a or has_b
            else "no_member"
        )
        both = status["side_a"] + status["side_b"]
        members.append(";".join(both) if both else pd.NA)
    return pd.DataFrame(
        {
            "members_at_start": pd.array(members, dtype="string"),
            "alignment": pd.Categorical(alignment, categories=list(ALIGNMENTS)),
        },
        index=clashes.index,
    )


def reference_incidents(package: DataPackage) -> pd.DataFrame:
    clashes, deployments = package["clashes"], package["deployments"]
    history = status_history(package["members"], package["withdrawals"])
    clash_rows = clashes.join(reference_alignment(clashes, history)).assign(
        incident_id=clashes["clash_id"],
        category="clash",
        countries=reference_join(clashes["side_a"], clashes["side_b"]),
    )
    deployment_rows = deployments.assign(
        incident_id=deployments["deployment_id"],
        category="deployment",
        countries=reference_join(deployments["host_iso3"], deployments["contributors"]),
        help_requested=deployments["requested_by"].notna().map({True: "yes", False: pd.NA}),
    )
    frame = pd.concat([clash_rows, deployment_rows], ignore_index=True)
    frame = frame.reindex(columns=INCIDENT_COLUMNS)
    for column in CODED_COLUMNS:
        frame[column] = frame[column].astype("string").astype("category")
    frame["category"] = frame["category"].astype(pd.CategoricalDtype(["clash", "deployment"]))
    for column in ("countries", "members_at_start", "name", "source_ids"):
        frame[column] = frame[column].astype("string")
    for column in ("name_ru", "place_name", "response_note", "outcome", "note"):
        frame[column] = frame[column].astype("string").astype("category")
    return frame.sort_values(["start_date", "incident_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for column in expected:
        assert got[column].dtype == expected[column].dtype, column
        if isinstance(expected[column].dtype, pd.CategoricalDtype):
            assert got[column].cat.categories.dtype == expected[column].cat.categories.dtype


@pytest.mark.parametrize("which", ["mini_package", "real_package"])
def test_incidents_equal_the_plain_construction(which: str, request) -> None:
    package = request.getfixturevalue(which)
    history = status_history(package["members"], package["withdrawals"])
    got = make_incidents(package["clashes"], package["deployments"], history)
    assert_same(got, reference_incidents(package))


def test_incidents_of_a_shuffled_subset_equal_the_plain_construction(real_package) -> None:
    rng = np.random.default_rng(3)
    tables = dict(real_package.tables)
    for name in ("clashes", "deployments"):
        frame = tables[name]
        tables[name] = frame.iloc[rng.permutation(len(frame))[: len(frame) // 2]].reset_index(
            drop=True
        )
    package = DataPackage(
        tables, real_package.geometry, real_package.country_names, real_package.meta
    )
    history = status_history(package["members"], package["withdrawals"])
    got = make_incidents(package["clashes"], package["deployments"], history)
    assert_same(got, reference_incidents(package))


def test_a_filter_that_keeps_everything_shares_the_columns(real_package) -> None:
    history = status_history(real_package["members"], real_package["withdrawals"])
    incidents = make_incidents(real_package["clashes"], real_package["deployments"], history)
    everything = filter_incidents(incidents, Query(1900, 2100))
    assert everything is not incidents
    pd.testing.assert_frame_equal(everything, incidents)
    everything.loc[0, "name"] = "changed"  # copy-on-write: the shared table stays as it was
    assert incidents.loc[0, "name"] != "changed"
