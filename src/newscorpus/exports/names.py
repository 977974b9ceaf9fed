"""Names the exports wing's modules share: the brat type, attribute and relation names
generated from the label inventory, and the note that carries ids and provenance."""
from __future__ import annotations

import re
from dataclasses import dataclass

from newscorpus.rules.inventory import Inventory

QUOTE, CUE = "Quote", "Cue"
SPEAKER, CUE_REL, COREF = "Speaker", "QuoteCue", "Coref"
KIND, REALIS, POLARITY, QUOTE_KIND = "MentionKind", "Realis", "Polarity", "QuoteKind"
NOTES = "AnnotatorNotes"
NOTE_PREFIX = "newscorpus "  # an AnnotatorNotes text that carries ids and provenance as JSON
TEXT_ENCODING = "utf-8"


def brat_name(label: str) -> str:
    """A label as a brat type name: letters, digits, '_' and '-' ('.' becomes '-')."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", label)


@dataclass(frozen=True)
class BratNames:
    """The brat names of the inventory's labels, both ways."""
    mention_types: dict[str, str]  # brat name -> entity type label
    event_types: dict[str, str]  # brat name -> event type label
    roles: dict[str, str]  # brat role name -> argument role label
    inventory: Inventory

    @classmethod
    def of(cls, inventory: Inventory) -> "BratNames":
        return cls({brat_name(x): x for x in inventory.labels("entity_types")},
                   {brat_name(x): x for x in inventory.labels("event_types")},
                   {brat_name(x): x for x in inventory.labels("argument_roles")}, inventory)

    def mention(self, label: str) -> str:
        return brat_name(label)

    def event(self, label: str) -> str:
        return brat_name(label)

    def attribute_values(self) -> dict[str, list[str]]:
        inv = self.inventory
        return {KIND: inv.labels("mention_kinds"), REALIS: inv.labels("realis"),
                POLARITY: inv.labels("polarity"), QUOTE_KIND: inv.labels("quote_kinds")}
