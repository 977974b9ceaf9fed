"""The Hugging Face export: one annotation version -> a folder that is a complete
Hugging Face dataset repository (the layout ``Dataset.push_to_hub`` writes):

    <out>/README.md                                  dataset card (YAML configs + dataset_info)
    <out>/CITATION.cff
    <out>/<config>/<split>-00000-of-00001.parquet    one file per config and split

Configs (all offsets are Unicode code points into the document text):
``documents``, ``entities``, ``events``, ``quotes`` (one row per document), and
``ner`` (one row per sentence, tokens with BIO tags). Labels are ``ClassLabel``s built
from the label inventory of the exported version."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newscorpus.errors import CorpusError
from newscorpus.inventory import Inventory, load_inventory
from newscorpus.model import AnnotationSet, Document, Mention
from newscorpus.paths import Layout

CONFIGS = ("documents", "entities", "events", "quotes", "ner")
SPLIT_ORDER = ("train", "validation", "test")
SHARD = "{split}-00000-of-00001.parquet"


# --- features ----------------------------------------------------------------------------

def _span():
    from datasets import Value
    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def bio_names(inventory: Inventory) -> list[str]:
    names = ["O"]
    for label in inventory.labels("entity_types"):
        names += [f"B-{label}", f"I-{label}"]
    return names


def features_for(config: str, inventory: Inventory):
    """The declared ``datasets.Features`` of a config."""
    from datasets import ClassLabel, Features, List, Value

    def cl(layer):
        return ClassLabel(names=inventory.labels(layer))

    s, i32 = Value("string"), Value("int32")
    if config == "documents":
        return Features({
            "id": s, "text": s, "text_sha256": s, "language": s, "annotation_version": s,
            "metadata": {"title": s, "outlet": s, "author": s, "published": s, "url": s, "notes": List(s)},
            "source": {"seed_file": s, "seed_sha256": s, "note": s},
            "license": {"text": s, "note": s},
            "paragraphs": List({"start": i32, "end": i32}),
            "sentences": List({"start": i32, "end": i32}),
        })
    if config == "entities":
        return Features({
            "document_id": s, "text": s,
            "mentions": List({"id": s, "start": i32, "end": i32, "text": s, "type": cl("entity_types"),
                              "kind": cl("mention_kinds"), "entity_id": s}),
            "entities": List({"id": s, "type": cl("entity_types"), "name": s, "mention_ids": List(s)}),
        })
    if config == "events":
        return Features({
            "document_id": s, "text": s,
            "events": List({
                "id": s, "type": cl("event_types"), "trigger": _span(),
                "realis": cl("realis"), "polarity": cl("polarity"),
                "arguments": List({"role": cl("argument_roles"), "mention_id": s, "entity_id": s,
                                   "start": i32, "end": i32, "text": s}),
            }),
        })
    if config == "quotes":
        return Features({
            "document_id": s, "text": s,
            "quotes": List({
                "id": s, "kind": cl("quote_kinds"), "content": _span(), "cue": _span(),
                "speaker_mention_id": s, "speaker": _span(), "speaker_entity_id": s, "speaker_name": s,
            }),
        })
    if config == "ner":
        return Features({
            "id": s, "document_id": s, "sentence_index": i32, "start": i32, "end": i32, "text": s,
            "tokens": List(s), "token_starts": List(i32), "token_ends": List(i32),
            "ner_tags": List(ClassLabel(names=bio_names(inventory))),
        })
    raise ValueError(config)


# --- rows --------------------------------------------------------------------------------

def _ix(inventory: Inventory, layer: str) -> dict[str, int]:
    return {label: i for i, label in enumerate(inventory.labels(layer))}


def document_row(doc: Document, version: str) -> dict:
    meta = doc.metadata
    return {
        "id": doc.id, "text": doc.text, "text_sha256": doc.text_sha256, "language": doc.language,
        "annotation_version": version,
        "metadata": {k: meta.get(k) for k in ("title", "outlet", "author", "published", "url")}
        | {"notes": list(meta.get("notes", []))},
        "source": {k: doc.source.get(k) for k in ("seed_file", "seed_sha256", "note")},
        "license": {"text": doc.license.get("text"), "note": doc.license.get("note")},
        "paragraphs": [{"start": s, "end": e} for s, e in doc.paragraphs],
        "sentences": [{"start": s, "end": e} for s, e in doc.sentences],
    }


def entities_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    et, mk = _ix(inv, "entity_types"), _ix(inv, "mention_kinds")
    members: dict[str, list[str]] = {}
    for m in ann.mentions:
        members.setdefault(m.entity, []).append(m.id)
    return {
        "document_id": doc.id, "text": doc.text,
        "mentions": [{"id": m.id, "start": m.start, "end": m.end, "text": m.text, "type": et[m.type],
                      "kind": mk[m.kind], "entity_id": m.entity} for m in ann.mentions],
        "entities": [{"id": e.id, "type": et[e.type], "name": e.name, "mention_ids": members.get(e.id, [])}
                     for e in ann.entities],
    }


def events_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    vt, rl, pl, ro = (_ix(inv, x) for x in ("event_types", "realis", "polarity", "argument_roles"))
    mentions = ann.mention_index()
    rows = []
    for v in ann.events:
        args = []
        for a in v.arguments:
            m = mentions[a.mention]
            args.append({"role": ro[a.role], "mention_id": m.id, "entity_id": m.entity,
                         "start": m.start, "end": m.end, "text": m.text})
        rows.append({"id": v.id, "type": vt[v.type], "trigger": v.trigger.to_dict(),
                     "realis": rl[v.realis], "polarity": pl[v.polarity], "arguments": args})
    return {"document_id": doc.id, "text": doc.text, "events": rows}


def quotes_row(doc: Document, ann: AnnotationSet, inv: Inventory) -> dict:
    ann = ann.sorted()
    qk = _ix(inv, "quote_kinds")
    mentions, entities = ann.mention_index(), ann.entity_index()
    rows = []
    for q in ann.quotes:
        sp = mentions.get(q.speaker) if q.speaker else None
        rows.append({
            "id": q.id, "kind": qk[q.kind], "content": q.content.to_dict(),
            "cue": q.cue.to_dict() if q.cue else None,
            "speaker_mention_id": sp.id if sp else None,
            "speaker": {"start": sp.start, "end": sp.end, "text": sp.text} if sp else None,
            "speaker_entity_id": sp.entity if sp else None,
            "speaker_name": entities[sp.entity].name if sp else None,
        })
    return {"document_id": doc.id, "text": doc.text, "quotes": rows}


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token character spans by spaCy's rule-based English tokenizer (no model)."""
    return [(t.idx, t.idx + len(t.text)) for t in _tokenizer()(text) if not t.is_space]


