"""The `geoevents` command line: one verb per module, loaded only when used.

Verbs are imported lazily so that `geoevents geocode Kursk` does not pay for
geopandas, folium or matplotlib imports it never needs (cold start matters for
people calling the tool from scripts).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import warnings
from collections.abc import Iterator

import click

# verb -> "module:attribute" of a click.Command. Each module keeps its top-level
# imports light (click and the standard library) and imports heavy libraries
# inside the command function.
VERBS: dict[str, str] = {
    "geocode": "geoevents.cli.geocode:geocode",
    "locate": "geoevents.cli.locate:locate",
    "validate": "geoevents.cli.validate:validate",
    "export": "geoevents.cli.export:export",
    "diff": "geoevents.cli.territory:diff",
    "timeline": "geoevents.cli.territory:timeline",
    "check-claims": "geoevents.cli.territory:check_claims",
    "map": "geoevents.cli.maps:map_command",
    "build": "geoevents.cli.maps:build",
    "extract": "geoevents.cli.extract:extract",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in VERBS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = VERBS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # A verb whose module is not written yet is simply not offered.
            if error.name == module_name:
                return None
            raise
        return getattr(module, attribute)


@contextlib.contextmanager
def one_line_warnings() -> Iterator[None]:
    """Show every Python warning as one line, `warning: <message>`, once per message.

    Python's default prints our source file, line number, the category and the
    line of code that warned: noise for someone running a command. Library
    deprecation notices are left out unless the user asked for warnings with -W
    or PYTHONWARNINGS (then their filters stand)."""
    seen: set[str] = set()

    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        text = str(message).strip()
        if text in seen:
            return
        seen.add(text)
        # located messages (`file:feature 2:geometry: warning: ...`) already say what they are
        click.echo(text if ": warning: " in text.split("\n", 1)[0] else f"warning: {text}", err=True)

    with warnings.catch_warnings():
        if not sys.warnoptions:
            warnings.simplefilter("always")  # repeats are dropped by text above
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def announced_builds() -> Iterator[None]:
    """Let first-run builds (the gazetteer index) say what they do, whichever verb triggers them."""
    from geoevents.cachefiles import set_build_reporter
    from geoevents.cli.progress import announce_build

    previous = set_build_reporter(announce_build)
    try:
        yield
    finally:
        set_build_reporter(previous)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geoevents")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Map reported conflict events: geocode places, attach regions, measure
    territory change, and export GeoJSON and shareable HTML maps. Offline by default."""
    ctx.with_resource(one_line_warnings())
    ctx.with_resource(announced_builds())
