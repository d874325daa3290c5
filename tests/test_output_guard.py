"""Outputs never overwrite inputs; unwritable outputs fail the same way for every verb.

Every writing verb runs through the real click entry point on files in a temporary
workspace: `-o` onto an input (same path, relative spelling, symlink, hard link, a file
inside an input folder) and two outputs of one run landing on one file are refused
with exit status 2 and the input left byte-for-byte; a missing or read-only output
folder gives exit status 2 and a message naming the target, never a temporary file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.io.guard import OutputError, check_outputs

EVENTS_CSV = """\
id,date,latitude,longitude,kind,actor,claimant,claim,figure,figure_unit,status,published
a,2024-01-02,50.5,30.5,control,Russian forces,Test Wire,Area held,9000,km2,claimed,2024-01-03
b,2024-01-02,50.6,30.6,attack,Russian forces,Test Wire,Shelling reported,,,reported,2024-01-03
"""
EVENTS_YAML = """\
title: Guard test
source: Test Wire
published: 2024-01-03
events:
  - id: a
    date: 2024-01-02
    latitude: 50.5
    longitude: 30.5
    kind: attack
    claimant: Test Wire
    claim: Shelling reported near the test point.
    status: reported
"""
ARTICLE = ("Russian forces shelled Vovchansk in Kharkiv Oblast on Monday, the regional "
           "governor said. Two people were hurt.\n")


def snapshot(path: Path, east: float) -> Path:
    import geopandas as gpd
    import shapely

    gpd.GeoDataFrame({"controller": ["RU"]}, geometry=[shapely.box(30, 50, east, 51)],
                     crs=4326).to_file(path, driver="GeoJSON")
    return path


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    """A workspace of inputs: events (CSV, YAML), an article, names, control snapshots, seeds."""
    (tmp_path / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(EVENTS_YAML, encoding="utf-8")
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "names.txt").write_text("Kursk\nSudzha\n", encoding="utf-8")
    ctl = tmp_path / "ctl"
    ctl.mkdir()
    snapshot(ctl / "front_20240101.geojson", 31.0)
    snapshot(ctl / "front_20240102.geojson", 31.2)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.yaml").write_text(EVENTS_YAML, encoding="utf-8")
    shutil.copytree(ctl, seeds / "a.control")
    return tmp_path


def run(*args: object) -> object:
    """The real CLI in-process; an unexpected exception (a traceback) fails the test."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (links as their target text) -> its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(folder))] = os.readlink(path).encode()
        elif path.is_file():
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


# ------------------------------------------------------------- the guard on its own

def test_guard_compares_files_not_spellings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    monkeypatch.chdir(tmp_path / "sub")
    for spelling in (source, "../in.csv", tmp_path / "sub" / ".." / "in.csv", tmp_path / "link.csv",
                     tmp_path / "hard.csv", tmp_path / "dirlink" / "in.csv"):
        with pytest.raises(OutputError, match="refusing to overwrite the input file"):
            check_outputs([spelling], [source])
        with pytest.raises(OutputError, match="refusing to overwrite the input file"):
            check_outputs([source], [spelling])  # the input given through the link
    # a new file beside the input, or in an input folder, is fine
    assert check_outputs([tmp_path / "new.csv", tmp_path / "sub" / "new.csv"], [source, tmp_path / "sub"])


