"""Territory that changed hands between two control layers, in geodesic km².

Why: "how much ground changed hands between these dates, and where" is the
question behind most territory reporting. Two snapshots of the same front are
re-digitised daily, so a raw difference is full of hair-thin slivers; those are
dropped below a threshold and counted, never silently. All set operations run
as shapely 2 array operations, one call for all controllers at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoevents.territory.antimeridian import normalize_antimeridian
from geoevents.territory.area import geodesic_area_km2, polygonal
from geoevents.territory.control import controllers_as_text

CHANGE_COLUMNS = ["part", "controller", "change", "date_from", "date_to", "area_km2", "geometry"]
REGION_COLUMNS = ["admin1_code", "admin1_name"]


def _single_date(layer: gpd.GeoDataFrame, name: str) -> dt.date | None:
    if "date" not in layer.columns:
        return None
    days = sorted(set(layer["date"].dropna()))
    if len(days) > 1:
        raise ValueError(
            f"layer {name} holds {len(days)} dates ({days[0]}..{days[-1]}); select one date "
            "first, e.g. geoevents.territory.control.layer_at(control, '2025-02-07')"
        )
    return days[0] if days else None


def _by_controller(layer: gpd.GeoDataFrame, controllers: list[str]) -> np.ndarray:
    """One (dissolved) geometry per controller, empty where that controller holds nothing.

    Polygons crossing ±180° are brought into one form first, so the same area
    written whole in one layer and split in the other does not show as change."""
    owners = layer["controller"]
    geoms = layer.geometry.to_numpy()
    out = np.empty(len(controllers), dtype=object)
    for i, controller in enumerate(controllers):
        mine = geoms[(owners == controller).to_numpy()]
        out[i] = mine[0] if len(mine) == 1 else shapely.union_all(mine)
    return normalize_antimeridian(polygonal(out))


def diff_control(
    a: gpd.GeoDataFrame,
    b: gpd.GeoDataFrame,
    *,
    by: str | None = None,
    sliver_km2: float = 0.01,
    boundaries: gpd.GeoDataFrame | None = None,
    controller: str = "RU",
    border_noise: bool = True,
    admin0: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Polygons gained and lost by each controller from layer `a` (earlier) to `b` (later).

    Returns one row per polygon part: part (its number), controller, change ("gained"/"lost"),
    date_from, date_to, area_km2 (geodesic, WGS84), geometry — plus admin1_code
    and admin1_name when `by="admin1"` (parts cut along region borders; area
    outside every region keeps admin1_code None, so per-region parts always
    sum to the total; a part's pieces share its `part` number). Parts smaller than `sliver_km2` are dropped as digitising
    noise; their count and area are in `attrs["slivers"]` (see summarize_diff).
    `boundaries` overrides read_boundaries("admin1") (columns admin1_code,
    admin1_name, geometry); `controller` names layers without that column.

    With `by="admin1"` and `border_noise`, pieces lying in a country where their
    controller holds (almost) nothing in either layer get change "noise": the
    layer's edge along an international border redrawn, not a front that moved
    (geoevents.territory.border_noise; `admin0` overrides read_boundaries("admin0")).
    They keep their km² and are summed apart from gained and lost.
    """
    if by not in (None, "admin1"):
        raise ValueError(f"by must be None or 'admin1', not {by!r}")
    if sliver_km2 < 0:
        raise ValueError(f"sliver_km2 must be >= 0, not {sliver_km2}")
    date_from, date_to = _single_date(a, "a"), _single_date(b, "b")
    a, b = controllers_as_text(a, controller), controllers_as_text(b, controller)
    controllers = sorted(set(a["controller"]) | set(b["controller"]))
    before = _by_controller(a, controllers)
    after = _by_controller(b, controllers)

    # both directions for every controller in two vectorised calls
    changed = np.concatenate([shapely.difference(after, before), shapely.difference(before, after)])
    owner = np.array(controllers * 2, dtype=object)
    kind = np.array(["gained"] * len(controllers) + ["lost"] * len(controllers), dtype=object)

    parts, index = shapely.get_parts(polygonal(changed), return_index=True)
    solid = ~shapely.is_empty(parts)
    parts, index = parts[solid], index[solid]
    areas = geodesic_area_km2(parts)
    small = areas < sliver_km2
    slivers = []
    for i in range(len(changed)):
        mask = small & (index == i)
        slivers.append(
            {"controller": owner[i], "change": kind[i], "count": int(mask.sum()),
             "area_km2": float(areas[mask].sum())}
        )
    keep = ~small
    frame = pd.DataFrame(
        {
            "part": np.arange(int(keep.sum())),
            "controller": owner[index[keep]],
            "change": kind[index[keep]],
            "date_from": date_from,
            "date_to": date_to,
            "area_km2": areas[keep],
            "geometry": parts[keep],
        },
        columns=CHANGE_COLUMNS,
    )
    result = gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
    noise = None
    if by == "admin1":
        result = split_by_region(result, boundaries)
        if border_noise:
            held = {c: (before[i], after[i]) for i, c in enumerate(controllers)}
            noise = _mark_noise(result, held, admin0)
    result.attrs.update(
        {"slivers": slivers, "sliver_km2": sliver_km2, "controllers": controllers,
         "date_from": date_from, "date_to": date_to, "by": by, "border_noise": noise}
    )
    return result


