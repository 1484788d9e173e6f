"""Build data/countries.geojson from Natural Earth's 1:50m admin-0 boundaries.

The source is `vendor/world-atlas/countries-50m.json`: the npm package world-atlas 2.0.2, which
carries Natural Earth 4.1.0's "Admin 0 - Countries" at 1:50m (public domain) as TopoJSON. The
build checks the file's SHA-256, reads it with geopandas (GDAL's TopoJSON driver, layer
`countries`), so it needs no download. Run: `python scripts/build_geometry.py`.

Steps: select the states we draw by their ISO 3166-1 numeric code; cut the rings that world-atlas
stitches across the antimeridian (GDAL reads them as planar rings that wrap round the globe);
repair any invalid geometry; apply the boundary choices below; simplify at the drawn scale (the
map shows Eurasia at zoom ~2 to 5 on a ~1000 px canvas), simplifying the shared borders as one
coverage so that neighbours still meet without gaps or overlaps; drop small islands; snap
coordinates to a 0.01 degree grid; check that every outline is valid.

Boundary choices (also recorded in data/README.md; the build checks the main ones, CHECK_POINTS):
- Internationally recognised (de jure) borders. Natural Earth draws Crimea inside Russia; we move
  that polygon back to Ukraine (UN General Assembly resolution 68/262).
- Nagorno-Karabakh lies inside Azerbaijan, Abkhazia and South Ossetia inside Georgia, as in the
  source.
- At 1:50m the Fergana valley enclaves are drawn: Sokh and Shakhimardan (Uzbekistan, inside
  Kyrgyzstan), Vorukh (Tajikistan, inside Kyrgyzstan) and Sarvan (Tajikistan, inside Uzbekistan);
  the smallest (Barak, Western Qalacha and others) are not. Artsvashen (Armenia, inside
  Azerbaijan) and one Azerbaijani enclave in northern Armenia are drawn too. Simplification keeps
  every part that borders another drawn state.
- Elsewhere the source's lines are kept as drawn: Transnistria inside Moldova, the Kashmir lines
  of control, the southern Kuril Islands inside Russia, and the Golan Heights inside Israel (which
  is not drawn, so Syria's outline leaves the Golan out).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "countries.geojson"
SOURCE = ROOT / "vendor" / "world-atlas" / "countries-50m.json"
SOURCE_SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
SOURCE_LAYER = "countries"
WORLD_ATLAS_VERSION = "2.0.2"
NATURAL_EARTH_VERSION = "4.1.0"

# Every state that was ever a party to the treaty.
EVER_MEMBERS = ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
# Neighbours and states named in the data tables, drawn for context.
CONTEXT = [
    "AFG", "CHN", "CZE", "DEU", "EST", "FIN", "HUN", "IND", "IRN", "IRQ", "JPN", "KOR", "LTU",
    "LVA", "MDA", "MNG", "NOR", "PAK", "POL", "PRK", "ROU", "SVK", "SWE", "SYR", "TKM", "TUR",
    "UKR", "USA",
]  # fmt: skip
# world-atlas identifies a country by its ISO 3166-1 numeric code (a three-digit string); this is
# the alpha-3 code of each state we draw.
ISO3_BY_NUMERIC = {
    "004": "AFG", "031": "AZE", "051": "ARM", "112": "BLR", "156": "CHN", "203": "CZE",
    "233": "EST", "246": "FIN", "268": "GEO", "276": "DEU", "348": "HUN", "356": "IND",
    "364": "IRN", "368": "IRQ", "392": "JPN", "398": "KAZ", "408": "PRK", "410": "KOR",
    "417": "KGZ", "428": "LVA", "440": "LTU", "496": "MNG", "498": "MDA", "578": "NOR",
    "586": "PAK", "616": "POL", "642": "ROU", "643": "RUS", "703": "SVK", "752": "SWE",
    "760": "SYR", "762": "TJK", "795": "TKM", "792": "TUR", "804": "UKR", "840": "USA",
    "860": "UZB",
}  # fmt: skip

# Simplification tolerance in degrees (GEOS coverage simplification: triangles whose area is
# below tolerance squared are removed) and the smallest island kept, in square degrees. Parts that
# border another drawn state (enclaves, exclaves) are always kept. At zoom 5 a pixel is about
# 0.04 degrees of longitude, so 0.05 degrees and 0.005 square degrees are a pixel or two.
# Every map figure carries the outlines: fewer points make each page with a map quicker to send,
# copy and draw (0.03 degrees on a 0.001 grid made 320 KB; this makes about 210 KB).
TOLERANCE = 0.05
MIN_ISLAND_AREA = 0.005
# The United States lies far outside the map's view; it is drawn only so that its code is known,
# as a coarse outline.
FAR_AWAY = {"USA"}
FAR_TOLERANCE = 0.2
FAR_MIN_ISLAND_AREA = 0.5
COORDINATE_DECIMALS = 2  # 0.01 degrees: about a kilometre, a quarter of a pixel at zoom 5
GRID = 10.0**-COORDINATE_DECIMALS

CRIMEA_POINT = Point(34.1, 44.95)  # Simferopol
# Places that must lie in the state named, after the build: the documented boundary choices.
CHECK_POINTS = {
    "Simferopol (Crimea)": (Point(34.1, 44.95), "UKR"),
    "Stepanakert (Nagorno-Karabakh)": (Point(46.75, 39.82), "AZE"),
    "Sukhumi (Abkhazia)": (Point(41.02, 43.0), "GEO"),
    "Tskhinvali (South Ossetia)": (Point(43.96, 42.23), "GEO"),
    "Sokh (enclave)": (Point(71.13, 39.96), "UZB"),
    "Vorukh (enclave)": (Point(70.58, 39.85), "TJK"),
    "Tiraspol (Transnistria)": (Point(29.63, 46.84), "MDA"),
}


def source_sha256(path: Path = SOURCE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_source(path: Path = SOURCE, expected: str = SOURCE_SHA256) -> None:
    """Stop unless the vendored file is the one recorded in vendor/world-atlas/README.md."""
    actual = source_sha256(path)
    if actual != expected:
        raise SystemExit(
            f"build_geometry: {path.name} has SHA-256 {actual}, expected {expected}; "
            "see vendor/world-atlas/README.md"
        )


def _unwrap(ring: np.ndarray) -> np.ndarray:
    """Longitudes made continuous: a step of more than 180 degrees is a crossing of 180."""
    ring = ring.copy()
    steps = np.diff(ring[:, 0])
    shift = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(steps / 360.0))])
    ring[:, 0] += shift
    return ring


def cut_at_antimeridian(polygon: Polygon) -> Polygon | MultiPolygon:
    """Split a polygon whose rings jump across longitude 180 into parts on either side.

    world-atlas stitches polygons that cross the antimeridian (for spherical renderers); read
    as planar coordinates, such a ring runs round the globe and is invalid.
    """
    rings = [np.asarray(polygon.exterior.coords)] + [
        np.asarray(r.coords) for r in polygon.interiors
    ]
    if all(np.abs(np.diff(r[:, 0])).max() <= 180 for r in rings):
        return polygon
    shell = _unwrap(rings[0])
    holes = []
    for hole in map(_unwrap, rings[1:]):
        hole[:, 0] += 360.0 * np.round((shell[:, 0].mean() - hole[:, 0].mean()) / 360.0)
        holes.append(hole)
    unwrapped = shapely.make_valid(Polygon(shell, holes))
    parts = []
    for offset in (-360.0, 0.0, 360.0):
        window = box(-180.0 + offset, -90.0, 180.0 + offset, 90.0)
        piece = unwrapped.intersection(window)
        if not piece.is_empty:
            parts.append(shapely.transform(piece, lambda xy, o=offset: xy - [o, 0.0]))
    return unary_union(parts)


def polygonal(geometry) -> Polygon | MultiPolygon:
    """The polygons of a geometry (dropping any line or point left by a repair)."""
    parts = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon) and not g.is_empty]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def repair(geometry) -> Polygon | MultiPolygon:
    parts = [cut_at_antimeridian(p) for p in shapely.get_parts(geometry)]
    geometry = unary_union(parts)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    return polygonal(geometry)


def read_countries(source: Path = SOURCE) -> gpd.GeoDataFrame:
    """The states we draw, as read by geopandas from the TopoJSON file, with valid geometry."""
    verify_source(source)
    read = gpd.read_file(source, layer=SOURCE_LAYER, engine="pyogrio")
    read = read.set_crs("EPSG:4326", allow_override=True)
    wanted = EVER_MEMBERS + CONTEXT
    unmapped = sorted(set(wanted) - set(ISO3_BY_NUMERIC.values()))
    if unmapped:
        raise SystemExit(f"build_geometry: no ISO numeric code listed for {', '.join(unmapped)}")
    read["iso3"] = read["id"].map(ISO3_BY_NUMERIC)
    countries = read[read["iso3"].isin(wanted)].copy()
    missing = sorted(set(wanted) - set(countries["iso3"]))
    if missing:
        raise SystemExit(f"build_geometry: not in the source file: {', '.join(missing)}")
    countries["geometry"] = [repair(g) for g in countries.geometry]
    return countries.set_index("iso3", drop=False).sort_index()


def move_crimea_to_ukraine(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy with the Crimean polygon taken from Russia and joined to Ukraine."""
    countries = countries.copy()
    parts = list(countries.at["RUS", "geometry"].geoms)
    crimea = [part for part in parts if part.contains(CRIMEA_POINT)]
    if len(crimea) != 1:
        raise SystemExit("build_geometry: expected one Crimean polygon in Russia's geometry")
    countries.at["RUS", "geometry"] = MultiPolygon([p for p in parts if p is not crimea[0]])
    countries.at["UKR", "geometry"] = polygonal(
        unary_union([countries.at["UKR", "geometry"], crimea[0]])
    )
    return countries


