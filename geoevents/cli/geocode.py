"""`geoevents geocode`: place names -> places, regions, countries (offline by default).

Top-level imports stay light (click and the standard library): the table and
JSON paths never import pandas or geopandas, so a one-name call starts fast.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

import click

from geoevents.cli.outputs import guard_outputs, output_errors

PROGRESS_THRESHOLD = 200   # show a progress bar above this many names
EXIT_UNRESOLVED = 3
FORMATS = ("table", "json", "geojson", "csv")
CSV_FIELDS = ("query", "name", "latitude", "longitude", "country_code", "admin1_code",
              "admin1_name", "feature", "population", "geonames_id", "score", "ambiguous",
              "match", "candidates", "source", "error")


class InputTable:
    """The user's CSV read with --column: header and rows kept exactly, so the output can
    carry every column of the input (in order) before the geocoding results."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.rows: list[list[str]] = []


def _read_names(names: tuple[str, ...], file: str | None,
                column: str | None) -> tuple[list[tuple[str, str]], InputTable | None]:
    """(name, where it came from) from arguments, a file, or stdin (one per line, or a
    CSV column), and with --column the CSV itself; `where` lets error messages point at
    the line. Rows of the table line up with the last names (arguments come first)."""
    if names == ("-",) and file is None:  # the usual spelling of "read stdin"
        names, file = (), "-"
    out = [(name, f"argument {i}") for i, name in enumerate(names, 1)]
    if file is None and not names and not sys.stdin.isatty():
        file = "-"
    if file is None:
        if column:
            raise click.UsageError("--column needs --file (or '-' for stdin)")
        return out, None
    label = "stdin" if file == "-" else file
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
    except OSError as error:
        raise click.BadParameter(f"cannot read {file}: {error.strerror}", param_hint="--file")
    except UnicodeDecodeError as error:
        raise click.BadParameter(f"{label} is not UTF-8 text ({error.reason} at byte {error.start})",
                                 param_hint="--file")
    if not column:
        out.extend((line.strip(), f"{label} line {number}")
                   for number, line in enumerate(text.splitlines(), 1) if line.strip())
        return out, None
    table = _read_column(text, label, column, out)
    table.rows[:0] = [[""] * len(table.columns) for _ in range(len(out) - len(table.rows))]
    return out, table


def _read_column(text: str, label: str, column: str, out: list[tuple[str, str]]) -> InputTable:
    """Append the names in `column` to `out`; return the whole table (CSV escaping undone)."""
    from geoevents.io.csvcell import unescape_cell

    reader = csv.reader(io.StringIO(text, newline=""))
    header = [unescape_cell(name) for name in next(reader, [])]
    if column not in header:
        found = ", ".join(header) or "no header"
        raise click.BadParameter(f"{label} has no column {column!r} (columns: {found})",
                                 param_hint="--column")
    index = header.index(column)
    table = InputTable(header)
    for row in reader:
        if not row:
            continue
        if len(row) > len(header):
            raise click.BadParameter(f"{label} line {reader.line_num}: {len(row)} cells but the "
                                     f"header names {len(header)} columns", param_hint="--file")
        cells = [unescape_cell(value) for value in row] + [""] * (len(header) - len(row))
        table.rows.append(cells)
        out.append((cells[index].strip(), f"{label} line {reader.line_num}, column {column!r}"))
    return table


def _parse_near(near: str | None):
    if not near:
        return None
    from geoevents.places.gazetteer import parse_latlon, GazetteerError

    try:
        point = parse_latlon(near)
    except GazetteerError as error:
        raise click.BadParameter(str(error), param_hint="--near")
    return point if point is not None else near