def _mark_noise(changes: gpd.GeoDataFrame, held: dict, admin0: gpd.GeoDataFrame | None) -> str | None:
    """Set change "noise" on border-noise pieces (in place); the rule applied, or None when it
    could not be (no admin-0 boundaries: a warning says so and nothing is reclassified)."""
    from geoevents.territory.border_noise import MAPPED_SHARE, border_noise

    try:
        mask = border_noise(changes, held, admin0)
    except (ImportError, FileNotFoundError, ValueError) as error:  # BoundariesError is a ValueError
        import warnings

        warnings.warn(f"border noise not separated: admin-0 boundaries unavailable ({error})", stacklevel=3)
        return None
    changes.loc[mask, "change"] = "noise"
    return (f"change in a country where the controller holds < {MAPPED_SHARE:.0%} of its area "
            "in both layers")


def _regions(boundaries: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    if boundaries is None:
        from geoevents.regions.boundaries import read_boundaries

        boundaries = read_boundaries("admin1")
    missing = {"admin1_code", "geometry"} - set(boundaries.columns)
    if missing:
        raise ValueError(f"boundaries lack column(s) {', '.join(sorted(missing))}")
    if boundaries.crs is not None and not boundaries.crs.equals("EPSG:4326"):
        boundaries = boundaries.to_crs(4326)
    if "admin1_name" not in boundaries.columns:
        boundaries = boundaries.assign(admin1_name=None)
    return boundaries.reset_index(drop=True)


def split_by_region(changes: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Cut each change polygon along admin1 borders (STRtree + vectorised intersection).

    Whatever lies outside every region (sea, border mismatch) stays as a row with
    admin1_code None, so the pieces of a part always add up to the part."""
    regions = _regions(boundaries)
    region_geoms = regions.geometry.to_numpy()
    parts = changes.geometry.to_numpy()
    tree = shapely.STRtree(region_geoms)
    part_idx, region_idx = tree.query(parts, predicate="intersects")
    pieces = polygonal(shapely.intersection(parts[part_idx], region_geoms[region_idx]))
    piece_area = geodesic_area_km2(pieces)
    nonempty = ~shapely.is_empty(pieces)
    part_idx, region_idx, pieces, piece_area = (
        part_idx[nonempty], region_idx[nonempty], pieces[nonempty], piece_area[nonempty]
    )

    # what no region covers: the part minus the union of its pieces (loop over parts, not vertices)
    leftovers = parts.copy()
    order = np.argsort(part_idx, kind="stable")
    bounds = np.searchsorted(part_idx[order], np.arange(len(parts) + 1))
    for p in range(len(parts)):
        mine = pieces[order[bounds[p]:bounds[p + 1]]]
        if len(mine):
            leftovers[p] = shapely.difference(parts[p], shapely.union_all(mine))
    leftovers = polygonal(leftovers)
    leftover_area = geodesic_area_km2(leftovers)
    outside = leftover_area > 0

    base = changes.drop(columns=["geometry", "area_km2"]).reset_index(drop=True)
    inside_rows = base.iloc[part_idx].assign(
        admin1_code=regions["admin1_code"].to_numpy()[region_idx],
        admin1_name=regions["admin1_name"].to_numpy()[region_idx],
        area_km2=piece_area, geometry=pieces,
    )
    outside_rows = base.iloc[np.flatnonzero(outside)].assign(
        admin1_code=None, admin1_name=None,
        area_km2=leftover_area[outside], geometry=leftovers[outside],
    )
    columns = CHANGE_COLUMNS[:5] + REGION_COLUMNS + ["area_km2", "geometry"]
    frame = pd.concat([inside_rows, outside_rows], ignore_index=True)[columns]
    frame = frame.sort_values(["controller", "change", "admin1_code"], na_position="last", kind="stable")
    result = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=4326)
    result.attrs.update(changes.attrs)
    return result


def summarize_diff(changes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Gained, lost and net km² per controller (and per region when split), with slivers dropped.

    Controllers with no change still get a row of zeros, so "nothing changed" is
    visible rather than an empty table."""
    keys = ["controller"] + (["admin1_code", "admin1_name"] if "admin1_code" in changes.columns else [])
    frame = pd.DataFrame(changes.drop(columns="geometry"))
    if "part" not in frame.columns:
        frame["part"] = np.arange(len(frame))
    # parts are counted as changed polygons, not as their per-region pieces
    gained = frame[frame["change"] == "gained"].groupby(keys, dropna=False).agg(
        sum=("area_km2", "sum"), size=("part", "nunique"))
    lost = frame[frame["change"] == "lost"].groupby(keys, dropna=False).agg(
        sum=("area_km2", "sum"), size=("part", "nunique"))
    noise = frame[frame["change"] == "noise"].groupby(keys, dropna=False)["area_km2"].sum()
    table = pd.concat(
        {"gained_km2": gained["sum"], "gained_parts": gained["size"],
         "lost_km2": lost["sum"], "lost_parts": lost["size"], "noise_km2": noise}, axis=1
    )
    controllers = changes.attrs.get("controllers") or sorted(set(frame["controller"]))
    if len(keys) == 1:
        table = table.reindex(pd.Index(controllers, name="controller"))
    table = table.fillna(0).reset_index()
    for column in ("gained_parts", "lost_parts"):
        table[column] = table[column].astype(int)
    table["net_km2"] = table["gained_km2"] - table["lost_km2"]
    slivers = pd.DataFrame(changes.attrs.get("slivers", []), columns=["controller", "change", "count", "area_km2"])
    per_controller = slivers.groupby("controller")[["count", "area_km2"]].sum()
    if len(keys) == 1:
        table["slivers_dropped"] = table["controller"].map(per_controller["count"]).fillna(0).astype(int)
        table["sliver_area_km2"] = table["controller"].map(per_controller["area_km2"]).fillna(0.0)
    columns = keys + ["gained_km2", "lost_km2", "net_km2", "gained_parts", "lost_parts"]
    columns += ["slivers_dropped", "sliver_area_km2"] if len(keys) == 1 else []
    columns += ["noise_km2"] if changes.attrs.get("border_noise") else []
    return table[columns]


def summary_record(changes: gpd.GeoDataFrame) -> dict[str, Any]:
    """A JSON-ready summary: dates, threshold, per-controller totals and per-region rows."""
    totals = summarize_diff(changes.drop(columns=[c for c in REGION_COLUMNS if c in changes.columns]))
    record: dict[str, Any] = {
        "date_from": _iso(changes.attrs.get("date_from")),
        "date_to": _iso(changes.attrs.get("date_to")),
        "sliver_km2": changes.attrs.get("sliver_km2"),
        "border_noise": changes.attrs.get("border_noise"),
        "controllers": totals.to_dict(orient="records"),
    }
    if "admin1_code" in changes.columns:
        regions = summarize_diff(changes)
        record["regions"] = regions.astype(object).where(regions.notna(), None).to_dict(orient="records")
    return record


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
