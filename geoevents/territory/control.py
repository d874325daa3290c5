"""Read dated control layers (who holds which area on which day) into one GeoDataFrame.

Why: control is a separate, dated, attributed layer (never baked into the
boundaries), and it arrives in two shapes — a folder of daily snapshots with the
date in each file name (DeepStateMap archives), or one GeoJSON FeatureCollection
whose features carry a `date` property. Both become one row per date and
controller so diffs and timelines need not care where the layer came from.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoevents.territory.errors import (  # noqa: F401  (re-exported: the public error types)
    ControlLayerError,
    InvalidGeometryWarning,
    MissingDatesWarning,
    Where,
    located,
)
from geoevents.territory.layer_file import STATUSES, Defaults, read_layer_file

log = logging.getLogger(__name__)

#: File suffixes read from a snapshot folder; anything else (README, LICENSE) is ignored.
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb")
COLUMNS = ["date", "controller", "source", "status", "geometry"]

# a YYYYMMDD or YYYY-MM-DD (or YYYY_MM_DD) in a file name; the last one counts
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")


def date_from_name(name: str) -> dt.date | None:
    """The date written in a file name (`*_20250207.geojson`, `2025-02-07.geojson`), or None.

    Only the last date-like part counts: when it is no real date (20251399), the
    answer is None rather than some earlier number in the name."""
    matches = list(_DATE_IN_NAME.finditer(Path(name).stem))
    if not matches:
        return None
    match = matches[-1]
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _name_date_problem(path: Path) -> str:
    """Why a file name gives no date, for the error message."""
    matches = list(_DATE_IN_NAME.finditer(path.stem))
    if matches:
        return (f"the date {matches[-1][0]} in the file name is not a real date; name snapshots like "
                "'<name>_YYYYMMDD.geojson' or 'YYYY-MM-DD.geojson'")
    return "no date in the file name; name snapshots like '<name>_YYYYMMDD.geojson' or 'YYYY-MM-DD.geojson'"


def find_gaps(dates: Iterable[dt.date]) -> list[dict[str, Any]]:
    """Intervals where a dated series skips its usual step (daily for DeepStateMap).

    Returns [{"after": date, "before": date, "missing": n}] — `missing` counts the
    snapshots the usual cadence would have had in between."""
    days = sorted(set(dates))
    if len(days) < 3:
        return []
    steps = np.diff(np.array(days, dtype="datetime64[D]")).astype(int)
    # the most common step (the smallest of equally common ones): with few snapshots a
    # median can land between steps (1 and 3 days -> "every 2 days", one day missing)
    values, counts = np.unique(steps, return_counts=True)
    step = max(int(values[np.argmax(counts)]), 1)
    gaps = []
    for (before, after), size in zip(zip(days, days[1:]), steps):
        missing = int(round(size / step)) - 1
        if missing > 0:
            gaps.append({"after": before, "before": after, "missing": missing})
    return gaps


def describe_gaps(gaps: list[dict[str, Any]]) -> str:
    """One human line per gap, e.g. '2024-08-18..2024-08-19 (2 days)'."""
    parts = []
    for gap in gaps:
        first = gap["after"] + dt.timedelta(days=1)
        last = gap["before"] - dt.timedelta(days=1)
        span = f"{first}" if first == last else f"{first}..{last}"
        parts.append(f"{span} ({gap['missing']} missing)")
    return ", ".join(parts)


def list_snapshots(directory: Path) -> dict[dt.date, Path]:
    """Dated layer files in a folder, by date. Two files for one date is an error."""
    found: dict[dt.date, Path] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in LAYER_SUFFIXES or not path.is_file():
            continue
        day = date_from_name(path.name)
        if day is None:
            raise ControlLayerError(located(Where(path), _name_date_problem(path)))
        if day in found:
            raise ControlLayerError(located(Where(path), f"this file and {found[day]} are both dated {day}; "
                                            "keep one"))
        found[day] = path
    if not found:
        raise ControlLayerError(located(Where(directory), f"no dated layer files "
                                        f"({', '.join(LAYER_SUFFIXES)}) in this folder"))
    return found


def _dissolve(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per (date, controller, source, status): union of that day's polygons."""
    keys = ["date", "controller", "source", "status"]
    rows = []
    for key, group in frame.groupby(keys, sort=True, dropna=False):
        geoms = group["geometry"].to_numpy()
        geom = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        rows.append((*key, geom))
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=COLUMNS), geometry="geometry", crs=4326)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ControlLayerError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")


