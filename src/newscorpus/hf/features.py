"""The names and declared features of the dataset's configs, built from the label
inventory: what the build writes and what the card declares."""
from __future__ import annotations

from newscorpus.rules.inventory import Inventory

CONFIGS = ("documents", "entities", "events", "quotes", "ner")
SPLIT_ORDER = ("train", "validation", "test")
SHARD = "{split}-00000-of-00001.parquet"


# --- features ----------------------------------------------------------------------------

def _span():
    from datasets import Value
    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def bio_names(inventory: Inventory) -> list[str]:
    names = ["O"]
    for label in inventory.labels("entity_types"):
        names += [f"B-{label}", f"I-{label}"]
    return names


def features_for(config: str, inventory: Inventory):
    """The declared ``datasets.Features`` of a config."""
    from datasets import ClassLabel, Features, List, Value

    def cl(layer):
        return ClassLabel(names=inventory.labels(layer))

    s, i32 = Value("string"), Value("int32")
    if config == "documents":
        return Features({
            "id": s, "text": s, "text_sha256": s, "language": s, "annotation_version": s,
            "metadata": {"title": s, "outlet": s, "author": s, "published": s, "url": s, "notes": List(s)},
            "source": {"seed_file": s, "seed_sha256": s, "note": s},
            "license": {"text": s, "note": s},
            "paragraphs": List({"start": i32, "end": i32}),
            "sentences": List({"start": i32, "end": i32}),
        })
    if config == "entities":
        return Features({
            "document_id": s, "text": s,
            "mentions": List({"id": s, "start": i32, "end": i32, "text": s, "type": cl("entity_types"),
                              "kind": cl("mention_kinds"), "entity_id": s}),
            "entities": List({"id": s, "type": cl("entity_types"), "name": s, "mention_ids": List(s)}),
        })
    if config == "events":
        return Features({
            "document_id": s, "text": s,
            "events": List({
                "id": s, "type": cl("event_types"), "trigger": _span(),
                "realis": cl("realis"), "polarity": cl("polarity"),
                "arguments": List({"role": cl("argument_roles"), "mention_id": s, "entity_id": s,
                                   "start": i32, "end": i32, "text": s}),
            }),
        })
    if config == "quotes":
        return Features({
            "document_id": s, "text": s,
            "quotes": List({
                "id": s, "kind": cl("quote_kinds"), "content": _span(), "cue": _span(),
                "speaker_mention_id": s, "speaker": _span(), "speaker_entity_id": s, "speaker_name": s,
            }),
        })
    if config == "ner":
        return Features({
            "id": s, "document_id": s, "sentence_index": i32, "start": i32, "end": i32, "text": s,
            "tokens": List(s), "token_starts": List(i32), "token_ends": List(i32),
            "ner_tags": List(ClassLabel(names=bio_names(inventory))),
        })
    raise ValueError(config)
