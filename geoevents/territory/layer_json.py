"""Strict, bounded parsing of a control-layer GeoJSON file, feature by feature with line numbers.

Why not GDAL or a plain json.loads: GDAL lets the last of two duplicate keys
win and accepts NaN coordinates, and neither says on which line a feature
starts. Here the top-level object is walked with the standard library's
`JSONDecoder.raw_decode`, so each feature is decoded on its own (its line is
known) by the C scanner, with the strict decoder of geoevents.json_bounds
(duplicate keys, NaN/Infinity and absurdly long integers refused) after the
nesting depth was checked (so no input can exhaust the stack).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoevents.json_bounds import DECODER, line_of_deep
from geoevents.territory.errors import ControlLayerError, Where, located, short

#: deepest JSON nesting accepted; a MultiPolygon in a FeatureCollection needs 7
MAX_DEPTH = 32

_WHITESPACE = re.compile(r"[ \t\n\r]*")


@dataclass
class RawFeature:
    """One decoded member of `features`, where it starts, and its source text span."""

    index: int  # 1-based
    line: int
    value: Any
    has_literal_bool: bool


@dataclass
class RawLayer:
    """The decoded top level of a GeoJSON file: its members and its features."""

    path: Path
    members: dict[str, Any]
    features: list[RawFeature] = field(default_factory=list)
    features_line: int | None = None


class _Lines:
    """Offset -> 1-based line number."""

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


def _check_depth(data: bytes, path: Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH before decoding anything."""
    line = line_of_deep(data, MAX_DEPTH)
    if line is not None:
        raise ControlLayerError(located(Where(path, line=line),
                                        f"JSON nested deeper than {MAX_DEPTH} levels; not a control layer"))


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]


def _fail(path: Path, lines: _Lines, pos: int, message: str, feature: int | None = None) -> ControlLayerError:
    return ControlLayerError(located(Where(path, feature, lines(pos)), message))


def _decode(text: str, pos: int, path: Path, lines: _Lines, what: str,
            feature: int | None = None) -> tuple[Any, int]:
    """Decode one JSON value at `pos`; errors name the line (and the feature being read)."""
    try:
        return DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as error:
        raise _fail(path, lines, error.pos, f"JSON syntax error: {error.msg}", feature) from None
    except ValueError as error:  # duplicate key, NaN, huge integer: the scanner gives no position
        raise _fail(path, lines, pos, f"{what}: {error}" if feature is None else str(error), feature) from None


def read_layer_json(path: Path) -> RawLayer:
    """Decode a GeoJSON file strictly: top-level members, and each feature with its line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ControlLayerError(located(Where(path), f"cannot read the file ({error.strerror})")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ControlLayerError(located(Where(path, line=line),
                                        f"not UTF-8 text (byte {error.start}); GeoJSON must be UTF-8")) from None
    lines = _Lines(text)
    _check_depth(data, path)
    pos = _skip(text, 0)
    if not text.startswith("{", pos):
        raise _fail(path, lines, pos, "expected a GeoJSON object ({...}) at the top level")
    layer = RawLayer(path, {})
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return layer
    while True:
        if not text.startswith('"', pos):
            raise _fail(path, lines, pos, "JSON syntax error: expected a member name in double quotes")
        key, pos = _decode(text, pos, path, lines, "member name")
        key_line = lines(pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise _fail(path, lines, pos, f"JSON syntax error: expected ':' after {short(key)}")
        pos = _skip(text, pos + 1)
        if key in layer.members:
            raise _fail(path, lines, pos, f"duplicate top-level member {short(key)}; the last would "
                                          "silently win, keep one")
        if key == "features":
            layer.features_line = key_line
        if key == "features" and text.startswith("[", pos):
            pos = _read_features(text, pos, layer, lines)
            layer.members[key] = None  # the features live in layer.features
        else:
            layer.members[key], pos = _decode(text, pos, path, lines, f"member {short(key)}")
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("}", pos):
            break
        raise _fail(path, lines, pos, "JSON syntax error: expected ',' or '}' between members")
    pos = _skip(text, pos + 1)
    if pos != len(text):
        raise _fail(path, lines, pos, "extra data after the end of the GeoJSON object")
    return layer


def _read_features(text: str, pos: int, layer: RawLayer, lines: _Lines) -> int:
    """Decode the `features` array one element at a time; return the position after it."""
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return pos + 1
    for index in itertools.count(1):
        start = pos
        value, pos = _decode(text, pos, layer.path, lines, f"feature {index}", feature=index)
        span = text[start:pos]
        literal_bool = "true" in span or "false" in span
        layer.features.append(RawFeature(index, lines(start), value, literal_bool))
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("]", pos):
            return pos + 1
        raise _fail(layer.path, lines, pos, "JSON syntax error: expected ',' or ']' between features")
    raise AssertionError("unreachable")  # pragma: no cover
