"""`geoevents export FILE -o OUT`: events to RFC 7946 GeoJSON, CSV or GeoPackage."""

from __future__ import annotations

import sys

import click

from geoevents.cli.outputs import guard_outputs, output_errors
from geoevents.cli.validate import parse_defaults


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output file: .geojson, .csv or .gpkg (chosen by extension).")
@click.option("--set", "settings", multiple=True, metavar="FIELD=VALUE",
              help="Value for a field the input leaves empty, e.g. --set claimant=DeepStateMap "
                   "--set date=2024-07-08 (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: print a summary object instead of text.")
def export(file: str, output: str, settings: tuple[str, ...], fmt: str) -> None:
    """Read, check and geocode an event file (YAML, GeoJSON, CSV, GeoPackage, KML), then
    write it out atomically, never over the input. Refuses to write when the file has
    errors (they are listed as file:line:field; see `geoevents validate`)."""
    import json

    from geoevents.events.read import load_events
    from geoevents.io.write import write_events

    guard_outputs([output], [file])
    defaults = parse_defaults(settings)
    try:
        gdf, problems = load_events(file, defaults=defaults)
    except (ValueError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for problem in problems:
        click.echo(str(problem), err=True)
    if any(p.severity == "error" for p in problems):
        click.echo(f"{file}: not exported: fix the errors above", err=True)
        sys.exit(1)
    try:
        with output_errors():
            path = write_events(gdf, output, inputs=(file,))
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({"input": file, "output": str(path), "events": len(gdf),
                               "warnings": len(problems)}))
    else:
        click.echo(f"wrote {len(gdf)} events to {path}")
