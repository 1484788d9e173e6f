"""The country outlines: built reproducibly from the vendored Natural Earth file, valid, detailed
enough for the Fergana valley, and drawn with the documented boundary choices."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from components.data import DATA_DIR
from scripts import build_geometry

GEOMETRY = DATA_DIR / "countries.geojson"
EVER_MEMBERS = {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"}
# Named by data rows (foreign bases, the Syria intervention, North Korea) and so validated
# against this file.
NAMED_ELSEWHERE = {
    "SYR", "USA", "DEU", "ROU", "HUN", "SVK", "CZE", "SWE", "IRQ", "PAK", "IND", "KOR", "JPN",
}  # fmt: skip
MAX_BYTES = 600_000


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def outlines() -> gpd.GeoSeries:
    return gpd.read_file(GEOMETRY).set_index("iso3").geometry


def test_build_is_reproducible_byte_for_byte() -> None:
    text = build_geometry.render(build_geometry.build())
    assert text == GEOMETRY.read_text(encoding="utf-8"), (
        "run `python scripts/build_geometry.py` after changing the script or the vendored file"
    )


def test_vendored_source_matches_its_recorded_checksum() -> None:
    assert build_geometry.source_sha256() == build_geometry.SOURCE_SHA256
    readme = (build_geometry.SOURCE.parent / "README.md").read_text(encoding="utf-8")
    assert build_geometry.SOURCE_SHA256 in readme
    assert f"Version | {build_geometry.WORLD_ATLAS_VERSION}" in readme
    assert (build_geometry.SOURCE.parent / "LICENSE").is_file()


def test_build_refuses_a_changed_source(tmp_path: Path) -> None:
    changed = tmp_path / build_geometry.SOURCE.name
    shutil.copy(build_geometry.SOURCE, changed)
    with changed.open("ab") as handle:
        handle.write(b" ")
    with pytest.raises(SystemExit, match="SHA-256"):
        build_geometry.build(changed)


def test_records_its_origin_and_covers_every_code(shipped: dict) -> None:
    assert "Natural Earth" in shipped["source"]
    assert "1:50m" in shipped["source"]
    assert f"world-atlas {build_geometry.WORLD_ATLAS_VERSION}" in shipped["source"]
    codes = [f["properties"]["iso3"] for f in shipped["features"]]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(build_geometry.EVER_MEMBERS + build_geometry.CONTEXT)
    assert set(codes) >= EVER_MEMBERS | NAMED_ELSEWHERE
    for feature in shipped["features"]:
        assert feature["id"] == feature["properties"]["iso3"]
        assert feature["properties"]["name"]


def test_payload_stays_small() -> None:
    assert GEOMETRY.stat().st_size < MAX_BYTES


def test_every_outline_is_valid_and_neighbours_do_not_overlap(outlines: gpd.GeoSeries) -> None:
    assert outlines.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert outlines.is_valid.all(), outlines.index[~outlines.is_valid].tolist()
    assert shapely.coverage_is_valid(outlines.values)
    # Nothing wraps round the globe (world-atlas stitches rings across the antimeridian).
    assert outlines.bounds["maxx"].sub(outlines.bounds["minx"]).loc["KGZ"] < 15
    assert outlines.loc["RUS"].area < 3_000


def test_fergana_valley_borders_have_real_detail(outlines: gpd.GeoSeries) -> None:
    # At 1:110m Kyrgyzstan had 35 vertices and each of these borders fewer than a dozen.
    assert shapely.get_num_coordinates(outlines.loc["KGZ"]) >= 150
    for a, b in [("KGZ", "UZB"), ("KGZ", "TJK"), ("TJK", "UZB")]:
        shared = outlines.loc[a].boundary.intersection(outlines.loc[b].boundary)
        assert shapely.get_num_coordinates(shared) >= 40, (a, b)


def test_the_united_states_is_a_coarse_outline(outlines: gpd.GeoSeries) -> None:
    assert shapely.get_num_coordinates(outlines.loc["USA"]) < 1_000


@pytest.mark.parametrize(
    ("place", "latitude", "longitude", "code"),
    [
        ("Simferopol, Crimea", 44.95, 34.1, "UKR"),
        ("Sevastopol", 44.6, 33.52, "UKR"),
        ("Osh", 40.53, 72.80, "KGZ"),
        ("Khujand", 40.28, 69.62, "TJK"),
        ("Andijan", 40.78, 72.34, "UZB"),
        ("Batken", 40.06, 70.82, "KGZ"),
        ("Isfara", 40.13, 70.63, "TJK"),
        ("Gyumri", 40.79, 43.85, "ARM"),
        ("Stepanakert", 39.82, 46.75, "AZE"),
        ("Sukhumi, Abkhazia", 43.0, 41.02, "GEO"),
        ("Tskhinvali, South Ossetia", 42.23, 43.96, "GEO"),
        ("Sokh, Uzbek enclave", 39.96, 71.13, "UZB"),
        ("Vorukh, Tajik enclave", 39.85, 70.58, "TJK"),
    ],
)
def test_places_lie_in_their_state(
    outlines: gpd.GeoSeries, place: str, latitude: float, longitude: float, code: str
) -> None:
    inside = outlines.index[outlines.contains(Point(longitude, latitude))].tolist()
    assert inside == [code], place


def test_fergana_enclaves_are_separate_parts(outlines: gpd.GeoSeries) -> None:
    sokh = Point(71.13, 39.96)
    uzbekistan = shapely.get_parts(outlines.loc["UZB"])
    assert len(uzbekistan) >= 3  # the mainland, Sokh and Shakhimardan
    part = next(p for p in uzbekistan if p.contains(sokh))
    assert part.area < 0.1  # Sokh itself, not the mainland
    kyrgyzstan = outlines.loc["KGZ"]
    assert kyrgyzstan.geom_type == "Polygon"
    # Surrounded by Kyrgyzstan: inside its outer ring, in one of its holes.
    assert Polygon(kyrgyzstan.exterior).contains(part)
    assert not kyrgyzstan.intersection(part).area
