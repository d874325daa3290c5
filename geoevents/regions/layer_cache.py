"""Per-user cache of the shipped boundary layers in the fast npz form.

Why: reading admin-1 and admin-0 from the GeoPackage through GDAL costs 0.2-0.6 s
on the development machine, and every `geoevents` command that touches regions
pays it; the npz form (geoevents.regions.storage) loads in about 0.1 s. The
first load of a layer copies it into cache_dir()/boundaries/<key>/, where the
key covers the GeoPackage's path, size and modification time, the package
version and the cache format, so a new or edited file or an upgrade rebuilds it
without anyone clearing anything. Built once under a lock, written atomically
(geoevents.cachefiles); if the cache dir cannot be written the GeoPackage is
read directly, slower but correct.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from geoevents.regions import shipped, storage

FORMAT = "1"  # bump when the npz layout or the record conversion changes


def entry_dir(source: Path, root: Path | None = None) -> Path:
    """The cache folder for this GeoPackage as it is now."""
    from geoevents import __version__

    if root is None:
        from geoevents.paths import cache_dir

        root = cache_dir()
    source = source.resolve()
    stat = source.stat()
    key = f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{__version__}|{FORMAT}"
    return root / "boundaries" / hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def load_layer(source: Path, layer: str, root: Path | None = None) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Geometries and records of one layer of the shipped GeoPackage, through the cache."""
    try:
        folder = entry_dir(source, root)
        cached = folder / f"{layer}.npz"
        if cached.is_file():
            try:
                return storage.read_layer(cached)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                cached.unlink(missing_ok=True)  # damaged: rebuilt below
        from geoevents.cachefiles import build_once

        build_once(folder.parent / ".build.lock", cached.is_file, lambda: _build(source, layer, folder))
        return storage.read_layer(cached)
    except OSError:  # read-only or full cache dir: correct, only slower
        return shipped.read_layer(source, layer)


def _build(source: Path, layer: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    meta = folder / "meta.json"
    if not meta.is_file():
        _remove_stale(source, folder)
        meta.write_text(json.dumps({"source": str(source.resolve()), "format": FORMAT}), encoding="utf-8")
    geometries, records = shipped.read_layer(source, layer)
    storage.write_layer(folder / f"{layer}.npz", geometries, records)


def _remove_stale(source: Path, current: Path) -> None:
    """Delete entries made for an older version of the same file, or for a file that is gone."""
    for entry in current.parent.iterdir():
        if entry == current or not entry.is_dir():
            continue
        try:
            made_for = Path(json.loads((entry / "meta.json").read_text(encoding="utf-8"))["source"])
        except (OSError, ValueError, KeyError):
            continue  # being built right now, or not ours
        if made_for == source.resolve() or not made_for.exists():
            shutil.rmtree(entry, ignore_errors=True)
