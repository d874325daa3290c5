"""`diff --by admin1` counts a layer's redrawn border edge as noise, not as ground gained or lost."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.territory.area import geodesic_area_km2
from geoevents.territory.control import layer_at, read_control
from geoevents.territory.diff import diff_control, summarize_diff, summary_record

D1, D2 = dt.date(2024, 8, 1), dt.date(2024, 8, 20)

# two countries meeting at longitude 31: AA to the west (mapped), BB to the east
ADMIN0 = gpd.GeoDataFrame({"country_code": ["AA", "BB"]},
                          geometry=[shapely.box(28, 49, 31, 52), shapely.box(31, 49, 34, 52)], crs=4326)
ADMIN1 = gpd.GeoDataFrame({"admin1_code": ["AA-1", "BB-1"], "admin1_name": ["West", "East"]},
                          geometry=list(ADMIN0.geometry), crs=4326)


def area(geom) -> float:
    return float(geodesic_area_km2(geom)[0])


def layer(day, **held) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"date": [day] * len(held), "controller": list(held)},
                            geometry=list(held.values()), crs=4326)


def split(a, b, **options):
    return diff_control(a, b, by="admin1", boundaries=ADMIN1, admin0=ADMIN0, **options)


def test_a_redrawn_edge_across_the_border_is_noise_and_a_real_advance_is_not():
    before = layer(D1, RU=shapely.box(29.5, 50, 31.0, 51))
    # RU advances 0.1° west inside AA; its east edge, drawn along the border, now spills 0.01° into BB
    after = layer(D2, RU=shapely.box(29.4, 50, 31.01, 51))
    changes = split(before, after)
    by_change = {c: changes[changes["change"] == c] for c in ("gained", "lost", "noise")}
    assert list(by_change["gained"]["admin1_code"]) == ["AA-1"]
    assert list(by_change["noise"]["admin1_code"]) == ["BB-1"]
    assert by_change["gained"]["area_km2"].sum() == pytest.approx(area(shapely.box(29.4, 50, 29.5, 51)), rel=1e-9)
    assert by_change["noise"]["area_km2"].sum() == pytest.approx(area(shapely.box(31.0, 50, 31.01, 51)), rel=1e-9)

    totals = summarize_diff(changes.drop(columns=["admin1_code", "admin1_name"]))
    row = totals.iloc[0]
    assert row["gained_km2"] == pytest.approx(by_change["gained"]["area_km2"].sum())
    assert row["net_km2"] == pytest.approx(row["gained_km2"])  # the noise is not net change
    assert row["noise_km2"] == pytest.approx(by_change["noise"]["area_km2"].sum())
    record = summary_record(changes)
    assert "holds < 1%" in record["border_noise"]
    east = next(r for r in record["regions"] if r["admin1_code"] == "BB-1")
    assert (east["gained_km2"], east["lost_km2"]) == (0, 0) and east["noise_km2"] > 0

    raw = split(before, after, border_noise=False)
    assert set(raw["change"]) == {"gained"} and "noise_km2" not in summarize_diff(raw).columns


def test_an_incursion_into_the_other_country_is_real_change():
    """Like Ukraine's Kursk incursion in August 2024: UA holds nothing in BB, then 1,000 km² there."""
    before = layer(D1, RU=shapely.box(29.0, 50, 31.0, 51.5))
    incursion = shapely.box(31.0, 50.6, 31.45, 51.0)
    after = layer(D2, RU=shapely.box(29.0, 50, 31.0, 51.5), UA=incursion)
    changes = split(before, after)
    ua = changes[changes["controller"] == "UA"]
    assert list(ua["change"]) == ["gained"] and list(ua["admin1_code"]) == ["BB-1"]
    assert ua["area_km2"].sum() == pytest.approx(area(incursion), rel=1e-9)
    assert 1000 < area(incursion) < 1500
    # and its partial loss later is real too
    later = layer(D2 + dt.timedelta(days=30), RU=shapely.box(29.0, 50, 31.0, 51.5),
                  UA=shapely.box(31.0, 50.6, 31.2, 51.0))
    lost = split(after, later)
    assert list(lost.loc[lost["controller"] == "UA", "change"]) == ["lost"]


def test_change_in_the_mapped_country_is_never_noise_however_thin():
    before = layer(D1, RU=shapely.box(29.5, 50, 31.0, 51))
    after = layer(D2, RU=shapely.box(29.4999, 50, 31.0, 51))  # an 7 m wide strip inside AA
    changes = split(before, after, sliver_km2=0)
    assert list(changes["change"]) == ["gained"]


@pytest.fixture(scope="module")
def deepstate_pair(deepstate_dir):
    control = read_control(deepstate_dir, dates=["2024-07-08", "2025-02-07"])
    return layer_at(control, "2024-07-08"), layer_at(control, "2025-02-07")


def test_deepstate_kursk_oblast_is_noise_and_ukraine_is_untouched(deepstate_pair):
    changes = diff_control(*deepstate_pair, by="admin1")
    raw = diff_control(*deepstate_pair, by="admin1", border_noise=False)
    noise = changes[changes["change"] == "noise"]
    # every piece in a Russian region (and only those) is reclassified; Ukraine's are kept as they were
    in_russia = raw["admin1_code"].fillna("").str.startswith("RU-")
    assert set(noise["admin1_code"].dropna()) == {"RU-BEL", "RU-KRS", "RU-ROS"}
    assert (changes.loc[in_russia.to_numpy(), "change"] == "noise").all()
    in_ukraine = raw["admin1_code"].fillna("").str.startswith("UA-").to_numpy()
    assert (changes.loc[in_ukraine, "change"] == raw.loc[in_ukraine, "change"]).all()
    regions = summarize_diff(changes).set_index("admin1_code")
    assert regions.loc["RU-KRS", "gained_km2"] == 0
    assert regions.loc["RU-KRS", "noise_km2"] == pytest.approx(
        raw.loc[raw["admin1_code"] == "RU-KRS", "area_km2"].sum())
    assert 0.5 < regions.loc["RU-KRS", "noise_km2"] < 1.0  # the 0.69 km² the issue reported
    assert regions.loc["UA-14", "net_km2"] > 2000  # Donetsk Oblast's real change stays


def test_cli_table_json_and_geojson_show_the_noise(deepstate_dir, tmp_path):
    out = tmp_path / "changes.geojson"
    args = ["diff", str(deepstate_dir), "--from", "2024-07-08", "--to", "2025-02-07", "--by", "admin1"]
    result = CliRunner().invoke(main, args + ["-o", str(out), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    kursk = next(r for r in record["regions"] if r["admin1_code"] == "RU-KRS")
    assert kursk["gained_km2"] == 0 and kursk["noise_km2"] > 0.5
    written = gpd.read_file(out)
    assert set(written["change"]) == {"gained", "lost", "noise"}
    assert set(written.loc[written["change"] == "noise", "admin1_code"].dropna()) == {"RU-BEL", "RU-KRS", "RU-ROS"}
    table = CliRunner().invoke(main, args, env={"COLUMNS": "100"}, catch_exceptions=False)
    assert "border noise" in table.stdout and "(not gained or lost)" in table.stdout
    raw = CliRunner().invoke(main, args + ["--no-border-noise", "--format", "json"], catch_exceptions=False)
    kursk = next(r for r in json.loads(raw.stdout)["regions"] if r["admin1_code"] == "RU-KRS")
    assert kursk["gained_km2"] > 0.5 and "noise_km2" not in kursk
