"""Leaflet assets for maps that open with no network at all.

Leaflet 1.9.4 comes from the PyPI wheel ``django-js-lib-leaflet`` (a runtime
dependency), so a map is one self-contained HTML file: the script and style are
inlined and the stylesheet's images become data URIs. Nothing else from folium's
default CDN list (jQuery, Bootstrap, awesome-markers) is needed by our maps.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN_JS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CDN_CSS = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"


def _leaflet_dir() -> Path:
    return Path(str(resources.files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified script, without the source-map comment (no stray fetch)."""
    text = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    if f'version="{LEAFLET_VERSION}"' not in text:
        raise RuntimeError(f"django-js-lib-leaflet does not ship Leaflet {LEAFLET_VERSION}")
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
    return _safe_in_script(text)


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as data URIs."""
    folder = _leaflet_dir()
    text = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        return f"url({_data_uri(folder / match.group(1))})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, text)


@lru_cache(maxsize=1)
def marker_icons_js() -> str:
    """Point Leaflet's default marker icon at data URIs instead of images/ beside the page."""
    images = _leaflet_dir() / "images"
    icons = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    assignments = "".join(f'L.Icon.Default.prototype.options.{key}="{value}";' for key, value in icons.items())
    return 'L.Icon.Default.imagePath="";' + assignments


def _safe_in_script(text: str) -> str:
    """Inline script text must not contain a closing script tag."""
    return text.replace("</script", "<\\/script")


def package_js(name: str) -> str:
    """A script shipped inside geoevents.maps (e.g. the event renderer)."""
    return _safe_in_script(resources.files("geoevents.maps").joinpath(name).read_text(encoding="utf-8"))
