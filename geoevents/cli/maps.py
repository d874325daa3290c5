"""`geoevents map` (one HTML map from event files) and `geoevents build` (every seed map).

Top-level imports stay light (click, stdlib): pandas, geopandas and folium are
imported inside the commands so other verbs start fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from geoevents.cli.outputs import UnwritableOutput, guard_outputs, output_errors

EVENT_SUFFIXES = (".yaml", ".yml", ".geojson", ".json", ".csv", ".kml")


def _read_all(paths: list[Path]) -> Any:
    """All event files as one GeoDataFrame (clear error naming the file on bad input)."""
    import geopandas as gpd
    import pandas as pd

    from geoevents.events.read import read_events

    frames = []
    for path in paths:
        try:
            frames.append(read_events(path))
        except (ValueError, OSError) as error:
            message = str(error)
            if str(path) not in message:
                message = f"{path}: {message}"
            raise click.ClickException(message) from error
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def _header(path: Path) -> dict[str, str]:
    """Text values of a YAML event file's header (title, source, published...).

    Read the way `validate` reads the file (dates stay text, values of the wrong type
    are located errors there and are left out here), so a header that validates can
    never crash the map: `title: 2025-02-07` is the text "2025-02-07"."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return {}
    from geoevents.events.read import read_table

    try:
        header = read_table(path).header
    except (OSError, ValueError):
        return {}
    return {key: value for key, value in header.items() if isinstance(value, str)}


def _read_control(path: Path | None, given: dict[str, str | None] | None = None) -> tuple[Any, Any]:
    """The control layer read once (for the HTML and the PNG), with progress on stderr, and
    its name, source and credit (options first, then its layer.yaml / GeoJSON members)."""
    if path is None:
        return None, None
    from geoevents.cli.progress import track
    from geoevents.territory.control import ControlLayerError, read_control
    from geoevents.territory.layer_meta import LayerMetaError, read_layer_meta

    try:
        meta = read_layer_meta(path, **(given or {}))
        return read_control(path, source=meta.source, progress=track("reading snapshots")), meta
    except (ControlLayerError, LayerMetaError) as error:
        click.echo(str(error), err=True)
        raise click.exceptions.Exit(1) from error


def _write(events: Any, output: Path, *, control: Any, title: str | None, subtitle: str | None,
           png: bool, cdn: bool, control_meta: Any = None) -> list[Path]:
    from geoevents.cli.progress import working
    from geoevents.maps.html import make_map, save_map

    dates = 0 if control is None else len(set(control["date"]))
    step = f"drawing the map: control changes between {dates} snapshots" if dates > 1 else "drawing the map"
    try:
        with working(step):
            fmap = make_map(events, control=control, control_meta=control_meta, title=title,
                            subtitle=subtitle, cdn=cdn)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    with output_errors():
        written = [save_map(fmap, output)]
    if png:
        from geoevents.maps.png import make_png

        try:
            with output_errors():
                written.append(make_png(events, png_path(output), control=control, control_meta=control_meta,
                                        title=title, subtitle=subtitle))
        except ValueError as error:
            raise click.ClickException(f"{png_path(output)}: {error}") from error
    return written


def png_path(html: Path) -> Path:
    """The PNG written beside an HTML map with --png."""
    return html.with_suffix(".png")


@click.command("map")
@click.argument("events", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--control", "control", type=click.Path(exists=True, path_type=Path),
              help="Dated control polygons: a GeoJSON file or a folder of daily snapshots.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write, e.g. maps/kursk.html.")
@click.option("--control-name", help="Name of the control layer in the legend (default: from its layer.yaml, "
              "its GeoJSON title, or the folder name).")
