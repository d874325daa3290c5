"""`geoevents extract`: places, figures, claims and dates from an article, as draft events."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from geoevents.cli.outputs import guard_outputs, output_errors


def _read_article(article: str) -> tuple[str, str]:
    if article == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(article)
    if not path.is_file():
        raise click.BadParameter(f"{article}: no such file", param_hint="ARTICLE")
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{article}: not UTF-8 text (byte {error.start}): {error.reason}") from None


def _published(value: str | None, meta: dict[str, str], where: str) -> dt.date:
    raw = value or meta.get("article:published_time") or meta.get("datepublished") or meta.get("date")
    if not raw:
        raise click.UsageError(f"{where}: no publication date; pass --published YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise click.BadParameter(f"{raw!r} is not an ISO day such as 2025-02-07", param_hint="--published") from None


@click.command("extract")
@click.argument("article", metavar="ARTICLE.txt|ARTICLE.html|-")
@click.option("--published", help="Publication day, YYYY-MM-DD (anchors 'on Thursday', 'six months ago').")
@click.option("--source", help="Outlet name, e.g. 'POLITICO Europe' (claimant of what the story itself says).")
@click.option("--url", "url", help="URL of the story (source_url of the drafts).")
@click.option("--title", help="Title for the draft file header.")
@click.option("-o", "--output", default="-", show_default=True, help="Draft file to write; '-' is stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default=None,
              help="yaml: the events file format; json: {mentions, events}. Default: from -o suffix, else yaml.")
@click.option("--quiet", is_flag=True, help="No summary on the terminal.")
def extract(article: str, published: str | None, source: str | None, url: str | None, title: str | None,
            output: str, fmt: str | None, quiet: bool) -> None:
    """Find the places an article names, resolve them, and draft its events and claims.

    Every draft event has `review: true` and the sentence it came from as `evidence`:
    drafts are working files for a person to check, never to commit with article text.
    """
    import yaml

    from geoevents.extract.html_text import html_to_text, looks_like_html
    from geoevents.extract.pipeline import extract as run_extract
    from geoevents.extract.summary import summary_lines

    to_stdout = output in ("-", "/dev/stdout")
    if not to_stdout:
        guard_outputs([output], [article if article != "-" else None])
    raw, where = _read_article(article)
    meta: dict[str, str] = {}
    if article.lower().endswith((".html", ".htm")) or looks_like_html(raw):
        raw, meta = html_to_text(raw)
    if not raw.strip():
        raise click.ClickException(f"{where}: the article is empty")
    day = _published(published, meta, where)
    url = url or meta.get("og:url")
    if url and not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--url")
    source = source or meta.get("og:site_name")
    title = title or meta.get("og:title")

    result = run_extract(raw, published=day, source=source, url=url)
    fmt = fmt or ("json" if output.lower().endswith(".json") else "yaml")
    if fmt == "json":
        payload = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        payload = yaml.safe_dump(result.to_event_file(title), allow_unicode=True, sort_keys=False, width=100)

    if to_stdout:
        click.echo(payload, nl=False)
    else:
        from geoevents.io.atomic import write_text

        with output_errors():
            write_text(output, payload, (article,) if article != "-" else ())
    if not quiet:
        for line in summary_lines(result, output=None if to_stdout else output):
            click.echo(line, err=to_stdout)
