"""Check area claims ("about 1,000 km² of Kursk Oblast") against a dated control layer.

Why: reports quote area figures; a control layer measures them. The check must
measure the right thing: a claim is about one controller (who holds or took the
ground) inside one region (the claim's admin1 unit, else its country), at one
date (or between two dates for "took N km² since ..."). When the layer cannot
say anything about that controller or place, the verdict is "no data" — never
a made-up mismatch.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoevents.territory.area import geodesic_area_km2_scalar, polygonal
from geoevents.territory.control import controllers_as_text, read_control

#: figure_unit -> factor to km²
AREA_UNITS: dict[str, float] = {
    "km2": 1.0, "km²": 1.0, "sq km": 1.0, "sqkm": 1.0, "square km": 1.0,
    "square kilometres": 1.0, "square kilometers": 1.0,
    "mi2": 2.589988110336, "sq mi": 2.589988110336, "square miles": 2.589988110336,
    "ha": 0.01, "hectares": 0.01, "m2": 1e-6,
}

#: adjectives and names in `actor` text -> controller country code (used only when no
#: explicit `controller` column is given); longer keys are matched first.
ACTOR_COUNTRIES: dict[str, str] = {
    "ukrain": "UA", "kyiv": "UA", "russia": "RU", "moscow": "RU", "kremlin": "RU",
    "north korea": "KP", "belarus": "BY",
}

VERDICTS = ("consistent", "overstated", "understated", "no data")
CLAIM_COLUMNS = [
    "id", "date", "claimant", "actor", "controller", "measure", "region", "figure",
    "figure_unit", "claimed_km2", "approximate", "layer_date_before", "area_before_km2",
    "layer_date_after", "area_after_km2", "measured_km2", "ratio", "verdict", "reason",
]


def controller_of(row: pd.Series) -> str | None:
    """The country whose control a claim is about: `controller` column, else from `actor`."""
    explicit = row.get("controller")
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip().upper()
    actor = row.get("actor")
    if not isinstance(actor, str) or not actor.strip():
        return None
    text = actor.strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        return text
    lowered = text.lower()
    for key in sorted(ACTOR_COUNTRIES, key=len, reverse=True):
        if key in lowered:
            return ACTOR_COUNTRIES[key]
    return None


def measure_of(row: pd.Series, start: dt.date | None, end: dt.date | None) -> str:
    """What a figure counts: area "held" at a date, or area "gained"/"lost" over a range.

    An explicit `measure` column wins; otherwise an advance or withdrawal with a
    date range counts the change over that range, and everything else the area
    held at the claim's (end) date — "seized about 1,000 km²" six months into an
    incursion is what the attacker holds then."""
    explicit = row.get("measure")
    if isinstance(explicit, str) and explicit in ("held", "gained", "lost"):
        return explicit
    ranged = start is not None and end is not None and start < end
    kind = row.get("kind")
    if ranged and kind == "advance":
        return "gained"
    if ranged and kind == "withdrawal":
        return "lost"
    return "held"


def _day(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _claim_dates(row: pd.Series) -> tuple[dt.date | None, dt.date | None]:
    start, end = _day(row.get("date_start")), _day(row.get("date_end"))
    raw = row.get("date")
    if isinstance(raw, str) and "/" in raw and (start is None or end is None):
        first, _, last = raw.partition("/")
        start, end = start or _day(first), end or _day(last)
    if start is None and end is None:
        start = end = _day(raw)
    return start or end, end or start


def _unit_factor(unit: Any) -> float | None:
    if not isinstance(unit, str):
        return None
    return AREA_UNITS.get(unit.strip().lower())


class _Layer:
    """A control layer indexed for repeated clipped-area lookups (results cached)."""

    def __init__(self, control: gpd.GeoDataFrame, sliver_km2: float):
        self.sliver_km2 = sliver_km2
        self.geoms: dict[tuple[str, dt.date], Any] = {}
        for (controller, day), group in control.groupby(["controller", "date"]):
            geoms = polygonal(group.geometry.to_numpy())
            self.geoms[(controller, day)] = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        self.controllers = sorted({c for c, _ in self.geoms})
        self.dates = {c: sorted(d for cc, d in self.geoms if cc == c) for c in self.controllers}
        self._cache: dict[tuple, float] = {}

    def nearest(self, controller: str, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        days = self.dates[controller]
        if day in days:
            return day, day
        before = max((d for d in days if d < day), default=None)
        after = min((d for d in days if d > day), default=None)
        return before, after

    def held(self, controller: str, day: dt.date, region_key: str, region: Any) -> float:
        key = ("held", controller, day, region_key)
        if key not in self._cache:
            geom = self.geoms[(controller, day)]
            if region is not None:
                geom = shapely.intersection(geom, region)
            self._cache[key] = geodesic_area_km2_scalar(geom)
        return self._cache[key]

    def changed(self, controller: str, first: dt.date, last: dt.date, region_key: str,
                region: Any, gained: bool) -> float:
        key = ("gained" if gained else "lost", controller, first, last, region_key)
        if key not in self._cache:
            a, b = self.geoms[(controller, first)], self.geoms[(controller, last)]
            geom = shapely.difference(b, a) if gained else shapely.difference(a, b)
            if region is not None:
                geom = shapely.intersection(geom, region)
            parts = shapely.get_parts(polygonal(geom))
            from geoevents.territory.area import geodesic_area_km2

            areas = geodesic_area_km2(parts)
            self._cache[key] = float(areas[areas >= self.sliver_km2].sum())
        return self._cache[key]


def layer_coverage(control: gpd.GeoDataFrame, admin0: gpd.GeoDataFrame, share: float = 0.01) -> dict[str, set[str]]:
    """Countries each controller's polygons materially overlap (> `share` of its area).

    A layer like DeepStateMap maps occupied Ukraine only: a claim about a Russian
    region cannot be checked against it, even though its border strokes touch Russia."""
    from geoevents.territory.border_noise import share_in

    coverage: dict[str, set[str]] = {}
    countries = admin0.geometry.to_numpy()
    tree = shapely.STRtree(countries)
    for controller, group in control.groupby("controller"):
        # first and last snapshot: enough to see where a layer maps, without unioning all dates
        ends = shapely.union_all(polygonal(group.sort_values("date").geometry.to_numpy()[[0, -1]]))
        coverage[controller] = {admin0["country_code"].iloc[index]
                                for index in tree.query(ends, predicate="intersects")
                                if share_in(ends, countries[index]) > share}
    return coverage


def _read_boundaries(level: str) -> gpd.GeoDataFrame | None:
    """The shipped boundaries, or None (with a warning) when they are not installed/built:
    claims that need them then get "no data" instead of the whole run failing."""
    try:
        from geoevents.regions.boundaries import read_boundaries

        return read_boundaries(level)
    except (ImportError, FileNotFoundError, ValueError) as error:  # BoundariesError is a ValueError
        warnings.warn(f"{level} boundaries unavailable, claims needing them get 'no data': {error}",
                      stacklevel=3)
        return None


def check_claims(
    events: pd.DataFrame | str | Path,
    control: gpd.GeoDataFrame | str | Path,
    *,
    tolerance: float = 0.15,
    max_days: int = 7,
    sliver_km2: float = 0.01,
    boundaries: gpd.GeoDataFrame | None = None,
    admin0: gpd.GeoDataFrame | None = None,
    coverage: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Measure every area claim against the control layer and give a verdict.

    `events` is read_events output (or a path for it, or any frame with columns
    figure, figure_unit, date/date_start/date_end, admin1_code, country_code,
    actor or controller, kind). Rows without an area figure are skipped. For each
    claim: claimed_km2, the layer snapshots on/around its date (nearest before and
    after within `max_days`), measured_km2 (the exact date, else interpolated
    between the two, else the one side found), ratio = claimed / measured and a
    verdict: consistent (within ±`tolerance`, or between the two bracketing
    measurements), overstated, understated, or no data (with the reason).
    `boundaries`/`admin0` override read_boundaries("admin1"/"admin0"); `coverage`
    maps controller -> country codes the layer maps (default: derived from admin0).
    """
    if not 0 <= tolerance < 1:
        raise ValueError(f"tolerance must be in [0, 1), not {tolerance}")
    if not isinstance(events, pd.DataFrame):
        from geoevents.events.read import read_events

        events = read_events(events)
    if not isinstance(control, gpd.GeoDataFrame):
        control = read_control(control)
    control = controllers_as_text(control)
    for column in ("figure", "figure_unit"):
        if column not in events.columns:
            raise ValueError(f"events have no `{column}` column; nothing to check")

    factors = events["figure_unit"].map(_unit_factor)
    figures = pd.to_numeric(events["figure"], errors="coerce")
    claims = events[factors.notna() & figures.notna()]
    layer = _Layer(control, sliver_km2)

    needs_regions = claims.get("admin1_code", pd.Series(dtype=object)).notna().any()
    if boundaries is None and needs_regions:
        boundaries = _read_boundaries("admin1")
    has_country = claims.get("country_code", pd.Series(dtype=object)).notna().any()
    if admin0 is None and (coverage is None or has_country):
        admin0 = _read_boundaries("admin0")
    if coverage is None and admin0 is not None:
        coverage = layer_coverage(control, admin0)
    regions = {} if boundaries is None else dict(zip(boundaries["admin1_code"], boundaries.geometry))
    countries = {} if admin0 is None else dict(zip(admin0["country_code"], admin0.geometry))

    rows = []
    for index, row in claims.iterrows():
        record = _check_one(row, figures[index] * factors[index], layer, regions, countries,
                            coverage, tolerance, max_days)
        rows.append(record)
    result = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    if isinstance(claims, gpd.GeoDataFrame) and len(claims):
        result = gpd.GeoDataFrame(result, geometry=claims.geometry.to_numpy(), crs=claims.crs)
    result.attrs["tolerance"] = tolerance
    return result