def read_control(
    path_or_dir: str | Path,
    *,
    controller: str = "RU",
    source: str | None = None,
    status: str = "assessed",
    dates: Iterable[dt.date | str] | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> gpd.GeoDataFrame:
    """Read a control layer: one row per date and controller (geometry dissolved).

    `path_or_dir` is a folder of dated snapshots (date in each file name) or one
    file whose features carry a `date` property (and optionally `controller`,
    `source`, `status`, which override the keyword defaults per feature). A file
    without date properties takes the date from its name. `dates` limits a folder
    read to those days (an absent day is an error naming the nearest ones);
    `progress` wraps the per-file loop (e.g. rich.progress.track).

    The result's `attrs["gaps"]` lists skipped days (also warned as
    MissingDatesWarning); invalid polygons are repaired with a warning naming
    the features. Everything else that is wrong — coordinates out of range or
    not finite, null or non-polygon geometry, an empty layer, properties of the
    wrong type, duplicate keys, a `crs` that is not the Earth's — is a
    ControlLayerError listing each problem as `file:feature N (line L):field:
    error: ...`. Controllers and sources are always text. Polygons crossing
    ±180° or surrounding a pole are stored in one form (RFC 7946's split form),
    however the file wrote them.
    """
    path = Path(path_or_dir)
    _check_status(status)
    if not path.exists():
        raise ControlLayerError(located(Where(path), "no such file or folder"))
    wanted = None if dates is None else sorted({_as_date(d, "dates") for d in dates})
    if path.is_dir():
        frame, all_days = _read_folder(path, Defaults(controller, source or path.name, status), wanted, progress)
    else:
        frame = _read_collection(path, Defaults(controller, source or path.stem, status))
        all_days = sorted(set(frame["date"]))
        if wanted is not None:
            _require_dates(wanted, all_days, path)
            frame = frame[frame["date"].isin(wanted)]
    result = _dissolve(frame[COLUMNS])
    gaps = find_gaps(all_days)
    result.attrs["gaps"] = gaps
    result.attrs["path"] = str(path)
    if gaps:
        total = sum(gap["missing"] for gap in gaps)
        message = f"{path}: {total} snapshot(s) missing: {describe_gaps(gaps)}"
        warnings.warn(message, MissingDatesWarning, stacklevel=2)
        log.info(message)
    return result


def _as_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ControlLayerError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _require_dates(wanted: list[dt.date], available: list[dt.date], where: Path) -> None:
    missing = [d for d in wanted if d not in set(available)]
    if not missing:
        return
    lines = []
    for day in missing:
        before = max((d for d in available if d < day), default=None)
        after = min((d for d in available if d > day), default=None)
        lines.append(f"{day} (nearest: {before or '-'} before, {after or '-'} after)")
    raise ControlLayerError(f"{where}: no snapshot for " + "; ".join(lines))


def _read_folder(directory: Path, defaults: Defaults, wanted: list[dt.date] | None,
                 progress: Callable[[Iterable[Any]], Iterable[Any]] | None) -> tuple[pd.DataFrame, list[dt.date]]:
    snapshots = list_snapshots(directory)
    all_days = sorted(snapshots)
    if wanted is not None:
        _require_dates(wanted, all_days, directory)
        snapshots = {day: snapshots[day] for day in wanted}
    items = list(snapshots.items())
    frames = []
    for day, file in progress(items) if progress else items:
        rows = read_layer_file(file, defaults, want_dates=False)
        frames.append(rows.assign(date=day))
    return pd.concat(frames, ignore_index=True), all_days


def _read_collection(path: Path, defaults: Defaults) -> pd.DataFrame:
    """One file: dates from each feature's `date` property, else from the file name."""
    rows = read_layer_file(path, defaults, want_dates=None)
    if rows["date"].isna().all():
        day = date_from_name(path.name)
        if day is None:
            raise ControlLayerError(located(Where(path), "the features have no `date` property, so the date "
                                            f"must come from the file name, but: {_name_date_problem(path)}; "
                                            "or add a `date` (YYYY-MM-DD) to each feature"))
        rows = rows.assign(date=day)
    return rows


def controllers_as_text(frame: pd.DataFrame, default: str = "RU") -> pd.DataFrame:
    """The frame with a text `controller` on every row (added when absent).

    read_control already guarantees this; frames built by hand may hold 1 in
    one row and None in another, which cannot be sorted or compared: missing
    and blank become `default`, numbers their digits, text is stripped."""
    if "controller" not in frame.columns:
        return frame.assign(controller=default)
    values = frame["controller"].to_numpy(dtype=object)
    if all(type(v) is str and v == v.strip() and v for v in values):
        return frame
    return frame.assign(controller=[_controller_text(v, default) for v in values])


def _controller_text(value: Any, default: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return default
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    text = str(value.item() if isinstance(value, np.generic) else value).strip()
    return text or default


def layer_at(control: gpd.GeoDataFrame, day: dt.date | str) -> gpd.GeoDataFrame:
    """The rows of a control layer for one date (an absent date is an error naming the nearest)."""
    day = _as_date(day, "date")
    available = sorted(set(control["date"]))
    _require_dates([day], available, Path(control.attrs.get("path", "control layer")))
    return control[control["date"] == day]
