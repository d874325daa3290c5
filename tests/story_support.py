"""A small synthetic story for the map tests: dated events of every symbol and a control folder.

Written by the tests themselves (never real data): three daily control snapshots of a
box near Sudzha with a layer.yaml, and events that exercise each symbol — a stack of
three at one point, an estimated place with an uncertainty radius, a month-precision
event, region-level events and an area claim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PUBLISHED = "2024-08-25"  # the story's day: the map opens at the snapshot of 2024-08-20
SNAPSHOTS = {"2024-08-10": (35.0, 51.1, 35.4, 51.4), "2024-08-20": (34.9, 51.1, 35.6, 51.5),
             "2024-09-01": (35.0, 51.1, 35.5, 51.45)}
LAYER = {"name": "Test front line", "source": "Example Institute", "source_url": "https://example.org/layer",
         "credit": "CC BY 4.0 Example Institute"}
STACK = (35.27, 51.19)  # three events at Sudzha
ESTIMATED = (34.95, 51.40, 10.0)  # lon, lat, uncertainty_km


def write_control_folder(folder: Path, layer: dict[str, str] | None = None) -> Path:
    """Three dated snapshots (UA holds a box that grows, then shrinks) and a layer.yaml."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for day, (x0, y0, x1, y1) in SNAPSHOTS.items():
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        feature = {"type": "Feature", "properties": {"controller": "UA"},
                   "geometry": {"type": "Polygon", "coordinates": [ring]}}
        (folder / f"front_{day.replace('-', '')}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    (folder / "layer.yaml").write_text(yaml.safe_dump(layer or LAYER, allow_unicode=True), encoding="utf-8")
    return folder


def event(id_: str, date: str, start: str, end: str, lon: float, lat: float, **extra: Any) -> dict[str, Any]:
    row = {"id": id_, "date": date, "date_start": start, "date_end": end, "date_precision": "day",
           "place": f"Place {id_}", "kind": "attack", "claimant": "Kyiv", "status": "reported",
           "geo_precision": "locality", "admin1_code": "RU-KRS", "admin1_name": "Kursk Oblast",
           "country_code": "RU", "source": "Example Wire", "claim": f"Claim {id_}.", "published": PUBLISHED,
           "lon": lon, "lat": lat}
    row.update(extra)
    return row


def story_rows() -> list[dict[str, Any]]:
    lon, lat = STACK
    e_lon, e_lat, radius = ESTIMATED
    return [
        event("stack-1", "2024-08-06", "2024-08-06", "2024-08-06", lon, lat, kind="advance"),
        event("stack-2", "2024-08-12", "2024-08-12", "2024-08-12", lon, lat, claimant="Moscow", status="claimed"),
        event("stack-3", "2024-08-20", "2024-08-20", "2024-08-20", lon, lat, kind="statement"),
        event("estimated", "2024-08", "2024-08-01", "2024-08-31", e_lon, e_lat, date_precision="month",
              geo_precision="exact", place_precision="estimated", uncertainty_km=radius, claimant="Moscow"),
        event("region-1", "2024-07-20", "2024-07-20", "2024-07-20", 36.2, 51.7, kind="casualties",
              geo_precision="admin1", place="Kursk Oblast"),
        event("region-2", "2024-08-22", "2024-08-22", "2024-08-22", 36.2, 51.7, kind="control",
              geo_precision="admin1", place="Kursk Oblast", figure=1000.0, figure_unit="km2", approximate=True),
    ]


def story_events(rows: list[dict[str, Any]] | None = None) -> Any:
    """The story's events as the GeoDataFrame read_events would give."""
    import geopandas as gpd
    import shapely

    rows = [dict(r) for r in (rows or story_rows())]
    geometry = [shapely.Point(r.pop("lon"), r.pop("lat")) for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=4326)


def link_snapshots(source: Path, folder: Path, pattern: str = "deepstatemap_data_*.geojson", limit: int = 3) -> Path:
    """A folder of symlinks to the first real snapshots matching `pattern` (read-only test data:
    linked, never copied, so nothing derived from it can end up in the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    for snapshot in sorted(source.glob(pattern))[:limit]:
        (folder / snapshot.name).symlink_to(snapshot)
    return folder
