"""The label inventories, read from ``schema/inventory.json`` (the single source of
truth for entity types, mention kinds, argument roles, event types with the roles each
allows, realis, polarity and quote kinds).

Each label may carry, besides the examples from the seed article (``examples``,
``counter_examples``), constructed examples that do not come from any article of the
corpus: ``"constructed_examples": {"positive": [...], "negative": [...]}``. Each example
is ``{"text": ..., "why": ...}``: ``text`` is a sentence that marks exactly one span with
double brackets, ``[[span]]`` (the mention, the trigger, the argument or the quote
content the label is about), and may mark the event trigger (argument roles, where it is
required) or the quote cue with double braces, ``{{cue}}``; ``why`` gives the reason. A
negative example is a case that looks like the label but is not annotated with it;
``instead`` names the label of the same layer it gets (``null``: not annotated). An
argument role's examples name the ``event_type`` of the trigger (optional for realis and
polarity); the role must be one that event type allows."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import dumps, read_json

LAYERS = ("entity_types", "mention_kinds", "argument_roles", "event_types",
          "realis", "polarity", "quote_kinds")


SPAN = re.compile(r"\[\[([^\[\]{}]+)\]\]")  # [[span]]: the span the label is about
CUE = re.compile(r"\{\{([^\[\]{}]+)\}\}")  # {{trigger}} or {{cue}}: the word it hangs on
EXAMPLE_KEYS = {"text", "why", "instead", "event_type"}


@dataclass(frozen=True)
class Example:
    """A constructed example of a label (not from an article of the corpus)."""
    text: str  # the sentence, with the span in [[...]] and optionally a trigger/cue in {{...}}
    why: str
    instead: str | None = None  # negative examples: the label it gets instead (None: not annotated)
    event_type: str | None = None

    @property
    def span(self) -> str:
        return SPAN.search(self.text).group(1)

    @property
    def plain(self) -> str:
        """The sentence without the marks."""
        return CUE.sub(r"\1", SPAN.sub(r"\1", self.text))


@dataclass(frozen=True)
class Label:
    label: str
    definition: str
    name: str | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # event types only
    positives: tuple[Example, ...] = ()  # constructed examples of the label
    negatives: tuple[Example, ...] = ()  # constructed look-alikes that are not the label


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
                positives, negatives = _parse_examples(item, ptr, shown, problems)
                parsed.append(Label(item["label"], item["definition"], item.get("name"),
                                    tuple(item.get("examples", ())),
                                    tuple(item.get("counter_examples", ())),
                                    tuple(item.get("roles", ())), positives, negatives))
            layers[layer] = tuple(parsed)
        if not problems:
            problems += _check_roles(layers, shown) + _check_examples(layers, shown)
        if problems:
            raise CorpusError(problems)
        return cls(version=str(data.get("inventory_version", "")), raw=data, **layers)


def _check_roles(layers: dict, shown: str) -> list[Problem]:
    roles = {r.label for r in layers["argument_roles"]}
    return [Problem(shown, f"/event_types/{i}/roles", "inventory", "role is not in argument_roles", role)
            for i, ev in enumerate(layers["event_types"]) for role in ev.roles if role not in roles]


def _parse_examples(item: dict, ptr: str, shown: str, problems: list) -> tuple[tuple, tuple]:
    """The label's constructed examples (positive, negative); problems of form appended."""
    block = item.get("constructed_examples")
    if block is None:
        return (), ()
    ptr += "/constructed_examples"
    if not isinstance(block, dict) or set(block) - {"positive", "negative"} \
            or not all(isinstance(block.get(side, []), list) for side in ("positive", "negative")):
        problems.append(Problem(shown, ptr, "inventory",
                                "constructed_examples must be an object with the lists positive and negative"))
        return (), ()
    out = []
    for side in ("positive", "negative"):
        parsed = []
        for j, ex in enumerate(block.get(side, [])):
            problem = _example_problem(ex, side, shown, f"{ptr}/{side}/{j}")
            if problem:
                problems.append(problem)
                continue
            parsed.append(Example(ex["text"], ex["why"], ex.get("instead"), ex.get("event_type")))
        out.append(tuple(parsed))
    return out[0], out[1]


def _example_problem(ex, side: str, shown: str, ptr: str) -> Problem | None:
    """What is wrong with the form of one constructed example, or None."""
    if not isinstance(ex, dict) or set(ex) - EXAMPLE_KEYS \
            or not all(isinstance(ex.get(k), str) and ex[k].strip() for k in ("text", "why")):
        return Problem(shown, ptr, "inventory",
                       "an example needs a text and a why (keys: text, why, instead, event_type)")
    text = ex["text"]
    spans, cues = SPAN.findall(text), CUE.findall(text)
    if len(spans) != 1 or text.count("[[") != 1 or text.count("]]") != 1:
        return Problem(shown, ptr, "inventory", "an example marks exactly one span with [[...]]")
    if len(cues) > 1 or text.count("{{") != len(cues) or text.count("}}") != len(cues):
        return Problem(shown, ptr, "inventory", "an example marks at most one trigger or cue with double braces")
    if any(m != m.strip() for m in spans + cues):
        return Problem(shown, ptr, "inventory", "a marked span has no outer whitespace")
    if side == "positive" and "instead" in ex:
        return Problem(shown, ptr, "inventory", "only a negative example names the label it gets instead")
    return None


def _check_examples(layers: dict, shown: str) -> list[Problem]:
    """Labels named by constructed examples (``instead``, ``event_type``) are defined, and
    an argument role's examples mark the trigger and name an event type that allows it."""
    events = {ev.label: ev.roles for ev in layers["event_types"]}
    problems = []
    for layer, items in layers.items():
        labels = {x.label for x in items}
        for i, item in enumerate(items):
            for side, examples in (("positive", item.positives), ("negative", item.negatives)):
                for j, ex in enumerate(examples):
                    ptr = f"/{layer}/{i}/constructed_examples/{side}/{j}"
                    if ex.instead is not None and (ex.instead not in labels or ex.instead == item.label):
                        problems.append(Problem(shown, ptr, "inventory",
                                                "instead must be another label of the same layer", ex.instead))
                    if ex.event_type is not None and (layer not in ("argument_roles", "realis", "polarity")
                                                      or ex.event_type not in events):
                        problems.append(Problem(shown, ptr, "inventory",
                                                "event_type must be an event type, on a role, realis or "
                                                "polarity example", ex.event_type))
                    if layer == "argument_roles":
                        problems += _role_example(ex, side, item.label, events, shown, ptr)
    return problems


def _role_example(ex: Example, side: str, role: str, events: dict, shown: str, ptr: str) -> list[Problem]:
    if not CUE.search(ex.text) or ex.event_type is None:
        return [Problem(shown, ptr, "inventory", "an argument role's example marks the trigger "
                        "with double braces and names its event_type")]
    wanted = role if side == "positive" else ex.instead
    if ex.event_type in events and wanted is not None and wanted not in events[ex.event_type]:
        return [Problem(shown, ptr, "inventory", "the event type does not allow this role", wanted)]
    return []


def load_inventory(path: Path, shown: str | None = None) -> Inventory:
    shown = shown or str(path)
    return Inventory.from_dict(read_json(path, shown), shown)
