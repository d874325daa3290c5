"""Tell real change from border digitising noise: change in a country the layer does not map.

Why: a control layer such as DeepStateMap maps occupied Ukraine; where its
polygon follows the Ukraine–Russia border it is redrawn by hand every day, and
the shipped (Natural Earth) border lies a few hundred metres to a few km away
from that drawing. Split by region, each redrawing shows up as "RU gained
0.69 km² in Kursk Oblast" — change in a country the layer does not even map for
that controller. Moving that edge moves no front.

The rule: a change piece (of diff_control(..., by="admin1")) is **border noise**
when its controller holds less than `share` (1%) of its area in the piece's
country in both compared layers. That country is the admin-0 polygon holding
the piece. Such a piece stays in the output with its km² (change "noise") and
is counted apart from gained and lost. Change in a country the layer does map
is never reclassified, however small or thin. A layer that maps Ukraine's Kursk
incursion as UA control has a material share of UA's area in Russia, so those
gains and losses stay real.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geoevents.territory.area import geodesic_area_km2_scalar, polygonal

#: a controller "maps" a country when at least this share of its area lies there
MAPPED_SHARE = 0.01


def piece_countries(pieces: np.ndarray, admin0: gpd.GeoDataFrame) -> np.ndarray:
    """The admin-0 country code holding each piece (by a point on its surface), None if none."""
    points = shapely.point_on_surface(pieces)
    countries = admin0.geometry.to_numpy()
    tree = shapely.STRtree(countries)
    piece_idx, country_idx = tree.query(points, predicate="intersects")
    out = np.full(len(pieces), None, dtype=object)
    codes = admin0["country_code"].to_numpy()
    out[piece_idx] = codes[country_idx]  # borders are shared edges: any hit is as good
    return out


def share_in(held: object, country: object) -> float:
    """Share of the area of `held` that lies in `country` (0 when `held` is empty)."""
    total = geodesic_area_km2_scalar(held)
    if total <= 0:
        return 0.0
    xmin, ymin, xmax, ymax = shapely.bounds(held)
    near = shapely.clip_by_rect(country, xmin, ymin, xmax, ymax)  # the country near the layer only
    return geodesic_area_km2_scalar(polygonal(shapely.intersection(held, near))[0]) / total


def border_noise(changes: gpd.GeoDataFrame, held: dict[str, tuple[object, object]],
                 admin0: gpd.GeoDataFrame | None = None, share: float = MAPPED_SHARE) -> np.ndarray:
    """A boolean mask over `changes` rows: pieces in a country their controller's layers do not map.

    `held` maps controller -> (geometry held in the earlier layer, in the later one)."""
    if admin0 is None:
        from geoevents.regions.boundaries import read_boundaries

        admin0 = read_boundaries("admin0")
    mask = np.zeros(len(changes), dtype=bool)
    if not len(changes):
        return mask
    countries = piece_countries(changes.geometry.to_numpy(), admin0)
    geometry_of = dict(zip(admin0["country_code"], admin0.geometry))
    mapped: dict[tuple[str, str], bool] = {}
    owners = changes["controller"].to_numpy()
    for i, (controller, country) in enumerate(zip(owners, countries)):
        if country is None or controller not in held:
            continue
        key = (controller, country)
        if key not in mapped:
            mapped[key] = any(share_in(layer, geometry_of[country]) >= share for layer in held[controller])
        mask[i] = not mapped[key]
    return mask
