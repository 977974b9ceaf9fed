"""The layout of a corpus repository on disk."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from newscorpus.errors import CorpusError, Problem

# An identifier that also names a file: documents, annotations, versions' folders.
ID_CHARS = "[A-Za-z0-9][A-Za-z0-9_.-]*"
_ID = re.compile(ID_CHARS)


def child_path(folder: Path, name: str, suffix: str, shown: str, what: str,
               location: str = "") -> Path:
    """``folder/<name><suffix>``, after checking that ``name`` is an identifier and
    that the path stays inside ``folder``; raise ``id-format`` otherwise."""
    if not isinstance(name, str) or not _ID.fullmatch(name) or len(name) > 200:
        raise CorpusError(Problem(shown, location, "id-format",
                                  f"{what} must be letters, digits, '_', '.', '-' "
                                  "(starting with a letter or digit, at most 200 characters)",
                                  name))
    path = Path(folder) / f"{name}{suffix}"
    if path.resolve().parent != Path(folder).resolve():
        raise CorpusError(Problem(shown, location, "id-format", f"{what} leaves its folder", name))
    return path


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def documents(self) -> Path:
        return self.root / "corpus" / "documents"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def inventory(self) -> Path:
        return self.schema_dir / "inventory.json"

    @property
    def document_schema(self) -> Path:
        return self.schema_dir / "document.schema.json"

    @property
    def annotation_schema(self) -> Path:
        return self.schema_dir / "annotation.schema.json"

    @property
    def annotations(self) -> Path:
        return self.root / "annotations"

    @property
    def draft(self) -> Path:
        return self.annotations / "draft"

    @property
    def releases(self) -> Path:
        return self.annotations / "releases"

    @property
    def release_index(self) -> Path:
        return self.annotations / "releases.json"

    @property
    def changelog(self) -> Path:
        return self.annotations / "CHANGELOG.md"

    @property
    def citation(self) -> Path:
        return self.root / "CITATION.cff"

    @property
    def guidelines(self) -> Path:
        return self.root / "docs" / "guidelines.md"

    def rel(self, path: Path) -> str:
        """A path as shown to the user: relative to the root when inside it."""
        try:
            return _resolved(Path(path)).relative_to(_resolved_folder(str(self.root))).as_posix()
        except ValueError:
            return str(path)


def json_files(folder: Path, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """The ``*.json`` files of ``folder`` (not hidden, not in ``skip``) in stem order,
    each Path made when it is reached: the listing is held as plain names, which a
    folder of many thousand files keeps in a few hundred kB rather than megabytes."""
    if not folder.is_dir():
        return iter(())
    with os.scandir(folder) as entries:
        names = [e.name for e in entries
                 if e.name.endswith(".json") and not e.name.startswith(".") and e.name not in skip]
    names.sort(key=lambda name: name[:-5])
    return (folder / name for name in names)


def _resolved(path: Path) -> Path:
    """``path.resolve()``, with the folder's resolution shared by the files in it (this
    runs for every file a command reports on or caches)."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    return _resolved_folder(str(path.parent)) / path.name


@lru_cache(maxsize=4096)
def _resolved_folder(folder: str) -> Path:
    return Path(folder).resolve()


def find_root(start: str | os.PathLike | None = None) -> Layout:
    """The corpus root: ``start`` if given, else $NEWSCORPUS_ROOT, else the nearest
    folder at or above the working directory that has ``schema/inventory.json``."""
    if start is None:
        start = os.environ.get("NEWSCORPUS_ROOT")
    if start is not None:
        root = Path(start)
        if not (root / "schema" / "inventory.json").is_file():
            raise CorpusError(Problem(str(root), "", "corpus-root", "not a corpus root (no schema/inventory.json)"))
        return Layout(root)
    here = Path.cwd()
    for candidate in (here, *here.parents):
        if (candidate / "schema" / "inventory.json").is_file():
            return Layout(candidate)
    raise CorpusError(Problem("", "", "corpus-root", "no corpus root found at or above the working directory "
                              "(looked for schema/inventory.json); pass --root"))
