"""`geoevents locate`: where is a place, in which region, how far from the border.

Top-level imports stay light (click, stdlib): the heavy work is imported inside
the command so the CLI's cold start stays fast.
"""

from __future__ import annotations

import json
from typing import Any

import click


class LocateError(click.ClickException):
    """A name that does not resolve or a point outside every country."""


def _parse_point(text: str) -> tuple[float, float] | None:
    """LAT,LON as a point, None for a place name (the gazetteer's parser, CLI errors)."""
    from geoevents.places.gazetteer import GazetteerError, parse_latlon

    try:
        return parse_latlon(text)
    except GazetteerError as error:
        raise LocateError(str(error)) from None


def _resolve(text: str, gazetteer, *, what: str, country: str | None) -> tuple[str, float, float]:
    """(display name, lat, lon) for a 'LAT,LON' string or a gazetteer name."""
    point = _parse_point(text)
    if point is not None:
        return f"{point[0]:.5f},{point[1]:.5f}", point[0], point[1]
    result = gazetteer.lookup(text, country=country)
    if result.get("error"):
        raise LocateError(f"{what} {text!r} could not be resolved: {result['error']}")
    return result["name"], float(result["latitude"]), float(result["longitude"])


def locate_record(query: str, *, from_place: str | None = None, nearby: int = 5,
                  country: str | None = None, tolerance_km: float = 25.0) -> dict[str, Any]:
    """The `locate` answer as a dict (the JSON the command prints)."""
    import geopandas as gpd
    import shapely
    from pyproj import Geod

    from geoevents.places.gazetteer import Gazetteer
    from geoevents.regions.attach import attach_regions
    from geoevents.regions.borders import border_distance

    gazetteer = Gazetteer.default()
    name, lat, lon = _resolve(query, gazetteer, what="place", country=country)
    frame = gpd.GeoDataFrame(geometry=[shapely.points(lon, lat)], crs="EPSG:4326")
    row = attach_regions(frame, tolerance_km=tolerance_km).iloc[0]
    if not isinstance(row["country_code"], str):
        where = name if _parse_point(query) else f"{name} ({lat:.5f},{lon:.5f})"
        raise LocateError(f"{where} is not within {tolerance_km:g} km of any country "
                          "(at sea or outside the shipped boundaries)")
    border = border_distance(lat, lon, country=row["country_code"])
    record: dict[str, Any] = {
        "name": name,
        "latitude": round(lat, 6),
        "longitude": round(lon, 6),
        "country_code": row["country_code"],
        "admin1_code": row["admin1_code"] if isinstance(row["admin1_code"], str) else None,
        "admin1_name": row["admin1_name"] if isinstance(row["admin1_name"], str) else None,
        "region_match": row["region_match"],
        "border_distance_km": None if border["border_distance_km"] is None else round(border["border_distance_km"], 2),
        "border_country": border["border_country"],
        "from": None,
        "from_distance_km": None,
        "from_bearing_deg": None,
        "nearby": [],
    }
    if from_place:
        from_name, from_lat, from_lon = _resolve(from_place, gazetteer, what="--from place", country=None)
        # forward azimuth at the --from place towards the located place
        azimuth, _, metres = Geod(ellps="WGS84").inv(from_lon, from_lat, lon, lat)
        record["from"] = from_name
        record["from_distance_km"] = round(metres / 1000.0, 2)
        record["from_bearing_deg"] = round(azimuth % 360.0, 1)
    if nearby > 0:
        places = gazetteer.nearest_places(lat, lon, n=nearby + 1)
        out = []
        for place in places:
            if place["name"] == name and place["distance_km"] < 0.5:
                continue  # the place itself
            out.append({"name": place["name"], "distance_km": round(float(place["distance_km"]), 2)})
        record["nearby"] = out[:nearby]
    return record


def _table(record: dict[str, Any]) -> str:
    lines = [
        f"{'place':<16}{record['name']}",
        f"{'coordinates':<16}{record['latitude']:.5f}, {record['longitude']:.5f}",
        f"{'country':<16}{record['country_code']}",
        f"{'region':<16}{record['admin1_name'] or '-'} ({record['admin1_code'] or '-'})"
        + ("  [nearest region]" if record["region_match"] == "nearest" else ""),
    ]
    if record["border_distance_km"] is None:
        lines.append(f"{'land border':<16}none (no international land border)")
    else:
        lines.append(f"{'land border':<16}{record['border_distance_km']:.1f} km to {record['border_country']}")
    if record["from"]:
        lines.append(f"{'from ' + record['from']:<16}{record['from_distance_km']:.1f} km, bearing "
                     f"{record['from_bearing_deg']:.0f}°")
    for place in record["nearby"]:
        lines.append(f"{'nearby':<16}{place['name']} ({place['distance_km']:.1f} km)")
    return "\n".join(_wrapped(lines))


def _wrapped(lines: list[str]) -> list[str]:
    """Lines wrapped to the terminal (or COLUMNS) under their value column, never cut."""
    import textwrap

    from geoevents.cli.tables import output_width

    width = output_width()
    if width is None:
        return lines
    out = []
    for line in lines:
        out += textwrap.wrap(line, width=width, subsequent_indent=" " * 16, break_long_words=False,
                             break_on_hyphens=False) or [line]
    return out


@click.command("locate")
@click.argument("place")
@click.option("--from", "from_place", metavar="PLACE|LAT,LON", default=None,
              help="Also give distance (km) and bearing (degrees) from this place.")
@click.option("--nearby", default=5, show_default=True, type=click.IntRange(0, 100),
              help="How many nearest populated places to list.")
@click.option("--country", default=None, help="Country hint for the name (ISO alpha-2, e.g. RU).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def locate(place: str, from_place: str | None, nearby: int, country: str | None, fmt: str) -> None:
    """Where is PLACE (a name or LAT,LON): region, country, distance to the nearest
    international land border, and the nearest populated places."""
    record = locate_record(place, from_place=from_place, nearby=nearby, country=country)
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(record))