@dataclass
class NerReport:
    used: list[Mention] = field(default_factory=list)
    nested: list[Mention] = field(default_factory=list)  # dropped: inside a longer name
    misaligned: list[Mention] = field(default_factory=list)  # dropped: not on token boundaries
    crossing: list[Mention] = field(default_factory=list)  # dropped: crosses a sentence boundary


def select_ner_mentions(ann: AnnotationSet) -> tuple[list[Mention], list[Mention]]:
    """The flattening rule: name mentions only; of overlapping names the longest (then the
    earliest) is kept and the ones inside or crossing it are dropped."""
    names = sorted((m for m in ann.mentions if m.kind == "name"), key=lambda m: (-(m.end - m.start), m.start, m.id))
    kept, dropped = [], []
    for m in names:
        if any(m.start < k.end and k.start < m.end for k in kept):
            dropped.append(m)
        else:
            kept.append(m)
    return sorted(kept, key=lambda m: m.start), sorted(dropped, key=lambda m: m.start)


def ner_rows(doc: Document, ann: AnnotationSet, inv: Inventory, report: NerReport) -> list[dict]:
    tags = {name: i for i, name in enumerate(bio_names(inv))}
    kept, nested = select_ner_mentions(ann)
    report.nested += nested
    rows = []
    placed: set[str] = set()
    for index, (s, e) in enumerate(doc.sentences):
        sent = doc.text[s:e]
        spans = [(s + a, s + b) for a, b in tokenize(sent)]
        labels = ["O"] * len(spans)
        starts = {a: i for i, (a, _) in enumerate(spans)}
        ends = {b: i for i, (_, b) in enumerate(spans)}
        for m in kept:
            if m.end <= s or m.start >= e:
                continue
            if m.start < s or m.end > e:
                if m.id not in placed:
                    report.crossing.append(m)
                    placed.add(m.id)
                continue
            if m.start not in starts or m.end not in ends:
                report.misaligned.append(m)
                placed.add(m.id)
                continue
            first, last = starts[m.start], ends[m.end]
            labels[first] = f"B-{m.type}"
            for k in range(first + 1, last + 1):
                labels[k] = f"I-{m.type}"
            report.used.append(m)
            placed.add(m.id)
        rows.append({
            "id": f"{doc.id}-s{index:04d}", "document_id": doc.id, "sentence_index": index,
            "start": s, "end": e, "text": sent,
            "tokens": [doc.text[a:b] for a, b in spans],
            "token_starts": [a for a, _ in spans], "token_ends": [b for _, b in spans],
            "ner_tags": [tags[x] for x in labels],
        })
    return rows


