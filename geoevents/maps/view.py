"""Where a map looks: the extent of everything it draws.

Shared by the HTML page (which fits its opening view to it) and the PNG (which
crops to it), so both show the same part of the world.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geoevents.maps.payload import column, event_points


def ordered_events(events: Any) -> Any:
    """A stable order (date, then id) so the same events always give the same file."""
    frame = events.reset_index(drop=True)
    keys = [c for c in ("date_start", "date", "id") if c in frame.columns]
    if keys:
        frame = frame.sort_values(keys, kind="mergesort", na_position="last").reset_index(drop=True)
    return frame


def located_events(events: Any) -> Any:
    """The events with a location (markers and area symbols share this row numbering)."""
    geoms = events.geometry
    return events[geoms.notna() & ~geoms.is_empty].reset_index(drop=True)


def map_extent(events: Any, areas: list[dict[str, Any]], control: list[dict[str, Any]],
               boundaries: Any) -> tuple[float, float, float, float] | None:
    """(w, s, e, n) around markers, area symbols, control layers and the regions that
    events are located to (a region-level event stands for its whole region)."""
    lon, lat = event_points(events.geometry) if len(events) else (np.array([]), np.array([]))
    lons = list(lon[~np.isnan(lon)])
    lats = list(lat[~np.isnan(lat)])
    shapes = [a["geometry"] for a in areas if a["geometry"]]
    shapes += [c["geometry"] for c in control if c["geometry"]]
    for geometry in shapes:
        x0, y0, x1, y1 = shapely.geometry.shape(geometry).bounds
        lons += [x0, x1]
        lats += [y0, y1]
    for x0, y0, x1, y1 in _region_level_bounds(events, boundaries):
        lons += [x0, x1]
        lats += [y0, y1]
    if not lons:
        return None
    return (min(lons), min(lats), max(lons), max(lats))


def _region_level_bounds(events: Any, boundaries: Any) -> list[tuple[float, float, float, float]]:
    codes = {c for c, level in zip(column(events, "admin1_code"), column(events, "geo_precision"))
             if level == "admin1" and isinstance(c, str)}
    if not codes or boundaries is False:
        return []
    if boundaries is None:
        from geoevents.regions.boundaries import read_boundaries

        boundaries = read_boundaries("admin1")
    chosen = boundaries[boundaries["admin1_code"].isin(sorted(codes))]
    return [tuple(g.bounds) for g in chosen.geometry.values if g is not None and not g.is_empty]
