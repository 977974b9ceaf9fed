"""The label tables of docs/guidelines.md, generated from the inventory between the
markers ``<!-- BEGIN GENERATED: inventory -->`` and ``<!-- END GENERATED: inventory -->``."""
from __future__ import annotations

from newscorpus.rules.inventory import Example, Inventory

BEGIN = "<!-- BEGIN GENERATED: inventory -->"
END = "<!-- END GENERATED: inventory -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _examples(items) -> str:
    return "; ".join(f"`{_cell(x)}`" for x in items) if items else "—"


def inventory_markdown(inventory: Inventory) -> str:
    out = ["## Label inventory", "",
           f"Generated from `schema/inventory.json` (inventory version {inventory.version}). "
           "The examples in the tables are taken from the seed article; every label also has "
           "constructed examples from other domains, positive and negative, listed after the "
           "tables ([constructed examples](#constructed-examples)).", ""]
    out += ["### Entity types", "", "| Label | Name | Definition | Examples | Not this label |",
            "|---|---|---|---|---|"]
    for e in inventory.entity_types:
        out.append(f"| `{e.label}` | {_cell(e.name or '')} | {_cell(e.definition)} | "
                   f"{_examples(e.examples)} | {_examples(e.counter_examples)} |")
    out += ["", "### Mention kinds", "", "| Label | Definition |", "|---|---|"]
    out += [f"| `{k.label}` | {_cell(k.definition)} |" for k in inventory.mention_kinds]
    out += ["", "### Event types and their argument roles", "",
            "| Label | Name | Definition | Allowed roles | Examples (trigger in context) | Not this label |",
            "|---|---|---|---|---|---|"]
    for v in inventory.event_types:
        out.append(f"| `{v.label}` | {_cell(v.name or '')} | {_cell(v.definition)} | "
                   f"{', '.join(f'`{r}`' for r in v.roles)} | {_examples(v.examples)} | "
                   f"{_examples(v.counter_examples)} |")
    out += ["", "### Argument roles", "", "| Role | Definition |", "|---|---|"]
    out += [f"| `{r.label}` | {_cell(r.definition)} |" for r in inventory.argument_roles]
    for title, layer in (("Realis", "realis"), ("Polarity", "polarity"), ("Quote kinds", "quote_kinds")):
        out += ["", f"### {title}", "", "| Label | Definition |", "|---|---|"]
        out += [f"| `{x.label}` | {_cell(x.definition)} |" for x in getattr(inventory, layer)]
    return "\n".join(out + ["", examples_markdown(inventory)])


LAYER_TITLES = (("Entity types", "entity_types"), ("Mention kinds", "mention_kinds"),
                ("Event types", "event_types"), ("Argument roles", "argument_roles"),
                ("Realis", "realis"), ("Polarity", "polarity"), ("Quote kinds", "quote_kinds"))


def _example_line(mark: str, ex: Example, unlabelled: str = "not annotated") -> str:
    event = f" [`{ex.event_type}`]" if ex.event_type else ""
    instead = ""
    if mark == "✗":
        instead = f" → `{ex.instead}`" if ex.instead else f" → {unlabelled}"
    return f"  * {mark} (constructed) `{ex.text}`{event}{instead}: {ex.why}"


def examples_markdown(inventory: Inventory) -> str:
    """The constructed examples of every label, layer by layer, in inventory order."""
    out = ["### Constructed examples", "",
           "Each label has at least one positive (✓) and one negative (✗) example that is not "
           "taken from the seed article; all of them are constructed (news register, several "
           "domains). `[[…]]` marks the span the label is about (the mention, the trigger, the "
           "argument or the quote content); `{{…}}` marks the event trigger of an argument role's "
           "example, or a quote's cue. A negative example is a look-alike that is not annotated "
           "with the label: `→` gives the label of the same layer it gets instead, or says it is "
           "not annotated (for an argument role: not linked to the trigger, although the mention "
           "may be annotated). `[Type]` is the event type of the trigger."]
    for title, layer in LAYER_TITLES:
        out += ["", f"#### {title}", ""]
        for item in getattr(inventory, layer):
            out.append(f"* `{item.label}`")
            out += [_example_line("✓", ex) for ex in item.positives]
            unlabelled = "not linked" if layer == "argument_roles" else "not annotated"
            out += [_example_line("✗", ex, unlabelled) for ex in item.negatives]
    return "\n".join(out)


def replace_block(current: str, begin: str, end: str, body: str) -> str:
    """``current`` with the text between the markers ``begin`` and ``end`` replaced by
    ``body`` (the block appended if the markers are missing)."""
    block = f"{begin}\n{body}\n{end}"
    if begin in current and end in current:
        head, _, rest = current.partition(begin)
        _, _, tail = rest.partition(end)
        return head + block + tail
    return current.rstrip("\n") + "\n\n" + block + "\n"


def render_guidelines(current: str, inventory: Inventory) -> str:
    """``current`` with the generated block replaced (appended if the markers are missing)."""
    return replace_block(current, BEGIN, END, inventory_markdown(inventory))
