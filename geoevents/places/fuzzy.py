"""Fuzzy (typo-tolerant) candidate search over a reduced key set.

Scanning two million keys with rapidfuzz per query is far too slow, so the
build stores a deletion neighbourhood (every key prefix with each single
character deleted). A query's own deletion variants meet those of keys within
about two edits; only those few candidates are scored with rapidfuzz.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geoevents.places.build import deletion_variants
from geoevents.places.index import StringColumn, key_hash


class FuzzyIndex:
    def __init__(self, folder: Path) -> None:
        self.hashes = np.load(folder / "fuzzy_hash.npy", mmap_mode="r")
        self.owners = np.load(folder / "fuzzy_owner.npy", mmap_mode="r")
        self.keys = StringColumn(folder, "fuzzy_key")

    def candidates(self, key: str, limit: int = 8, cutoff: float = 75.0) -> list[tuple[str, float]]:
        """Keys similar to `key`, best first, with a rapidfuzz ratio 0..100."""
        from rapidfuzz import fuzz, process

        variants = np.fromiter((key_hash(v) for v in deletion_variants(key)), dtype=np.uint64)
        lo = self.hashes.searchsorted(variants, side="left")
        hi = self.hashes.searchsorted(variants, side="right")
        owners: set[int] = set()
        for a, b in zip(lo.tolist(), hi.tolist()):
            if b > a:
                owners.update(self.owners[a:b].tolist())
        if not owners:
            return []
        keys = [self.keys[i] for i in owners]
        found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        return [(choice, float(score)) for choice, score, _ in found if choice != key]
