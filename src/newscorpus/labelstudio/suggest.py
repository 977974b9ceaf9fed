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
``name``; mentions with the same text are one entity.

The suggestions go to a document's **entities view task** (names are mentions, which
are annotated there): the prediction holds the hidden ``view`` choice (``entities``,
which the interface needs to show the view's labels), each mention's label and kind,
and, for a text found more than once, the same ``new entity N`` in the Entity
drop-down (the task's entities of its own are none: the document has no annotations),
so accepting it gives one entity per text on ``pull``; the first
``names.NEW_ENTITY_CHOICES`` such texts get one, the others are left to the annotator.
A document without tasks gets the three view tasks ``push`` makes (its events and
quotes tasks without suggestions), so ``push`` and ``pull`` treat them as their own.

The prediction's ``model_version`` names the source: ``newscorpus-names-<release>``,
with ``+spacy-<pipeline name>-<pipeline version>`` when a pipeline was used. Offsets are
Unicode code points, as in every task (``reader``/``offsets`` read them back)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.labelstudio.names import (ENTITIES_VIEW, ENTITY, MENTION, MENTION_KIND, NEW_ENTITY,
                                          NEW_ENTITY_CHOICES, OBJECT, TOOL, VIEW, VIEWS)
from newscorpus.labelstudio.tasks import build_task
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


def suggestion_result(found: AnnotationSet) -> list[dict]:
    """The suggestions as the result of an entities view task: the view choice, each
    mention's label and kind, and a ``new entity N`` choice shared by the mentions of
    an entity with several mentions (the first NEW_ENTITY_CHOICES such entities)."""
    counts = Counter(m.entity for m in found.mentions)
    shared = [e.id for e in found.entities if counts[e.id] > 1][:NEW_ENTITY_CHOICES]
    choice = {eid: f"{NEW_ENTITY}{n}" for n, eid in enumerate(shared, 1)}
    out = [{"id": VIEW, "from_name": VIEW, "to_name": OBJECT, "type": "choices",
            "value": {"choices": [ENTITIES_VIEW]}}]
    for m in found.mentions:
        value = {"start": m.start, "end": m.end, "text": m.text}
        out.append({"id": m.id, "from_name": MENTION, "to_name": OBJECT, "type": "labels",
                    "value": {**value, "labels": [m.type]}})
        out.append({"id": m.id, "from_name": MENTION_KIND, "to_name": OBJECT, "type": "choices",
                    "value": {**value, "choices": [m.kind]}})
        if m.entity in choice:
            out.append({"id": m.id, "from_name": ENTITY, "to_name": OBJECT, "type": "choices",
                        "value": {**value, "choices": [choice[m.entity]]}})
    return out


def _tasks(layout: Layout, pairs, wanted: set[str] | None, matcher: NameMatcher, version: str,
           model_version: str, inventory) -> Iterator[dict]:
    """The view tasks of each document to suggest for, as ``push`` builds them, the
    entities task with the suggestions as a second prediction."""
    for doc, ann in pairs:
        if (wanted is not None and doc.id not in wanted) or _annotated(ann) or _annotated_draft(layout, doc.id):
            continue
        found = suggestion_set(doc, matcher.find(doc.text), model_version)
        for view in VIEWS:
            task = build_task(doc, AnnotationSet(doc.id, doc.text_sha256, version), version, inventory, view)
            if view == ENTITIES_VIEW:
                task["predictions"].append({"model_version": model_version, "result": suggestion_result(found)})
            yield task


def names_prediction(task: dict, model_version: str) -> dict | None:
    """The suggestions of a task built by ``suggest_tasks`` (its entities task), if any."""
    return next((p for p in task["predictions"] if p["model_version"] == model_version), None)


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
