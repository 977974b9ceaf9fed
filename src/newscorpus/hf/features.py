"""The names and declared features of the dataset's configs, built from the label
inventory: what the build writes and what the card declares."""
from __future__ import annotations

from newscorpus.rules.inventory import Inventory

BASE_CONFIGS = ("documents", "entities", "events", "quotes", "ner")
# the training views (hf/views.py): token spans on the shared tokenization
VIEW_CONFIGS = ("event_extraction", "quote_attribution", "coreference", "mentions_nested")
# other schemas (hf/bigbio.py): BigBIO's harmonized knowledge-base schema
SCHEMA_CONFIGS = ("bigbio_kb",)
CONFIGS = BASE_CONFIGS + VIEW_CONFIGS + SCHEMA_CONFIGS
DEFAULT_CONFIG = "entities"  # what load_dataset(path) loads without a config name
# what one row of each config is
ROW_UNIT = {"ner": "sentence", "event_extraction": "sentence", "mentions_nested": "sentence",
            "quote_attribution": "quote"}
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
    if config in VIEW_CONFIGS:
        return view_features(config, inventory)
    if config == "bigbio_kb":
        from newscorpus.hf.bigbio import bigbio_kb_features
        return bigbio_kb_features()
    raise ValueError(config)


def card_yaml_features(yaml_features):
    """A config's features as the card's YAML writes them: ``Features._to_yaml_list()``
    of datasets 5.x, with every list of a non-struct feature (tags, tokens, offsets)
    written ``sequence:`` instead of ``list:``. datasets 2.x reads ``list: <feature>`` as
    a plain Python list (``[ClassLabel(...)]``, no ``.feature``) and ``sequence:`` as
    ``Sequence(ClassLabel(...))``; 5.x reads both as ``List``. Lists of structs stay
    ``list:``: a ``sequence:`` of a struct is a struct of lists in both versions."""
    if isinstance(yaml_features, list):
        return [card_yaml_features(x) for x in yaml_features]
    if not isinstance(yaml_features, dict):
        return yaml_features
    out = {}
    for key, value in yaml_features.items():
        value = card_yaml_features(value)
        out["sequence" if key == "list" and not isinstance(value, list) else key] = value
    return out


def _tokens() -> dict:
    from datasets import List, Value

    return {"tokens": List(Value("string")), "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32"))}


def _tspan() -> dict:
    """A token span ``[start, end)`` with its character offsets and text."""
    from datasets import Value

    i32 = Value("int32")
    return {"start": i32, "end": i32, "char_start": i32, "char_end": i32, "text": Value("string")}


def view_features(config: str, inventory: Inventory):
    """The declared ``Features`` of the training views (see ``hf/views.py``)."""
    from datasets import ClassLabel, Features, List, Value

    def cl(layer):
        return ClassLabel(names=inventory.labels(layer))

    s, i32 = Value("string"), Value("int32")
    sentence = {"id": s, "document_id": s, "sentence_index": i32, "start": i32, "end": i32, "text": s}
    if config == "event_extraction":
        return Features(sentence | _tokens() | {
            "triggers": List({"event_id": s, **_tspan(), "type": cl("event_types"), "realis": cl("realis"),
                              "polarity": cl("polarity")}),
            "arguments": List({"trigger_index": i32, "role": cl("argument_roles"), **_tspan(),
                               "mention_id": s, "entity_id": s}),
        })
    if config == "mentions_nested":
        return Features(sentence | _tokens() | {
            "mentions": List({"mention_id": s, **_tspan(), "type": cl("entity_types"),
                              "kind": cl("mention_kinds"), "entity_id": s}),
        })
    if config == "coreference":
        return Features({"document_id": s, **_tokens(), "sentences": List({"start": i32, "end": i32}),
                         "clusters": List({"entity_id": s, "type": cl("entity_types"), "name": s,
                                           "singleton": Value("bool"),
                                           "mentions": List({"mention_id": s, **_tspan()})})})
    return Features({
        "id": s, "document_id": s, "quote_id": s, "kind": cl("quote_kinds"),
        "context_start": i32, "context_end": i32, "context": s, **_tokens(),
        "content": _tspan(), "cue": _tspan(), "speaker": _tspan(),
        "speaker_mention_id": s, "speaker_entity_id": s, "speaker_entity_type": cl("entity_types"),
        "speaker_name": s, "speaker_in_context": Value("bool"),
    })