def check_coverage(geometries: gpd.GeoSeries, stage: str) -> None:
    """Stop if drawn states overlap (a shared border must be one line for both neighbours)."""
    if not shapely.coverage_is_valid(geometries.values):
        raise SystemExit(f"build_geometry: the outlines overlap {stage}")


def drop_small_islands(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop the parts under their state's smallest island area that touch no other drawn state."""
    parts = countries[["iso3", "geometry"]].explode(index_parts=False).reset_index(drop=True)
    part, other = parts.sindex.query(parts.geometry, predicate="intersects")
    iso3 = parts["iso3"].to_numpy()
    borders = np.zeros(len(parts), dtype=bool)
    borders[part[iso3[part] != iso3[other]]] = True
    smallest = np.where(parts["iso3"].isin(sorted(FAR_AWAY)), FAR_MIN_ISLAND_AREA, MIN_ISLAND_AREA)
    kept = parts[borders | (shapely.area(parts.geometry.values) >= smallest)]
    countries = countries.copy()
    countries["geometry"] = [
        polygonal(MultiPolygon(kept.geometry[kept["iso3"] == code].tolist()))
        for code in countries.index
    ]
    return countries


def simplify(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify the near states as one coverage, the far ones apart and more strongly."""
    countries = countries.copy()
    near = ~countries.index.isin(sorted(FAR_AWAY))
    countries.loc[near, "geometry"] = countries.geometry[near].simplify_coverage(TOLERANCE)
    countries.loc[~near, "geometry"] = countries.geometry[~near].simplify_coverage(FAR_TOLERANCE)
    countries = drop_small_islands(countries)
    snapped = shapely.set_precision(countries.geometry.values, GRID)
    countries["geometry"] = shapely.orient_polygons(snapped)  # RFC 7946: exteriors anticlockwise
    return countries


def check(countries: gpd.GeoDataFrame) -> None:
    """Stop unless every outline is valid, none overlap, and the boundary choices hold."""
    invalid = countries.index[~countries.geometry.is_valid].tolist()
    if invalid:
        raise SystemExit(f"build_geometry: invalid outlines: {', '.join(invalid)}")
    check_coverage(countries.geometry, "after simplification")
    for place, (point, code) in CHECK_POINTS.items():
        inside = countries.index[countries.geometry.contains(point)].tolist()
        if inside != [code]:
            raise SystemExit(f"build_geometry: {place} lies in {inside}, expected {code}")


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


def build(source: Path = SOURCE) -> dict:
    """Read the vendored Natural Earth file and return the FeatureCollection we ship."""
    countries = read_countries(source)
    check_coverage(countries.geometry, "in the source")
    countries = simplify(move_crimea_to_ukraine(countries))
    check(countries)
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
        for row in countries.itertuples()
    ]
    return {
        "type": "FeatureCollection",
        "name": "csto_monitor_countries",
        "source": f"Natural Earth {NATURAL_EARTH_VERSION} Admin 0 - Countries at 1:50m (public "
        f"domain), via the npm package world-atlas {WORLD_ATLAS_VERSION} (countries-50m.json, "
        f"SHA-256 {SOURCE_SHA256[:12]}...); Crimea moved to Ukraine; shared borders simplified "
        f"together at {TOLERANCE} deg, islands under {MIN_ISLAND_AREA} sq deg dropped (United "
        f"States: {FAR_TOLERANCE} deg, {FAR_MIN_ISLAND_AREA} sq deg); coordinates rounded to "
        f"{GRID:g} deg",
        "features": features,
    }


def render(collection: dict) -> str:
    """The file's text: compact JSON, one line."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    collection = build()
    text = render(collection)
    OUTPUT.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    print(
        f"wrote {OUTPUT.relative_to(ROOT)}: {len(collection['features'])} countries, "
        f"{size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
