"""Build data/countries.geojson from Natural Earth's 1:110m admin-0 boundaries.

The source is the public-domain Natural Earth "lowres" file that the `pyogrio` package ships as a
test fixture, so the build needs no download. Run: `python scripts/build_geometry.py`.

Boundary choices (also recorded in data/README.md):
- Internationally recognised (de jure) borders. Natural Earth draws Crimea inside Russia; we move
  that polygon back to Ukraine (UN General Assembly resolution 68/262).
- Nagorno-Karabakh lies inside Azerbaijan, Abkhazia and South Ossetia inside Georgia, as in the
  source. Disputed enclaves on the Kyrgyz-Tajik border are below this scale's resolution.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "countries.geojson"
SOURCE = (
    Path(pyogrio.__file__).parent
    / "tests"
    / "fixtures"
    / "naturalearth_lowres"
    / "naturalearth_lowres.shp"
)

# Every state that was ever a party to the treaty.
EVER_MEMBERS = ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
# Neighbours and states named in the incident tables, drawn for context.
CONTEXT = [
    "AFG", "CHN", "DEU", "EST", "FIN", "IRN", "LTU", "LVA", "MDA", "MNG",
    "NOR", "POL", "PRK", "SYR", "TKM", "TUR", "UKR", "USA",
]  # fmt: skip
# Natural Earth's lowres file codes a few states as "-99"; these are the ones we draw.
ISO3_BY_NAME_FIXES = {"Norway": "NOR"}
CRIMEA_POINT = Point(34.1, 44.95)  # Simferopol
COORDINATE_DECIMALS = 3


def move_crimea_to_ukraine(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with the Crimean polygon taken from Russia and joined to Ukraine."""
    countries = countries.copy()
    russia = countries.index[countries["iso3"] == "RUS"][0]
    ukraine = countries.index[countries["iso3"] == "UKR"][0]
    parts = list(countries.at[russia, "geometry"].geoms)
    crimea = [part for part in parts if part.contains(CRIMEA_POINT)]
    if len(crimea) != 1:
        raise SystemExit("build_geometry: expected one Crimean polygon in Russia's geometry")
    countries.at[russia, "geometry"] = MultiPolygon([p for p in parts if p is not crimea[0]])
    countries.at[ukraine, "geometry"] = unary_union([countries.at[ukraine, "geometry"], crimea[0]])
    return countries


def round_coordinates(geometry: Polygon | MultiPolygon) -> dict:
    """GeoJSON mapping of a geometry with coordinates rounded to keep the file small."""
    mapping = geometry.__geo_interface__

    def round_ring(ring):
        return [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring]

    if mapping["type"] == "Polygon":
        coords = [round_ring(ring) for ring in mapping["coordinates"]]
    else:
        coords = [[round_ring(ring) for ring in poly] for poly in mapping["coordinates"]]
    return {"type": mapping["type"], "coordinates": coords}


def build() -> dict:
    """Read the Natural Earth file and return the FeatureCollection we ship."""
    source = gpd.read_file(SOURCE).rename(columns={"iso_a3": "iso3"})
    for name, iso3 in ISO3_BY_NAME_FIXES.items():
        source.loc[source["name"] == name, "iso3"] = iso3
    wanted = EVER_MEMBERS + CONTEXT
    countries = source[source["iso3"].isin(wanted)]
    missing = sorted(set(wanted) - set(countries["iso3"]))
    if missing:
        raise SystemExit(f"build_geometry: not in the source file: {', '.join(missing)}")
    countries = move_crimea_to_ukraine(countries)
    features = [
        {
            "type": "Feature",
            "id": row.iso3,
            "properties": {
                "iso3": row.iso3,
                "name": row.name,
                "ever_member": row.iso3 in EVER_MEMBERS,
            },
            "geometry": round_coordinates(row.geometry),
        }
        for row in countries.sort_values("iso3").itertuples()
    ]
    return {
        "type": "FeatureCollection",
        "name": "csto_monitor_countries",
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via pyogrio's test "
        "fixture naturalearth_lowres; Crimea moved to Ukraine; coordinates rounded to 0.001 deg",
        "features": features,
    }


def main() -> None:
    collection = build()
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(collection['features'])} countries")


if __name__ == "__main__":
    main()
