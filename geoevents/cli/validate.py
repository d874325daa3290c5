"""`geoevents validate FILE`: every problem in an event file, as file:line:field."""

from __future__ import annotations

import json
import sys

import click


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: one object per file, for other tools.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def validate(files: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check event files (YAML, GeoJSON, CSV, GeoPackage, KML): dates, places (geocoded
    offline), claimants, figures and units, ids, coordinates and geometries.

    Exit status 1 when any file has errors (or warnings, with --strict)."""
    from geoevents.events.validate import validate_file

    reports = [validate_file(path) for path in files]
    failed = any(r["errors"] or (strict and r["warnings"]) for r in reports)
    if fmt == "json":
        payload = reports[0] if len(reports) == 1 else reports
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            for problem in report["problems"]:
                click.echo(problem["text"])
            status = "OK" if not report["errors"] else "FAILED"
            click.echo(f"{report['file']}: {status}: {report['events']} events, "
                       f"{report['errors']} errors, {report['warnings']} warnings")
    sys.exit(1 if failed else 0)
