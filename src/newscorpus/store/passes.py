"""The index of the independent annotation passes (``annotations/passes.json``): for each
pass folder, the guidelines it was made from (a release, or ``draft``) and who made it
(``llm`` or ``human``), so agreement is compared like with like: passes made from the
same guidelines with each other, and each pass with the gold of its release."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout

ANNOTATORS = ("llm", "human")


@dataclass(frozen=True)
class PassInfo:
    name: str
    guidelines: str
    annotator: str
    description: str


def pass_index_path(layout: Layout) -> Path:
    return layout.annotations / "passes.json"


def pass_folders(layout: Layout) -> list[Path]:
    passes = layout.annotations / "passes"
    return sorted(p for p in passes.iterdir() if p.is_dir()) if passes.is_dir() else []


def read_pass_index(layout: Layout) -> dict[str, PassInfo]:
    """The passes the index describes, by name (empty without an index); a malformed
    entry is the problem ``pass-index``."""
    path = pass_index_path(layout)
    if not path.exists():
        return {}
    shown = layout.rel(path)
    data = read_json(path, shown)
    entries = data.get("passes") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(Problem(shown, "", "pass-index", "the index needs a list \"passes\""))
    out: dict[str, PassInfo] = {}
    for n, entry in enumerate(entries):
        info = _entry(entry, shown, n)
        if info.name in out:
            raise CorpusError(Problem(shown, f"/passes/{n}/name", "pass-index", "pass listed twice", info.name))
        out[info.name] = info
    return out


def _entry(entry, shown: str, n: int) -> PassInfo:
    fields = ("name", "guidelines", "annotator", "description")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) and entry.get(f) for f in fields):
        raise CorpusError(Problem(shown, f"/passes/{n}", "pass-index",
                                  "each pass needs name, guidelines, annotator and description (strings)"))
    if set(entry) - set(fields):
        raise CorpusError(Problem(shown, f"/passes/{n}", "pass-index", "unknown field",
                                  ", ".join(sorted(set(entry) - set(fields)))))
    if entry["annotator"] not in ANNOTATORS:
        raise CorpusError(Problem(shown, f"/passes/{n}/annotator", "pass-index",
                                  f"annotator must be one of {', '.join(ANNOTATORS)}", entry["annotator"]))
    return PassInfo(entry["name"], entry["guidelines"], entry["annotator"], entry["description"])


def check_pass_index(layout: Layout, released: set[str] | None) -> list[Problem]:
    """The index read, each entry naming a pass folder and a release (or the draft);
    ``released`` None when the release index cannot be read (its own problem)."""
    try:
        index = read_pass_index(layout)
    except CorpusError as exc:
        return exc.problems
    shown = layout.rel(pass_index_path(layout))
    folders = {p.name for p in pass_folders(layout)}
    problems = []
    for n, info in enumerate(index.values()):
        if info.name not in folders:
            problems.append(Problem(shown, f"/passes/{n}/name", "pass-index",
                                    "no such folder under annotations/passes", info.name))
        if released is not None and info.guidelines != "draft" and info.guidelines not in released:
            problems.append(Problem(shown, f"/passes/{n}/guidelines", "pass-index",
                                    "guidelines must be a released version or 'draft'", info.guidelines))
    return problems
