"""Strict JSON decoding with bounded cost, for JSON that someone else wrote.

Why: `json.loads` lets the last of two duplicate keys win silently, accepts
NaN and Infinity, turns a 10,000-digit integer into seconds of work (or a
ValueError from deep inside), and raises RecursionError on deep nesting —
which escapes every `except ValueError` around it. Files from users (control
layers) and replies from servers (online geocoders) get this decoder instead:
nesting depth is measured before decoding, and every refusal is a ValueError.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

#: deepest nesting accepted by default (GeoJSON needs 7, a Nominatim reply 4)
MAX_DEPTH = 32
#: longest integer literal accepted (coordinates and codes need far fewer digits)
MAX_INT_DIGITS = 40

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


class DuplicateKeyError(ValueError):
    """A JSON object repeats a key."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = key if len(key) <= 40 else key[:37] + "..."
            raise DuplicateKeyError(f"duplicate key {shown!r} in one JSON object")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits")
    return int(text)


#: duplicate keys, NaN/Infinity and over-long integers raise ValueError
DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_integer)


def too_deep(data: bytes | str, limit: int = MAX_DEPTH) -> int | None:
    """The byte offset where nesting first exceeds `limit`, or None (strings are skipped).

    One regular-expression pass and a numpy cumulative sum: linear in the size."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    blanked = _STRING.sub(b'""', raw)
    codes = np.frombuffer(blanked, dtype=np.uint8)
    if not len(codes):
        return None
    steps = np.zeros(len(codes), dtype=np.int8)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = np.cumsum(steps, dtype=np.int32)
    if int(depth.max()) <= limit:
        return None
    return int(np.argmax(depth > limit))


def line_of_deep(data: bytes | str, limit: int = MAX_DEPTH) -> int | None:
    """The 1-based line on which nesting first exceeds `limit`, or None."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    offset = too_deep(raw, limit)
    if offset is None:
        return None
    # JSON strings cannot hold raw newlines, so blanking them kept the line count
    return _STRING.sub(b'""', raw)[:offset].count(b"\n") + 1


def loads(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode JSON strictly; every problem (depth included) is a ValueError."""
    if too_deep(text, max_depth) is not None:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return DECODER.decode(text)
