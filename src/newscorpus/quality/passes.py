"""Agreement between several annotation sets at once (``newscorpus agreement A B C ...``,
``newscorpus agreement --passes``): every pair, each over the documents both annotate,
read one document at a time. A set is a folder of annotation files, the name of an
annotation pass (a folder under ``annotations/passes/``: ``pass-a``, or an annotator's
pseudonym after ``labelstudio pull --passes``), or a version ('draft', 'latest', a
release). Every set is validated once before any figure is computed."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Callable, Iterator

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.model import AnnotationSet
from newscorpus.quality.agreement import agreement_of_pairs
from newscorpus.store import versions as _versions
from newscorpus.store.paths import ID_CHARS, Layout

PASSES = "passes"


def passes_dir(layout: Layout) -> Path:
    return layout.annotations / PASSES


def pass_names(layout: Layout) -> list[str]:
    """The annotation passes stored in the repository, by name."""
    folder = passes_dir(layout)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def pass_folder(layout: Layout, name: str) -> Path | None:
    """The folder of the pass of this name, if there is one."""
    import re

    folder = passes_dir(layout) / name
    return folder if re.fullmatch(ID_CHARS, name) and folder.is_dir() else None


def _resolve(layout: Layout, name: str) -> tuple[str, Path | None]:
    """(name, folder) for a folder or a pass; (name, None) for a version."""
    if corpus.is_folder_name(name):
        return name, Path(name)
    import re

    if name in (corpus.DRAFT, "latest") or re.fullmatch(r"\d+\.\d+\.\d+", name):
        return name, None
    folder = pass_folder(layout, name)
    if folder is None:
        raise CorpusError(Problem(layout.rel(passes_dir(layout)), "", "agreement-sets",
                                  "no folder, annotation pass or version of this name (passes: "
                                  f"{', '.join(pass_names(layout)) or 'none'})", name))
    return name, folder


def _checked(layout: Layout, names: list[str]) -> list[tuple[str, Callable[[], Iterator[AnnotationSet]]]]:
    """Validate every set once; (name, a function giving its sets in document order)."""
    from newscorpus.rules.validation import check_document_records, validate_folder

    refs = [_resolve(layout, n) for n in names]
    out: list[tuple[str, Callable[[], Iterator[AnnotationSet]]]] = []
    if any(folder is None for _, folder in refs):
        corpus.require_valid(layout)
    inventory = corpus.current_inventory(layout)
    docs, problems = check_document_records(layout, inventory)
    for name, folder in refs:
        if folder is None:
            version = _versions.resolve_version(layout, name)
            out.append((version, lambda v=version: _versions.iter_sets(layout, v)))
        else:
            problems += validate_folder(layout, folder, inventory, docs, None)
            out.append((name, lambda f=folder: _versions.iter_folder(f)))
    if problems:
        raise CorpusError(problems)
    return out


def pairwise_agreement(layout: Layout, names: list[str] | None = None,
                       documents: list[str] | None = None) -> list[dict]:
    """Agreement of every pair of the sets (default: every stored pass), each over the
    documents both annotate (only ``documents`` if given): a list of
    ``{"a": name, "b": name, **agreement}``."""
    names = list(names) if names else pass_names(layout)
    if len(names) < 2:
        raise CorpusError(Problem(layout.rel(passes_dir(layout)), "", "agreement-sets",
                                  f"agreement needs at least two annotation sets; found {len(names)}",
                                  ", ".join(names) or None))
    sets = _checked(layout, names)
    wanted = set(documents) if documents else None
    unknown = sorted(d for d in wanted or () if not (layout.documents / f"{d}.json").is_file())
    if unknown:
        raise CorpusError([Problem(layout.rel(layout.documents), "", "unknown-document",
                                   "no document with this id in corpus/documents", d) for d in unknown])
    out = []
    for (name_a, iter_a), (name_b, iter_b) in combinations(sets, 2):
        pairs = ((x, y) for doc_id, x, y in _versions.side_by_side(iter_a(), iter_b())
                 if x is not None and y is not None and (wanted is None or doc_id in wanted))
        out.append({"a": name_a, "b": name_b, **agreement_of_pairs(pairs)})
    return out


def gold_agreement(layout: Layout) -> list[dict]:
    """Agreement of each indexed pass with the gold of the release whose guidelines it was
    made from (passes made from the draft's guidelines have no gold yet): name, gold,
    annotator and the ``agreement`` result, by pass name."""
    from newscorpus.quality.agreement import agreement
    from newscorpus.store.passes import read_pass_index
    from newscorpus.store.versions import load_folder, load_sets_of, read_index

    released = {r.version for r in read_index(layout)}
    rows = []
    for name, info in sorted(read_pass_index(layout).items()):
        if info.guidelines in released:
            made = load_folder(layout.annotations / "passes" / name)
            rows.append({"name": name, "gold": info.guidelines, "annotator": info.annotator,
                         "result": agreement(made, load_sets_of(layout, info.guidelines, made))})
    return rows
