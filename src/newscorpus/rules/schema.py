"""The JSON Schemas (Draft 2020-12) of the document record and of an annotation file,
generated from the label inventory so that their enums never drift from it.

``schema/*.schema.json`` are the generated files, committed for readers and other
tools; ``newscorpus schema --write`` regenerates them and ``validate`` fails with
``schema-out-of-date`` when they differ from what the inventory gives."""
from __future__ import annotations

from jsonschema import Draft202012Validator

from newscorpus.rules.inventory import Inventory
from newscorpus.store.paths import ID_CHARS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_VERSION = "1.0"
# Each pattern ends in "$(?!\n)": Python's "$" (used by jsonschema) also matches before
# a final newline, so "1.0.0\n" would pass a bare "$" (an ECMA-262 "$" would not).
END = r"$(?!\n)"
ID_PATTERN = "^" + ID_CHARS + END
SEMVER_PATTERN = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)" + END
SHA256_PATTERN = "^[0-9a-f]{64}" + END


def _enum(inventory: Inventory, layer: str, description: str) -> dict:
    return {"description": description, "enum": inventory.labels(layer)}


def _span(description: str) -> dict:
    return {
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": ["start", "end", "text"],
        "properties": {
            "start": {"description": "Offset of the first character, in Unicode code points (Python str index).",
                      "type": "integer", "minimum": 0},
            "end": {"description": "Offset just after the last character (exclusive), in Unicode code points.",
                    "type": "integer", "minimum": 0},
            "text": {"description": "The covered text; must equal text[start:end] of the document.",
                     "type": "string", "minLength": 1},
        },
    }


def _id(description: str) -> dict:
    return {"description": description, "type": "string", "pattern": ID_PATTERN}


PROVENANCE = {
    "description": "Who or what made this annotation, when, and in which released version it was introduced and last changed.",
    "type": "object",
    "additionalProperties": False,
    "required": ["annotator", "tool", "created", "introduced_in", "changed_in"],
    "properties": {
        "annotator": {"description": "The person, pass or process that made or last edited the annotation.",
                      "type": "string", "minLength": 1},
        "tool": {"description": "The tool or method used (for example 'manual pass (LLM annotator)', 'adjudication', 'Label Studio').",
                 "type": ["string", "null"]},
        "created": {"description": "When the annotation was made or last edited (ISO 8601, UTC).",
                    "type": ["string", "null"]},
        "introduced_in": {"description": "The release that first contained the annotation; null until it is released.",
                          "type": ["string", "null"], "pattern": SEMVER_PATTERN},
        "changed_in": {"description": "The release in which the annotation last changed; null until it is released.",
                       "type": ["string", "null"], "pattern": SEMVER_PATTERN},
    },
}


def annotation_schema(inventory: Inventory) -> dict:
    """The schema of one annotation file: one document at one version."""
    return {
        "$schema": DRAFT,
        "$id": "urn:newscorpus:schema:annotation",
        "title": "Annotation file",
        "description": "Standoff span annotations (entity mentions, entities, events, quotes) of one document at one annotation version. Offsets are Unicode code point indices into the document text, end exclusive.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "document_id", "text_sha256", "version",
                     "entities", "mentions", "events", "quotes"],
        "properties": {
            "schema_version": {"description": "Version of this annotation schema.", "const": SCHEMA_VERSION},
            "document_id": _id("Id of the annotated document (corpus/documents/<id>.json)."),
            "text_sha256": {"description": "sha256 (hex) of the UTF-8 document text the annotations were made on.",
                            "type": "string", "pattern": SHA256_PATTERN},
            "version": {"description": "The annotation version: a released semantic version, or 'draft'.",
                        "type": "string", "anyOf": [{"const": "draft"}, {"pattern": SEMVER_PATTERN}]},
            "entities": {
                "description": "Entities: coreference clusters of mentions.",
                "type": "array",
                "items": {
                    "description": "One entity (coreference cluster).",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "type", "name", "provenance"],
                    "properties": {
                        "id": _id("Stable id of the entity, unique in the file."),
                        "type": _enum(inventory, "entity_types", "Entity type (equal to the type of each of its mentions)."),
                        "name": {"description": "Canonical name: the most complete name mention, or the most informative nominal.",
                                 "type": "string", "minLength": 1},
                        "provenance": PROVENANCE,
                    },
                },
            },
            "mentions": {
                "description": "Entity mentions; they may nest.",
                "type": "array",
                "items": {
                    "description": "One entity mention.",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "start", "end", "text", "type", "kind", "entity", "provenance"],
                    "properties": {
                        "id": _id("Stable id of the mention, unique in the file."),
                        "start": _span("")["properties"]["start"],
                        "end": _span("")["properties"]["end"],
                        "text": _span("")["properties"]["text"],
                        "type": _enum(inventory, "entity_types", "Entity type of the mention."),
                        "kind": _enum(inventory, "mention_kinds", "Mention kind: name, nominal or pronoun."),
                        "entity": _id("Id of the entity (coreference cluster) the mention refers to."),
                        "provenance": PROVENANCE,
                    },
                },
            },
            "events": {
                "description": "Event mentions.",
                "type": "array",
                "items": {
                    "description": "One event mention.",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "type", "trigger", "arguments", "realis", "polarity", "provenance"],
                    "properties": {
                        "id": _id("Stable id of the event, unique in the file."),
                        "type": _enum(inventory, "event_types", "Event type."),
                        "trigger": _span("The minimal word or expression that expresses the event."),
                        "arguments": {
                            "description": "Arguments: entity mentions with the role they play.",
                            "type": "array",
                            "items": {
                                "description": "One argument.",
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["role", "mention"],
                                "properties": {
                                    "role": _enum(inventory, "argument_roles", "Argument role; must be allowed for the event type."),
                                    "mention": _id("Id of the entity mention filling the role."),
                                },
                            },
                        },
                        "realis": _enum(inventory, "realis", "Whether the event actually happened, is generic, or other."),
                        "polarity": _enum(inventory, "polarity", "Whether the event is asserted or negated."),
                        "provenance": PROVENANCE,
                    },
                },
            },
            "quotes": {
                "description": "Quotes: reported speech, direct or indirect.",
                "type": "array",
                "items": {
                    "description": "One quote segment.",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "kind", "content", "cue", "speaker", "provenance"],
                    "properties": {
                        "id": _id("Stable id of the quote, unique in the file."),
                        "kind": _enum(inventory, "quote_kinds", "Quote kind."),
                        "content": _span("The quoted or reported content (inside the quotation marks for direct, partial and scare quotes)."),
                        "cue": {"description": "The speech verb or attributing expression, if any.",
                                "anyOf": [{"type": "null"}, _span("The cue span.")]},
                        "speaker": {"description": "Id of the entity mention of the speaker, if the text names one; the speaker entity follows from it.",
                                    "anyOf": [{"type": "null"}, _id("A mention id.")]},
                        "provenance": PROVENANCE,
                    },
                },
            },
        },
    }


