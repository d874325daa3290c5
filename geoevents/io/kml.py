"""KML import: placemarks from Google Earth / My Maps become events.

GDAL's KML driver (through pyogrio) reads the placemarks; when GDAL lacks it, the file
is parsed with xml.etree. `name` becomes the place, `description` the claim, and
ExtendedData fields named like event columns are used as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoevents.io.raw import RawTable

_KML_NS = "{http://www.opengis.net/kml/2.2}"


def _map_columns(frame: Any) -> Any:
    frame.columns = [str(c).strip() for c in frame.columns]
    lower = {c: c.lower() for c in frame.columns}
    frame = frame.rename(columns=lower)
    if "place" not in frame.columns and "name" in frame.columns:
        frame = frame.rename(columns={"name": "place"})
    if "claim" not in frame.columns and "description" in frame.columns:
        frame = frame.rename(columns={"description": "claim"})
    if "date" not in frame.columns:
        for candidate in ("timestamp", "begin", "when"):
            if candidate in frame.columns:
                frame = frame.rename(columns={candidate: "date"})
                break
    return frame


def _read_etree(path: Path) -> Any:
    """Placemarks with Point/Polygon geometry, without GDAL."""
    import xml.etree.ElementTree as ET

    import pandas as pd
    from shapely.geometry import Point, Polygon

    def coords(text: str) -> list[tuple[float, float]]:
        return [tuple(float(v) for v in item.split(",")[:2]) for item in text.split()]

    records = []
    for mark in ET.parse(path).getroot().iter(f"{_KML_NS}Placemark"):
        record: dict[str, Any] = {}
        for tag in ("name", "description"):
            node = mark.find(f"{_KML_NS}{tag}")
            if node is not None and node.text:
                record[tag] = node.text.strip()
        when = mark.find(f".//{_KML_NS}when")
        if when is not None and when.text:
            record["timestamp"] = when.text.strip()
        for data in mark.iter(f"{_KML_NS}Data"):
            value = data.find(f"{_KML_NS}value")
            record[data.get("name")] = value.text if value is not None else None
        for data in mark.iter(f"{_KML_NS}SimpleData"):
            record[data.get("name")] = data.text
        point = mark.find(f".//{_KML_NS}Point/{_KML_NS}coordinates")
        polygon = mark.find(f".//{_KML_NS}Polygon")
        if point is not None and point.text:
            record["geometry"] = Point(coords(point.text)[0])
        elif polygon is not None:
            outer = polygon.find(f".//{_KML_NS}outerBoundaryIs//{_KML_NS}coordinates")
            inner = polygon.findall(f".//{_KML_NS}innerBoundaryIs//{_KML_NS}coordinates")
            record["geometry"] = Polygon(coords(outer.text), [coords(i.text) for i in inner])
        records.append(record)
    return pd.DataFrame.from_records(records)


def read_kml_table(path: str | Path) -> RawTable:
    """Read KML placemarks into a RawTable."""
    import pandas as pd
    import pyogrio

    path = Path(path)
    table = RawTable(path=path, kind="kml", frame=pd.DataFrame())
    drivers = pyogrio.list_drivers()
    try:
        if "KML" in drivers or "LIBKML" in drivers:
            from geoevents.io.gpkg import _plain
            frames = [pyogrio.read_dataframe(path, layer=name)
                      for name, _ in pyogrio.list_layers(path)]
            frames = [f for f in frames if len(f)]
            frame = pd.concat([_plain(f) for f in frames], ignore_index=True) if frames \
                else pd.DataFrame()
        else:
            frame = _read_etree(path)
    except Exception as error:  # GDAL or the XML parser: report, do not crash
        table.file_problem(None, None, "error", f"cannot read the KML file: {error}")
        return table
    frame = _map_columns(frame)
    table.frame = frame.reset_index(drop=True)
    table.row_labels = [f"Placemark[{i + 1}]" for i in range(len(frame))]
    return table
