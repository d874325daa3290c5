"""The map's time axis: the days each event covers, the span of the slider, the day it opens at.

Why: a map of a six-month story must not show January's claims as if they were
made in August. Each event is on the axis for the days its date covers (a day,
or a week/month/range from date_start to date_end); control snapshots are on it
by date. A map made for one story opens at the story's publication day (the
latest `published`), so the control layer shown is the one on or before that
day, not the newest snapshot in the folder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from geoevents.maps.payload import column

WINDOWS = (1, 7, 30, 90, 365)  # days offered for "events in this window"
DEFAULT_WINDOW = 30
TICKS = 150  # play steps from the first to the last day, at most


def _day(value: Any) -> dt.date | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and np.isnan(value):
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def event_days(events: pd.DataFrame) -> tuple[list[dt.date | None], list[dt.date | None]]:
    """First and last day of each event: date_start/date_end, else read from `date` itself."""
    starts = [_day(v) for v in column(events, "date_start")]
    ends = [_day(v) for v in column(events, "date_end")]
    dates = column(events, "date")
    for i, (start, end) in enumerate(zip(starts, ends)):
        if start is None and dates[i] is not None:
            parsed = _parse(dates[i])
            if parsed is not None:
                starts[i], ends[i] = parsed
        elif end is None or (start is not None and end < start):
            ends[i] = start
    return starts, ends


def _parse(value: Any) -> tuple[dt.date, dt.date] | None:
    from geoevents.events.dates import DateError, parse_date

    try:
        resolved = parse_date(value)
    except (DateError, ValueError, TypeError):
        return None
    return resolved.start, resolved.end


def publication_day(events: pd.DataFrame) -> dt.date | None:
    """The latest `published` day among the events (the story's day), or None."""
    days = [d for d in (_day(v) for v in column(events, "published")) if d is not None]
    return max(days) if days else None


def time_axis(events: pd.DataFrame, control_dates: list[str]) -> tuple[dict[str, Any] | None, list, list]:
    """The slider's span and opening day, and each event's (start, end) as day offsets.

    Returns (axis, t0, t1); axis is None when there is nothing to move through
    (no control layer and every event on one day)."""
    starts, ends = event_days(events)
    snapshots = sorted({d for d in (_day(v) for v in control_dates) if d is not None})
    published = publication_day(events)
    known = [d for d in starts + ends + snapshots if d is not None]
    if not known:
        return None, [None] * len(starts), [None] * len(starts)
    first, last = min(known), max(known)
    if published is not None and snapshots and published >= first:
        last = max(last, published)  # the story's day is on the slider, with the layer of that day
    origin = first
    t0 = [None if s is None else (s - origin).days for s in starts]
    t1 = [None if e is None else (e - origin).days for e in ends]
    if not snapshots and first == last:
        return None, t0, t1
    opening = _opening(published, snapshots, starts, last)
    span = (last - first).days
    axis = {
        "start": first.isoformat(), "end": last.isoformat(), "open": opening.isoformat(),
        "published": published.isoformat() if published else None,
        "step": max(1, -(-span // TICKS)), "windows": list(WINDOWS), "window": DEFAULT_WINDOW,
    }
    return axis, t0, t1


def _opening(published: dt.date | None, snapshots: list[dt.date], starts: list[dt.date | None],
             last: dt.date) -> dt.date:
    """The story's publication day when the layer has a snapshot by then; else the last day.

    A layer that begins after the story has nothing to show on its day, so such a map
    opens at the layer's latest snapshot as before."""
    if published is None:
        return last
    if snapshots and snapshots[0] > published:
        return snapshots[-1]
    if snapshots:
        return published
    latest_start = max((s for s in starts if s is not None), default=published)
    return min(max(published, latest_start), last)


def snapshot_on_or_before(day: dt.date | str, dates: list[str]) -> str | None:
    """The latest control date on or before `day` (ISO text), or None."""
    target = _day(day)
    chosen = [d for d in sorted(dates) if _day(d) is not None and target is not None and _day(d) <= target]
    return chosen[-1] if chosen else None


def opening_state(events: pd.DataFrame, control_dates: list[str]) -> tuple[str | None, str | None, list[bool]]:
    """What a map shows when it opens: (day, control snapshot date, which events), as the page does.

    Events are shown "up to this date": from their first day on (undated ones always)."""
    axis, t0, _ = time_axis(events, control_dates)
    dates = sorted(set(control_dates))
    if axis is None:
        return None, dates[-1] if dates else None, [True] * len(t0)
    start = dt.date.fromisoformat(axis["start"])
    limit = (dt.date.fromisoformat(axis["open"]) - start).days
    shown = [t is None or t <= limit for t in t0]
    return axis["open"], snapshot_on_or_before(axis["open"], dates), shown
