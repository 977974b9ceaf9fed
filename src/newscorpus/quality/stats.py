"""Counts per layer and label for one annotation version."""
from __future__ import annotations

from collections import Counter

from newscorpus.rules.inventory import Inventory
from newscorpus.model import AnnotationSet


def compute_stats(sets: dict[str, AnnotationSet], inventory: Inventory) -> dict:
    ent_types, kinds, ev_types, roles, realis, polarity, q_kinds = (Counter() for _ in range(7))
    totals = Counter()
    for ann in sets.values():
        totals["documents"] += 1
        totals["entities"] += len(ann.entities)
        totals["mentions"] += len(ann.mentions)
        totals["events"] += len(ann.events)
        totals["arguments"] += sum(len(v.arguments) for v in ann.events)
        totals["quotes"] += len(ann.quotes)
        ent_types.update(m.type for m in ann.mentions)
        kinds.update(m.kind for m in ann.mentions)
        ev_types.update(v.type for v in ann.events)
        roles.update(a.role for v in ann.events for a in v.arguments)
        realis.update(v.realis for v in ann.events)
        polarity.update(v.polarity for v in ann.events)
        q_kinds.update(q.kind for q in ann.quotes)

    def table(counter: Counter, layer: str) -> dict[str, int]:
        return {label: counter.get(label, 0) for label in inventory.labels(layer)}

    return {
        "totals": dict(totals),
        "mention_types": table(ent_types, "entity_types"),
        "mention_kinds": table(kinds, "mention_kinds"),
        "event_types": table(ev_types, "event_types"),
        "argument_roles": table(roles, "argument_roles"),
        "realis": table(realis, "realis"),
        "polarity": table(polarity, "polarity"),
        "quote_kinds": table(q_kinds, "quote_kinds"),
    }


def format_stats(stats: dict, version: str) -> str:
    t = stats["totals"]
    lines = [f"version {version}: {t.get('documents', 0)} document(s), {t.get('mentions', 0)} mentions "
             f"in {t.get('entities', 0)} entities, {t.get('events', 0)} events "
             f"({t.get('arguments', 0)} arguments), {t.get('quotes', 0)} quotes"]
    for key in ("mention_types", "mention_kinds", "event_types", "argument_roles", "realis",
                "polarity", "quote_kinds"):
        lines.append(f"{key}:")
        width = max(len(k) for k in stats[key])
        for label, n in stats[key].items():
            lines.append(f"  {label:<{width}}  {n:>5}")
    return "\n".join(lines)


def version_stats(layout, name: str) -> tuple[str, dict]:
    """The counts of one version (release, 'latest', 'draft' or a folder), validated."""
    from newscorpus import corpus

    version, sets = corpus.load_version(layout, name)
    return version, compute_stats(sets, corpus.inventory_of(layout, name, version))
