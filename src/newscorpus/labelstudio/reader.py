"""Reading the chosen annotation of one Label Studio task back into an AnnotationSet:
regions and their per-region attributes, relations, offsets re-anchored, ids and
entities kept stable, provenance kept for what did not change.

A ``TaskReader`` holds what one task's reading needs and collects what it finds
(problems, notes, re-anchored regions); ``read_task`` reads it."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from newscorpus.errors import Problem
from newscorpus.rules.checks import registered
from newscorpus.labelstudio.config import choices_of, relation_labels
from newscorpus.labelstudio.names import (ALL, ATTRIBUTES, CHOICE_CONTROLS, CONTENT, COREF_REL, CUE_REL,
                                          ENTITIES_VIEW, ENTITY, EVENT, LABEL_CONTROLS, MENTION, MENTION_KIND,
                                          NEW_ENTITY, OBJECT, OPTIONAL_ATTRIBUTES, POLARITY, QUOTE, QUOTE_KIND,
                                          REALIS, SPEAKER_REL, VIEW, VIEW_KINDS, VIEW_LAYERS)
from newscorpus.labelstudio.offsets import Offsets, anchor
from newscorpus.model import (LAYERS, AnnotationSet, Argument, Document, Entity, Event, Mention, clusters as union_clusters,
                              Provenance, Quote, Span, _idkey)
from newscorpus.rules.inventory import Inventory
from newscorpus.store.paths import Layout


@dataclass
class _Region:
    rid: str
    ptr: str
    control: str | None = None
    label: str | None = None
    start: int = 0
    end: int = 0
    text: str = ""
    attrs: dict[str, list[str]] = field(default_factory=dict)
    attr_ptrs: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        if self.control == MENTION:
            return "mention"
        if self.control == EVENT:
            return "event"
        if self.control == QUOTE:
            return "content" if self.label == CONTENT else "cue"
        return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _next_id(prefix: str, taken: set[str]) -> str:
    highest = 0
    for ident in taken:
        head, number, _ = _idkey(ident)
        if head == prefix and number > highest:
            highest = number
    ident = f"{prefix}{highest + 1}"
    taken.add(ident)
    return ident


class TaskReader:
    """What reading the chosen annotation of one task needs, and what it finds: the
    problems, the notes, the regions re-anchored and which region each annotation was."""

    def __init__(self, layout: Layout, inventory: Inventory, shown: str, tptr: str,
                 where: str, doc: Document, source: AnnotationSet, annotation: dict,
                 aptr: str, provenance: Provenance, view: str = ALL):
        self.layout, self.inventory, self.shown = layout, inventory, shown
        self.view = view  # which view the task is (names.VIEWS), ALL for a task of format /1
        self.tptr, self.where, self.doc, self.source = tptr, where, doc, source
        self.annotation, self.aptr, self.provenance = annotation, aptr, provenance
        self.problems: list[Problem] = []
        self.anchored: list[tuple[str, int, int, int, int, str]] = []
        self.notes: list[str] = []
        self.region_of: dict[str, str] = {}  # annotation id -> Label Studio region id
        self.allowed = choices_of(inventory)
        self.entity_ids = {e.id for e in source.entities}

    def problem(self, ptr: str, check: str, message: str, text: str | None = None) -> None:
        self.problems.append(Problem(self.shown, ptr, registered(check), f"{self.where}: {message}", text))


# --- regions -------------------------------------------------------------------------------

def read_regions(reader: TaskReader) -> tuple[dict[str, _Region], list[tuple[str, dict]]]:
    """The regions of the result (a region's label and attributes merged by region id)
    and its relations, each with its JSON pointer."""
    result = reader.annotation.get("result")
    rptr = f"{reader.aptr}/result"
    if not isinstance(result, list):
        reader.problem(rptr, "ls-format", "the annotation has no result list")
        return {}, []
    regions: dict[str, _Region] = {}
    relations = []
    for j, item in enumerate(result):
        ptr = f"{rptr}/{j}"
        if not isinstance(item, dict):
            reader.problem(ptr, "ls-format", "a result item must be an object")
            continue
        if item.get("type") == "relation":
            relations.append((ptr, item))
            continue
        if item.get("from_name") == VIEW and item.get("type") == "choices":
            continue  # the hidden choice that shows the view's own labels
        _read_region_item(reader, regions, ptr, item)
    for rid, region in regions.items():
        if region.control is None:
            reader.problem(region.ptr, "ls-missing-label",
                           f"region {rid} has attributes ({', '.join(region.attrs)}) but no label", rid)
    return regions, relations


def _read_region_item(reader: TaskReader, regions: dict[str, _Region], ptr: str, item: dict) -> None:
    """One result item of a Labels or Choices control, added to its region."""
    control, to_name, kind = item.get("from_name"), item.get("to_name"), item.get("type")
    if control not in LABEL_CONTROLS + CHOICE_CONTROLS or to_name != OBJECT:
        reader.problem(ptr, "ls-wrong-interface",
                       f"result for control {control!r} on {to_name!r}: not a control of the "
                       "generated labeling interface (export from another project or interface?)")
        return
    expected = "labels" if control in LABEL_CONTROLS else "choices"
    if kind != expected:
        reader.problem(ptr, "ls-wrong-interface",
                       f"control {control!r} gives results of type {expected!r}, found {kind!r}")
        return
    rid, value = item.get("id"), item.get("value")
    if not isinstance(rid, str) or not rid or not isinstance(value, dict):
        reader.problem(ptr, "ls-format", "a region needs a string id and a value object")
        return
    region = regions.setdefault(rid, _Region(rid, ptr))
    if expected == "labels":
        _read_label(reader, region, ptr, control, value)
    else:
        _read_choices(reader, region, ptr, control, value)


def _read_label(reader: TaskReader, region: _Region, ptr: str, control: str, value: dict) -> None:
    """The label of a region (its layer and type) and its offsets and text; a region
    that cannot be read is marked with the control ``?``."""
    rid = region.rid
    if region.control is not None:
        reader.problem(ptr, "ls-region-conflict",
                       f"region {rid} is labelled twice ({region.control} and {control}); "
                       "one region holds one annotation: draw a second region", rid)
        return
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        reader.problem(ptr + "/value/labels", "ls-missing-label",
                       f"region {rid} must have exactly one {control} label, found "
                       f"{labels if isinstance(labels, list) else 'none'}", value.get("text"))
        region.control = "?"
        return
    label = labels[0]
    if label not in reader.allowed[control]:
        reader.problem(ptr + "/value/labels/0", "ls-unknown-label",
                       f"region {rid}: label not in the {control} labels of the inventory "
                       f"({', '.join(reader.allowed[control])})", str(label))
        region.control = "?"
        return
    start, end, text = value.get("start"), value.get("end"), value.get("text")
    if not (_is_int(start) and _is_int(end)) or not isinstance(text, str):
        reader.problem(ptr + "/value", "ls-format", f"region {rid} needs integer start and end and its text")
        region.control = "?"
        return
    region.ptr, region.control, region.label = ptr, control, label
    region.start, region.end, region.text = start, end, text


def _read_choices(reader: TaskReader, region: _Region, ptr: str, control: str, value: dict) -> None:
    """A per-region attribute (mention kind, realis, polarity, quote kind)."""
    values = value.get("choices")
    if not isinstance(values, list):
        reader.problem(ptr + "/value", "ls-format", f"region {region.rid}: {control} has no choices list")
        return
    if control == ENTITY:
        bad = [v for v in values if entity_key(reader, v) is None]
        if bad:
            reader.problem(ptr + "/value/choices", "ls-unknown-label",
                           f"region {region.rid}: {control} value is neither an entity of the task "
                           f"('eN: name') nor '{NEW_ENTITY}N'", str(bad[0]))
            return
    bad = [v for v in values if v not in reader.allowed[control]] if control != ENTITY else []
    if bad:
        reader.problem(ptr + "/value/choices", "ls-unknown-label",
                       f"region {region.rid}: {control} value not in the inventory "
                       f"({', '.join(reader.allowed[control])})", str(bad[0]))
        return
    region.attrs.setdefault(control, []).extend(values)
    region.attr_ptrs[control] = ptr


def entity_key(reader: TaskReader, value) -> str | None:
    """The entity an Entity choice means: a source entity id, or 'new N'; None if neither."""
    if not isinstance(value, str):
        return None
    if value.startswith(NEW_ENTITY) and value[len(NEW_ENTITY):].strip().isdigit():
        return "new " + value[len(NEW_ENTITY):].strip()
    ident = value.split(":", 1)[0].strip()
    return ident if ident in reader.entity_ids else None


def anchor_regions(reader: TaskReader, regions: dict[str, _Region]) -> None:
    """Every labelled region at its real place in the text (offsets.anchor)."""
    offsets = Offsets(reader.doc.text)
    for region in regions.values():
        if region.kind is None:
            continue
        try:
            s, e, how = anchor(offsets, region.start, region.end, region.text)
        except ValueError as exc:
            check, message = exc.args
            reader.problem(region.ptr + "/value", check, f"region {region.rid} "
                           f"[{region.start}, {region.end}): {message}", region.text)
            region.control = "?"
            continue
        if how is not None:
            reader.anchored.append((region.rid, region.start, region.end, s, e, how))
            region.start, region.end = s, e
        region.text = reader.doc.text[region.start:region.end]


def check_attributes(reader: TaskReader, regions: dict[str, _Region]) -> None:
    """Each region has exactly the attributes of its kind, each given once."""
    for rid, region in regions.items():
        kind = region.kind
        if kind is None:
            continue
        wanted = ATTRIBUTES[kind]
        optional = OPTIONAL_ATTRIBUTES.get(kind, ())
        for control, values in region.attrs.items():
            if control in optional and len(values) > 1:
                reader.problem(region.attr_ptrs[control], "ls-missing-attribute",
                               f"{kind} region {rid} has {len(values)} {control} values; give it one",
                               region.text)
            if control not in wanted + optional:
                reader.problem(region.attr_ptrs[control], "ls-missing-attribute",
                               f"region {rid} is a {kind} region and takes no {control}", region.text)
        for control in wanted:
            values = region.attrs.get(control, [])
            if len(values) != 1:
                reader.problem(region.attr_ptrs.get(control, region.ptr), "ls-missing-attribute",
                               f"{kind} region {rid} needs exactly one {control}, found "
                               f"{', '.join(values) if values else 'none'}", region.text)


# --- views -----------------------------------------------------------------------------------

VIEW_OF_KIND = {"mention": ENTITIES_VIEW, "event": "events", "content": "quotes", "cue": "quotes"}


def check_view(reader: TaskReader, regions: dict[str, _Region]) -> None:
    """ls-view-scope: a region of a kind the task's view does not hold, and, outside the
    entities view, a mention added, changed or deleted (mentions are shown in the events
    and quotes views for arguments and speakers, and changed in the entities view)."""
    kinds = VIEW_KINDS[reader.view]
    for rid, region in regions.items():
        if region.kind is not None and region.kind not in kinds:
            reader.problem(region.ptr, "ls-view-scope",
                           f"{region.kind} region {rid} in the {reader.view} view: annotate "
                           f"{region.kind} regions in the {VIEW_OF_KIND[region.kind]} view", region.text)
    if reader.view in (ALL, ENTITIES_VIEW):
        return
    source = {m.id: m for m in reader.source.mentions}
    for rid, region in regions.items():
        if region.kind != "mention":
            continue
        m = source.get(rid)
        kind = (region.attrs.get(MENTION_KIND) or [None])[0]
        if m is None or (m.start, m.end, m.type, m.kind) != (region.start, region.end, region.label, kind):
            what = "added" if m is None else "changed"
            reader.problem(region.ptr, "ls-view-scope",
                           f"mention region {rid} was {what} in the {reader.view} view: mentions are "
                           f"added and changed in the {ENTITIES_VIEW} view", region.text)
    for mid in sorted(set(source) - set(regions), key=_idkey):
        reader.problem(reader.aptr + "/result", "ls-view-scope",
                       f"mention {mid} was deleted in the {reader.view} view: mentions are deleted in the "
                       f"{ENTITIES_VIEW} view", source[mid].text)


def entity_links(reader: TaskReader, regions: dict[str, _Region]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Coreference from the per-mention Entity choices: the mentions with the same choice
    linked in a chain, and each mention's chosen source entity (region id -> entity id)."""
    groups: dict[str, list[str]] = {}
    chosen: dict[str, str] = {}
    for rid, region in regions.items():
        values = region.attrs.get(ENTITY) or []
        if region.kind != "mention" or len(values) != 1:
            continue
        key = entity_key(reader, values[0])
        groups.setdefault(key, []).append(rid)
        if not key.startswith("new "):
            chosen[rid] = key
    pairs = [(a, b) for members in groups.values() for a, b in zip(members, members[1:])]
    return pairs, chosen


# --- relations -----------------------------------------------------------------------------

@dataclass
class _Links:
    """The relations read, by meaning (region ids; speaker and cue links keep the
    pointer of their relation)."""
    coref: list[tuple[str, str]] = field(default_factory=list)
    args: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    speaker: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    cue: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def read_relations(reader: TaskReader, regions: dict[str, _Region], relations: list[tuple[str, dict]]):
    """The relations as (coref pairs, event -> [(role, mention)], quote -> speaker,
    quote -> cue), all by region id."""
    roles = set(reader.inventory.labels("argument_roles"))
    known = set(relation_labels(reader.inventory))
    links = _Links()
    for ptr, rel in relations:
        _read_relation(reader, regions, ptr, rel, roles, known, links)
    for name, table in (("speaker", links.speaker), ("cue", links.cue)):
        for qid, found in table.items():
            targets = sorted({t for _, t in found})
            if len(targets) > 1:
                reader.problem(found[1][0], "ls-relation-invalid",
                               f"quote region {qid} has {len(targets)} {name} relations "
                               f"({', '.join(targets)}); a quote has one {name}", regions[qid].text)
    linked_cues = {t for found in links.cue.values() for _, t in found}
    for rid, region in regions.items():
        if region.kind == "cue" and rid not in linked_cues:
            reader.problem(region.ptr, "ls-orphan-cue",
                           f"cue region {rid} is linked to no quote: add a 'cue' relation from the "
                           "quote content, or delete the region", region.text)
    return links.coref, links.args, {q: found[0][1] for q, found in links.speaker.items()}, \
        {q: found[0][1] for q, found in links.cue.items()}


def _read_relation(reader: TaskReader, regions: dict[str, _Region], ptr: str, rel: dict,
                   roles: set[str], known: set[str], links: _Links) -> None:
    a, b = rel.get("from_id"), rel.get("to_id")
    missing = [x for x in (a, b) if x not in regions]
    if missing:
        reader.problem(ptr, "ls-dangling-relation",
                       f"relation {a!r} -> {b!r} refers to a region that is not in the annotation",
                       str(missing[0]))
        return
    ra, rb = regions[a], regions[b]
    if ra.kind is None or rb.kind is None:
        return  # already reported
    labels = rel.get("labels") or []
    if not isinstance(labels, list) or len(labels) > 1:
        reader.problem(ptr + "/labels", "ls-relation-invalid",
                       f"relation {a} -> {b} has several labels; give it one", str(labels))
        return
    label = labels[0] if labels else None
    if label is not None and label not in known:
        reader.problem(ptr + "/labels/0", "ls-unknown-label",
                       f"relation {a} -> {b}: label not among the relations of the interface "
                       f"({', '.join(sorted(known))})", str(label))
        return
    _link(reader, ptr, ra, rb, label, roles, links)


def _link(reader: TaskReader, ptr: str, ra: _Region, rb: _Region, label: str | None,
          roles: set[str], links: _Links) -> None:
    """A relation read without regard to its direction: the kinds of the two regions
    say what it links (see the wing's docstring)."""
    kinds = {ra.kind: ra, rb.kind: rb}
    pair = frozenset((ra.kind, rb.kind))
    desc = f"relation {ra.rid} ({ra.kind} {ra.text!r}) -> {rb.rid} ({rb.kind} {rb.text!r})"
    if pair == {"mention"} and label in (None, COREF_REL) and reader.view != ALL:
        reader.problem(ptr, "ls-relation-invalid", f"{desc}: coreference is not a relation any more; "
                       "give both mentions the same Entity in the entities view")
    elif pair == {"mention"} and label in (None, COREF_REL):
        links.coref.append((ra.rid, rb.rid))
    elif pair == {"event", "mention"} and label in roles:
        links.args.setdefault(kinds["event"].rid, []).append((label, kinds["mention"].rid))
    elif pair == {"event", "mention"} and label is None:
        reader.problem(ptr, "ls-relation-invalid", f"{desc} needs a role label")
    elif pair == {"content", "mention"} and label in (None, SPEAKER_REL):
        links.speaker.setdefault(kinds["content"].rid, []).append((ptr, kinds["mention"].rid))
    elif pair == {"content", "cue"} and label in (None, CUE_REL):
        links.cue.setdefault(kinds["content"].rid, []).append((ptr, kinds["cue"].rid))
    else:
        reader.problem(ptr, "ls-relation-invalid",
                       f"{desc}: a {label or 'unlabelled'} relation cannot link these regions "
                       "(roles link an event trigger and a mention, speaker a quote and a mention, "
                       "cue a quote and a cue, coref two mentions)", label)


# --- the annotation set ----------------------------------------------------------------------

def read_task(reader: TaskReader, taken: set[str], prior: AnnotationSet | None = None) -> AnnotationSet | None:
    """The annotation set the task's chosen annotation gives, or None when there are
    problems (in ``reader.problems``). ``taken``: every id the document ever used (new
    ids are added to it). ``prior``: the current draft of the document. A region drawn in
    Label Studio that an earlier import already turned into an annotation (same layer,
    same span, an id the source does not have) keeps that annotation's id, so that
    pulling twice never renumbers anything. The layers the task's view is not the
    authority for (names.VIEW_LAYERS) are the source's, unchanged."""
    regions, relations = read_regions(reader)
    if reader.problems:
        return None
    anchor_regions(reader, regions)
    check_attributes(reader, regions)
    check_view(reader, regions)
    coref, args, speakers, cues = read_relations(reader, regions, relations)
    if reader.problems:
        return None
    src = reader.source
    ordered = sorted(regions.values(), key=lambda r: (r.start, r.end, _idkey(r.rid)))
    ids = assign_ids(src, ordered, taken, prior)
    for rid, new in ids.items():
        reader.region_of[new] = rid
    mentions = {ids[r.rid]: r for r in ordered if r.kind == "mention"}
    if "mentions" in VIEW_LAYERS[reader.view]:
        more, chosen = entity_links(reader, regions)
        entities, entity_of = read_entities(reader, mentions, coref + more, taken, prior,
                                            {ids[rid]: eid for rid, eid in chosen.items()})
    else:
        entities, entity_of = list(src.entities), {m.id: m.entity for m in src.mentions}
    if reader.problems:
        return None
    prov = reader.provenance
    new_mentions = [Mention(mid, r.start, r.end, r.text, r.label, r.attrs[MENTION_KIND][0],
                            entity_of[mid], prov) for mid, r in mentions.items()]
    new_events = _events(ordered, ids, args, src, prov)
    new_quotes = _quotes(ordered, regions, ids, speakers, cues, prov)
    result = AnnotationSet(src.document_id, reader.doc.text_sha256, "draft", entities, new_mentions,
                           new_events, new_quotes, src.schema_version)
    return _keep_provenance(_in_view(result, src, reader.view), src, reader.provenance)


def merge_views(source: AnnotationSet, views: dict[str, AnnotationSet], provenance: Provenance,
                where: str) -> tuple[AnnotationSet, list[str]]:
    """The sets ``read_task`` gave for the views of one document (view -> set), merged
    into one: each view gives the layers it is the authority for (names.VIEW_LAYERS),
    the source the others. An argument or speaker whose mention was deleted in the
    entities view is dropped, the event or quote stamped with ``provenance``; the notes
    say so."""
    merged = replace(source, version="draft", text_sha256=next(iter(views.values())).text_sha256)
    for view, ann in views.items():
        merged = replace(merged, **{layer: list(getattr(ann, layer)) for layer in VIEW_LAYERS[view]})
    mention_ids = {m.id for m in merged.mentions}
    notes, events, quotes = [], [], []
    for v in merged.events:
        kept = tuple(a for a in v.arguments if a.mention in mention_ids)
        if kept != v.arguments:
            notes.append(f"{where}: event {v.id} loses its argument(s) "
                         f"{', '.join(a.mention for a in v.arguments if a not in kept)}: the mention was "
                         "deleted in the entities view")
            v = replace(v, arguments=kept, provenance=replace(provenance, introduced_in=v.provenance.introduced_in))
        events.append(v)
    for q in merged.quotes:
        if q.speaker is not None and q.speaker not in mention_ids:
            notes.append(f"{where}: quote {q.id} loses its speaker {q.speaker}: the mention was deleted "
                         "in the entities view")
            q = replace(q, speaker=None, provenance=replace(provenance, introduced_in=q.provenance.introduced_in))
        quotes.append(q)
    return replace(merged, events=events, quotes=quotes), notes


def _in_view(result: AnnotationSet, source: AnnotationSet, view: str) -> AnnotationSet:
    """The layers of the view from the result, the others from the source."""
    return replace(result, **{layer: list(getattr(source, layer)) for layer in LAYERS
                              if layer not in VIEW_LAYERS[view]})


def assign_ids(source: AnnotationSet, ordered: list[_Region], taken: set[str],
               prior: AnnotationSet | None) -> dict[str, str]:
    """Region id -> annotation id: a region keeps its id when it is an annotation of the
    same layer in the source; a region drawn in Label Studio gets the id an earlier
    import gave the same span (in ``prior``), else the next free id."""
    src_ids = {layer: {i.id for i in getattr(source, layer)} for layer in LAYERS}
    ids: dict[str, str] = {}
    for kind, layer, prefix in (("mention", "mentions", "m"), ("event", "events", "ev"),
                                ("content", "quotes", "q")):
        for r in ordered:
            if r.kind == kind and r.rid in src_ids[layer]:
                ids[r.rid] = r.rid
        earlier = {}
        for item in getattr(prior, layer) if prior is not None else ():
            span = item.trigger if layer == "events" else item.content if layer == "quotes" else item
            if item.id not in src_ids[layer] and (span.start, span.end) not in earlier:
                earlier[(span.start, span.end)] = item.id
        for r in ordered:
            if r.kind == kind and r.rid not in ids:
                reuse = earlier.pop((r.start, r.end), None)
                ids[r.rid] = reuse if reuse is not None and reuse not in ids.values() \
                    else _next_id(prefix, taken)
    return ids


def _events(ordered: list[_Region], ids: dict[str, str], args: dict[str, list[tuple[str, str]]],
            source: AnnotationSet, prov: Provenance) -> list[Event]:
    src_events = {v.id: v for v in source.events}
    new_events = []
    for r in ordered:
        if r.kind != "event":
            continue
        vid = ids[r.rid]
        got = []
        for role, mrid in args.get(r.rid, []):
            arg = Argument(role, ids[mrid])
            if arg not in got:
                got.append(arg)
        old = src_events.get(vid)
        if old is not None:  # keep the stored order of the arguments that remain
            got = [a for a in old.arguments if a in got] + [a for a in got if a not in old.arguments]
        new_events.append(Event(vid, r.label, Span(r.start, r.end, r.text), tuple(got),
                                r.attrs[REALIS][0], r.attrs[POLARITY][0], prov))
    return new_events


def _quotes(ordered: list[_Region], regions: dict[str, _Region], ids: dict[str, str],
            speakers: dict[str, str], cues: dict[str, str], prov: Provenance) -> list[Quote]:
    new_quotes = []
    for r in ordered:
        if r.kind != "content":
            continue
        cue_region = regions[cues[r.rid]] if r.rid in cues else None
        new_quotes.append(Quote(
            ids[r.rid], r.attrs[QUOTE_KIND][0], Span(r.start, r.end, r.text),
            Span(cue_region.start, cue_region.end, cue_region.text) if cue_region else None,
            ids[speakers[r.rid]] if r.rid in speakers else None, prov))
    return new_quotes


def _keep_provenance(new: AnnotationSet, source: AnnotationSet, provenance: Provenance) -> AnnotationSet:
    """Unchanged annotations keep their provenance; changed ones keep the version that
    introduced them and get the Label Studio annotator and time; new ones get those."""
    from newscorpus.store.diff import restamp

    return restamp(new, source,
                   changed=lambda item, old: replace(provenance, changed_in=None,
                                                     introduced_in=old.provenance.introduced_in),
                   added=lambda item: provenance)


# --- entities ----------------------------------------------------------------------------------

def read_entities(reader: TaskReader, mentions: dict[str, _Region], coref: list[tuple[str, str]],
                  taken: set[str], prior: AnnotationSet | None = None,
                  chosen: dict[str, str] | None = None) -> tuple[list[Entity], dict[str, str]]:
    """Coreference clusters -> entities, keeping entity ids stable: the entities and the
    entity of each mention. ``chosen``: the entity the annotator chose for a mention
    (mention id -> source entity id), which counts as that mention's old entity."""
    clusters = _clusters(mentions, coref)
    old_entity = {m.id: m.entity for m in reader.source.mentions}
    old_entity.update(chosen or {})
    old_entities = {e.id: e for e in reader.source.entities}
    assigned, used = _kept_entities(clusters, old_entity)
    # entities an earlier import of this task created (not in the source), by mention
    earlier_entity = {}
    if prior is not None:
        earlier_ids = {e.id for e in prior.entities} - set(old_entities)
        earlier_entity = {m.id: m.entity for m in prior.mentions if m.entity in earlier_ids}
    entity_of: dict[str, str] = {}
    entities = []
    for ci, members in enumerate(clusters):
        types = sorted({mentions[m].label for m in members})
        if len(types) > 1:
            detail = ", ".join(f"{reader.region_of.get(m, m)} {mentions[m].label} {mentions[m].text!r}"
                               for m in members)
            reader.problem(mentions[members[0]].ptr, "ls-entity-type-conflict",
                           f"coreference links mentions of different types into one entity ({detail}); "
                           "give them one type, or choose another Entity (or remove the coref relation)", ", ".join(types))
            continue
        eid = assigned.get(ci)
        if eid is not None:
            entity = Entity(eid, types[0], old_entities[eid].name, reader.provenance)
        else:
            entity = _new_entity(reader, members, mentions, types[0], taken, used, earlier_entity, prior)
            olds = sorted({old_entity[m] for m in members if m in old_entity}, key=_idkey)
            if olds:
                reader.notes.append(f"{reader.where}: mentions {', '.join(m for m in members if m in old_entity)} "
                                    f"of entity {', '.join(olds)} now form the new entity {entity.id} "
                                    f"({entity.name!r}); link them with a coref relation if that is "
                                    "not intended")
        for m in members:
            entity_of[m] = entity.id
        entities.append(entity)
    for eid in sorted(set(old_entities) - used, key=_idkey):
        into = sorted({entity_of[m] for m in mentions if old_entity.get(m) == eid and m in entity_of},
                      key=_idkey)
        if into:
            reader.notes.append(f"{reader.where}: entity {eid} ({old_entities[eid].name!r}) was merged into "
                                f"{', '.join(into)} by coreference")
    return entities, entity_of


def _clusters(mentions: dict[str, _Region], coref: list[tuple[str, str]]) -> list[list[str]]:
    """The mentions linked by coreference, each cluster in text order and the clusters in
    text order of their first mention."""
    rid_to_id = {r.rid: mid for mid, r in mentions.items()}
    ordered = sorted(mentions, key=lambda m: (mentions[m].start, mentions[m].end, _idkey(m)))
    return union_clusters(ordered, [(rid_to_id[a], rid_to_id[b]) for a, b in coref])


def _kept_entities(clusters: list[list[str]], old_entity: dict[str, str]) -> tuple[dict[int, str], set[str]]:
    """Which cluster keeps which source entity id (cluster index -> entity id), and the
    ids so kept: the largest share of an entity's mentions first, then text order."""
    pairs = []
    for ci, members in enumerate(clusters):
        counts: dict[str, int] = {}
        for mid in members:
            if mid in old_entity:
                counts[old_entity[mid]] = counts.get(old_entity[mid], 0) + 1
        for eid, n in counts.items():
            pairs.append((-n, ci, _idkey(eid), eid))
    assigned: dict[int, str] = {}
    used: set[str] = set()
    for _, ci, _, eid in sorted(pairs):
        if ci not in assigned and eid not in used:
            assigned[ci] = eid
            used.add(eid)
    return assigned, used


def _new_entity(reader: TaskReader, members: list[str], mentions: dict[str, _Region], etype: str,
                taken: set[str], used: set[str], earlier_entity: dict[str, str],
                prior: AnnotationSet | None) -> Entity:
    """An entity for a cluster that keeps no source entity: the one an earlier import
    gave these mentions, else a new id named after its first name mention."""
    names = [m for m in members if mentions[m].attrs[MENTION_KIND][0] == "name"]
    first = names[0] if names else members[0]
    again = sorted({earlier_entity[m] for m in members if m in earlier_entity} - used, key=_idkey)
    eid = again[0] if again else _next_id("e", taken)
    used.add(eid)
    name = prior.entity_index()[eid].name if again else mentions[first].text
    return Entity(eid, etype, name, reader.provenance)
