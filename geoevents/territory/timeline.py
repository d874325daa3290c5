"""Area held per date and how it changed: per snapshot, per week, per month.

Why: a single diff answers "between these two dates"; people following a front
want the series — area held each day, gains and losses between consecutive
snapshots (geometric, so a gain here and a loss there do not cancel out
unseen), and net change per week and month. Snapshot gaps are handled honestly:
a change across a two-day gap is shown over two days, not as one day's change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoevents.territory.antimeridian import normalize_antimeridian
from geoevents.territory.area import geodesic_area_km2, polygonal
from geoevents.territory.control import controllers_as_text, read_control

TIMELINE_COLUMNS = [
    "date", "controller", "area_km2", "days", "change_km2", "change_per_day_km2",
    "gained_km2", "lost_km2", "slivers_dropped",
]
FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "MS"}


def _changed_area(after: np.ndarray, before: np.ndarray, sliver_km2: float) -> tuple[np.ndarray, np.ndarray]:
    """Area (km²) of after-minus-before for each pair, slivers dropped, and the sliver count."""
    parts, index = shapely.get_parts(polygonal(shapely.difference(after, before)), return_index=True)
    solid = ~shapely.is_empty(parts)
    parts, index = parts[solid], index[solid]
    areas = geodesic_area_km2(parts)
    small = areas < sliver_km2
    kept = np.bincount(index[~small], weights=areas[~small], minlength=len(after))
    dropped = np.bincount(index[small], minlength=len(after))
    return kept, dropped


def timeline(
    control: gpd.GeoDataFrame | str | Path,
    *,
    sliver_km2: float = 0.01,
    chunk: int = 16,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
) -> pd.DataFrame:
    """Per date and controller: area held (km²) and change since the previous snapshot.

    Columns: date, controller, area_km2, days (since the previous snapshot),
    change_km2 (net), change_per_day_km2 (net spread over the gap), gained_km2
    and lost_km2 (geometric differences with consecutive snapshots, parts below
    `sliver_km2` dropped), slivers_dropped. `control` is a read_control frame or
    a path for it. `progress` wraps the loop over chunks of snapshot pairs.
    """
    if not isinstance(control, gpd.GeoDataFrame):
        control = read_control(control)
    control = controllers_as_text(control).sort_values(["controller", "date"], kind="stable")
    if control.duplicated(["controller", "date"]).any():
        control = control.dissolve(by=["controller", "date"], as_index=False)

    frames = []
    jobs = []  # (controller, start) chunks, so one progress bar covers all controllers
    for controller, group in control.groupby("controller", sort=True):
        geoms = normalize_antimeridian(polygonal(group.geometry.to_numpy()))
        frames.append((controller, group, geoms))
        jobs.extend((len(frames) - 1, start) for start in range(0, max(len(geoms) - 1, 0), chunk))

    gained = [np.zeros(len(g)) for _, _, g in frames]
    lost = [np.zeros(len(g)) for _, _, g in frames]
    slivers = [np.zeros(len(g), dtype=int) for _, _, g in frames]
    for which, start in progress(jobs) if progress else jobs:
        geoms = frames[which][2]
        stop = min(start + chunk, len(geoms) - 1)
        before, after = geoms[start:stop], geoms[start + 1:stop + 1]
        gain, gain_slivers = _changed_area(after, before, sliver_km2)
        loss, loss_slivers = _changed_area(before, after, sliver_km2)
        gained[which][start + 1:stop + 1] = gain
        lost[which][start + 1:stop + 1] = loss
        slivers[which][start + 1:stop + 1] = gain_slivers + loss_slivers

    tables = []
    for which, (controller, group, geoms) in enumerate(frames):
        area = geodesic_area_km2(geoms)
        days = pd.Series(pd.to_datetime(group["date"]).to_numpy()).diff().dt.days.to_numpy()
        change = np.diff(area, prepend=np.nan)
        table = pd.DataFrame(
            {
                "date": group["date"].to_numpy(),
                "controller": controller,
                "area_km2": area,
                "days": days,
                "change_km2": change,
                "change_per_day_km2": change / days,
                "gained_km2": np.where(np.arange(len(area)) == 0, np.nan, gained[which]),
                "lost_km2": np.where(np.arange(len(area)) == 0, np.nan, lost[which]),
                "slivers_dropped": slivers[which],
            }
        )
        tables.append(table)
    result = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=TIMELINE_COLUMNS)
    result["days"] = result["days"].astype("Int64")
    result.attrs.update({"gaps": control.attrs.get("gaps", []), "sliver_km2": sliver_km2})
    return result[TIMELINE_COLUMNS]


def resample_timeline(table: pd.DataFrame, period: str = "week") -> pd.DataFrame:
    """Net change per day, week (Monday..Sunday) or month, per controller.

    Net change of a period = area held at its last snapshot minus area held at
    the last snapshot of the previous period (for the first period: minus its
    first snapshot), so snapshot gaps never lose or double-count change.
    Gains and losses are summed over the pairs ending in the period. For
    "day", days with no snapshot appear with NaN area (a gap, not zero change)."""
    if period not in FREQUENCIES:
        raise ValueError(f"period must be one of {', '.join(FREQUENCIES)}, not {period!r}")
    out = []
    for controller, group in table.groupby("controller", sort=True):
        series = group.set_index(pd.to_datetime(group["date"])).sort_index()
        resampler = series.resample(FREQUENCIES[period])
        frame = pd.DataFrame(
            {
                "area_km2": resampler["area_km2"].last(),
                "snapshots": resampler["area_km2"].count(),
                "gained_km2": resampler["gained_km2"].sum(min_count=1),
                "lost_km2": resampler["lost_km2"].sum(min_count=1),
            }
        )
        held = frame["area_km2"].ffill()
        previous = held.shift(1)
        previous.iloc[0] = series["area_km2"].iloc[0]
        frame["net_change_km2"] = np.where(frame["snapshots"] > 0, held - previous, np.nan)
        frame.index.name = "period_start"
        if period == "week":
            frame.index = frame.index - pd.Timedelta(days=6)  # label weeks by their Monday
        frame.insert(0, "controller", controller)
        out.append(frame.reset_index())
    columns = ["period_start", "controller", "area_km2", "net_change_km2", "gained_km2", "lost_km2", "snapshots"]
    if not out:
        return pd.DataFrame(columns=columns)
    result = pd.concat(out, ignore_index=True)[columns]
    result["period_start"] = result["period_start"].dt.date
    return result


def change_bars(table: pd.DataFrame) -> pd.DataFrame:
    """The bars of the timeline chart: net change per day over the real span between snapshots.

    Dense snapshots are thinned to the last one of each week (Monday..Sunday),
    sparse ones are kept as they are; each bar runs from one kept snapshot to the
    next (`start`, `days`), and its height is the net change over that span
    divided by its days (`per_day_km2`), so a month between two snapshots is
    drawn as a month-wide bar at its average daily rate, never as one week's change."""
    rows = []
    for controller, group in table.groupby("controller", sort=True):
        series = group.assign(date=pd.to_datetime(group["date"])).sort_values("date")
        week = series["date"].dt.to_period("W-SUN")
        kept = series[week.ne(week.shift(-1))]  # the last snapshot of each week
        kept = pd.concat([series.iloc[:1], kept]).drop_duplicates("date")
        dates, area = kept["date"].to_numpy(), kept["area_km2"].to_numpy()
        for k in range(1, len(kept)):
            days = int((dates[k] - dates[k - 1]) / np.timedelta64(1, "D"))
            change = float(area[k] - area[k - 1])
            rows.append({"controller": controller, "start": pd.Timestamp(dates[k - 1]), "days": days,
                         "change_km2": change, "per_day_km2": change / days})
    return pd.DataFrame(rows, columns=["controller", "start", "days", "change_km2", "per_day_km2"])


