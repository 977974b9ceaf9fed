"""``newscorpus convert``: a checked version of the corpus -> another format
(``--to``), or a folder of brat files -> the draft or a folder of annotation files
(``--from brat``). Reading streams the version one document at a time."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.exports import brat
from newscorpus.exports.bratread import parse_ann
from newscorpus.exports.bratsets import build_set
from newscorpus.exports.names import BratNames
from newscorpus.model import AnnotationSet, Document, Provenance
from newscorpus.rules.validation import check_annotation
from newscorpus.store.diff import diff_sets
from newscorpus.store.jsonio import atomic_write_text, read_json, write_json
from newscorpus.store.paths import Layout
from newscorpus.store.transaction import Transaction

FORMATS = ("brat", "conll2012", "conll2003", "spacy", "croissant", "html")


@dataclass
class Converted:
    version: str
    output: Path
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    changes: list[dict] = field(default_factory=list)


def check_output(layout: Layout, output: Path) -> Path:
    """An output folder outside the repository's own data (seeds, records, schemas,
    annotations, docs), which a conversion must never write into; else
    ``output-in-repository``."""
    resolved = Path(output).resolve()
    for folder in (layout.seeds, layout.documents.parent, layout.schema_dir, layout.annotations,
                   layout.guidelines.parent):
        if resolved == folder.resolve() or folder.resolve() in resolved.parents \
                or resolved == layout.root.resolve():
            raise CorpusError(Problem("--output", "", "output-in-repository",
                                      "the output is inside the repository's data; write to a "
                                      "folder of its own (for example build/<format>)", str(output)))
    return Path(output)


def export(layout: Layout, fmt: str, version: str | None, output: Path | None,
           build: Path | None = None) -> Converted:
    """Write one version of the corpus in ``fmt`` into ``output`` (default build/<fmt>);
    ``croissant`` describes the Parquet build in ``build`` (default build/dataset) instead."""
    if fmt == "croissant":
        from newscorpus.exports.croissant import write_croissant
        version, path, n_docs = write_croissant(layout, Path(build) if build else layout.root / "build" / "dataset",
                                                output)
        return Converted(version, path, [path], documents=n_docs)
    version, inventory, pairs = corpus.stream_checked(layout, version)
    output = check_output(layout, Path(output) if output else layout.root / "build" / fmt)
    output.mkdir(parents=True, exist_ok=True)
    result = Converted(version, output)
    if fmt == "brat":
        _export_brat(output, inventory, pairs, result)
    elif fmt in ("conll2012", "conll2003"):
        from newscorpus.exports.conll import write_conll
        write_conll(output, fmt, pairs, result)
    elif fmt == "spacy":
        from newscorpus.exports.spacydocs import write_docbin
        write_docbin(output, pairs, result)
    elif fmt == "html":
        from newscorpus.exports.html import write_html
        write_html(output, inventory, version, pairs, result)
    return result


def _export_brat(output: Path, inventory, pairs, result: Converted) -> None:
    names = BratNames.of(inventory)
    for name, text in (("annotation.conf", brat.annotation_conf(inventory)),
                       ("visual.conf", brat.visual_conf(inventory))):
        atomic_write_text(output / name, text)
        result.files.append(output / name)
    for doc, ann in pairs:
        result.files += brat.write_document(output, doc, ann, names)
        result.documents += 1


def import_brat(layout: Layout, folder: Path, output: Path | None = None,
                annotator: str = "brat") -> Converted:
    """Read every ``<id>.ann`` (with ``<id>.txt``) of ``folder``; if every file is
    clean and every set passes the annotation-file checks, write them into the draft
    (one transaction, under the lock) or into ``output``; else raise, writing nothing."""
    folder = Path(folder)
    with corpus.session(layout, "convert --from brat"):
        inventory = corpus.current_inventory(layout)
        names = BratNames.of(inventory)
        default = Provenance(annotator, "brat (newscorpus convert --from brat)")
        sets, problems, raw_docs = {}, [], {}
        if not folder.is_dir():
            raise CorpusError(Problem(str(folder), "", "file-missing", "no such annotation folder"))
        for ann_path in sorted(folder.glob("*.ann")):
            got = _read_one(layout, ann_path, names, default, problems)
            if got is not None:
                raw, ann = got
                raw_docs[ann.document_id], sets[ann.document_id] = raw, ann
        for doc_id, ann in sorted(sets.items()):
            shown = str(folder / f"{doc_id}.ann")
            problems += check_annotation(ann.to_dict(), shown, inventory, raw_docs, "draft", doc_id)
        if problems:
            raise CorpusError(problems)
        return _write_sets(layout, sets, output)


def _read_one(layout: Layout, ann_path: Path, names: BratNames, default: Provenance,
              problems: list[Problem]) -> tuple[dict, AnnotationSet] | None:
    shown, doc_id = str(ann_path), ann_path.stem
    record = layout.documents / f"{doc_id}.json"
    if not record.is_file():
        problems.append(Problem(shown, "", "unknown-document", "no document with this id in corpus/documents",
                                doc_id))
        return None
    raw = read_json(record, layout.rel(record))
    doc = Document.from_dict(raw)
    txt = ann_path.with_suffix(".txt")
    if not txt.is_file():
        problems.append(Problem(shown, "", "brat-format", f"no {txt.name} next to the .ann"))
        return None
    if txt.read_bytes() != doc.text.encode("utf-8"):
        problems.append(Problem(str(txt), "", "brat-text-mismatch",
                                "the .txt differs from the document text in corpus/documents "
                                "(the offsets would mean nothing)"))
        return None
    try:
        content = ann_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(shown, "", "encoding", "file is not valid UTF-8"))
        return None
    parsed = parse_ann(content, doc.text, shown, names)
    ann = build_set(parsed, names, doc.id, doc.text_sha256, "draft", default)
    problems += parsed.problems
    return (raw, ann) if not parsed.problems else None


def _write_sets(layout: Layout, sets: dict[str, AnnotationSet], output: Path | None) -> Converted:
    if output is None:
        before = {d: s for d, s in corpus.load_version(layout, "draft")[1].items() if d in sets} \
            if layout.draft.is_dir() else {}
        result = Converted("draft", layout.draft, changes=diff_sets(before, sets))
        txn = Transaction(layout)
        for doc_id, ann in sorted(sets.items()):
            txn.write_json(layout.draft / f"{doc_id}.json", ann.to_dict())
            result.files.append(layout.draft / f"{doc_id}.json")
        txn.commit()
    else:
        result = Converted("draft", check_output(layout, Path(output)))
        Path(output).mkdir(parents=True, exist_ok=True)
        for doc_id, ann in sorted(sets.items()):
            write_json(Path(output) / f"{doc_id}.json", ann.to_dict())
            result.files.append(Path(output) / f"{doc_id}.json")
    result.documents = len(sets)
    return result
