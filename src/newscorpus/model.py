"""The in-memory model: documents and annotation sets, built from validated files.

Every view (Parquet rows, Label Studio tasks, statistics, diffs) reads these objects,
never the raw files."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

LAYERS = ("entities", "mentions", "events", "quotes")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def from_dict(cls, d: dict) -> "Span":
        return cls(d["start"], d["end"], d["text"])

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Provenance:
    annotator: str
    tool: str | None = None
    created: str | None = None
    introduced_in: str | None = None
    changed_in: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> "Provenance":
        return cls(d["annotator"], d.get("tool"), d.get("created"),
                   d.get("introduced_in"), d.get("changed_in"))

    def to_dict(self) -> dict:
        return {"annotator": self.annotator, "tool": self.tool, "created": self.created,
                "introduced_in": self.introduced_in, "changed_in": self.changed_in}


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name: str
    provenance: Provenance

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "name": self.name,
                "provenance": self.provenance.to_dict()}


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int
    text: str
    type: str
    kind: str
    entity: str
    provenance: Provenance

    def to_dict(self) -> dict:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "type": self.type, "kind": self.kind, "entity": self.entity,
                "provenance": self.provenance.to_dict()}


@dataclass(frozen=True)
class Argument:
    role: str
    mention: str

    def to_dict(self) -> dict:
        return {"role": self.role, "mention": self.mention}


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    trigger: Span
    arguments: tuple[Argument, ...]
    realis: str
    polarity: str
    provenance: Provenance

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "trigger": self.trigger.to_dict(),
                "arguments": [a.to_dict() for a in self.arguments],
                "realis": self.realis, "polarity": self.polarity,
                "provenance": self.provenance.to_dict()}


@dataclass(frozen=True)
class Quote:
    id: str
    kind: str
    content: Span
    cue: Span | None
    speaker: str | None
    provenance: Provenance

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "content": self.content.to_dict(),
                "cue": self.cue.to_dict() if self.cue else None,
                "speaker": self.speaker, "provenance": self.provenance.to_dict()}


@dataclass
class AnnotationSet:
    """All annotations of one document at one version."""

    document_id: str
    text_sha256: str
    version: str
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    schema_version: str = "1.0"

    @classmethod
    def from_dict(cls, d: dict) -> "AnnotationSet":
        prov = _provenance_reader()
        return cls(
            document_id=d["document_id"], text_sha256=d["text_sha256"], version=d["version"],
            schema_version=d.get("schema_version", "1.0"),
            entities=[Entity(e["id"], e["type"], e["name"], prov(e["provenance"])) for e in d["entities"]],
            mentions=[Mention(m["id"], m["start"], m["end"], m["text"], m["type"], m["kind"],
                              m["entity"], prov(m["provenance"])) for m in d["mentions"]],
            events=[Event(v["id"], v["type"], Span.from_dict(v["trigger"]),
                          tuple(Argument(a["role"], a["mention"]) for a in v["arguments"]),
                          v["realis"], v["polarity"], prov(v["provenance"])) for v in d["events"]],
            quotes=[Quote(q["id"], q["kind"], Span.from_dict(q["content"]),
                          Span.from_dict(q["cue"]) if q.get("cue") else None,
                          q.get("speaker"), prov(q["provenance"])) for q in d["quotes"]],
        )

    def sorted(self) -> "AnnotationSet":
        """Canonical order: mentions, events and quotes by offset, entities by first mention."""
        mentions = sorted(self.mentions, key=lambda m: (m.start, -m.end, _idkey(m.id)))
        first = {}
        for m in mentions:
            first.setdefault(m.entity, (m.start, -m.end))
        entities = sorted(self.entities, key=lambda e: (first.get(e.id, (1 << 62, 0)), _idkey(e.id)))
        events = sorted(self.events, key=lambda v: (v.trigger.start, v.trigger.end, _idkey(v.id)))
        quotes = sorted(self.quotes, key=lambda q: (q.content.start, q.content.end, _idkey(q.id)))
        return replace(self, entities=entities, mentions=mentions, events=events, quotes=quotes)

    def to_dict(self) -> dict:
        s = self.sorted()
        return {
            "schema_version": s.schema_version,
            "document_id": s.document_id,
            "text_sha256": s.text_sha256,
            "version": s.version,
            "entities": [e.to_dict() for e in s.entities],
            "mentions": [m.to_dict() for m in s.mentions],
            "events": [v.to_dict() for v in s.events],
            "quotes": [q.to_dict() for q in s.quotes],
        }

    def by_id(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for layer in LAYERS:
            for item in getattr(self, layer):
                out[item.id] = item
        return out

    def mention_index(self) -> dict[str, Mention]:
        return {m.id: m for m in self.mentions}

    def entity_index(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}


def read_layer(layer: str, items: list[dict]) -> list:
    """One layer of an annotation file (its JSON list) as model objects."""
    empty = {"document_id": "", "text_sha256": "", "version": "", **{name: [] for name in LAYERS}}
    return getattr(AnnotationSet.from_dict({**empty, layer: items}), layer)


def _provenance_reader():
    """``Provenance.from_dict`` for one file: the annotations of a file mostly share a few
    provenance records, made once each (Provenance is frozen, so sharing is safe)."""
    made: dict[tuple, Provenance] = {}

    def read(d: dict) -> Provenance:
        key = (d["annotator"], d.get("tool"), d.get("created"), d.get("introduced_in"), d.get("changed_in"))
        found = made.get(key)
        if found is None:
            found = made[key] = Provenance(*key)
        return found
    return read


def _idkey(ident: str) -> tuple:
    """Sort ids naturally: m2 before m10."""
    head = ident.rstrip("0123456789")
    tail = ident[len(head):]
    return (head, int(tail) if tail else -1, ident)


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    text_sha256: str
    language: str
    source: dict
    license: dict
    metadata: dict
    split: str
    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    schema_version: str = "1.0"

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        return cls(d["id"], d["text"], d["text_sha256"], d["language"], d["source"],
                   d["license"], d["metadata"], d["split"],
                   tuple((p["start"], p["end"]) for p in d["paragraphs"]),
                   tuple((s["start"], s["end"]) for s in d["sentences"]),
                   d.get("schema_version", "1.0"))

    def to_dict(self) -> dict:
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "language": self.language,
            "split": self.split,
            "text_sha256": self.text_sha256,
            "source": self.source,
            "license": self.license,
            "metadata": self.metadata,
            "text": self.text,
            "paragraphs": [{"start": s, "end": e} for s, e in self.paragraphs],
            "sentences": [{"start": s, "end": e} for s, e in self.sentences],
        }


def clusters(ordered: list[str], links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The groups of ``ordered`` joined by ``links`` (union-find), each group in the given
    order, the groups in the order of their first member."""
    parent = {x: x for x in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for x in ordered:
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())
