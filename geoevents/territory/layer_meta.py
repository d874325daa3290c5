"""Who made a control layer and under which terms: its name, source and credit.

Why: a map that shows "area held" must say whose assessment it is and credit it
as its licence asks. read_control() keeps geometry, dates and controllers; this
module reads the few words about the layer as a whole, from (first match wins,
field by field):

1. what the caller gives (`geoevents map --control-name/--control-source/--control-credit`);
2. a `layer.yaml` in the snapshot folder, or `NAME.layer.yaml` beside a single file,
   with the keys name, source, source_url and credit (YAML, so read_control, which
   reads every .json/.geojson in a folder as a snapshot, leaves it alone);
3. top-level members of the GeoJSON file (for a folder: its first dated snapshot):
   "title" or "name" (a "name" equal to the file's own stem is GDAL's layer id, not
   a title, and is ignored), "source", "source_url", and "attribution", "credit"
   or "license";
4. the folder or file name as the name and source.

Every value is text for the page to show as text; nothing here is markup.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SIDECAR = "layer.yaml"
MAX_CHARS = 300  # a name or credit longer than this is not one
MAX_READ_BYTES = 64 * 1024 * 1024  # a snapshot this large is not read for its header


class LayerMetaError(ValueError):
    """A layer.yaml that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class LayerMeta:
    """Name, source (text or URL), source_url (http(s) only) and credit of a control layer."""

    name: str | None = None
    source: str | None = None
    source_url: str | None = None
    credit: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def merged(self, fallback: "LayerMeta") -> "LayerMeta":
        """Each field from self where set, else from fallback."""
        mine, other = self.as_dict(), fallback.as_dict()
        return LayerMeta(**{key: mine[key] if mine[key] else other[key] for key in mine})


def read_layer_meta(path: str | Path | None, *, name: str | None = None, source: str | None = None,
                    credit: str | None = None) -> LayerMeta:
    """The metadata of the control layer at `path`, with the given values taking precedence."""
    given = LayerMeta(name=_text(name), source=_text(source), credit=_text(credit))
    if given.source and given.source.lower().startswith(("http://", "https://")):
        given = LayerMeta(given.name, given.source, given.source, given.credit)
    if path is None:
        return given
    path = Path(path)
    found = given.merged(_sidecar(path)).merged(_header(path))
    default = path.name if path.is_dir() else path.stem
    return found.merged(LayerMeta(name=default, source=default))


def load_control(control: Any, control_meta: Any = None) -> tuple[Any, LayerMeta | None]:
    """A control layer read from a path (with its metadata), or the frame as given.

    control_meta (a LayerMeta or a dict with name/source/credit) wins over what the
    layer's files say; the metadata's source names rows that carry no `source` of their own."""
    import os

    given = control_meta if isinstance(control_meta, LayerMeta) else \
        read_layer_meta(None, **{k: (control_meta or {}).get(k) for k in ("name", "source", "credit")})
    if isinstance(control, (str, os.PathLike)):
        from geoevents.territory.control import read_control

        meta = given.merged(read_layer_meta(control))
        return read_control(control, source=meta.source), meta
    if control is None or len(control) == 0:
        return control, None
    path = control.attrs.get("path") if hasattr(control, "attrs") else None
    meta = given.merged(read_layer_meta(path)) if path else given
    return control, meta if any(meta.as_dict().values()) else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text[:MAX_CHARS] or None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text and text.lower().startswith(("http://", "https://")) else None


def _from_mapping(data: dict[str, Any], stem: str | None) -> LayerMeta:
    name = _text(data.get("title")) or _text(data.get("name"))
    if name is not None and stem is not None and name == stem:
        name = None  # GDAL writes the layer name (the file stem) as "name"
    credit = _text(data.get("credit")) or _text(data.get("attribution")) or _text(data.get("license"))
    source = _text(data.get("source"))
    url = _url(data.get("source_url")) or _url(data.get("url")) or _url(source)
    return LayerMeta(name=name, source=source, source_url=url, credit=credit)


def _sidecar(path: Path) -> LayerMeta:
    file = path / SIDECAR if path.is_dir() else path.with_name(f"{path.stem}.{SIDECAR}")
    if not file.is_file():
        return LayerMeta()
    import yaml

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problem = " ".join(str(error).split())
        raise LayerMetaError(f"{file}: cannot read the control layer's metadata ({problem})") from error
    if not isinstance(data, dict):
        raise LayerMetaError(f"{file}: must hold keys such as `name:`, `source:`, `source_url:` and `credit:`")
    return _from_mapping(data, None)


def _header(path: Path) -> LayerMeta:
    """Top-level members of the (first) GeoJSON file; anything unreadable just gives nothing."""
    file = _first_geojson(path)
    if file is None:
        return LayerMeta()
    try:
        if file.stat().st_size > MAX_READ_BYTES:
            return LayerMeta()
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return LayerMeta()  # read_control reports a broken layer with its own located error
    return _from_mapping(data, file.stem) if isinstance(data, dict) else LayerMeta()


def _first_geojson(path: Path) -> Path | None:
    if path.is_file():
        return path if path.suffix.lower() in (".geojson", ".json") else None
    if not path.is_dir():
        return None
    from geoevents.territory.control import date_from_name

    dated = sorted((date_from_name(p.name), p.name, p) for p in path.iterdir()
                   if p.suffix.lower() in (".geojson", ".json") and date_from_name(p.name) is not None and p.is_file())
    return dated[0][2] if dated else None
