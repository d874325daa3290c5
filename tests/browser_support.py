"""Drive Debian's headless Chromium (/usr/bin/chromium) through PyPI playwright.

Why a helper: every browser test and the map benchmark start Chromium the same
way — the system binary (never `playwright install`), no sandbox or GPU, and ALL
network blocked so a map that needs a CDN fails visibly instead of silently
fetching. Locally a test may skip when no browser is installed; with CI=true it
must fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    for candidate in (os.environ.get("GEOEVENTS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_browser() -> str:
    """The Chromium path, or skip (locally) / fail (CI=true) with the reason."""
    from prerequisites import missing

    path = chromium_path()
    if path is None:
        missing("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed (pip install -e '.[test]')")
    return path


@dataclass
class PageLog:
    """What the page reported: uncaught errors, console errors, blocked requests, dialogs."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js_errors(self) -> list[str]:
        """Errors other than blocked network loads (tiles fail offline, by design)."""
        noise = ("net::ERR_", "Failed to load resource")
        return self.page_errors + [m for m in self.console_errors if not any(n in m for n in noise)]


@contextmanager
def offline_page(viewport: tuple[int, int] = (1280, 800)) -> Iterator[tuple[Any, PageLog]]:
    """A fresh page in headless Chromium with every non-file request aborted."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium at /usr/bin/chromium")
    log = PageLog()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(offline=True, viewport={"width": viewport[0], "height": viewport[1]})

            def block(route: Any) -> None:
                url = route.request.url
                if url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    log.blocked.append(url)
                    route.abort()

            context.route("**/*", block)
            page = context.new_page()
            page.on("pageerror", lambda error: log.page_errors.append(str(error)))
            page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)

            def on_dialog(dialog: Any) -> None:
                log.dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            yield page, log
        finally:
            browser.close()


def open_map(page: Any, path: Path, timeout_ms: int = 30000) -> None:
    """Load a map file and wait until the renderer says it has drawn."""
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout_ms)
    page.wait_for_function("window.geoeventsReady === true", timeout=timeout_ms)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / name
    page.screenshot(path=str(path))
    return path


# ---- hand-built inputs shared by the map tests (until seeds exist, and for hostile text) ----

HOSTILE_CLAIM = "<script>window.__pwned = 'script'</script>"
HOSTILE_PLACE = "<img src=x onerror=\"window.__pwned='img'\">"
HOSTILE_URL = "javascript:window.__pwned='link'"


def sample_events() -> Any:
    """Five events near Sudzha/Kursk with every contract column, two of them hostile."""
    import geopandas as gpd
    import shapely

    rows = [
        # id, date, precision, place, code, name, country, kind, claimant, claim, figure, unit, approx, status, source, url, lon, lat
        ("inc-start", "2024-08-06", "day", "Sudzha", "RU-KRS", "Kursk Oblast", "RU", "advance", "Kyiv",
         "Forces crossed the border near Sudzha.", None, None, False, "reported", "Example Wire",
         "https://example.org/a", 35.27, 51.19),
        ("inc-area", "2024-08", "month", "Kursk Oblast", "RU-KRS", "Kursk Oblast", "RU", "control", "Kyiv",
         "About a thousand square kilometres held.", 1000.0, "km2", True, "claimed", "Example Wire",
         "https://example.org/a", 35.6, 51.55),
        ("hostile", "2025-02-07", "day", HOSTILE_PLACE, "RU-KRS", "Kursk Oblast", "RU", "attack", "<b>Bold</b> claimant",
         HOSTILE_CLAIM, None, None, False, "disputed", "Evil <i>source</i>", HOSTILE_URL, 35.0, 51.3),
        ("kharkiv", "2024-05-10/2024-05-20", "range", "Vovchansk", "UA-63", "Kharkiv Oblast", "UA", "attack", "Moscow",
         "An offensive north of Kharkiv began.", None, None, False, "confirmed", "Other Paper", None, 36.94, 50.29),
        ("sumy", "2025-02", "month", "Sumy", "UA-59", "Sumy Oblast", "UA", "deployment", "Kyiv",
         "Reserves moved up.", 12000.0, "troops", True, "reported", "Other Paper", "http://example.net/b", 34.8, 50.91),
    ]
    names = ["id", "date", "date_precision", "place", "admin1_code", "admin1_name", "country_code", "kind",
             "claimant", "claim", "figure", "figure_unit", "approximate", "status", "source", "source_url"]
    records = [dict(zip(names, r[:16])) for r in rows]
    for record in records:
        record |= {"date_text": None, "actor": None, "published": "2025-02-07"}
    geometry = [shapely.Point(r[16], r[17]) for r in rows]
    return gpd.GeoDataFrame(records, geometry=geometry, crs=4326)


def sample_boundaries() -> Any:
    """Three admin-1 stand-ins (rough boxes) with the read_boundaries columns."""
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"admin1_code": ["RU-KRS", "UA-63", "UA-59", "RU-BEL"],
         "admin1_name": ["Kursk Oblast", "Kharkiv Oblast", "Sumy Oblast", "Belgorod Oblast"],
         "country_code": ["RU", "UA", "UA", "RU"]},
        geometry=[shapely.box(34.1, 50.9, 38.5, 52.4), shapely.box(35.0, 48.5, 38.0, 50.4),
                  shapely.box(32.9, 50.4, 35.0, 52.3), shapely.box(35.5, 49.9, 38.6, 51.3)],
        crs=4326,
    )


def write_control_geojson(path: Path) -> Path:
    """A dated control layer: three days of a growing-then-shrinking rectangle."""
    import json

    boxes = {"2024-08-10": (35.0, 51.1, 35.4, 51.4), "2024-08-20": (34.9, 51.1, 35.6, 51.5),
             "2024-09-01": (35.0, 51.1, 35.5, 51.45)}
    features = []
    for day, (x0, y0, x1, y1) in boxes.items():
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append({"type": "Feature", "properties": {"date": day, "controller": "UA", "source": "Test layer"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path
