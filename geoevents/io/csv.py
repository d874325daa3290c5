"""CSV in and out: `latitude`/`longitude` columns, WKT for non-point geometries, and
ACLED-style exports recognised by their column names.

Tables are how most event data travels (spreadsheets, ACLED); reading them into the
same checks as YAML lets analysts validate and map them without conversion by hand.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from geoevents.io.atomic import atomic_path
from geoevents.io.raw import RawTable

ALIASES = {
    "lat": "latitude", "y": "latitude",
    "lon": "longitude", "lng": "longitude", "long": "longitude", "x": "longitude",
    "location": "place", "place_name": "place", "name": "place",
    "geometry_wkt": "geometry", "wkt": "geometry",
}
ACLED_COLUMNS = {
    "event_id_cnty": "id", "event_date": "date", "location": "place", "admin1": "within",
    "actor1": "actor", "fatalities": "figure", "notes": "claim", "source": "claimant",
    "event_type": "kind", "geo_precision": "geo_precision",
}
ACLED_KINDS = {
    "battles": "attack", "explosions/remote violence": "attack",
    "violence against civilians": "attack", "strategic developments": "other",
    "protests": "other", "riots": "other",
}
ACLED_PRECISION = {"1": "locality", "2": "locality", "3": "admin1"}


def _is_acled(columns: set[str]) -> bool:
    return {"event_date", "latitude", "longitude"} <= columns and bool(
        {"actor1", "event_id_cnty", "fatalities", "event_type"} & columns)


def _country_code(name: str, cache: dict[str, str | None]) -> str | None:
    if name not in cache:
        import pycountry
        code = None
        if len(name) == 2 and name.isalpha():
            code = name.upper()
        else:
            try:
                code = pycountry.countries.lookup(name).alpha_2
            except LookupError:
                try:
                    code = pycountry.countries.search_fuzzy(name)[0].alpha_2
                except LookupError:
                    code = None
        cache[name] = code
    return cache[name]


def _acled(frame: Any, table: RawTable) -> Any:
    """Map ACLED columns onto event keys (see docs/events.md)."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for column, key in ACLED_COLUMNS.items():
        if column in frame.columns:
            out[key] = frame[column]
    out["latitude"] = frame["latitude"]
    out["longitude"] = frame["longitude"]
    if "country" in frame.columns:
        cache: dict[str, str | None] = {}
        out["country"] = frame["country"].map(
            lambda v: _country_code(v, cache) if isinstance(v, str) else None)
    if "kind" in out.columns:
        out["kind"] = out["kind"].map(
            lambda v: ACLED_KINDS.get(v.strip().lower(), "other") if isinstance(v, str) else None)
    if "geo_precision" in out.columns:
        out["geo_precision"] = out["geo_precision"].map(
            lambda v: ACLED_PRECISION.get(str(v).strip()) if isinstance(v, str) else None)
    if "figure" in out.columns:
        out["figure_unit"] = out["figure"].map(lambda v: "killed" if isinstance(v, str) else None)
    out["source"] = "ACLED"
    out["status"] = "reported"
    if "timestamp" in frame.columns:
        import datetime as dt

        def published(value: Any) -> str | None:
            try:
                return dt.datetime.fromtimestamp(int(value), dt.UTC).date().isoformat()
            except (TypeError, ValueError, OverflowError, OSError):
                return None
        out["published"] = frame["timestamp"].map(published)
    if "claimant" not in out.columns:
        out["claimant"] = "ACLED"
    return out


def _has_quoted_cell(path: Path) -> bool:
    """Might a cell of the file start with a quote (after a separator, a line break, an
    opening double quote or the file start, and optional spaces)? A byte scan: fast,
    since apostrophes inside text ("Russia's") are rejected by the byte before them."""
    import mmap

    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            position = data.find(b"'")
            while position != -1:
                before = position - 1
                while before >= 0 and data[before] == 0x20:
                    before -= 1
                if before < 0 or data[before] in b',\t\r\n"\xbf':  # \xbf ends a UTF-8 BOM
                    return True
                position = data.find(b"'", position + 1)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return True
    return False


def _unescaped(frame: Any, path: Path) -> Any:
    """Undo the spreadsheet escaping of io.csvcell in headers and cells. A byte scan of
    the file skips the work when no cell starts with a quote (most files)."""
    from geoevents.io.csvcell import unescape_cell

    if not _has_quoted_cell(path):
        return frame
    frame.columns = [unescape_cell(c) if isinstance(c, str) else c for c in frame.columns]
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i].tolist()
        if any(type(v) is str and v[:1] == "'" for v in values):
            frame.iloc[:, i] = [unescape_cell(v) if type(v) is str else v for v in values]
    return frame


def read_csv_table(path: str | Path) -> RawTable:
    """Read a CSV (or TSV) of events into a RawTable; row lines are file lines."""
    import pandas as pd

    path = Path(path)
    table = RawTable(path=path, kind="csv", frame=pd.DataFrame())
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            encoding="utf-8-sig", sep=sep, skipinitialspace=True)
    except UnicodeDecodeError as error:
        table.file_problem(None, None, "error", f"the file is not UTF-8 text ({error.reason})")
        return table
    except pd.errors.EmptyDataError:
        table.file_problem(1, None, "error", "the file is empty (no header row)")
        return table
    except pd.errors.ParserError as error:
        message = str(error).strip()
        line = None
        import re
        if m := re.search(r"line (\d+)", message):
            line = int(m[1])
        table.file_problem(line, None, "error", f"CSV syntax error: {message}")
        return table
    frame = _unescaped(frame, path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        table.file_problem(1, duplicated[0], "error", f"column {duplicated[0]!r} appears twice")
        return table
    if _is_acled(set(frame.columns)):
        frame = _acled(frame, table)
    else:
        frame = frame.rename(columns={c: ALIASES[c] for c in frame.columns
                                      if c in ALIASES and ALIASES[c] not in frame.columns})
    frame = frame.reset_index(drop=True)
    table.frame = frame
    # a header line, then one line per row (quoted line breaks are rare in event tables)
    table.row_lines = list(range(2, len(frame) + 2))
    return table


def write_csv(gdf: Any, path: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write events as CSV: every column, latitude/longitude, and `wkt` for non-points.

    Point events always carry latitude/longitude (taken from the geometry, which the
    other formats write too); text is escaped so no spreadsheet runs it (io.csvcell)."""
    import shapely

    from geoevents.io.csvcell import write_frame

    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geometry_name = gdf.geometry.name
    frame = gdf.drop(columns=[geometry_name]).copy()
    geoms = gdf.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    points = kinds == 0
    for name, values in (("latitude", shapely.get_y(geoms)), ("longitude", shapely.get_x(geoms))):
        if name not in frame.columns:
            frame[name] = float("nan")
        frame[name] = frame[name].astype("float64").where(~points, values)
    wkt = shapely.to_wkt(geoms, rounding_precision=7, trim=True)
    frame["wkt"] = [None if kind == 0 or geom is None else text
                    for kind, geom, text in zip(kinds, geoms, wkt)]
    if "approximate" in frame.columns:
        frame["approximate"] = frame["approximate"].map(
            lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
            else ("true" if bool(v) else "false"))
    for name in ("latitude", "longitude"):
        frame[name] = frame[name].round(7)
    with atomic_path(path, inputs) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            write_frame(frame, handle)
    return Path(path)
