"""`geoevents export FILE -o OUT`: events to RFC 7946 GeoJSON, CSV or GeoPackage."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output file: .geojson, .csv or .gpkg (chosen by extension).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: print a summary object instead of text.")
def export(file: str, output: str, fmt: str) -> None:
    """Read, check and geocode an event file, then write it out (atomically; never over
    the input). Refuses to write when the file has errors: run `geoevents validate`."""
    import json

    from geoevents.events.model import EventFileError
    from geoevents.events.read import read_events
    from geoevents.io.atomic import OutputError
    from geoevents.io.write import write_events

    try:
        gdf = read_events(file)
        path = write_events(gdf, output, inputs=(file,))
    except EventFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{file}: not exported: fix the errors above", err=True)
        sys.exit(1)
    except (OutputError, ValueError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps({"input": file, "output": str(path), "events": len(gdf)}))
    else:
        click.echo(f"wrote {len(gdf)} events to {path}")