def plot_timeline(table: pd.DataFrame, path: str | Path, *, title: str | None = None) -> Path:
    """A PNG: area held per date (top) and net change per day between snapshots (bottom bars).

    Bars span the real interval between the snapshots they compare (change_bars),
    so irregular snapshots are drawn as they are. Every text is drawn literally
    (geoevents.plotting): a `$` in a controller name or title is just a dollar
    sign. Uses the non-interactive Agg backend so it works on servers and in CI."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geoevents.plotting import literal_text

    path = Path(path)
    bars = change_bars(table)
    with literal_text():
        fig = timeline_figure(table, bars, title=title)
    try:
        from geoevents.io.atomic import atomic_path

        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=120)
    finally:
        plt.close(fig)
    return path


def timeline_figure(table: pd.DataFrame, bars: pd.DataFrame, *, title: str | None = None):
    """The matplotlib Figure plot_timeline saves (call inside geoevents.plotting.literal_text)."""
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, height_ratios=[3, 2])
    try:
        for controller, group in table.groupby("controller", sort=True):
            top.plot(pd.to_datetime(group["date"]), group["area_km2"], label=f"held by {controller}")
        for controller, group in bars.groupby("controller", sort=True):
            values = group["per_day_km2"].to_numpy()
            colors = np.where(values >= 0, "#b2182b", "#2166ac")
            bottom.bar(group["start"], values, width=group["days"].to_numpy(), align="edge", color=colors,
                       edgecolor="white", linewidth=0.3, label=f"{controller}: net change per day")
        top.set_ylabel("area held (km²)")
        top.set_title(title or "Area held per date")
        top.legend(loc="best")
        top.grid(alpha=0.3)
        if len(bars):
            bottom.legend(loc="best", fontsize=8)
        bottom.axhline(0, color="black", linewidth=0.6)
        bottom.set_ylabel("net change (km² per day)")
        bottom.set_title("each bar spans the days between the snapshots it compares "
                         "(the last of each week when denser)", fontsize=8, loc="left")
        bottom.grid(alpha=0.3)
        fig.autofmt_xdate()
        fig.tight_layout()
    except BaseException:
        plt.close(fig)
        raise
    return fig
