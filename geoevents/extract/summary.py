"""The human summary `geoevents extract` prints: places, ambiguous names, claims by claimant."""

from __future__ import annotations

from typing import Any

from geoevents.extract.pipeline import Extraction


def _border_distance(lat: float, lon: float) -> dict[str, Any] | None:
    """Distance to the nearest international border, when the boundaries part is installed."""
    try:
        from geoevents.regions.borders import border_distance
    except ImportError:
        return None
    try:
        return border_distance(lat, lon)
    except Exception as error:  # noqa: BLE001 - a summary must not fail on an optional extra
        return {"error": str(error)}


def summary_lines(result: Extraction, output: str | None = None) -> list[str]:
    lines: list[str] = []
    places: dict[tuple, dict[str, Any]] = {}
    for mention in result.mentions:
        r = mention.result
        if mention.kind == "demonym" or r.get("error"):
            continue
        key = (r.get("geonames_id"), r.get("admin1_code"), r.get("name"))
        entry = places.setdefault(key, {"mention": mention, "roles": set(), "count": 0})
        entry["roles"].add(mention.role)
        entry["count"] += 1
    lines.append(f"Places ({len(places)}):")
    for entry in places.values():
        mention, r = entry["mention"], entry["mention"].result
        where = ", ".join(x for x in (r.get("admin1_name") or r.get("admin1_code"), r.get("country_code")) if x)
        border = ""
        if mention.kind == "landmark":
            where = f"stands for {mention.stands_for}"
        elif r.get("feature") == "place" and r.get("latitude") is not None and entry["roles"] != {"actor"}:
            distance = _border_distance(r["latitude"], r["longitude"])
            if distance and distance.get("border_distance_km") is not None:
                border = f", {distance['border_distance_km']:.0f} km from the {distance.get('border_country', '')} border"
        roles = "/".join(sorted(entry["roles"]))
        lines.append(f"  {mention.text} -> {r.get('name')} [{r.get('feature')}] {where}{border} "
                     f"({roles}, x{entry['count']})")
    ambiguous = [m for m in result.mentions if m.result.get("ambiguous") and m.kind != "demonym"]
    if ambiguous:
        lines.append("Ambiguous names (check these):")
        seen = set()
        for mention in ambiguous:
            if mention.text in seen:
                continue
            seen.add(mention.text)
            others = [f"{c.get('name')} ({c.get('admin1_code') or c.get('country_code')})"
                      for c in (mention.result.get("candidates") or [])[:4]]
            lines.append(f"  {mention.text}: chose {mention.result.get('name')} "
                         f"({mention.result.get('admin1_code')}); candidates: {', '.join(others)}")
    lines.append(f"Claims by claimant ({len(result.events)} draft events):")
    for claimant, events in result.claims_by_claimant().items():
        lines.append(f"  {claimant}:")
        for event in events:
            figure = ""
            if event.get("figure") is not None:
                figure = f" {'~' if event.get('approximate') else ''}{event['figure']:,.0f} {event.get('figure_unit')}"
            lines.append(f"    [{event['status']}] {event['date']} {event['kind']}{figure}"
                         f" @ {event.get('place', '?')}")
    if output:
        lines.append(f"Wrote {output} (review every event: review: true)")
    return lines
