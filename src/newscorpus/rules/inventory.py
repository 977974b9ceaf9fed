"""The label inventories, read from ``schema/inventory.json`` (the single source of
truth for entity types, mention kinds, argument roles, event types with the roles each
allows, realis, polarity and quote kinds)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import dumps, read_json

LAYERS = ("entity_types", "mention_kinds", "argument_roles", "event_types",
          "realis", "polarity", "quote_kinds")


@dataclass(frozen=True)
class Label:
    label: str
    definition: str
    name: str | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # event types only


@dataclass(frozen=True)
class Inventory:
    version: str
    raw: dict
    entity_types: tuple[Label, ...]
    mention_kinds: tuple[Label, ...]
    argument_roles: tuple[Label, ...]
    event_types: tuple[Label, ...]
    realis: tuple[Label, ...]
    polarity: tuple[Label, ...]
    quote_kinds: tuple[Label, ...]

    def labels(self, layer: str) -> list[str]:
        return [item.label for item in getattr(self, layer)]

    def roles_for(self, event_type: str) -> tuple[str, ...]:
        for item in self.event_types:
            if item.label == event_type:
                return item.roles
        return ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(dumps(self.raw).encode("utf-8")).hexdigest()

    @classmethod
    def from_dict(cls, data: dict, shown: str = "inventory.json") -> "Inventory":
        problems = []
        if not isinstance(data, dict):
            raise CorpusError(Problem(shown, "", "inventory", "must be a JSON object"))
        layers = {}
        for layer in LAYERS:
            items = data.get(layer)
            if not isinstance(items, list) or not items:
                problems.append(Problem(shown, f"/{layer}", "inventory", "must be a non-empty list"))
                continue
            seen, parsed = set(), []
            for i, item in enumerate(items):
                ptr = f"/{layer}/{i}"
                if not isinstance(item, dict) or not isinstance(item.get("label"), str) \
                        or not isinstance(item.get("definition"), str) or not item["definition"].strip():
                    problems.append(Problem(shown, ptr, "inventory", "needs a label and a definition"))
                    continue
                if item["label"] in seen:
                    problems.append(Problem(shown, ptr, "inventory", "duplicate label", item["label"]))
                seen.add(item["label"])
                parsed.append(Label(item["label"], item["definition"], item.get("name"),
                                    tuple(item.get("examples", ())),
                                    tuple(item.get("counter_examples", ())),
                                    tuple(item.get("roles", ()))))
            layers[layer] = tuple(parsed)
        if not problems:
            roles = {r.label for r in layers["argument_roles"]}
            for i, ev in enumerate(layers["event_types"]):
                for role in ev.roles:
                    if role not in roles:
                        problems.append(Problem(shown, f"/event_types/{i}/roles", "inventory",
                                                "role is not in argument_roles", role))
        if problems:
            raise CorpusError(problems)
        return cls(version=str(data.get("inventory_version", "")), raw=data, **layers)


def load_inventory(path: Path, shown: str | None = None) -> Inventory:
    shown = shown or str(path)
    return Inventory.from_dict(read_json(path, shown), shown)