def _region_of(row: pd.Series, regions: dict, countries: dict) -> tuple[str, Any, str | None]:
    """(label, geometry or None for the whole layer, problem)."""
    code = row.get("admin1_code")
    if isinstance(code, str) and code and row.get("geo_precision") != "country":
        if code not in regions:
            return code, None, f"no boundary for region {code} (boundaries not available?)"
        return code, regions[code], None
    country = row.get("country_code")
    if isinstance(country, str) and country:
        if country not in countries:
            return country, None, f"no boundary for country {country} (boundaries not available?)"
        return country, countries[country], None
    return "whole layer", None, None


def _check_one(row, claimed_km2, layer, regions, countries, coverage, tolerance, max_days) -> dict:
    start, end = _claim_dates(row)
    controller = controller_of(row)
    measure = measure_of(row, start, end)
    label, region, problem = _region_of(row, regions, countries)
    record: dict[str, Any] = {
        "id": row.get("id"), "date": row.get("date"), "claimant": row.get("claimant"),
        "actor": row.get("actor"), "controller": controller, "measure": measure,
        "region": label, "figure": float(row["figure"]), "figure_unit": row["figure_unit"],
        "claimed_km2": float(claimed_km2), "approximate": row.get("approximate"),
        "layer_date_before": None, "area_before_km2": None, "layer_date_after": None,
        "area_after_km2": None, "measured_km2": None, "ratio": None, "verdict": "no data",
        "reason": None,
    }
    country = label[:2] if label != "whole layer" else None
    if end is None:
        record["reason"] = "the claim has no usable date"
    elif controller is None:
        record["reason"] = "cannot tell whose control the claim is about (set `controller` or `actor`)"
    elif controller not in layer.controllers:
        record["reason"] = (f"the control layer has no polygons for controller {controller} "
                            f"(it maps {', '.join(layer.controllers)})")
    elif problem:
        record["reason"] = problem
    elif coverage is not None and country and country not in coverage.get(controller, set()):
        mapped = ", ".join(sorted(coverage.get(controller, set()))) or "nothing"
        record["reason"] = f"the control layer maps {controller} control in {mapped}, not in {country}"
    if record["reason"]:
        return record

    if measure == "held":
        sides = _sides(layer, controller, end, max_days)
        values = [layer.held(controller, d, label, region) if d else None for d in sides]
    else:
        first = _sides(layer, controller, start, max_days)
        last = _sides(layer, controller, end, max_days)
        # the widest and narrowest spans bracketing the claimed range
        pairs = [(first[1], last[0]), (first[0], last[1])]
        sides = (last[0], last[1])
        values = [
            layer.changed(controller, a, b, label, region, measure == "gained") if a and b and a < b else None
            for a, b in pairs
        ]
    if all(v is None for v in values):
        record["reason"] = f"no control snapshot within {max_days} days of {end}"
        return record
    record.update({"layer_date_before": _iso(sides[0]), "area_before_km2": values[0],
                   "layer_date_after": _iso(sides[1]), "area_after_km2": values[1]})
    record["measured_km2"] = _combine(values, sides, end, measure)
    _verdict(record, values, tolerance)
    return record


