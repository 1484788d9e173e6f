"""The shipped data package: valid, consistent with the history, points in the right place."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from components.data import DATA_DIR, DataPackage, split_codes
from components.membership import status_history, status_on
from components.schema import id_columns, table_fields, tables

CODEBOOK = DATA_DIR / "README.md"
TOLERANCE_KM = 25.0

FOUNDERS = {"ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"}
MEMBERS_1999_ON = {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


def statuses(package: DataPackage, on: date) -> dict[str, str]:
    history = status_history(package["members"], package["withdrawals"])
    frame = status_on(history, on, package.country_names)
    return dict(zip(frame["country_iso3"], frame["status"].astype(str), strict=True))


def with_status(package: DataPackage, on: date, status: str) -> set[str]:
    return {code for code, s in statuses(package, on).items() if s == status}


def test_package_loads_and_every_table_has_rows(real_package: DataPackage) -> None:
    for table in table_fields():
        assert len(real_package[table]) > 0, table


def test_data_current_to_is_recorded(real_package: DataPackage) -> None:
    meta = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert date.fromisoformat(meta["data_current_to"]) == real_package.data_current_to
    assert date(2024, 1, 1) <= real_package.data_current_to <= date.today()
    latest = max(
        real_package["clashes"]["start_date"].max(),
        real_package["withdrawals"]["step_date"].max(),
        real_package["milestones"]["milestone_date"].max(),
    )
    assert latest.date() <= real_package.data_current_to


@pytest.mark.parametrize(
    ("on", "status", "expected"),
    [
        (date(1992, 5, 15), "member", FOUNDERS),
        (date(1993, 6, 1), "member", FOUNDERS),
        (date(1994, 6, 1), "member", FOUNDERS | {"AZE", "GEO", "BLR"}),
        (date(2000, 1, 1), "member", MEMBERS_1999_ON),
        (date(2000, 1, 1), "former_member", {"AZE", "GEO", "UZB"}),
        (date(2010, 1, 1), "member", MEMBERS_1999_ON | {"UZB"}),
        (date(2013, 1, 1), "member", MEMBERS_1999_ON),
        (date(2013, 1, 1), "former_member", {"AZE", "GEO", "UZB"}),
        (date(2023, 12, 31), "member", MEMBERS_1999_ON),
        (date(2024, 6, 1), "participation_frozen", {"ARM"}),
        (date(2024, 6, 1), "member", MEMBERS_1999_ON - {"ARM"}),
    ],
)
def test_status_on_sample_dates(
    real_package: DataPackage, on: date, status: str, expected: set[str]
) -> None:
    assert with_status(real_package, on, status) == expected


def test_status_today(real_package: DataPackage) -> None:
    today = real_package.data_current_to
    assert with_status(real_package, today, "former_member") == {"AZE", "GEO", "UZB"}
    assert with_status(real_package, today, "participation_frozen") == {"ARM"}
    assert with_status(real_package, today, "member") == MEMBERS_1999_ON - {"ARM"}


def test_uzbekistan_has_two_spells_and_belarus_acceded_late(real_package: DataPackage) -> None:
    members = real_package["members"]
    assert len(members[members["country_iso3"] == "UZB"]) == 2
    belarus = members[members["country_iso3"] == "BLR"].iloc[0]
    assert belarus["start_date"] == pd.Timestamp("1993-12-31")
    assert belarus["start_mode"] == "acceded"


@pytest.fixture(scope="module")
def countries() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA_DIR / "countries.geojson").set_index("iso3")


def distance_km(countries: gpd.GeoDataFrame, code: str, latitude: float, longitude: float) -> float:
    """Distance from a point to a country's outline (0 inside), in an equidistant projection."""
    crs = f"+proj=aeqd +lat_0={latitude} +lon_0={longitude} +units=m"
    shape = countries.loc[[code]].to_crs(crs).geometry.iloc[0]
    return shape.distance(Point(0, 0)) / 1000


def located_rows() -> list:
    package_rows = []
    for table, columns in (("clashes", ["side_a", "side_b"]), ("deployments", ["host_iso3"])):
        frame = pd.read_csv(DATA_DIR / f"{table}.csv", dtype=str, keep_default_na=False)
        for _, row in frame.iterrows():
            codes = [c for column in columns for c in split_codes(row[column] or None)]
            package_rows.append(
                pytest.param(
                    codes, float(row["latitude"]), float(row["longitude"]),
                    id=f"{table}:{row.iloc[0]}",
                )
            )  # fmt: skip
    return package_rows


@pytest.mark.parametrize(("codes", "latitude", "longitude"), located_rows())
def test_incident_lies_in_a_state_it_names(
    countries: gpd.GeoDataFrame, codes: list[str], latitude: float, longitude: float
) -> None:
    distances = {code: distance_km(countries, code, latitude, longitude) for code in codes}
    assert min(distances.values()) <= TOLERANCE_KM, distances


def test_contested_values_name_real_records_and_fields(real_package: DataPackage) -> None:
    contested = real_package["contested_values"]
    for row in contested.itertuples():
        table = str(row.record_table)
        id_column = id_columns()[table]
        assert row.record_id in set(real_package[table][id_column]), row
        assert row.field in {f.name for f in table_fields()[table]}, row
    # A range (low/high) counts as one value: its bounds may come from different sources.
    stem = contested["field"].str.replace(r"_(low|best|high)$", "", regex=True)
    per_value = contested.groupby(["record_table", "record_id", stem], observed=True).size()
    assert (per_value >= 2).all(), per_value[per_value < 2]


def test_every_source_is_cited(real_package: DataPackage) -> None:
    cited = {
        source
        for table in table_fields()
        if table != "sources"
        for cell in real_package[table]["source_ids"]
        for source in split_codes(cell)
    }
    unused = set(real_package["sources"]["source_id"]) - cited
    assert not unused, sorted(unused)


def test_sources_without_address_say_why(real_package: DataPackage) -> None:
    sources = real_package["sources"]
    silent = sources[sources["url"].isna() & sources["note"].isna()]
    assert silent.empty, silent["source_id"].tolist()


def test_codebook_column_tables_are_generated_from_the_schema() -> None:
    from scripts.codebook import render

    text = CODEBOOK.read_text(encoding="utf-8")
    assert render(text) == text, "run `python -m scripts.codebook` after editing the schema"
    for table in table_fields():
        assert f"<!-- columns: {table} -->" in text, f"the codebook has no section for {table}"


def test_codebook_lists_every_column_of_every_table_once() -> None:
    from components.codebook_view import codebook_frame, table_descriptions

    schema = list(tables().values())
    columns = codebook_frame(schema)
    assert len(columns) == sum(len(table.fields) for table in schema)
    assert not columns.duplicated(["table", "column"]).any()
    described = table_descriptions(schema)
    assert list(described["table"]) == [f"{table.name}.csv" for table in schema]
    per_table = columns.groupby("table", sort=False).size()
    assert described.set_index("table")["columns"].to_dict() == per_table.to_dict()
    assert described["holds"].str.len().gt(0).all(), "every table says what it holds"
