"""Suggestions for new articles (``newscorpus labelstudio suggest``): documents that have
no annotations yet are pre-annotated with what the corpus already knows, as Label Studio
**predictions** (never written into the draft: an annotator accepts, edits or rejects
them, and only what is submitted comes back with ``pull``).

What the corpus knows: every name of every entity of a release (default: the latest),
that is the text of every mention of kind ``name`` and the canonical name of every
entity that has a name mention, each with its entity type (a text given several types
takes the most frequent, ties broken by label). They are found in the new text with
spaCy's ``PhraseMatcher`` on the tokens of ``spacy.blank("en")`` (or of the pipeline
given), matching the exact token sequence: a name inside a longer word ("Japan" in
"Japanese") is never a match. Where matches overlap, the longest wins (then the
earliest: ``spacy.util.filter_spans``). Optionally the entities of a spaCy pipeline the
user has installed (``--spacy-model NAME``, or the path of a saved pipeline) are added,
labels mapped onto the inventory's entity types. Every match becomes a mention of kind
``name``; mentions with the same text are one entity (linked by ``coref`` relations).

The prediction's ``model_version`` names the source: ``newscorpus-names-<release>``,
with ``+spacy-<pipeline name>-<pipeline version>`` when a pipeline was used. Offsets are
Unicode code points, as in every task (``reader``/``offsets`` read them back)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.names import TOOL
from newscorpus.labelstudio.tasks import build_task, prediction_result
from newscorpus.model import LAYERS, AnnotationSet, Document, Entity, Mention, Provenance
from newscorpus.store.jsonio import read_json
from newscorpus.store.paths import Layout

MODEL_PREFIX = "newscorpus-names-"
# spaCy's usual (OntoNotes) entity labels -> the inventory's, where they differ
SPACY_LABELS = {"PERSON": "PER", "DATE": "TIME"}


def known_names(sets: Iterator[AnnotationSet]) -> dict[str, str]:
    """Name text -> entity type, from the name mentions and the canonical names of the
    entities with a name mention, over a stream of annotation sets."""
    seen: dict[str, Counter] = {}
    for ann in sets:
        named = {m.entity for m in ann.mentions if m.kind == "name"}
        for m in ann.mentions:
            if m.kind == "name" and m.text.strip():
                seen.setdefault(m.text, Counter())[m.type] += 1
        for e in ann.entities:
            if e.id in named and e.name.strip():
                seen.setdefault(e.name, Counter())[e.type] += 1
    return {text: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for text, c in sorted(seen.items())}


def load_pipeline(name: str | None):
    """``spacy.blank("en")``, or the installed pipeline ``name`` (a package or a path):
    spacy-model-missing if it cannot be loaded."""
    import spacy

    if name is None:
        return spacy.blank("en")
    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise CorpusError(Problem("--spacy-model", "", "spacy-model-missing",
                                  "no spaCy pipeline of this name or path is installed (install its package "
                                  f"with pip, or give the folder of a saved pipeline): {type(exc).__name__}",
                                  name)) from None


class NameMatcher:
    """The known names matched in a text: (start, end, text, type) in code points, the
    longest match winning where matches overlap; with ``ner`` the pipeline's entities
    too (labels outside ``types`` left out)."""

    def __init__(self, names: dict[str, str], nlp: Any, types: set[str], ner: bool = False):
        from spacy.matcher import PhraseMatcher

        self.nlp, self.types, self.ner = nlp, types, ner
        self.label_of = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for text, etype in names.items():
            if etype in types:
                key = f"{etype}"
                self.label_of[nlp.vocab.strings.add(key)] = etype
                self.matcher.add(key, [nlp.make_doc(text)])

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        doc = self.nlp(text) if self.ner else self.nlp.make_doc(text)
        spans = [Span(doc, s, e, label=self.label_of[k]) for k, s, e in self.matcher(doc)]
        if self.ner:
            for ent in doc.ents:
                label = SPACY_LABELS.get(ent.label_, ent.label_)
                if label in self.types:
                    spans.append(Span(doc, ent.start, ent.end, label=label))
        return [(s.start_char, s.end_char, s.text, s.label_) for s in sorted(filter_spans(spans))]


def suggestion_set(doc: Document, found: list[tuple[int, int, str, str]], model_version: str) -> AnnotationSet:
    """The matches as an annotation set: a name mention each, one entity per text."""
    prov = Provenance(model_version, f"{TOOL} prediction", None, None, None)
    entities: dict[str, Entity] = {}
    mentions = []
    for start, end, text, etype in found:
        if text not in entities:
            entities[text] = Entity(f"e{len(entities) + 1}", etype, text, prov)
        mentions.append(Mention(f"m{len(mentions) + 1}", start, end, text, etype, "name", entities[text].id, prov))
    return AnnotationSet(doc.id, doc.text_sha256, "draft", list(entities.values()), mentions)


@dataclass
class Suggestions:
    """The tasks of the documents without annotations, with the suggestions as
    predictions (built one at a time), the source version, the model_version and the
    number of names known."""
    version: str
    model_version: str
    names: int
    tasks: Iterator[dict]


def suggest_tasks(layout: Layout, version: str | None = "latest", documents: list[str] | None = None,
                  spacy_model: str | None = None) -> Suggestions:
    """Tasks with suggestions for the documents (default: all) that have no annotations
    in ``version`` nor in the draft; the repository is validated first."""
    nlp = load_pipeline(spacy_model)
    resolved, _, pairs = corpus.stream_checked(layout, version or "latest")
    names = known_names(corpus.iter_version(layout, resolved, checked=True)[1])
    model_version = MODEL_PREFIX + resolved
    if spacy_model is not None:
        model_version += f"+spacy-{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
    inventory = corpus.current_inventory(layout)
    matcher = NameMatcher(names, nlp, set(inventory.labels("entity_types")),
                          ner=spacy_model is not None)
    wanted = set(documents) if documents else None
    return Suggestions(resolved, model_version, len(names),
                       _tasks(layout, pairs, wanted, matcher, resolved, model_version, inventory))


def _tasks(layout: Layout, pairs, wanted: set[str] | None, matcher: NameMatcher, version: str,
           model_version: str, inventory) -> Iterator[dict]:
    for doc, ann in pairs:
        if (wanted is not None and doc.id not in wanted) or _annotated(ann) or _annotated_draft(layout, doc.id):
            continue
        task = build_task(doc, AnnotationSet(doc.id, doc.text_sha256, version), version, inventory)
        found = suggestion_set(doc, matcher.find(doc.text), model_version)
        task["predictions"] = [{"model_version": model_version, "result": prediction_result(found)}]
        yield task


def _annotated(ann: AnnotationSet | None) -> bool:
    return ann is not None and any(getattr(ann, layer) for layer in LAYERS)


def _annotated_draft(layout: Layout, doc_id: str) -> bool:
    path = layout.draft / f"{doc_id}.json"
    if not path.is_file():
        return False
    data = read_json(path)
    return isinstance(data, dict) and any(data.get(layer) for layer in LAYERS)


def write_suggestions(layout: Layout, version: str | None, documents: list[str] | None,
                      spacy_model: str | None, output) -> tuple[Suggestions, int]:
    """The tasks with suggestions written as one JSON list to ``output`` (atomically),
    task by task, for an import by hand: (the suggestions, the number of tasks)."""
    from pathlib import Path

    from newscorpus.store.jsonio import atomic_write_chunks, list_chunks

    found = suggest_tasks(layout, version, documents, spacy_model)
    count = 0

    def counted():
        nonlocal count
        for task in found.tasks:
            count += 1
            yield task

    atomic_write_chunks(Path(output), list_chunks(counted()))
    return found, count