def _sides(layer: _Layer, controller: str, day: dt.date, max_days: int) -> tuple[dt.date | None, dt.date | None]:
    before, after = layer.nearest(controller, day)
    if before is not None and (day - before).days > max_days:
        before = None
    if after is not None and (after - day).days > max_days:
        after = None
    return before, after


def _combine(values: list, sides: tuple, day: dt.date, measure: str) -> float:
    present = [v for v in values if v is not None]
    if len(present) == 1 or values[0] == values[1]:
        return float(present[0])
    if measure != "held" or sides[0] == sides[1]:
        return float(np.mean(present))
    span = (sides[1] - sides[0]).days
    weight = (day - sides[0]).days / span
    return float(values[0] + weight * (values[1] - values[0]))


def _verdict(record: dict, values: list, tolerance: float) -> None:
    claimed, measured = record["claimed_km2"], record["measured_km2"]
    present = [v for v in values if v is not None]
    low, high = min(present), max(present)
    if measured > 0:
        record["ratio"] = claimed / measured
    if low * (1 - tolerance) <= claimed <= high * (1 + tolerance) or (
        measured > 0 and abs(claimed / measured - 1) <= tolerance
    ):
        record["verdict"] = "consistent"
    elif claimed > high * (1 + tolerance):
        record["verdict"] = "overstated"
    else:
        record["verdict"] = "understated"
    record["reason"] = (f"claimed {claimed:,.0f} km², measured {measured:,.0f} km² "
                        f"(tolerance ±{tolerance:.0%})")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
