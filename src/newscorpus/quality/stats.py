"""Counts per layer and label for one annotation version."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from newscorpus.rules.inventory import Inventory
from newscorpus.model import AnnotationSet


class StatsAccumulator:
    """Counts per layer and label, one annotation set at a time."""

    KEYS = (("mention_types", "entity_types"), ("mention_kinds", "mention_kinds"),
            ("event_types", "event_types"), ("argument_roles", "argument_roles"),
            ("realis", "realis"), ("polarity", "polarity"), ("quote_kinds", "quote_kinds"))

    def __init__(self, inventory: Inventory):
        self.inventory = inventory
        self.totals: Counter = Counter()
        self.counters = {key: Counter() for key, _ in self.KEYS}

    def add(self, ann: AnnotationSet) -> None:
        t, c = self.totals, self.counters
        t["documents"] += 1
        t["entities"] += len(ann.entities)
        t["mentions"] += len(ann.mentions)
        t["events"] += len(ann.events)
        t["arguments"] += sum(len(v.arguments) for v in ann.events)
        t["quotes"] += len(ann.quotes)
        c["mention_types"].update(m.type for m in ann.mentions)
        c["mention_kinds"].update(m.kind for m in ann.mentions)
        c["event_types"].update(v.type for v in ann.events)
        c["argument_roles"].update(a.role for v in ann.events for a in v.arguments)
        c["realis"].update(v.realis for v in ann.events)
        c["polarity"].update(v.polarity for v in ann.events)
        c["quote_kinds"].update(q.kind for q in ann.quotes)

    def merge(self, totals: Counter, counters: dict[str, Counter]) -> None:
        """Add the counts of another accumulator (its ``totals`` and ``counters``)."""
        self.totals.update(totals)
        for key, counter in counters.items():
            self.counters[key].update(counter)

    def add_raw(self, data: dict) -> None:
        """``add`` of an annotation file's JSON (validated), without model objects."""
        t, c = self.totals, self.counters
        mentions, events, quotes = data["mentions"], data["events"], data["quotes"]
        t["documents"] += 1
        t["entities"] += len(data["entities"])
        t["mentions"] += len(mentions)
        t["events"] += len(events)
        t["arguments"] += sum(len(v["arguments"]) for v in events)
        t["quotes"] += len(quotes)
        c["mention_types"].update(m["type"] for m in mentions)
        c["mention_kinds"].update(m["kind"] for m in mentions)
        c["event_types"].update(v["type"] for v in events)
        c["argument_roles"].update(a["role"] for v in events for a in v["arguments"])
        c["realis"].update(v["realis"] for v in events)
        c["polarity"].update(v["polarity"] for v in events)
        c["quote_kinds"].update(q["kind"] for q in quotes)

    def result(self) -> dict:
        out = {"totals": dict(self.totals)}
        for key, layer in self.KEYS:
            out[key] = {label: self.counters[key].get(label, 0)
                        for label in self.inventory.labels(layer)}
        return out


def compute_stats(sets: Iterable[AnnotationSet] | dict[str, AnnotationSet],
                  inventory: Inventory) -> dict:
    acc = StatsAccumulator(inventory)
    for ann in (sets.values() if isinstance(sets, dict) else sets):
        acc.add(ann)
    return acc.result()


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

    version, files = corpus.iter_version_raw(layout, name)
    acc = StatsAccumulator(corpus.inventory_of(layout, name, version))
    for data in files:
        acc.add_raw(data)
    return version, acc.result()