def decode_bio(tokens_starts: list[int], token_ends: list[int], tag_names: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of each BIO chunk: the inverse of the tagging above."""
    out, cur = [], None
    for a, b, tag in zip(tokens_starts, token_ends, tag_names):
        if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[2] != tag[2:])):
            if cur:
                out.append(tuple(cur))
            cur = [a, b, tag[2:]]
        elif tag.startswith("I-"):
            cur[1] = b
        else:
            if cur:
                out.append(tuple(cur))
            cur = None
    if cur:
        out.append(tuple(cur))
    return out


# --- build -------------------------------------------------------------------------------

@dataclass
class BuildResult:
    version: str
    output: Path
    rows: dict[str, dict[str, int]]  # config -> split -> rows
    ner: NerReport

    def load_line(self, config: str = "entities") -> str:
        """A shell command that loads the build, runnable as printed from the working
        directory (with the interpreter this package runs in, which has ``datasets``)."""
        import shlex
        import sys

        def shown(path: str) -> str:
            rel = os.path.relpath(path)
            return rel if not rel.startswith("..") else str(path)

        import json

        code = (f"from datasets import load_dataset; "
                f"print(load_dataset({json.dumps(shown(str(self.output)))}, {json.dumps(config)}))")
        return f"{shlex.quote(shown(sys.executable))} -c {shlex.quote(code)}"


def collect(layout: Layout, version: str):
    """Validated model objects of one version: documents, annotation sets, inventory."""
    from newscorpus.documents import load_documents
    from newscorpus.versions import inventory_path, load_sets

    docs = load_documents(layout)
    sets = load_sets(layout, version)
    inventory = load_inventory(inventory_path(layout, version))
    missing = sorted(set(sets) - set(docs))
    if missing:
        raise CorpusError(f"annotations for unknown documents: {', '.join(missing)}")
    return docs, sets, inventory


def build_rows(docs: dict[str, Document], sets: dict[str, AnnotationSet], inventory: Inventory,
               version: str) -> tuple[dict[str, dict[str, list[dict]]], NerReport]:
    report = NerReport()
    out: dict[str, dict[str, list[dict]]] = {c: {} for c in CONFIGS}
    for doc_id in sorted(docs):
        doc = docs[doc_id]
        ann = sets.get(doc_id) or AnnotationSet(doc_id, doc.text_sha256, version)
        split = doc.split
        out["documents"].setdefault(split, []).append(document_row(doc, version))
        out["entities"].setdefault(split, []).append(entities_row(doc, ann, inventory))
        out["events"].setdefault(split, []).append(events_row(doc, ann, inventory))
        out["quotes"].setdefault(split, []).append(quotes_row(doc, ann, inventory))
        out["ner"].setdefault(split, []).extend(ner_rows(doc, ann, inventory, report))
    return out, report


def build(layout: Layout, version: str | None = None, output: Path | None = None) -> BuildResult:
    """Validate, then write the dataset repository folder for ``version`` (default: the
    latest release). The folder is written next to its target and renamed into place,
    so a failed build leaves no partial output."""
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    from newscorpus.card import write_card
    from newscorpus.validation import validate_repository
    from newscorpus.versions import resolve_version

    disable_progress_bar()
    problems = validate_repository(layout)
    if problems:
        raise CorpusError(problems)
    version = resolve_version(layout, version)
    output = Path(output) if output else layout.root / "build" / "dataset"
    docs, sets, inventory = collect(layout, version)
    rows, report = build_rows(docs, sets, inventory, version)

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        counts: dict[str, dict[str, int]] = {}
        sizes: dict[str, dict[str, int]] = {}
        for config in CONFIGS:
            features = features_for(config, inventory)
            counts[config], sizes[config] = {}, {}
            for split in SPLIT_ORDER:
                if split not in rows[config]:
                    continue
                ds = Dataset.from_list(rows[config][split], features=features)
                path = tmp / config / SHARD.format(split=split)
                path.parent.mkdir(parents=True, exist_ok=True)
                ds.to_parquet(str(path))
                counts[config][split] = ds.num_rows
                sizes[config][split] = ds.data.nbytes
        write_card(layout, tmp, version, inventory, docs, sets, counts, sizes, report)
        if output.exists():
            old = output.with_name(f".{output.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.rename(output, old)
            os.rename(tmp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(version, output.resolve(), counts, report)
