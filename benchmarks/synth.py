"""A valid synthetic corpus of N documents, made in a temporary copy of the repository
through the package's own store functions.

How it is made (see also the README's "Benchmark" section):

1. Copy the repository's tracked files (``git ls-files``; no ``.venv``, ``build`` or
   ``benchmarks``) into a new folder.
2. Keep the seed article as document 0. Every other document i is the seed text plus one
   unique closing paragraph (``\\n`` + "Benchmark copy i: ..."): every offset of the gold
   annotations stays valid, and every text, sha256 and id is distinct. Its record is the
   seed's ``Document`` with the new text, hashes, id, split (``assign_split``), the seed's
   paragraph and sentence spans plus those of the closing paragraph (``sentence_spans`` on
   that paragraph only: the bulk path splits the seed's sentences once, not N times).
   Seed files and records are written with the store's own ``write_json``.
3. Each document's draft annotation file is the released gold of the seed (204 mentions,
   66 entities, 61 events, 25 quotes) with its ``document_id`` and ``text_sha256``; the
   canonical dict (``AnnotationSet.to_dict``) is made once and reused.
4. The fixture history is rewritten in the copy: every release of the real corpus is removed,
   and 1.0.0 is made again, with its message and date, by the store's own ``create_release``
   from the N-document draft, so 1.0.0 holds all N documents. ``create_release`` is called
   without the repository validation that ``newscorpus release`` runs first: the first
   measured command, ``newscorpus validate``, checks the result and the benchmark stops if
   it is not valid.
5. The draft is then edited the way a correction is: entity ``e1`` of every document gets
   a new canonical name, so ``diff 1.0.0 draft`` reports N changes and a patch release
   (1.0.1) is allowed.

Run as a script (``python benchmarks/synth.py N TARGET``) so that the generation runs in a
child process of the benchmark and its memory does not stay in the harness."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from newscorpus.model import AnnotationSet, Document, sha256_text
from newscorpus.store.documents import assign_split, paragraph_spans, sentence_spans
from newscorpus.store.jsonio import atomic_write_text, read_json, write_json
from newscorpus.store.paths import Layout
from newscorpus.store.versions import DRAFT, MANIFEST, annotation_files, create_release, load_sets

BASE_VERSION = "1.0.0"
EDITED_ENTITY = "e1"
EXCLUDED = (".venv/", "build/", "benchmarks/")


def copy_repository(source: Path, target: Path) -> Layout:
    """The tracked files of ``source`` (as in its working tree) copied into ``target``."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=source, check=True,
                            capture_output=True).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        if rel.startswith(EXCLUDED) or not (source / rel).is_file():
            continue
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, dst)
    return Layout(target)


def seed_document(layout: Layout) -> Document:
    """The one document of the repository (the seed article)."""
    paths = sorted(layout.documents.glob("*.json"))
    if len(paths) != 1:
        raise SystemExit(f"expected one document record in the repository, found {len(paths)}")
    return Document.from_dict(read_json(paths[0]))


def closing_paragraph(i: int) -> str:
    return (f"Benchmark copy {i:06d}: this closing paragraph makes the text of the synthetic "
            f"document distinct; it carries no annotation.")


def derived_document(base: Document, i: int) -> tuple[Document, bytes]:
    """Document i: the seed text plus a unique closing paragraph, and its seed bytes."""
    text = f"{base.text}\n{closing_paragraph(i)}"
    raw = text.encode("utf-8")
    sha = sha256_text(text)
    doc_id = f"{i:06d}_{sha[:16]}"
    last = (len(base.text) + 1, len(text))
    source = {**base.source, "seed_file": f"seeds/{doc_id}.txt",
              "seed_sha256": hashlib.sha256(raw).hexdigest()}
    doc = dataclasses.replace(
        base, id=doc_id, text=text, text_sha256=sha, source=source, split=assign_split(doc_id),
        paragraphs=base.paragraphs + (last,),
        sentences=base.sentences + tuple(sentence_spans(text, [last])))
    return doc, raw