def document_schema(inventory: Inventory) -> dict:
    """The schema of a document record in ``corpus/documents``."""
    structural = {
        "description": "Structural spans, in document order.",
        "type": "array",
        "items": {
            "description": "One structural span.",
            "type": "object",
            "additionalProperties": False,
            "required": ["start", "end"],
            "properties": {
                "start": {"description": "First character (code point offset).", "type": "integer", "minimum": 0},
                "end": {"description": "End offset, exclusive.", "type": "integer", "minimum": 0},
            },
        },
    }
    nullable_str = {"type": ["string", "null"]}
    return {
        "$schema": DRAFT,
        "$id": "urn:newscorpus:schema:document",
        "title": "Document record",
        "description": "One document of the corpus: its text exactly as in the seed file, provenance, metadata the text supports, and paragraph and sentence spans.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema_version", "id", "text", "text_sha256", "language", "source",
                     "license", "metadata", "split", "paragraphs", "sentences"],
        "properties": {
            "schema_version": {"description": "Version of this document schema.", "const": SCHEMA_VERSION},
            "id": {"description": "Stable document id (the seed file name without extension).",
                   "type": "string", "pattern": ID_PATTERN},
            "text": {"description": "The document text, byte for byte as in the seed file (no normalisation).", "type": "string"},
            "text_sha256": {"description": "sha256 (hex) of the text encoded as UTF-8.", "type": "string", "pattern": SHA256_PATTERN},
            "language": {"description": "BCP 47 language tag of the text.", "type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*" + END},
            "source": {
                "description": "Where the text came from.",
                "type": "object",
                "additionalProperties": False,
                "required": ["seed_file", "seed_sha256", "note"],
                "properties": {
                    "seed_file": {"description": "Path of the seed file, relative to the repository root.", "type": "string"},
                    "seed_sha256": {"description": "sha256 (hex) of the seed file's bytes.", "type": "string", "pattern": SHA256_PATTERN},
                    "note": {"description": "What is known about the origin of the text.", **nullable_str},
                },
            },
            "license": {
                "description": "Licence of the text, if known.",
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "note"],
                "properties": {
                    "text": {"description": "SPDX id of the text's licence, or null when unknown.", **nullable_str},
                    "note": {"description": "Why the licence is what it is, or why it is unknown.", **nullable_str},
                },
            },
            "metadata": {
                "description": "Bibliographic metadata, only what the article itself supports; unknown values are null.",
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "outlet", "author", "published", "url", "notes"],
                "properties": {
                    "title": {"description": "Headline, if the text has one.", **nullable_str},
                    "outlet": {"description": "Publishing outlet, if the text says.", **nullable_str},
                    "author": {"description": "Author, if the text says.", **nullable_str},
                    "published": {"description": "Publication date (ISO 8601), if the text says.", **nullable_str},
                    "url": {"description": "Source URL, if known.", **nullable_str},
                    "notes": {"description": "Why a field is empty, and anything else a reader must know.",
                              "type": "array", "items": {"description": "One note.", "type": "string"}},
                },
            },
            "split": {"description": "Dataset split, assigned once from a hash of the id (never moves).",
                      "enum": ["train", "validation", "test"]},
            "paragraphs": {**structural, "description": "Paragraph spans (the text between newlines, without them)."},
            "sentences": {**structural, "description": "Sentence spans, inside paragraphs, without outer whitespace."},
        },
    }


def check_metaschema(schema: dict) -> None:
    """Raise jsonschema.SchemaError if ``schema`` is not a valid Draft 2020-12 schema."""
    Draft202012Validator.check_schema(schema)
