"""Load a YAML event file keeping the line of every key, so errors can say where.

PyYAML's composed nodes carry start marks; a SafeLoader subclass records them while
constructing mappings. Timestamps are left as text: `2024-08` and `2024-08-06` must both
reach the date parser unchanged (YAML would turn only the second into a date object).
"""

from __future__ import annotations

from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    lines: dict[str, int]


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int):
        self.key, self.line, self.first = key, line, first


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps line numbers and leaves dates as strings."""

    duplicates: list[tuple[str, int, int]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = str(key)
            line = key_node.start_mark.line + 1
            if key in result.lines:
                self.duplicates.append((key, line, result.lines[key]))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)


class YAMLSyntaxError(ValueError):
    """The file is not valid YAML; `line`/`column` point at the problem (1-based)."""

    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.line, self.column = line, column


def load_yaml(text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    """Parse YAML text; return the data (LineDicts for mappings) and duplicate keys
    as (key, line, first line)."""
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise YAMLSyntaxError(f"YAML syntax error: {problem}{context}", line, column) from None
    except yaml.YAMLError as error:
        raise YAMLSyntaxError(f"YAML error: {error}", None, None) from None
    finally:
        loader.dispose()
    return data, loader.duplicates


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_PATTERN_HINTS = {
    "text": "holds control characters (only tab and newline are allowed)",
    "shortText": "holds control characters or line breaks",
    "url": "must be an http(s) URL without spaces",
    "isoDay": "must be an ISO day such as 2025-02-07",
    "id": "ids may hold only letters, digits and _ . : - (starting with a letter or digit)",
    "country": "must be an ISO 3166-1 alpha-2 code such as UA",
}


def _schema_message(error: Any, allowed_keys: set[str]) -> list[tuple[str | None, str]]:
    """Turn one jsonschema error into (key, message) pairs a person can act on."""
    import difflib

    keyword = error.validator
    instance = error.instance
    if keyword == "additionalProperties" and isinstance(instance, dict):
        out = []
        for key in instance:
            if key not in allowed_keys:
                close = difflib.get_close_matches(key, sorted(allowed_keys), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                out.append((key, f"unknown key {key!r}{hint}"))
        return out
    if keyword == "required":
        return [(None, error.message.replace("is a required property", "is required"))]
    if keyword == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = {"LineDict": "mapping", "dict": "mapping", "list": "list", "str": "str",
               "int": "integer", "float": "number", "bool": "boolean",
               "NoneType": "nothing"}.get(type(instance).__name__, type(instance).__name__)
        return [(None, f"must be {expected}, got {got} {_short(instance)}")]
    if keyword == "enum":
        return [(None, f"{_short(instance)} is not one of {', '.join(map(str, error.validator_value))}")]
    if keyword == "maxLength":
        return [(None, f"text is {len(instance)} characters long; at most "
                       f"{error.validator_value} are allowed")]
    if keyword == "pattern":
        ref = "text"
        for part in reversed(list(error.schema_path)):
            if part in _PATTERN_HINTS:
                ref = part
                break
        if error.schema.get("pattern", "").startswith("^[A-Za-z0-9]"):
            ref = "id"
        elif error.schema.get("pattern", "").startswith("^[A-Za-z]{2}"):
            ref = "country"
        elif error.schema.get("pattern", "").startswith("^https?"):
            ref = "url"
        elif error.schema.get("pattern", "").startswith("^[0-9]{4}"):
            ref = "isoDay"
        elif error.schema.get("maxLength") == 200:
            ref = "shortText"
        return [(None, f"{_PATTERN_HINTS[ref]}: {_short(instance)}")]
    if keyword in ("minItems", "maxItems"):
        return [(None, f"{_short(instance)} must have exactly 2 items [latitude, longitude]"
                 if error.validator_value == 2 else error.message)]
    if keyword == "oneOf":
        return [(None, f"{_short(instance)} has the wrong form (see the schema)")]
    return [(None, error.message if len(error.message) < 200 else error.message[:200] + "...")]


def read_yaml_table(path: "Path") -> "RawTable":
    """Read a YAML (or JSON-as-YAML) event file into a RawTable, reporting structure
    and type errors from the published JSON Schema with their lines."""
    from pathlib import Path

    import jsonschema
    import pandas as pd

    from geoevents.events.model import EVENT_KEYS, HEADER_KEYS, schema
    from geoevents.io.raw import RawTable

    path = Path(path)
    table = RawTable(path=path, kind="yaml", frame=pd.DataFrame())
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        table.file_problem(None, None, "error", f"the file is not UTF-8 text ({error.reason} "
                                                 f"at byte {error.start})")
        return table
    try:
        data, duplicates = load_yaml(text)
    except YAMLSyntaxError as error:
        where = f" (column {error.column})" if error.column else ""
        table.file_problem(error.line, None, "error", f"{error}{where}")
        return table
    for key, line, first in duplicates:
        table.file_problem(line, key, "error", f"key {key!r} appears twice in one mapping "
                                               f"(first on line {first})")
    if not isinstance(data, LineDict):
        table.file_problem(1, None, "error", "an event file is a mapping with a header and "
                                             "`events:` (a list); see docs/events.md")
        return table
    events = data.get("events")
    event_list = events if isinstance(events, list) else []
    validator = jsonschema.Draft202012Validator(schema())
    bad_header: set[str] = set()
    for error in validator.iter_errors(data):
        path_items = list(error.absolute_path)
        is_event = len(path_items) >= 2 and path_items[0] == "events" and isinstance(path_items[1], int)
        allowed = EVENT_KEYS if is_event and len(path_items) == 2 else HEADER_KEYS
        for key, message in _schema_message(error, set(allowed)):
            if is_event:
                row = path_items[1]
                name = key or (str(path_items[2]) if len(path_items) > 2 else None)
                record = event_list[row]
                line = getattr(record, "lines", {}).get(name) if name else None
                if line is None:
                    line = getattr(record, "line", None)
                event_id = record.get("id") if isinstance(record, dict) else None
                label = f"events[{row}].{name}" if name else f"events[{row}]"
                table.problems.append(_problem(path, line, name or label, message,
                                               event_id if isinstance(event_id, str) else None))
                if name:
                    table.bad.add((row, name))
                else:
                    table.bad.add((row, "*"))
            else:
                name = key or (str(path_items[0]) if path_items else None)
                line = data.lines.get(name, 1) if name else 1
                table.file_problem(line, name, "error", message)
                if name:
                    bad_header.add(name)
    header = {k: v for k, v in data.items() if k != "events" and k not in bad_header}
    table.header = header
    table.header_lines = dict(data.lines)
    records, field_lines, row_lines = [], [], []
    for row, record in enumerate(event_list):
        if not isinstance(record, dict) or (row, "*") in table.bad:
            continue
        clean = {k: (None if (row, k) in table.bad else v) for k, v in record.items()
                 if k in EVENT_KEYS}
        records.append(clean)
        field_lines.append(dict(record.lines))
        row_lines.append(record.line)
    # rows that were skipped keep their problems; re-index bad fields to kept rows
    kept = [row for row, record in enumerate(event_list)
            if isinstance(record, dict) and (row, "*") not in table.bad]
    remap = {old: new for new, old in enumerate(kept)}
    table.bad = {(remap[r], f) for r, f in table.bad if r in remap}
    table.frame = pd.DataFrame.from_records(records, columns=sorted(EVENT_KEYS)) if records \
        else pd.DataFrame(columns=sorted(EVENT_KEYS))
    table.field_lines = field_lines
    table.row_lines = row_lines
    return table


def _problem(path: Any, line: int | None, name: str | None, message: str,
             event_id: str | None) -> Any:
    from geoevents.events.model import Problem

    return Problem(str(path), line, name, "error", message, event_id)
