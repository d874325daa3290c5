"""`geoevents diff`, `timeline` and `check-claims`: territory change from the command line.

Top-level imports stay light (click + stdlib) so other verbs start fast;
geopandas, rich and matplotlib are imported inside the commands.
"""

from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geoevents.cli.outputs import guard_outputs, output_errors

_DATE = click.DateTime(formats=["%Y-%m-%d"])


@contextmanager
def _user_errors():
    """Turn known bad-input errors into a clean message and exit status 1.

    Control-layer errors are already located (`file:feature N (line L):field:
    error: ...`, one line per problem) and are printed as they are."""
    from geoevents.territory.control import ControlLayerError

    try:
        yield
    except ControlLayerError as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from error
    except (ValueError, FileNotFoundError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        raise click.ClickException(str(message)) from error


def _progress(description: str):
    """Progress of a loop on stderr (never stdout, so JSON output stays clean)."""
    from geoevents.cli.progress import track

    return track(description)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _clean(value: Any) -> Any:
    """NaN/inf -> None so JSON output is valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def _dump_json(data: Any) -> str:
    return json.dumps(_clean(data), default=_json_default, indent=2, ensure_ascii=False)


def _records(frame) -> list[dict]:
    plain = frame.drop(columns="geometry", errors="ignore")
    return [_clean({k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()})
            for row in plain.to_dict(orient="records")]


def _write_frame(frame, path: Path, *, geometry: bool) -> None:
    """CSV (no geometry), JSON records, or a GeoJSON/GPKG with geometry; atomically."""
    from geoevents.io.atomic import atomic_path, write_text

    suffix = _output_suffix(path, geometry=geometry)
    if suffix == ".csv":
        from geoevents.io.csvcell import write_frame

        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
            write_frame(frame.drop(columns="geometry", errors="ignore"), handle)
    elif suffix == ".json":
        write_text(path, _dump_json(_records(frame)) + "\n")
    else:
        import geopandas as gpd

        out = frame.copy()
        for column in out.columns:
            if column != "geometry" and out[column].dtype == object:
                out[column] = out[column].map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
        driver = "GeoJSON" if suffix == ".geojson" else "GPKG"
        gdf = gpd.GeoDataFrame(out, geometry="geometry", crs=4326)
        options = {"RFC7946": "YES"} if driver == "GeoJSON" else {}
        from pyogrio.errors import DataSourceError

        with atomic_path(path, write_errors=(DataSourceError,)) as tmp:
            gdf.to_file(tmp, driver=driver, layer=path.stem, layer_options=options or None)


def _output_suffix(path: Path, *, geometry: bool) -> str:
    """The output type from the extension; a usage error (exit 2) before any work if unknown."""
    suffix = path.suffix.lower()
    allowed = (".csv", ".json", ".geojson", ".gpkg") if geometry else (".csv", ".json")
    if suffix not in allowed:
        raise click.BadParameter(f"{path}: unsupported output type {suffix or '(none)'}; use "
                                 f"{', '.join(allowed)}", param_hint="-o/--output")
    return suffix


def _console():
    """stdout console as wide as the terminal (or COLUMNS); wide when piped to a file."""
    from rich.console import Console

    from geoevents.cli.tables import PIPED_WIDTH, output_width

    return Console(width=output_width() or PIPED_WIDTH, highlight=False)


def _print_table(console, title: str, frame, keys: list[str], *, text: tuple[str, ...] = (),
                 formats: dict[str, str] | None = None, caption: str | None = None) -> None:
    """A table that fits the console: numbers, dates and verdicts whole (geoevents.cli.tables)."""
    from geoevents.cli.tables import columns_of, frame_rows, render

    columns = columns_of(frame, keys, text=text)
    console.print(render(title, columns, frame_rows(frame, columns, formats), width=console.width,
                         caption=caption))


# --------------------------------------------------------------------------- diff

def _load_layers(a: Path, b: Path | None, date_from, date_to, controller: str):
    """The two single-date layers to compare, from two files or one folder/file plus dates."""
    from geoevents.territory.control import layer_at, read_control

    if b is None:
        if date_from is None or date_to is None:
            raise click.UsageError("give two layers (A B), or one folder/file A with --from and --to")
        layer = read_control(a, controller=controller, dates=[date_from.date(), date_to.date()],
                             progress=_progress("reading snapshots"))
        return layer_at(layer, date_from.date()), layer_at(layer, date_to.date())
    first = read_control(a, controller=controller)
    second = read_control(b, controller=controller)
    if date_from is not None:
        first = layer_at(first, date_from.date())
    if date_to is not None:
        second = layer_at(second, date_to.date())
    for name, path, layer, option in (("A", a, first, "--from"), ("B", b, second, "--to")):
        days = sorted(set(layer["date"]))
        if len(days) > 1:
            raise click.UsageError(f"{name} ({path}) holds {len(days)} dates ({days[0]}..{days[-1]}); "
                                   f"pick one with {option}")
    return first, second


@click.command("diff")
@click.argument("a", type=click.Path(exists=True, path_type=Path))
@click.argument("b", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--from", "date_from", type=_DATE, metavar="YYYY-MM-DD", help="Earlier date (YYYY-MM-DD) in a folder or multi-date file.")
@click.option("--to", "date_to", type=_DATE, metavar="YYYY-MM-DD", help="Later date (YYYY-MM-DD) in a folder or multi-date file.")
@click.option("--by", type=click.Choice(["admin1"]), default=None, help="Split the change by region.")
@click.option("--boundaries", "boundaries_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --by admin1: your own region polygons (columns admin1_code, admin1_name) "
                   "instead of the shipped boundaries.")
@click.option("--sliver-km2", type=click.FloatRange(min=0), default=0.01, show_default=True,
              help="Drop changed parts smaller than this (digitising noise); they are counted.")
@click.option("--border-noise/--no-border-noise", default=True, show_default=True,
              help="With --by admin1: count change in a country the layer does not map for that "
                   "controller (its edge along a border redrawn) as `noise`, apart from gained and lost.")
@click.option("--controller", default="RU", show_default=True,
              help="Controller (country code) of layers whose features do not name one.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the changed polygons: .geojson/.gpkg (with geometry) or .csv/.json (table).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def diff(a, b, date_from, date_to, by, boundaries_path, sliver_km2, border_noise, controller, output, fmt):
    """Territory gained and lost per controller between two control layers, in geodesic km².

    A and B are the earlier and later layer files; or give one folder of dated
    snapshots (or one file with a `date` per feature) as A with --from and --to.

    \b
    geoevents diff old.geojson new.geojson
    geoevents diff SNAPSHOT_DIR --from 2024-07-08 --to 2025-02-07 --by admin1 -o changes.geojson
    """
    if output is not None:
        _output_suffix(output, geometry=True)
    guard_outputs([output], [a, b, boundaries_path])
    with _user_errors(), output_errors():
        from geoevents.territory.diff import diff_control, summarize_diff, summary_record

        if boundaries_path is not None and by is None:
            raise click.UsageError("--boundaries only applies with --by admin1")
        boundaries = None
        if boundaries_path is not None:
            import geopandas as gpd

            boundaries = gpd.read_file(boundaries_path)
        first, second = _load_layers(a, b, date_from, date_to, controller)
        changes = diff_control(first, second, by=by, sliver_km2=sliver_km2, controller=controller,
                               boundaries=boundaries, border_noise=border_noise)
        if output is not None:
            _write_frame(changes, output, geometry=True)
    if fmt == "json":
        click.echo(_dump_json(summary_record(changes)))
    else:
        console = _console()
        record = summary_record(changes)
        span = f"{record['date_from'] or a.name} → {record['date_to'] or (b.name if b else '')}"
        totals = summarize_diff(changes.drop(columns=["admin1_code", "admin1_name"], errors="ignore"))
        noise = "noise_km2" in totals.columns
        columns = ["controller", "gained_km2", "lost_km2", "net_km2", *(["noise_km2"] if noise else []),
                   "gained_parts", "lost_parts"]
        _print_table(console, f"Territory change {span}", totals.rename(columns={"noise_km2": "border_noise_km2"}),
                     [c.replace("noise_km2", "border_noise_km2") for c in columns],
                     caption=_diff_caption(totals, sliver_km2, record.get("border_noise")))
        if by == "admin1":
            regions = summarize_diff(changes)
            outside = regions["admin1_code"].isna()
            regions.loc[outside, "admin1_name"] = "(outside every region)"
            _print_table(console, "By region", regions.rename(columns={"noise_km2": "border_noise_km2"}),
                         ["controller", "admin1_code", "admin1_name", "gained_km2", "lost_km2", "net_km2",
                          *(["border_noise_km2"] if noise else [])], text=("admin1_name",))
    if output is not None:
        click.echo(f"wrote {len(changes)} changed part(s) to {output}", err=True)


def _diff_caption(totals, sliver_km2: float, noise_rule: str | None) -> str:
    """The lines under the totals: slivers dropped (always counted) and the border-noise rule."""
    lines = []
    for row in totals.itertuples(index=False):
        lines.append(f"{row.controller}: {row.slivers_dropped:,} sliver(s) < {sliver_km2:g} km² dropped "
                     f"({row.sliver_area_km2:,.4f} km²)")
    if noise_rule:
        lines.append(f"border noise (not gained or lost): {noise_rule}")
    return "\n".join(lines)


# ----------------------------------------------------------------------- timeline

@click.command("timeline")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write area held and change per snapshot date (.csv or .json).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), help="Write a PNG chart.")
@click.option("--period", type=click.Choice(["day", "week", "month"]), default="month", show_default=True,
              help="Period of the net-change table printed (and of `periods` in JSON).")
@click.option("--sliver-km2", type=click.FloatRange(min=0), default=0.01, show_default=True)
@click.option("--controller", default="RU", show_default=True,
              help="Controller (country code) of layers whose features do not name one.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def timeline(source, output, plot, period, sliver_km2, controller, fmt):
    """Area held per date, with net change per day, week and month.

    SOURCE is a folder of dated snapshots or one file with a `date` per feature.
    """
    if output is not None:
        _output_suffix(output, geometry=False)
    guard_outputs([output, plot], [source])
    with _user_errors(), output_errors():
        from geoevents.territory.control import read_control
        from geoevents.territory.timeline import plot_timeline, resample_timeline
        from geoevents.territory.timeline import timeline as build_timeline

        control = read_control(source, controller=controller, progress=_progress("reading snapshots"))
        table = build_timeline(control, sliver_km2=sliver_km2, progress=_progress("measuring changes"))
        periods = resample_timeline(table, period)
        if output is not None:
            _write_frame(table, output, geometry=False)
        if plot is not None:
            plot_timeline(table, plot, title=f"Area held per date — {source.name}")
    if fmt == "json":
        click.echo(_dump_json({"dates": _records(table), "periods": _records(periods), "period": period,
                               "gaps": control.attrs.get("gaps", [])}))
    else:
        console = _console()
        shown = periods.rename(columns={"period_start": period})
        if period == "month":
            shown[period] = [day.strftime("%Y-%m") for day in shown[period]]
        _print_table(console, f"Net change per {period} — {source.name}", shown,
                     [period, "controller", "area_km2", "net_change_km2", "gained_km2", "lost_km2", "snapshots"])
        first, last = table["date"].min(), table["date"].max()
        console.print(f"{len(table)} snapshots {first} → {last}", markup=False)
    for path in (output, plot):
        if path is not None:
            click.echo(f"wrote {path}", err=True)


# ------------------------------------------------------------------- check-claims

@click.command("check-claims")
@click.argument("events", type=click.Path(exists=True, path_type=Path))
@click.option("--control", "control_path", required=True, type=click.Path(exists=True, path_type=Path),
              help="Control layer: folder of dated snapshots or one file with a `date` per feature.")
@click.option("--controller", default="RU", show_default=True,
              help="Controller (country code) of control layers whose features do not name one.")
@click.option("--tolerance", type=click.FloatRange(0, 1, max_open=True), default=0.15, show_default=True,
              help="Relative difference still counted as consistent.")
@click.option("--max-days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Farthest snapshot (days) from a claim's date still used.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write results (.csv/.json).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def check_claims(events, control_path, controller, tolerance, max_days, output, fmt):
    """Check claimed area figures (km²) against the measured control layer."""
    if output is not None:
        _output_suffix(output, geometry=False)
    guard_outputs([output], [events, control_path])
    with _user_errors(), output_errors():
        from geoevents.territory.claims import check_claims as run_checks
        from geoevents.territory.control import read_control

        control = read_control(control_path, controller=controller, progress=_progress("reading snapshots"))
        results = run_checks(events, control, tolerance=tolerance, max_days=max_days)
        if output is not None:
            _write_frame(results, output, geometry=False)
    if fmt == "json":
        click.echo(_dump_json(_records(results)))
    else:
        console = _console()
        if results.empty:
            console.print("no claims with an area figure (figure_unit km2, ha, mi2 ...) found", markup=False)
        else:
            _print_table(console, f"Area claims vs control layer (tolerance ±{tolerance:.0%})", results,
                         ["id", "date", "controller", "measure", "region", "claimed_km2",
                          "measured_km2", "ratio", "verdict", "reason"], text=("reason",),
                         formats={"ratio": ".2f", "claimed_km2": ",.0f", "measured_km2": ",.0f"})
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
