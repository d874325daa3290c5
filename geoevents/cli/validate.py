"""`geoevents validate FILE`: every problem in an event file, as file:line:field."""

from __future__ import annotations

import json
import sys

import click


def parse_defaults(settings: tuple[str, ...]) -> dict[str, str]:
    """--set FIELD=VALUE options as a defaults dict (for tables that lack a field)."""
    defaults: dict[str, str] = {}
    for item in settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="--set")
        from geoevents.events.model import EVENT_KEYS

        if name.strip() not in EVENT_KEYS:
            raise click.BadParameter(f"unknown field {name.strip()!r}; one of "
                                     f"{', '.join(sorted(EVENT_KEYS))}", param_hint="--set")
        defaults[name.strip()] = value.strip()
    return defaults


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@click.option("--set", "settings", multiple=True, metavar="FIELD=VALUE",
              help="Value for a field the file leaves empty, e.g. --set published=2025-02-07 "
                   "(repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True,
              help="json: a list with one report per file (also for a single file): "
                   "file, events, errors, warnings, problems.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def validate(files: tuple[str, ...], settings: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check event files (YAML, GeoJSON, CSV incl. ACLED-style, GeoPackage, KML): dates,
    places (geocoded offline, ambiguous ones with candidates), claimants, figures and units,
    duplicate ids, coordinates and geometries. Every problem is reported as
    FILE:LINE:FIELD: severity: message.

    With --format json the output is always a JSON list of per-file reports, whether
    one file or several are given, so tools never branch on the argument count.

    Exit status 1 when any file has errors (or warnings, with --strict)."""
    from geoevents.events.validate import validate_file

    defaults = parse_defaults(settings)
    reports = [validate_file(path, defaults=defaults or None) for path in files]
    failed = any(r["errors"] or (strict and r["warnings"]) for r in reports)
    if fmt == "json":
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            for problem in report["problems"]:
                click.echo(problem["text"])
            status = "OK" if not report["errors"] else "FAILED"
            click.echo(f"{report['file']}: {status}: {report['events']} events, "
                       f"{report['errors']} errors, {report['warnings']} warnings")
    sys.exit(1 if failed else 0)
