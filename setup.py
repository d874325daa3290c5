"""Copies the shipped data (data/boundaries/, data/gazetteer/) into wheels.

The repository keeps shipped data in data/ as the product layout asks; a
regular (non-editable) install needs it inside the package, where
geoevents.paths looks second.
"""

from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithBoundaries(build_py):
    def run(self) -> None:
        super().run()
        for folder in ("boundaries", "gazetteer"):
            source = Path(__file__).parent / "data" / folder
            target = Path(self.build_lib) / "geoevents" / "_data" / folder
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithBoundaries})
