"""The synthetic repository's state around the measurements: the inputs each floor reads,
the caches a cold run starts without, and the state a writing command is undone to."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from newscorpus.store.paths import Layout
from newscorpus.store.versions import INVENTORY_SNAPSHOT, annotation_files

BASE_VERSION = "1.0.0"


def all_paths(root: Path) -> set[str]:
    """Every file and folder under ``root``, relative."""
    out = set()
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        out.update(str(rel / name) for name in dirs + files)
    return out


class Caches:
    """A cold run starts from the repository as generated: whatever a command wrote into
    it since (a cache of the validator, say) is removed, and so is $XDG_CACHE_HOME."""

    def __init__(self, root: Path, xdg_cache: Path):
        self.root, self.xdg_cache = root, xdg_cache
        self.baseline = all_paths(root)

    def clear(self) -> list[str]:
        removed = sorted(all_paths(self.root) - self.baseline)
        for rel in removed:
            path = self.root / rel
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists() or path.is_symlink():
                path.unlink()
        shutil.rmtree(self.xdg_cache, ignore_errors=True)
        self.xdg_cache.mkdir(parents=True)
        return removed


class Checkpoint:
    """A copy of what ``release`` and ``labelstudio import`` write (the draft, the release
    index, the changelog, CITATION.cff, new release folders), put back after each run."""

    def __init__(self, layout: Layout, store: Path):
        self.layout, self.store = layout, store
        self.files = [layout.release_index, layout.changelog, layout.citation]
        self.releases = {p.name for p in layout.releases.iterdir()}
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(layout.draft, store / "draft")
        for path in self.files:
            shutil.copy2(path, store / path.name)

    def restore(self, _run: int = 0) -> None:
        shutil.rmtree(self.layout.draft)
        shutil.copytree(self.store / "draft", self.layout.draft)
        for path in self.files:
            shutil.copy2(self.store / path.name, path)
        for folder in self.layout.releases.iterdir():
            if folder.name not in self.releases:
                shutil.rmtree(folder)


def input_groups(layout: Layout) -> dict[str, list[Path]]:
    """The JSON files of the repository by group, as the floors read them."""
    release = layout.releases / BASE_VERSION
    return {
        "documents": sorted(layout.documents.glob("*.json")),
        "release": annotation_files(release),
        "release_inventory": [release / INVENTORY_SNAPSHOT],
        "draft": annotation_files(layout.draft),
        "passes": sorted((layout.annotations / "passes").glob("*/*.json")),
    }


def schema_pairs(layout: Layout, groups: dict[str, list[Path]]) -> list[tuple[Path, Path]]:
    """(schema, file) for every file ``validate`` checks against a JSON Schema. The
    releases are checked against the schema of their inventory snapshot, which in the
    synthetic repository is the current inventory: checked here."""
    if (layout.releases / BASE_VERSION / INVENTORY_SNAPSHOT).read_bytes() != layout.inventory.read_bytes():
        raise SystemExit("the release's inventory snapshot differs from schema/inventory.json")
    pairs = [(layout.document_schema, p) for p in groups["documents"]]
    for name in ("draft", "release", "passes"):
        pairs += [(layout.annotation_schema, p) for p in groups[name]]
    return pairs