def check_bulk_path(base: Document) -> None:
    """The reused spans are the ones the package computes on the whole text."""
    doc, _ = derived_document(base, 1)
    if tuple(paragraph_spans(doc.text)) != doc.paragraphs:
        raise SystemExit("bulk path: paragraph spans differ from paragraph_spans()")
    full = tuple(sentence_spans(doc.text, list(doc.paragraphs)))
    if full != doc.sentences:
        raise SystemExit("bulk path: sentence spans differ from sentence_spans()")


def gold_draft_dict(layout: Layout, doc_id: str) -> dict:
    """The released gold of the seed as a canonical draft file (made once)."""
    ann = load_sets(layout, BASE_VERSION)[doc_id]
    return dataclasses.replace(ann, version=DRAFT).to_dict()


def write_documents(layout: Layout, base: Document, n: int, gold: dict) -> int:
    """Documents 1..n-1 with their seed files, records and draft annotation files."""
    for i in range(1, n):
        doc, raw = derived_document(base, i)
        seed = layout.root / doc.source["seed_file"]
        seed.write_bytes(raw)
        write_json(layout.documents / f"{doc.id}.json", doc.to_dict())
        write_json(layout.draft / f"{doc.id}.json",
                   {**gold, "document_id": doc.id, "text_sha256": doc.text_sha256})
    return n


def rewrite_history(layout: Layout) -> None:
    """Release 1.0.0 made again by ``create_release`` from the N-document draft, with the
    original message and date; the changelog keeps only its header."""
    manifest = read_json(layout.releases / BASE_VERSION / MANIFEST)
    for folder in layout.releases.iterdir():  # every release of the real corpus goes
        shutil.rmtree(folder)
    layout.release_index.unlink()
    index = layout.annotations / "passes.json"
    if index.exists():  # a pass made from a later release's guidelines loses its entry
        data = read_json(index)
        data["passes"] = [p for p in data["passes"] if p["guidelines"] in (BASE_VERSION, DRAFT)]
        write_json(index, data)
    header = layout.changelog.read_text(encoding="utf-8").split("\n## ", 1)[0]
    atomic_write_text(layout.changelog, header.rstrip("\n") + "\n")
    create_release(layout, BASE_VERSION, manifest["message"], manifest["date"])


def edit_draft(layout: Layout) -> int:
    """A correction in every draft file: entity e1 gets a new canonical name."""
    edited = 0
    for path in annotation_files(layout.draft):
        ann = AnnotationSet.from_dict(read_json(path))
        entities = [dataclasses.replace(e, name=f"{e.name} (benchmark correction)")
                    if e.id == EDITED_ENTITY else e for e in ann.entities]
        write_json(path, dataclasses.replace(ann, entities=entities).to_dict())
        edited += 1
    return edited


def make_corpus(source: Path, target: Path, n: int) -> dict:
    """The synthetic repository in ``target``: N documents, release 1.0.0 with all of
    them, an edited draft. Returns a summary."""
    if n < 1:
        raise SystemExit("N must be at least 1")
    layout = copy_repository(source, target)
    base = seed_document(layout)
    check_bulk_path(base)
    gold = gold_draft_dict(layout, base.id)
    write_documents(layout, base, n, gold)
    write_json(layout.draft / f"{base.id}.json", gold)  # the seed too: the 1.0.0 gold
    rewrite_history(layout)
    edited = edit_draft(layout)
    return {"documents": len(list(layout.documents.glob("*.json"))), "edited_draft_files": edited,
            "mentions_per_document": len(gold["mentions"]), "events_per_document": len(gold["events"]),
            "quotes_per_document": len(gold["quotes"]), "entities_per_document": len(gold["entities"])}


def main(argv: list[str]) -> int:
    n, target = int(argv[0]), Path(argv[1])
    source = Path(__file__).resolve().parents[1]
    print(json.dumps(make_corpus(source, target, n)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
