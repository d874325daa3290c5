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

log = logging.getLogger(__name__)

#: File suffixes read from a snapshot folder; anything else (README, LICENSE) is ignored.
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb")
COLUMNS = ["date", "controller", "source", "status", "geometry"]
STATUSES = ("assessed", "claimed")

# the last YYYYMMDD or YYYY-MM-DD (or YYYY_MM_DD) in a file name
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")


class ControlLayerError(ValueError):
    """A control layer cannot be read; the message says which file and what to fix."""


class InvalidGeometryWarning(UserWarning):
    """Some control polygons were invalid and were repaired with shapely.make_valid."""


class MissingDatesWarning(UserWarning):
    """A snapshot folder skips days; changes across a gap cover more than one day."""


def date_from_name(name: str) -> dt.date | None:
    """The date written in a file name (`*_20250207.geojson`, `2025-02-07.geojson`), or None."""
    matches = list(_DATE_IN_NAME.finditer(Path(name).stem))
    for match in reversed(matches):
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def find_gaps(dates: Iterable[dt.date]) -> list[dict[str, Any]]:
    """Intervals where a dated series skips its usual step (daily for DeepStateMap).

    Returns [{"after": date, "before": date, "missing": n}] — `missing` counts the
    snapshots the usual cadence would have had in between."""
    days = sorted(set(dates))
    if len(days) < 3:
        return []
    steps = np.diff(np.array(days, dtype="datetime64[D]")).astype(int)
    step = max(int(np.median(steps)), 1)
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
            raise ControlLayerError(
                f"{path}: no date in the file name; name snapshots like "
                "'<name>_YYYYMMDD.geojson' or 'YYYY-MM-DD.geojson'"
            )
        if day in found:
            raise ControlLayerError(f"{path} and {found[day]} are both dated {day}; keep one")
        found[day] = path
    if not found:
        raise ControlLayerError(
            f"{directory}: no dated layer files ({', '.join(LAYER_SUFFIXES)}) in this folder"
        )
    return found


def _read_file(path: Path) -> gpd.GeoDataFrame:
    """One vector file in EPSG:4326 (legacy GeoJSON `crs` members are accepted by GDAL)."""
    import pyogrio

    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as error:  # GDAL errors come in many classes; name the file
        raise ControlLayerError(f"{path}: cannot read as a vector layer ({error})") from error
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs(4326)
    return frame


def repair(geoms: np.ndarray, where: str) -> tuple[np.ndarray, int]:
    """Make invalid geometries valid (polygonal part kept); warn with a count."""
    from geoevents.territory.area import polygonal

    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    count = int(invalid.sum())
    if count:
        fixed = geoms.copy()
        fixed[invalid] = polygonal(
            shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        )
        message = f"{where}: repaired {count} invalid geometr{'y' if count == 1 else 'ies'} with make_valid"
        warnings.warn(message, InvalidGeometryWarning, stacklevel=3)
        log.warning(message)
        return fixed, count
    return geoms, 0


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
    MissingDatesWarning); invalid polygons are repaired with a warning.
    """
    path = Path(path_or_dir)
    _check_status(status)
    if not path.exists():
        raise ControlLayerError(f"{path}: no such file or folder")
    wanted = None if dates is None else sorted({_as_date(d, "dates") for d in dates})
    if path.is_dir():
        frame, all_days = _read_folder(path, controller, source or path.name, status, wanted, progress)
    else:
        frame = _read_collection(path, controller, source or path.stem, status)
        all_days = sorted(set(frame["date"]))
        if wanted is not None:
            _require_dates(wanted, all_days, path)
            frame = frame[frame["date"].isin(wanted)]
    geoms, _ = repair(frame["geometry"].to_numpy(), str(path))
    frame = frame.assign(geometry=geoms)
    result = _dissolve(frame)
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


def _read_folder(directory, controller, source, status, wanted, progress):
    snapshots = list_snapshots(directory)
    all_days = sorted(snapshots)
    if wanted is not None:
        _require_dates(wanted, all_days, directory)
        snapshots = {day: snapshots[day] for day in wanted}
    items = list(snapshots.items())
    frames = []
    for day, file in progress(items) if progress else items:
        layer = _read_file(file)
        frames.append(
            pd.DataFrame(
                {
                    "date": day,
                    "controller": _column(layer, "controller", controller),
                    "source": _column(layer, "source", source),
                    "status": _column(layer, "status", status),
                    "geometry": layer.geometry.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True), all_days


def _column(layer: pd.DataFrame, name: str, default: Any) -> Any:
    """A per-feature property where present (blank cells take the default), else the default."""
    if name not in layer.columns:
        return default
    return layer[name].where(layer[name].notna() & (layer[name].astype(str) != ""), default).to_numpy()


def _read_collection(path: Path, controller: str, source: str, status: str) -> pd.DataFrame:
    layer = _read_file(path)
    if "date" in layer.columns:
        days = []
        for index, value in enumerate(layer["date"]):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                raise ControlLayerError(f"{path}: feature {index} has no `date` property")
            days.append(_as_date(value, f"{path}: feature {index}, property `date`"))
    else:
        day = date_from_name(path.name)
        if day is None:
            raise ControlLayerError(
                f"{path}: features have no `date` property and the file name has no date; "
                "add a `date` (YYYY-MM-DD) to each feature"
            )
        days = [day] * len(layer)
    statuses = _column(layer, "status", status)
    for index, value in enumerate(np.atleast_1d(statuses)):
        if value not in STATUSES:
            raise ControlLayerError(
                f"{path}: feature {index}, property `status`: {value!r} is not one of {', '.join(STATUSES)}"
            )
    return pd.DataFrame(
        {
            "date": days,
            "controller": _column(layer, "controller", controller),
            "source": _column(layer, "source", source),
            "status": statuses,
            "geometry": layer.geometry.to_numpy(),
        }
    )


def layer_at(control: gpd.GeoDataFrame, day: dt.date | str) -> gpd.GeoDataFrame:
    """The rows of a control layer for one date (an absent date is an error naming the nearest)."""
    day = _as_date(day, "date")
    available = sorted(set(control["date"]))
    _require_dates([day], available, Path(control.attrs.get("path", "control layer")))
    return control[control["date"] == day]
