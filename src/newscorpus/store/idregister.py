"""The id register, ``annotations/ids.json``: for each document, the highest number
ever handed out for each id prefix (``e``, ``m``, ``ev``, ``q``) by an import. A new
annotation gets a number above both the register and every id in the draft and the
releases, so an id is never given twice, even after its first holder was merged away
or deleted in the draft before any release. The file is committed with the
annotations; ``labelstudio import``/``pull`` update it in the same transaction as the
draft files; ``newscorpus validate`` checks it (``id-register``).

Format::

    {"format": "newscorpus-ids/1",
     "documents": {"<document id>": {"e": 70, "ev": 61, "m": 212, "q": 30}}}
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout

FORMAT = "newscorpus-ids/1"
PREFIXES = ("e", "ev", "m", "q")
_ID = re.compile(r"^(e|ev|m|q)([0-9]+)$")


def register_path(layout: Layout) -> Path:
    return layout.annotations / "ids.json"


def register_problems(data, shown: str, documents: set[str] | None = None) -> list[Problem]:
    """What is wrong with the register's content (empty when nothing)."""
    hint = ('expected {"format": "' + FORMAT + '", "documents": {"<document id>": {"e": N, "ev": N, '
            '"m": N, "q": N}}}')
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("documents"), dict) \
            or set(data) != {"format", "documents"}:
        return [Problem(shown, "", "id-register", "not an id register: " + hint)]
    problems = []
    for doc_id, marks in data["documents"].items():
        ptr = f"/documents/{doc_id}"
        if documents is not None and doc_id not in documents:
            problems.append(Problem(shown, ptr, "id-register", "no document with this id in corpus/documents",
                                    doc_id))
        elif not isinstance(marks, dict) or not marks:
            problems.append(Problem(shown, ptr, "id-register", "expected an object of id prefix -> number"))
        else:
            for prefix, value in marks.items():
                if prefix not in PREFIXES or not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    problems.append(Problem(shown, f"{ptr}/{prefix}", "id-register",
                                            f"expected one of the prefixes {', '.join(PREFIXES)} with a "
                                            "number >= 0", f"{prefix}: {value!r}"))
    return problems


def read_register(layout: Layout) -> dict:
    """The register's documents (an empty mapping when there is no register); a register
    that cannot be trusted is a named error: handing out ids on it could reuse one."""
    path = register_path(layout)
    if not path.exists():
        return {}
    shown = layout.rel(path)
    data = read_json(path, shown)
    problems = register_problems(data, shown)
    if problems:
        raise CorpusError(problems)
    return data["documents"]


def marks_of(ids: Iterable[str]) -> dict[str, int]:
    """The highest number of each prefix among ``ids``."""
    marks: dict[str, int] = {}
    for ident in ids:
        found = _ID.match(ident)
        if found:
            marks[found.group(1)] = max(marks.get(found.group(1), 0), int(found.group(2)))
    return marks


def mark_ids(marks: dict[str, int]) -> set[str]:
    """The ids a register entry stands for, as ids (``e70``): adding them to the taken ids
    makes every new id larger."""
    return {f"{prefix}{n}" for prefix, n in marks.items()}


def updated(documents: dict, doc_id: str, ids: Iterable[str]) -> dict:
    """The register's documents with ``doc_id``'s marks raised to cover ``ids``."""
    marks = dict(documents.get(doc_id) or {})
    for prefix, n in marks_of(ids).items():
        marks[prefix] = max(marks.get(prefix, 0), n)
    out = dict(documents)
    out[doc_id] = dict(sorted(marks.items()))
    return out


def register_data(documents: dict) -> dict:
    return {"format": FORMAT, "documents": {d: documents[d] for d in sorted(documents)}}