@click.option("--control-source", help="Who made the control layer (text or an http(s) link).")
@click.option("--control-credit", help="Credit or licence line for the control layer, e.g. 'CC BY 4.0 DeepStateMap'.")
@click.option("--title", help="Map title (default: the first YAML file's title).")
@click.option("--subtitle", help="Line under the title.")
@click.option("--png", is_flag=True, help="Also write a static PNG next to the HTML (same name, .png).")
@click.option("--cdn", is_flag=True, help="Link Leaflet from its CDN instead of inlining it (smaller file, needs network).")
def map_command(events: tuple[Path, ...], control: Path | None, control_name: str | None,
                control_source: str | None, control_credit: str | None, output: Path, title: str | None,
                subtitle: str | None, png: bool, cdn: bool) -> None:
    """Draw EVENTS (YAML, GeoJSON, CSV, KML event files) as one self-contained HTML map.

    The page works offline: Leaflet and an offline basemap (land, borders, place
    names) are inside it, events are drawn from embedded data, and OpenStreetMap
    tiles are an option when a network is there. A map for one story opens at its
    publication date (the latest `published`); the URL fragment #date=YYYY-MM-DD
    opens it at another.
    """
    given = {"name": control_name, "source": control_source, "credit": control_credit}
    if control is None and any(given.values()):
        raise click.UsageError("--control-name, --control-source and --control-credit describe --control: "
                               "give the control layer too")
    guard_outputs([output, png_path(output) if png else None], [*events, control])
    frame = _read_all(list(events))
    header = _header(events[0])
    title = title or header.get("title")
    subtitle = subtitle or header.get("subtitle")
    layer, meta = _read_control(control, given)
    for path in _write(frame, output, control=layer, control_meta=meta, title=title, subtitle=subtitle,
                       png=png, cdn=cdn):
        click.echo(f"wrote {path}")


def seed_control(seed: Path) -> Path | None:
    """A seed's control layer, by naming convention: NAME.control.geojson or NAME.control/."""
    for candidate in (seed.with_name(seed.stem + ".control.geojson"), seed.with_name(seed.stem + ".control")):
        if candidate.exists():
            return candidate
    return None


def build_maps(seeds: Path, output: Path, *, png: bool = False) -> list[Path]:
    """Build one map per seeds/*.yaml into output/ (same inputs -> byte-identical files)."""
    files = sorted(p for p in seeds.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    if not files:
        raise click.ClickException(f"{seeds}: no *.yaml seed files")
    outputs = [output / f"{seed.stem}{suffix}" for seed in files
               for suffix in ((".html", ".png") if png else (".html",))]
    written: list[Path] = []
    with _output_folder(output):
        guard_outputs(outputs, [seeds, *(seed_control(seed) for seed in files)])
        for seed in files:
            events = _read_all([seed])  # first: a bad file is reported by the reader, with its line
            header = _header(seed)
            subtitle = header.get("subtitle")
            if not subtitle and header.get("source"):
                subtitle = f"As reported by {header['source']}" + (
                    f", {header['published']}" if header.get("published") else "")
            layer, meta = _read_control(seed_control(seed))
            written += _write(events, output / f"{seed.stem}.html", control=layer, control_meta=meta,
                              title=header.get("title") or seed.stem, subtitle=subtitle, png=png, cdn=False)
    return written


@contextlib.contextmanager
def _output_folder(folder: Path) -> Iterator[None]:
    """Create the output folder (not its parents); remove it again if the block fails."""
    if folder.exists() and not folder.is_dir():
        raise UnwritableOutput(f"cannot write maps into {folder}: it is not a folder")
    created = not folder.exists()
    if created:
        guard_outputs([folder])  # its parent exists and is writable
        try:
            folder.mkdir()
        except OSError as error:
            raise UnwritableOutput(f"cannot write {folder}: {error.strerror}") from None
    try:
        yield
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


@click.command("build")
@click.argument("seeds", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", default=Path("maps"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the built maps.")
@click.option("--png", is_flag=True, help="Also write a PNG per map.")
def build(seeds: Path, output: Path, png: bool) -> None:
    """Build every example map from SEEDS/*.yaml into maps/ (deterministic, byte-identical rebuilds).

    A seed NAME.yaml gets its control layer from NAME.control.geojson or the
    folder NAME.control/ beside it, when present.
    """
    for path in build_maps(seeds, output, png=png):
        click.echo(f"wrote {path}")