def _write_output(text: str, output: str | None, inputs: tuple[str, ...]) -> None:
    """Print, or write atomically (temp file in the same folder, then rename)."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from geoevents.io.atomic import write_text

    with output_errors():
        write_text(output, text, inputs)


def _candidates_text(result: dict[str, Any]) -> str:
    parts = []
    for c in result.get("candidates") or []:
        where = c.get("admin1_code") or c.get("country_code") or "?"
        parts.append(f"{c.get('name')} ({where})")
    return "; ".join(parts)


def format_table(results: list[dict[str, Any]], table: InputTable | None = None,
                 width: int | None = None) -> str:
    """A plain aligned table for people (ambiguity and errors spelled out), never cut.

    `width` (default: the terminal's, or COLUMNS) decides the layout: one line per
    result when it fits; else the note goes under its row, wrapped; and when even
    the columns do not fit, one wrapped sentence per result with its note below."""
    import textwrap

    from geoevents.cli.tables import output_width

    width = width if width is not None else output_width()
    header = ("QUERY", "NAME", "ADMIN1", "CC", "FEATURE", "LAT", "LON", "SCORE", "NOTE")
    rows = [_table_row(r) for r in results]
    rows = [tuple(_printable(str(v)) for v in row) for row in rows]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    fixed = sum(widths) + 2 * (len(widths) - 1)
    lines = []
    wrap = dict(width=width or 80, initial_indent="  ", subsequent_indent="  ", break_long_words=False,
                break_on_hyphens=False)
    if width is not None and fixed > width:  # one sentence per result, wrapped, the note below
        for row in rows:
            query, name, admin1, cc, feature, lat, lon, score, note = row
            # no-break spaces keep a coordinate pair and a score on one line
            found = f"{name} ({feature}), {admin1}, {cc}; {lat},\u00a0{lon}; score\u00a0{score}" if name != "-" else ""
            lines += textwrap.wrap(f"{query} → {found}" if found else query, **{**wrap, "initial_indent": ""})
            lines += textwrap.wrap(note, **wrap)
        return "\n".join(lines) + "\n"
    for row in [header, *rows]:
        cells = "  ".join(row[i].ljust(widths[i]) for i in range(len(widths)))
        note = row[-1]
        if width is None or not note or fixed + 2 + len(note) <= width:
            lines.append(f"{cells}  {note}".rstrip())
        else:  # the note on the lines below its row
            lines.append(cells.rstrip())
            lines += textwrap.wrap(note, **wrap)
    return "\n".join(lines) + "\n"


def _table_row(r: dict[str, Any]) -> tuple[str, ...]:
    if r.get("error"):
        return (r["query"] if isinstance(r["query"], str) else repr(r["query"]),
                "-", "-", "-", "-", "-", "-", "-", "unresolved: " + r["error"])
    notes = []
    if r.get("ambiguous"):
        others = [c for c in r.get("candidates") or []][1:4]
        more = ", ".join(f"{c['name']} ({c.get('admin1_code') or c['country_code']})" for c in others)
        notes.append(f"ambiguous, {len(r.get('candidates') or [])} candidates: also {more}")
    if r.get("match") == "fuzzy":
        notes.append("fuzzy match")
    return (
        r["query"], r["name"] or "", f"{r.get('admin1_code') or ''} {r.get('admin1_name') or ''}".strip(),
        r.get("country_code") or "", r.get("feature") or "",
        f"{r['latitude']:.4f}" if r.get("latitude") is not None else "",
        f"{r['longitude']:.4f}" if r.get("longitude") is not None else "",
        f"{r['score']:.2f}", "; ".join(notes),
    )


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _result_fields(fields: tuple[str, ...], table: InputTable | None) -> list[str]:
    """Result column names, `geocoded_` in front where the user's table has the name."""
    taken = set(table.columns) if table else set()
    names = []
    for field in fields:
        name = field
        while name in taken:
            name = "geocoded_" + name
        taken.add(name)
        names.append(name)
    return names


def _user_keys(table: InputTable) -> list[str]:
    """The user's column names as unique keys (a repeated name gets _2, _3, ...)."""
    keys: list[str] = []
    for name in table.columns:
        key, n = name, 1
        while key in keys:
            n += 1
            key = f"{name}_{n}"
        keys.append(key)
    return keys


def _records(results: list[dict[str, Any]], table: InputTable | None) -> list[dict[str, Any]]:
    """Results as flat records: the user's columns first (with --column), then the results."""
    if table is None:
        return results
    keys = _user_keys(table)
    records = []
    for result, row in zip(results, table.rows):
        fields = _result_fields(tuple(result), table)
        records.append({**dict(zip(keys, row)), **dict(zip(fields, result.values()))})
    return records


def format_json(results: list[dict[str, Any]], table: InputTable | None = None) -> str:
    return json.dumps(_records(results, table), ensure_ascii=False, indent=2) + "\n"


def format_geojson(results: list[dict[str, Any]], table: InputTable | None = None) -> str:
    """RFC 7946 FeatureCollection; unresolved names keep a null geometry."""
    features = []
    for r, record in zip(results, _records(results, table)):
        geometry = None
        if r.get("latitude") is not None and r.get("longitude") is not None:
            geometry = {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": dict(record)})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"


def format_csv(results: list[dict[str, Any]], table: InputTable | None = None) -> str:
    """CSV: the user's columns (with --column), then CSV_FIELDS; cells safe in a spreadsheet."""
    from geoevents.io.csvcell import write_rows

    def values(r: dict[str, Any]) -> list[Any]:
        row = {**r, "candidates": _candidates_text(r), "ambiguous": bool(r.get("ambiguous"))}
        return [row.get(k) for k in CSV_FIELDS]

    stream = io.StringIO()
    user_rows = table.rows if table else [[] for _ in results]
    write_rows(stream, (table.columns if table else []) + _result_fields(CSV_FIELDS, table),
               (user + values(r) for r, user in zip(results, user_rows)))
    return stream.getvalue()


FORMATTERS = {"table": format_table, "json": format_json, "geojson": format_geojson, "csv": format_csv}


def _open_gazetteer():
    """The gazetteer (a first run's index build announces itself: geoevents.cli.progress)."""
    from geoevents.places.gazetteer import Gazetteer

    try:
        return Gazetteer.default()
    except OSError as error:
        raise click.ClickException(
            f"cannot build or read the gazetteer index ({error}); set GEOEVENTS_CACHE_DIR "
            "to a writable folder")


def _run_gazetteer(names, country, near, within, fuzzy, progress):
    gaz = _open_gazetteer()
    if isinstance(near, str):
        resolved = gaz.lookup(near, country=country)
        if resolved["error"] is not None:
            raise click.BadParameter(f"cannot resolve {near!r}: {resolved['error']}", param_hint="--near")
        near = (resolved["latitude"], resolved["longitude"])
    if within and gaz.region(within) is None and not (len(within) == 2 and within.isalpha()):
        raise click.BadParameter(f"unknown region {within!r} (use an ISO 3166-2 code such as UA-63, or a region name)",
                                 param_hint="--within")
    results = []
    for name in names:
        results.append(gaz.lookup(name, country=country, near=near, within=within, fuzzy=fuzzy))
        progress(1)
    return results


def _run_online(names, country, near, within, provider, user_agent, provider_url,
                min_delay, timeout, progress):
    if near or within:
        raise click.UsageError(f"--near and --within work with the offline gazetteer only, not --provider {provider}")
    if not user_agent:
        raise click.UsageError(f"--provider {provider} needs --user-agent (an identifying name such as "
                               "'my-newsroom-factcheck/1.0 (me@example.org)'; the provider's usage policy requires it)")
    try:
        from geoevents.places.online import OnlineGeocoder, OnlineGeocodingError
    except ImportError as error:
        raise click.UsageError(f"online geocoding is not available in this installation ({error})")
    kwargs: dict[str, Any] = {"user_agent": user_agent, "url": provider_url}
    if min_delay is not None:
        kwargs["min_delay_seconds"] = min_delay
    if timeout is not None:
        kwargs["timeout"] = timeout
    try:
        geocoder = OnlineGeocoder(provider, **kwargs)
    except OnlineGeocodingError as error:
        raise click.UsageError(str(error))
    try:
        return geocoder.lookup_many(names, country=country, on_result=lambda _r: progress(1))
    except OnlineGeocodingError as error:
        raise click.UsageError(str(error))
    finally:
        close = getattr(geocoder, "close", None)
        if close:
            close()


@click.command("geocode")
@click.argument("names", nargs=-1)
@click.option("--file", "-f", "file", metavar="FILE", help="Read names from FILE ('-' for stdin): one per line, or a CSV with --column.")
@click.option("--column", "-c", metavar="COL",
              help="CSV column holding the names (with --file); csv/json/geojson output keeps every "
                   "column of the file, then adds the results (geocoded_NAME where a name is taken).")
@click.option("--country", metavar="CC[,CC]", help="Only places in these countries (ISO alpha-2), e.g. UA,RU.")
@click.option("--near", metavar="PLACE|LAT,LON", help="Prefer places near this place or point.")
@click.option("--within", metavar="REGION", help="Only places in this region (ISO 3166-2 code like UA-63, or a name) or country code.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.option("--no-fuzzy", is_flag=True, help="Do not fall back to typo-tolerant matching.")
@click.option("--provider", type=click.Choice(["gazetteer", "nominatim"]), default="gazetteer", show_default=True,
              help="Offline gazetteer, or an online provider (opt-in, needs --user-agent).")
@click.option("--user-agent", metavar="TEXT", help="Identifying user agent for online providers (required with nominatim).")
@click.option("--provider-url", metavar="URL", help="Base URL of the online provider (e.g. your own Nominatim).")
@click.option("--min-delay", type=float, metavar="SECONDS", help="Minimum delay between online requests.")
@click.option("--timeout", type=float, metavar="SECONDS", help="Timeout of each online request.")
def geocode(names, file, column, country, near, within, fmt, output, no_fuzzy, provider,
            user_agent, provider_url, min_delay, timeout):
    """Geocode place NAMES (English, Ukrainian or Russian spelling, old or new names).

    Names come from the arguments, --file, or stdin. Offline by default (GeoNames
    gazetteer). Ambiguous names are flagged with their candidates; names that
    cannot be resolved get a reason, and the exit status is 3 if any failed.

    \b
    Examples:
      geoevents geocode Kursk "Kharkiv Oblast" Суджа
      geoevents geocode Mykolaivka --within UA-14 --format json
      geoevents geocode --file places.csv --column place --country UA,RU --format geojson -o places.geojson
    """
    inputs = (file,) if file not in (None, "-") else ()
    if output not in (None, "-"):
        guard_outputs([output], inputs)
    sourced, table = _read_names(names, file, column)
    all_names = [name for name, _ in sourced]
    if not all_names:
        raise click.UsageError("give place names as arguments, with --file FILE, or on stdin")
    countries = None
    if country:
        countries = [c.strip().upper() for c in country.split(",") if c.strip()]
        bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
        if bad:
            raise click.BadParameter(f"use ISO 3166-1 alpha-2 codes such as UA or RU, not {', '.join(bad)}",
                                     param_hint="--country")
    near_value = _parse_near(near)

    show_bar = len(all_names) > PROGRESS_THRESHOLD or (sys.stderr.isatty() and len(all_names) > 20)
    with click.progressbar(length=len(all_names), label="geocoding", file=sys.stderr,
                           hidden=not show_bar) as bar:
        if provider == "gazetteer":
            results = _run_gazetteer(all_names, countries, near_value, within, not no_fuzzy, bar.update)
        else:
            results = _run_online(all_names, countries, near_value, within, provider, user_agent,
                                  provider_url, min_delay, timeout, bar.update)

    _write_output(FORMATTERS[fmt](results, table), output, inputs)
    failed = [(r, where) for r, (_, where) in zip(results, sourced) if r.get("error")]
    for r, where in failed:
        click.echo(f"geoevents geocode: {where}: {r['query']!r}: {r['error']}", err=True)
    if failed:
        sys.exit(EXIT_UNRESOLVED)
