"""Differences between two annotation versions, per annotation: added, removed, or
changed with the fields that changed. Provenance is not compared (it records who and
when, not what)."""
from __future__ import annotations

from dataclasses import fields, replace
from operator import attrgetter
from typing import Any, Callable

from newscorpus.model import LAYERS, AnnotationSet, Entity, Event, Mention, Quote, read_layer

# an annotation's content is every field but its provenance; compared as a tuple of the
# (frozen, comparable) field values, which is what the dict form would compare
_CONTENT = {cls: attrgetter(*(f.name for f in fields(cls) if f.name != "provenance"))
            for cls in (Entity, Mention, Event, Quote)}


def content_key(item) -> dict:
    """An annotation's content, without provenance: what a diff and a release compare."""
    data = item.to_dict()
    data.pop("provenance", None)
    return data


def content_tuple(item) -> tuple:
    """An annotation's content (every field but its provenance) as a hashable tuple."""
    return _CONTENT[type(item)](item)


def same_content(old, item) -> bool:
    """Whether two annotations have the same content (provenance aside)."""
    return type(old) is type(item) and _CONTENT[type(item)](old) == _CONTENT[type(item)](item)


def change_status(old, item) -> str:
    """How ``item`` relates to ``old`` (the annotation with its id in an earlier set, or
    None): 'same' content, 'changed' content, or 'new'."""
    if old is None or type(old) is not type(item):
        return "new"
    return "same" if same_content(old, item) else "changed"


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list):
        return {prefix: sorted((_flatten(x) if isinstance(x, dict) else x for x in data), key=repr)}
    return {prefix: data}


def changed_fields(before: dict, after: dict) -> list[str]:
    a, b = _flatten(before), _flatten(after)
    return sorted(k for k in set(a) | set(b) if a.get(k, None) != b.get(k, None)
                  or (k in a) != (k in b))


def diff_sets(old: dict[str, AnnotationSet], new: dict[str, AnnotationSet]) -> list[dict]:
    """A list of changes, ordered by document, layer and id."""
    changes = []
    for doc_id in sorted(set(old) | set(new)):
        a = old.get(doc_id)
        b = new.get(doc_id)
        for layer in LAYERS:
            changes += _layer_changes(doc_id, layer, getattr(a, layer) if a else (),
                                      getattr(b, layer) if b else ())
    return changes


def diff_raw(doc_id: str, old: dict | None, new: dict | None) -> list[dict]:
    """``diff_sets`` of one document given as two validated annotation files' JSON (or
    None): a layer whose JSON is equal has no change and is not read into model
    objects; the others are compared as ``diff_sets`` compares them."""
    changes = []
    for layer in LAYERS:
        a, b = (old or {}).get(layer, []), (new or {}).get(layer, [])
        if a != b:
            changes += _layer_changes(doc_id, layer, read_layer(layer, a), read_layer(layer, b))
    return changes


def _layer_changes(doc_id: str, layer: str, old_items, new_items) -> list[dict]:
    """The changes of one layer of one document; only differing annotations are turned
    into dicts."""
    items_a = {i.id: i for i in old_items}
    items_b = {i.id: i for i in new_items}
    differing = [i for i, x in items_a.items() if not same_content(x, items_b.get(i))]
    differing += [i for i in items_b if i not in items_a]
    changes = []
    for ident in sorted(differing, key=_natural):
        x, y = items_a.get(ident), items_b.get(ident)
        before = content_key(x) if x is not None else None
        after = content_key(y) if y is not None else None
        if before is None:
            kind, changed = "added", []
        elif after is None:
            kind, changed = "removed", []
        else:
            kind, changed = "changed", changed_fields(before, after)
        changes.append({"document": doc_id, "layer": layer, "id": ident, "change": kind,
                        "fields": changed, "before": before, "after": after})
    return changes


def _natural(ident: str) -> tuple:
    head = ident.rstrip("0123456789")
    tail = ident[len(head):]
    return (head, int(tail) if tail else -1, ident)


def summarize(changes: list[dict]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {layer: {"added": 0, "removed": 0, "changed": 0} for layer in LAYERS}
    for c in changes:
        out[c["layer"]][c["change"]] += 1
    return out


def _label(item: dict | None) -> str:
    if not item:
        return ""
    span = item.get("trigger") or item.get("content") or item
    label = item.get("type") or item.get("kind") or ""
    text = span.get("text") if isinstance(span, dict) else None
    if text is None:
        text = item.get("name", "")
    return f"{label} {text!r}"


def format_text(changes: list[dict], old_name: str, new_name: str) -> str:
    lines = [f"diff {old_name} -> {new_name}: {len(changes)} change(s)"]
    for c in changes:
        head = f"{c['change']:<8} {c['document']} {c['layer']}/{c['id']}"
        if c["change"] == "added":
            lines.append(f"{head}: {_label(c['after'])}")
        elif c["change"] == "removed":
            lines.append(f"{head}: {_label(c['before'])}")
        else:
            fa, fb = _flatten(c["before"]), _flatten(c["after"])
            detail = "; ".join(f"{f}: {fa.get(f)!r} -> {fb.get(f)!r}" for f in c["fields"])
            lines.append(f"{head}: {detail}")
    return "\n".join(lines)


def restamp(new: AnnotationSet, old: AnnotationSet | None, changed: Callable,
            added: Callable) -> AnnotationSet:
    """Each annotation of ``new`` against ``old`` by id: an unchanged one keeps its old
    provenance; ``changed(item, old_item)`` and ``added(item)`` give the others'."""
    old_items = old.by_id() if old else {}
    out = {}
    for layer in LAYERS:
        items = []
        for item in getattr(new, layer):
            prev = old_items.get(item.id)
            status = change_status(prev, item)
            prov = (prev.provenance if status == "same"
                    else changed(item, prev) if status == "changed" else added(item))
            items.append(item if prov == item.provenance else replace(item, provenance=prov))
        out[layer] = items
    return replace(new, **out)