def test_guard_treats_folders_as_their_files_and_catches_colliding_outputs(tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    (folder / "deeper").mkdir(parents=True)
    inner = folder / "deeper" / "day_20240101.geojson"
    inner.write_text("{}", encoding="utf-8")
    os.link(inner, tmp_path / "alias.geojson")
    with pytest.raises(OutputError, match=r"a file of the input folder .*snapshots"):
        check_outputs([tmp_path / "alias.geojson"], [folder])
    with pytest.raises(OutputError, match="this run also writes"):
        check_outputs([tmp_path / "x.png", tmp_path / "." / "x.png"])
    (tmp_path / "same").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(OutputError, match="this run also writes"):
        check_outputs([tmp_path / "x.png", tmp_path / "same" / "x.png"])
    (tmp_path / "x.png").write_bytes(b"old")
    os.link(tmp_path / "x.png", tmp_path / "y.png")
    with pytest.raises(OutputError, match="this run also writes"):
        check_outputs([tmp_path / "x.png", tmp_path / "y.png"])
    with pytest.raises(OutputError, match="it is a folder"):
        check_outputs([folder])
    with pytest.raises(OutputError, match="does not exist"):
        check_outputs([tmp_path / "missing" / "x.csv"])
    with pytest.raises(OutputError, match=r"x.png is not a folder"):
        check_outputs([tmp_path / "x.png" / "x.csv"])


# ----------------------------------------------------- -o onto an input, every verb

def _with(_setup: object, args: list[object]) -> list[object]:
    """`args`, once the setup expression before it has run (keeps the tables one-liners)."""
    return args


def _link(kind: str, target: Path, name: Path) -> Path:
    if kind == "symlink":
        name.symlink_to(target)
    else:
        os.link(target, name)
    return name


REFUSED: dict[str, Callable[[Path], list[object]]] = {
    "export same path": lambda w: ["export", w / "events.csv", "-o", w / "events.csv"],
    "export relative spelling": lambda w: ["export", w / "events.csv", "-o", "ctl/../events.csv"],
    "export through a symlink": lambda w: ["export", w / "events.csv", "-o",
                                           _link("symlink", w / "events.csv", w / "out.geojson")],
    "export through a hard link": lambda w: ["export", "events.csv", "-o",
                                             _link("hard", w / "events.csv", w / "out.gpkg")],
    "extract": lambda w: ["extract", w / "article.txt", "--published", "2024-11-18", "-o",
                          _link("hard", w / "article.txt", w / "draft.yaml")],
    "map victim.yaml -o victim.yaml": lambda w: ["map", w / "events.yaml", "-o", w / "events.yaml"],
    "map, the PNG beside the page": lambda w: _with(_link("symlink", w / "events.yaml", w / "page.png"),
                                                    ["map", w / "events.yaml", "-o", w / "page.html", "--png"]),
    "map onto its control layer": lambda w: ["map", w / "events.yaml", "--control", w / "ctl", "-o",
                                             _link("hard", w / "ctl" / "front_20240101.geojson",
                                                   w / "page.html")],
    "build over a seed's control snapshot": lambda w: _with(
        _link("hard", w / "seeds" / "a.control" / "front_20240102.geojson", w / "seeds" / "a.html"),
        ["build", w / "seeds", "-o", w / "seeds"]),
    "diff a b -o a": lambda w: ["diff", w / "ctl" / "front_20240101.geojson",
                                w / "ctl" / "front_20240102.geojson", "-o", w / "ctl" / "front_20240101.geojson"],
    "diff onto a file of its snapshot folder": lambda w: [
        "diff", w / "ctl", "--from", "2024-01-01", "--to", "2024-01-02", "-o", "ctl/front_20240102.geojson"],
    "timeline --plot onto its source": lambda w: ["timeline", w / "ctl", "--plot",
                                                  w / "ctl" / "front_20240101.geojson"],
    "timeline -o onto its source": lambda w: ["timeline", w / "ctl" / "front_20240101.geojson", "-o",
                                              _link("symlink", w / "ctl" / "front_20240101.geojson",
                                                    w / "t.json")],
    "check-claims ev.csv -o ev.csv": lambda w: ["check-claims", w / "events.csv", "--control", w / "ctl",
                                                "-o", w / "events.csv"],
    "check-claims onto its control folder": lambda w: [
        "check-claims", w / "events.csv", "--control", w / "ctl", "-o",
        _link("hard", w / "ctl" / "front_20240101.geojson", w / "verdicts.csv")],
    "geocode --file names.txt -o names.txt": lambda w: ["geocode", "--file", w / "names.txt", "-o",
                                                        w / "names.txt"],
}


COLLIDING: dict[str, Callable[[Path], list[object]]] = {
    "timeline -o x.csv --plot x.csv": lambda w: ["timeline", w / "ctl", "-o", w / "x.csv", "--plot", "x.csv"],
    "timeline through a linked folder": lambda w: ["timeline", w / "ctl", "-o", w / "x.json", "--plot",
                                                   _link("symlink", w, w / "again") / "x.json"],
    "map -o x.png --png": lambda w: ["map", w / "events.yaml", "-o", w / "x.png", "--png"],
    "build a.yaml and a.yml": lambda w: _with(shutil.copy(w / "events.yaml", w / "seeds" / "a.yml"),
                                              ["build", w / "seeds", "-o", w / "maps"]),
}


CASES = [(case, "refusing to overwrite") for case in sorted(REFUSED)] + \
    [(case, "this run also writes") for case in sorted(COLLIDING)]


@pytest.mark.parametrize(("case", "message"), CASES)
def test_no_verb_writes_over_its_input_or_twice_to_one_file(case: str, message: str, ws: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ws)
    args = {**REFUSED, **COLLIDING}[case](ws)
    before = tree(ws)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.output
    assert "Traceback" not in result.output
    assert tree(ws) == before  # nothing replaced, nothing added (no temporary file either)


# ----------------------------------------------- missing and read-only output folders

WRITERS: dict[str, Callable[[Path, Path], list[object]]] = {
    "export geojson": lambda w, o: ["export", w / "events.csv", "-o", o / "out.geojson"],
    "export csv": lambda w, o: ["export", w / "events.csv", "-o", o / "out.csv"],
    "export gpkg": lambda w, o: ["export", w / "events.csv", "-o", o / "out.gpkg"],
    "extract": lambda w, o: ["extract", w / "article.txt", "--published", "2024-11-18", "-o", o / "d.yaml"],
    "map": lambda w, o: ["map", w / "events.yaml", "-o", o / "m.html"],
    "map --png": lambda w, o: ["map", w / "events.yaml", "-o", o / "m.html", "--png"],
    "build": lambda w, o: ["build", w / "seeds", "-o", o / "maps"],
    "diff": lambda w, o: ["diff", w / "ctl", "--from", "2024-01-01", "--to", "2024-01-02", "-o", o / "d.gpkg"],
    "timeline -o": lambda w, o: ["timeline", w / "ctl", "-o", o / "t.csv"],
    "timeline --plot": lambda w, o: ["timeline", w / "ctl", "--plot", o / "t.png"],
    "check-claims": lambda w, o: ["check-claims", w / "events.csv", "--control", w / "ctl", "-o", o / "c.json"],
    "geocode": lambda w, o: ["geocode", "--file", w / "names.txt", "--format", "csv", "-o", o / "g.csv"],
}


def _target(args: list[object]) -> str:
    """The output the message must name (the path after -o/--plot)."""
    for flag in ("--plot", "-o"):
        if flag in args:
            return str(args[args.index(flag) + 1])
    raise AssertionError(args)


@pytest.fixture()
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder this process cannot write: chmod for a normal user, the immutable flag for
    root (root ignores permission bits). Fails, never skips, when neither works."""
    folder = tmp_path_factory.mktemp("read-only")
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


@pytest.mark.parametrize("folder", ["missing", "read-only"])
@pytest.mark.parametrize("verb", sorted(WRITERS))
def test_unwritable_output_folder_is_named_with_exit_2(verb: str, folder: str, ws: Path,
                                                       request: pytest.FixtureRequest) -> None:
    target = ws / "missing" if folder == "missing" else request.getfixturevalue("read_only")
    args = WRITERS[verb](ws, target)
    before = tree(ws)
    result = run(*args)
    assert result.exit_code == 2, result.output
    reason = "does not exist" if folder == "missing" else "is not writable"
    assert f"cannot write {_target(args)}: the folder {target} {reason}" in result.stderr, result.stderr
    assert "Traceback" not in result.output and ".tmp" not in result.output
    assert tree(ws) == before
    assert not target.exists() if folder == "missing" else list(target.iterdir()) == []


def test_build_into_a_read_only_existing_maps_folder(ws: Path, read_only: Path) -> None:
    result = run("build", ws / "seeds", "-o", read_only)
    assert result.exit_code == 2
    assert f"cannot write {read_only / 'a.html'}: the folder {read_only} is not writable" in result.stderr


def test_outputs_still_work_beside_their_inputs(ws: Path) -> None:
    """The guard refuses only what it must: outputs next to (and inside) input folders."""
    assert run("export", ws / "events.csv", "-o", ws / "events.geojson").exit_code == 0
    assert run("timeline", ws / "ctl", "-o", ws / "ctl" / "summary.json", "--plot", ws / "t.png").exit_code == 0
    result = run("build", ws / "seeds", "-o", ws / "seeds")
    assert result.exit_code == 0, result.output
    assert (ws / "seeds" / "a.html").is_file() and (ws / "seeds" / "a.yaml").read_text() == EVENTS_YAML
