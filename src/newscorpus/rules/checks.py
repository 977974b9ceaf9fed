"""The registry of named checks: every problem the package reports carries the name of
one row of ``CHECKS`` (its name, level, scope, what it checks and the templates of its
messages). ``docs/checks.md`` is generated from this table, between the markers
``<!-- BEGIN GENERATED: checks -->`` and ``<!-- END GENERATED: checks -->``; rewrite it
with ``python -m newscorpus.rules.checks --write``.

A name built at run time (``schema-<keyword>`` from a JSON Schema error, for example)
goes through ``registered(name)``, which refuses a name without a row; the tests check
every name written literally in the package against this table.

Scopes: ``file`` and ``repository`` are the checks of ``newscorpus validate``; each has
a fixture that triggers exactly that check (``tests/fixtures/invalid/<check>.json`` for
``file``, ``tests/fixtures/invalid-repos/<check>/`` for ``repository``). The other
scopes are reported by the commands they belong to."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

LEVELS = ("error", "warning")

# scope -> (title, what the scope covers)
SCOPES: dict[str, tuple[str, str]] = {
    "file": (
        "Annotation files",
        "Checks of one annotation file. `newscorpus validate` runs them on every annotation file "
        "of the repository (the draft, each release against its own inventory snapshot, the "
        "annotation passes) and on the files given as arguments; `labelstudio import` runs them "
        "on what it would write. Fixture: `tests/fixtures/invalid/<check>.json`."),
    "repository": (
        "The repository",
        "Checks that need the repository around a file: document records and their seeds, file "
        "and folder names, the releases and their checksums, the inventory and the files "
        "generated from it. Run by `newscorpus validate` (and before `release`, `build`, `stats`, "
        "`diff`, `agreement`). Fixture: `tests/fixtures/invalid-repos/<check>/`."),
    "command": (
        "Commands",
        "Reported by a command when its arguments or the state of the repository do not allow "
        "it: finding the corpus root, versions, the draft, releasing, adding a document."),
    "labelstudio": (
        "Label Studio",
        "Reported by `newscorpus labelstudio import`, `push` and `pull`. An import writes "
        "nothing unless all checks pass, these and every annotation-file check; each problem "
        "names the task and the annotation (`task T, annotation A: ...`)."),
    "exports": (
        "Other formats",
        "Reported by `newscorpus convert --from brat` (reading a folder of brat `.txt`/`.ann` files "
        "back into the draft or a folder). Nothing is written unless every file is clean and every "
        "annotation set passes the annotation-file checks; each problem names the file and line."),
    "huggingface": (
        "Hugging Face build and publish",
        "Reported by `newscorpus build` (the CITATION.cff it copies into the dataset) and "
        "`newscorpus publish`."),
}
VALIDATOR_SCOPES = ("file", "repository")


@dataclass(frozen=True)
class Check:
    name: str
    scope: str
    what: str
    messages: tuple[str, ...]  # templates: {placeholders} stand for the parts that vary
    level: str = "error"


def _c(name: str, scope: str, what: str, *messages: str, level: str = "error") -> Check:
    return Check(name, scope, what, tuple(messages), level)


# JSON Schema keywords whose failure is reported as schema-<keyword> (the generated
# annotation and document schemas) or cff-<keyword> (CITATION.cff against the vendored
# Citation File Format schema): keyword -> (what fails, jsonschema's message templates)
KEYWORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "additionalProperties": ("a property the schema does not define",
                             ("Additional properties are not allowed ({property} was unexpected)",)),
    "anyOf": ("a value that fits none of the allowed alternatives",
              ("{value} is not valid under any of the given schemas",)),
    "const": ("a value other than the one fixed value", ("{value} was expected",)),
    "enum": ("a value outside the allowed list", ("{value} is not one of {values}",)),
    "format": ("a string not in its format (date, URI, e-mail address, ...)",
               ("{value} is not a {format}",)),
    "maxLength": ("a string longer than allowed", ("{value} is too long",)),
    "maximum": ("a number above its maximum", ("{value} is greater than the maximum of {maximum}",)),
    "minItems": ("a list shorter than allowed", ("{value} should be non-empty", "{value} is too short")),
    "minLength": ("a string shorter than allowed (an empty string)",
                  ("{value} should be non-empty", "{value} is too short")),
    "minimum": ("a number below its minimum (a negative offset)",
                ("{value} is less than the minimum of {minimum}",)),
    "oneOf": ("a value that fits not exactly one of the alternatives",
              ("{value} is not valid under any of the given schemas", "{value} is valid under each of {schemas}")),
    "pattern": ("a string that does not match its pattern (ids, sha256 digests, versions, language tags)",
                ("{value} does not match {pattern}",)),
    "required": ("a required property is missing", ("{property} is a required property",)),
    "type": ("a value of the wrong JSON type", ("{value} is not of type {type}",)),
    "uniqueItems": ("a list with repeated items", ("{value} has non-unique elements",)),
}
# the keywords the generated schemas can fail (``enum`` on a label field is reported as
# unknown-label; a document's split is the one enum that is not a label)
SCHEMA_KEYWORDS = ("additionalProperties", "anyOf", "const", "enum", "minLength", "minimum",
                   "pattern", "required", "type")
# the keywords of schema/vendor/citation-file-format-1.2.0.schema.json
CFF_KEYWORDS = ("additionalProperties", "anyOf", "enum", "format", "maxLength", "maximum", "minItems",
                "minLength", "minimum", "oneOf", "pattern", "required", "type", "uniqueItems")
SCHEMA_SCOPE = {"enum": "repository"}  # only a document record has a non-label enum


def _schema_check(keyword: str) -> Check:
    what, messages = KEYWORDS[keyword]
    if keyword == "type":  # the validator words this one itself
        messages = ("expected {type}, found {Python type}",)
    record = "a document record" if keyword == "enum" else "an annotation file or a document record"
    return Check(f"schema-{keyword}", SCHEMA_SCOPE.get(keyword, "file"),
                 f"the JSON Schema of {record} fails on `{keyword}`: {what}", messages)


def _cff_check(keyword: str) -> Check:
    what, messages = KEYWORDS[keyword]
    return Check(f"cff-{keyword}", "huggingface",
                 f"CITATION.cff fails the Citation File Format 1.2.0 schema on `{keyword}`: {what}",
                 messages)


CHECKS: tuple[Check, ...] = (
    # --- one annotation file -------------------------------------------------------------
    _c("json-syntax", "file", "the file is not valid JSON (line and column given)",
       "{json error}"),
    _c("json-truncated", "file", "the file ends before the JSON is complete (a cut download or write)",
       "file ends before the JSON is complete ({json error})"),
    _c("encoding", "file", "a file is not valid UTF-8, or a seed starts with a byte order mark",
       "file is not valid UTF-8", "seed is not valid UTF-8",
       "seed starts with a byte order mark; remove it first"),
    *(_schema_check(k) for k in SCHEMA_KEYWORDS),
    _c("unknown-label", "file", "an entity type, mention kind, event type, role, realis or polarity "
       "that is not in the label inventory", "{field} is not in the label inventory"),
    _c("offset-out-of-range", "file", "a span's offsets fall outside the document text",
       "span [{start}, {end}) ends past the end of the text (length {length})"),
    _c("span-empty-or-inverted", "file", "a span with start >= end",
       "start {start} must be smaller than end {end}"),
    _c("span-text-mismatch", "file", "a span's text differs from text[start:end] of the document",
       "text differs from text[{start}:{end}] = {actual text}"),
    _c("span-whitespace", "file", "a span starts or ends with whitespace",
       "span [{start}, {end}) starts or ends with whitespace"),
    _c("duplicate-id", "file", "an id used twice in one annotation file (ids are shared by all layers)",
       "id already used by an object in {layer}"),
    _c("dangling-reference", "file", "a reference (entity, argument, speaker) to an id that does not exist",
       "no object with this id (expected one in {layer})"),
    _c("reference-wrong-kind", "file", "a reference to an id of the wrong kind of object",
       "refers to an object in {layer}, expected one in {expected layer}"),
    _c("entity-type-mismatch", "file", "a mention's type differs from the type of its entity",
       "mention type {type} differs from its entity's type {entity type}"),
    _c("orphan-entity", "file", "an entity that no mention refers to", "no mention refers to this entity"),
    _c("role-not-allowed", "file", "an argument role that the event type does not allow",
       "{event type} allows only the roles {roles}"),
    _c("text-hash-mismatch", "file", "annotations made on another text than the document's current text "
       "(the document was re-added with a corrected text)",
       "the annotations were made on another text than the document's current text "
       "(document sha256 {sha256 prefix}...); re-anchor them before use"),
    _c("unknown-document", "file", "annotations for a document that is not in corpus/documents",
       "no document with this id in corpus/documents", "no such document in the corpus",
       "annotations for a document not in the corpus",
       "the gold version {version} does not annotate this document"),
    _c("personal-data", "file", "an e-mail address in an annotation's provenance (annotators are "
       "stored as pseudonyms, never by address or name)",
       "an e-mail address in the provenance: annotators are recorded as pseudonyms"),
    _c("json-depth", "file", "JSON nested deeper than the reader can follow (a corrupt or hostile file)",
       "JSON nested deeper than the reader allows (about {limit} levels)"),
    # --- the repository ------------------------------------------------------------------
    _c("file-missing", "repository", "a file that is needed does not exist (a file given to validate, "
       "a release's inventory snapshot, a seed, an annotation folder, CITATION.cff)",
       "no such {what}", "no such annotation folder", "no CITATION.cff"),
    _c("document-file-name", "repository", "an annotation file or document record whose file name is "
       "not <document id>.json", "file name must be {document id}.json"),
    _c("version-mismatch", "repository", "an annotation file's version field disagrees with its folder "
       "(draft, or the release's version)", "file in the {folder} folder says version {version}"),
    _c("document-hash-mismatch", "repository", "a document record's text_sha256 differs from the "
       "sha256 of its text", "sha256 of the text is {sha256}"),
    _c("seed-mismatch", "repository", "a document's seed file is missing, or differs from the recorded "
       "sha256 or from the document text", "seed file not found",
       "the seed file's sha256 differs from the recorded one", "the text differs from the seed file"),
    _c("structure-span", "repository", "a paragraph or sentence span of a document record out of order, "
       "out of range, empty or with outer whitespace",
       "span out of order, out of range, empty or with outer whitespace"),
    _c("release-modified", "repository", "a released version was changed: a file edited, added or "
       "removed, its manifest or its folder missing",
       "a released version's folder is missing", "the release's manifest is missing",
       "manifest checksum differs from the one recorded in {release index}",
       "a released file is missing",
       "released file was edited after release {version} (checksum differs from MANIFEST.json); "
       "released files are never edited: make corrections in the draft and release a new version",
       "file added to a released version"),
    _c("release-unlisted", "repository", "a release folder that the release index does not list",
       "release folder not listed in {release index}"),
    _c("adjudication-record", "repository", "a record of 'newscorpus adjudicate' "
       "(annotations/adjudication/<document>.json) that is malformed, names another or an unknown document, "
       "was made on another text, or holds an e-mail address",
       "not an adjudication record (format {format})",
       "the record must name its file's document, a document of the corpus",
       "the document text changed since the adjudication",
       "the record needs a non-empty list of decisions",
       "a decision needs decided, taken, passes, pass_sha256, draft_sha256 and an optional note",
       "an e-mail address in a decision: annotators are recorded as pseudonyms"),
    _c("pass-index", "repository", "annotations/passes.json (which guidelines each annotation pass was "
       "made from, and by whom) is malformed or names a pass folder or release that does not exist",
       "the index needs a list \"passes\"", "pass listed twice",
       "each pass needs name, guidelines, annotator and description (strings)", "unknown field",
       "annotator must be one of {annotators}", "no such folder under annotations/passes",
       "guidelines must be a released version or 'draft'"),
    _c("id-register", "repository", "annotations/ids.json (the highest id numbers handed out per document) "
       "is malformed or names a document that does not exist",
       "not an id register: {expected format}", "no document with this id in corpus/documents",
       "expected an object of id prefix -> number", "expected one of the prefixes {prefixes} with a number >= 0"),
    _c("release-index", "repository", "annotations/releases.json is malformed",
       "each release needs version, date and manifest_sha256",
       "not a release version (MAJOR.MINOR.PATCH)"),
    _c("inventory", "repository", "schema/inventory.json (or a release's snapshot of it) is malformed: "
       "a layer missing or empty, a label without definition, a duplicate label, an event role "
       "not among the argument roles, a role name that Label Studio reserves, a constructed example "
       "of the wrong form (one span in double brackets, at most one trigger or cue in double braces, "
       "a why) or naming an undefined label",
       "must be a JSON object", "must be a non-empty list", "needs a label and a definition",
       "duplicate label", "role is not in argument_roles",
       "these role names are reserved for Label Studio relations",
       "constructed_examples must be an object with the lists positive and negative",
       "an example needs a text and a why (keys: text, why, instead, event_type)",
       "an example marks exactly one span with [[...]]",
       "an example marks at most one trigger or cue with double braces",
       "a marked span has no outer whitespace",
       "only a negative example names the label it gets instead",
       "instead must be another label of the same layer",
       "event_type must be an event type, on a role, realis or polarity example",
       "an argument role's example marks the trigger with double braces and names its event_type",
       "the event type does not allow this role"),
    _c("schema-out-of-date", "repository", "schema/*.schema.json differ from the schemas generated from "
       "the inventory", "differs from the schema generated from schema/inventory.json; "
       "run 'newscorpus schema --write'", "run 'newscorpus schema --write'"),
    _c("guidelines-out-of-date", "repository", "the label tables generated into docs/guidelines.md "
       "differ from the inventory", "the generated label tables differ from schema/inventory.json; "
       "run 'newscorpus guidelines --write'", "run 'newscorpus guidelines --write'"),
    # --- commands ------------------------------------------------------------------------
    _c("corpus-root", "command", "no corpus root: the folder given (--root or $NEWSCORPUS_ROOT) has no "
       "schema/inventory.json, or none was found at or above the working directory",
       "not a corpus root (no schema/inventory.json)",
       "no corpus root found at or above the working directory (looked for schema/inventory.json); "
       "pass --root"),
    _c("version-format", "command", "a release version that is not MAJOR.MINOR.PATCH",
       "a release version is MAJOR.MINOR.PATCH (for example 1.0.0)", "not a version"),
    _c("unknown-version", "command", "a version that has not been released",
       "no such release (released: {versions})"),
    _c("no-release", "command", "'latest' asked for before the first release",
       "no release yet: create one with 'newscorpus release VERSION', or pass --version draft"),
    _c("draft-exists", "command", "draft init would replace a draft that has files (without --force), "
       "or draft start names a document that has a draft file",
       "the draft already has files; pass --force to replace them",
       "this document already has a draft annotation file"),
    _c("repository-locked", "command", "another command holds the repository lock for longer than "
       "NEWSCORPUS_LOCK_TIMEOUT seconds (default 60)",
       "the repository is locked by {holder}; try again when it has finished"),
    _c("lock-timeout-format", "command", "NEWSCORPUS_LOCK_TIMEOUT is not a number",
       "expected a number of seconds"),
    _c("id-format", "command", "a document id (from --id, a seed's file name or a JSONL row) that is not "
       "an identifier, or that would name a file outside its folder",
       "{what} must be letters, digits, '_', '.', '-' (starting with a letter or digit, at most 200 characters)",
       "{what} leaves its folder", "--id names one document: give exactly one seed file"),
    _c("not-a-file", "command", "a folder or a device where a file is expected, or a folder without seeds",
       "not a regular file (a folder or a device?)", "a folder with no seed files (*.txt) in it"),
    _c("seed-empty", "command", "a seed (or a JSONL text) that is empty or only whitespace",
       "the seed has no text", "the text is empty"),
    _c("seed-exists", "command", "a JSONL text whose seeds/<id>.txt exists with other content",
       "a different seed file of that name exists"),
    _c("jsonl-row", "command", "a line of a JSONL file of texts that is not an object with string id and "
       "text, or with metadata keys the document record does not have",
       "each line is an object with a string 'id' and 'text'", "metadata keys are {keys}"),
    _c("draft-empty", "command", "a release of a draft without annotation files",
       "the draft has no annotation files"),
    _c("version-not-higher", "command", "a release version not higher than the last release",
       "release {version} is not higher than the last release {last}"),
    _c("version-bump", "command", "a release version too small for the change: major when the inventory's "
       "labels or roles change, at least minor when its definitions change or annotations were added",
       "the label inventory changed since {last}: a major release is required",
       "the inventory's definitions changed since {last}: at least a minor release is required",
       "{count} annotations were added since {last}: a minor release is required"),
    _c("release-exists", "command", "a release folder for this version exists already",
       "this release already exists"),
    _c("date-format", "command", "a release date that is not YYYY-MM-DD, or an adjudication time that is not "
       "YYYY-MM-DDTHH:MM:SSZ", "expected YYYY-MM-DD", "expected YYYY-MM-DDTHH:MM:SSZ"),
    _c("changelog-message", "command", "a release without a changelog message",
       "a release needs a changelog message"),
    _c("agreement-sets", "command", "agreement asked for fewer than two annotation sets, or for a set that "
       "is no folder, annotation pass or version",
       "agreement needs at least two annotation sets; found {count}",
       "no folder, annotation pass or version of this name (passes: {passes})"),
    _c("adjudication-no-pass", "command", "adjudicate with a pass that does not exist or has no file for the "
       "document", "no annotation pass of this name (passes: {passes})",
       "the pass has no annotation file for this document"),
    _c("adjudication-draft-changed", "command", "adjudicate a document whose draft file has changes of its "
       "own (neither from the latest release nor from the last adjudication)",
       "the draft has {count} change(s) of its own since the latest release or the last adjudication, "
       "which taking a pass would lose: release them first, or pass --force"),
    _c("adjudication-mass-deletion", "command", "adjudicate with a pass that removes all, or more than half, "
       "of the draft's annotations of a document (without --allow-deletions)",
       "taking the pass removes {count} of the {total} annotations of the draft (more than half, or all); "
       "if this is meant, pass --allow-deletions"),
    _c("document-exists", "command", "add-document for a document already in the corpus (without --replace)",
       "document already in the corpus (its text and offsets are fixed)"),
    _c("seed-location", "command", "add-document for a seed file outside seeds/",
       "seed files must be inside {seeds folder}/"),
    # --- Label Studio --------------------------------------------------------------------
    _c("ls-format", "labelstudio", "not a Label Studio JSON export (a list of tasks with data and "
       "annotations), or a malformed result item",
       "not a Label Studio JSON export: expected a list of tasks, found {type}",
       "not a Label Studio JSON export: each task needs a data object (export with the JSON format, "
       "not JSON-MIN or CSV)",
       "{where}: the exported source annotations are missing or damaged",
       "{where}: no 'annotations' list (is this a Label Studio JSON export?)",
       "the annotation has no result list", "a result item must be an object",
       "a region needs a string id and a value object",
       "region {region} needs integer start and end and its text",
       "region {region}: {control} has no choices list",
       "task {task}: unknown view (expected one of {views})"),
    _c("ls-wrong-interface", "labelstudio", "a task, result or project not made with the generated "
       "labeling interface (another project, another labeling config, another inventory)",
       "task {task} was not exported by 'newscorpus labelstudio' (no data.newscorpus block of format "
       "{format}): an export from another project or labeling interface?",
       "{where}: exported with another label inventory (sha256 {old}..., now {new}...): push the tasks "
       "again",
       "result for control {control} on {object}: not a control of the generated labeling interface "
       "(export from another project or interface?)",
       "control {control} gives results of type {expected}, found {type}",
       "project {project} ({title}) does not use the labeling interface generated from "
       "schema/inventory.json: another project, or the inventory changed since the push"),
    _c("ls-unknown-document", "labelstudio", "a task for a document that is not in the corpus",
       "task {task}: no document with this id in corpus/documents"),
    _c("ls-duplicate-document", "labelstudio", "two tasks for the same view of a document, or a document's "
       "tasks not together in the export",
       "{where}: the export has a second task for this document (first: task {task})",
       "{where}: the tasks of this document are not together in the export (push again to make them so)"),
    _c("ls-text-changed", "labelstudio", "the document text changed since the task was exported",
       "{where}: the document text changed since the task was exported (corpus text sha256 {new}..., "
       "task {old}...); its offsets mean nothing on the new text: export and annotate again"),
    _c("ls-unknown-label", "labelstudio", "a label, attribute value or relation label outside the inventory",
       "region {region}: label not in the {control} labels of the inventory ({labels})",
       "region {region}: {control} value not in the inventory ({values})",
       "region {region}: {control} value is neither an entity of the task ('eN: name') nor '{new entity }N'",
       "relation {a} -> {b}: label not among the relations of the interface ({labels})"),
    _c("ls-missing-label", "labelstudio", "a region without exactly one label",
       "region {region} must have exactly one {control} label, found {labels}",
       "region {region} has attributes ({attributes}) but no label"),
    _c("ls-missing-attribute", "labelstudio", "a mention kind, realis, polarity or quote kind missing, "
       "given twice, or given to the wrong kind of region",
       "region {region} is a {kind} region and takes no {control}",
       "{kind} region {region} needs exactly one {control}, found {values}",
       "{kind} region {region} has {count} {control} values; give it one"),
    _c("ls-region-conflict", "labelstudio", "one region labelled in two layers",
       "region {region} is labelled twice ({control} and {other control}); one region holds one "
       "annotation: draw a second region"),
    _c("ls-dangling-relation", "labelstudio", "a relation to a region that does not exist",
       "relation {a} -> {b} refers to a region that is not in the annotation"),
    _c("ls-relation-invalid", "labelstudio", "a relation between regions it cannot link, a role relation "
       "without a role, or a second cue or speaker for one quote",
       "relation {a} -> {b} has several labels; give it one", "{relation} needs a role label",
       "{relation}: a {label} relation cannot link these regions (roles link an event trigger and a "
       "mention, speaker a quote and a mention, cue a quote and a cue, coref two mentions)",
       "{relation}: coreference is not a relation any more; give both mentions the same Entity in the "
       "entities view",
       "quote region {region} has {count} {name} relations ({targets}); a quote has one {name}"),
    _c("ls-orphan-cue", "labelstudio", "a cue region that no quote links to",
       "cue region {region} is linked to no quote: add a 'cue' relation from the quote content, "
       "or delete the region"),
    _c("ls-view-scope", "labelstudio", "a region in a view that does not edit its kind (an event in the "
       "entities view), or a mention added, changed or deleted in the events or quotes view",
       "{kind} region {region} in the {view} view: annotate {kind} regions in the {other} view",
       "mention region {region} was {added or changed} in the {view} view: mentions are added and changed "
       "in the {entities} view",
       "mention {mention} was deleted in the {view} view: mentions are deleted in the {entities} view"),
    _c("ls-view-mismatch", "labelstudio", "the view tasks of one document exported from different annotations",
       "{where}: the views of {document} were exported from different annotations ({version} and {other}); "
       "push again (pull what was annotated first)"),
    _c("url-format", "labelstudio", "a --url that is not http(s)://HOST[:PORT][/PATH]",
       "expected http://HOST[:PORT] or https://HOST[:PORT][/PATH], with no user, password, query or fragment"),
    _c("ls-mass-deletion", "labelstudio", "an annotation that removes all, or more than half, of a "
       "document's annotations, imported without --allow-deletions",
       "{where}: the annotation removes {removed} of the {total} annotations of {document} (more than "
       "half, or all); nothing is written; if this is meant, import again with --allow-deletions"),
    _c("ls-offset-mismatch", "labelstudio", "a region whose text is not at its offsets, read as code "
       "points, as UTF-16 code units or in whitespace-collapsed text (a region is never moved to where "
       "its text happens to occur)",
       "the region's text {text} is not at [{start}, {end}): {where}; it does not fit as UTF-16 offsets "
       "or with collapsed whitespace either, and a region is never moved to where its text happens to occur"),
    _c("ls-offset-ambiguous", "labelstudio", "a region whose offsets fit its text in more than one of "
       "those readings", "offsets fit the text in several readings: {spans}"),
    _c("ls-entity-type-conflict", "labelstudio", "mentions of different types linked into one entity",
       "coreference links mentions of different types into one entity ({detail}); give them one type, "
       "or choose another Entity (or remove the coref relation)"),
    _c("ls-draft-changed", "labelstudio", "the draft has changes of its own since the export (not from "
       "Label Studio) that the import would overwrite (--force replaces them)",
       "{where}: the draft file cannot be read, so its own changes cannot be checked; {hint}",
       "{where}: the draft has {count} change(s) against the exported {version} that are not in Label "
       "Studio and would be lost ({changes}{, ...}); {hint}"),
    _c("ls-no-token", "labelstudio", "no Label Studio access token in the environment",
       "set {variable} to your Label Studio access token (Account & Settings in Label Studio); it is "
       "read from the environment only"),
    _c("ls-connection", "labelstudio", "the Label Studio server cannot be reached",
       "{action}: cannot reach Label Studio ({error type}: {error}); is it running? (label-studio start)"),
    _c("ls-api", "labelstudio", "the Label Studio API answered with an error",
       "{action} failed: HTTP {status}{hint}"),
    _c("ls-no-project", "labelstudio", "pull from a project title that no project has",
       "no project titled {title}; push first, or pass --project-id"),
    _c("ls-project-ambiguous", "labelstudio", "several projects have the title",
       "{count} projects are titled {title} (ids {ids}); pass --project-id"),
    _c("spacy-model-missing", "labelstudio", "labelstudio suggest --spacy-model with a spaCy pipeline that is "
       "not installed", "no spaCy pipeline of this name or path is installed (install its package with pip, "
       "or give the folder of a saved pipeline): {error}"),
    _c("ls-push-conflict", "labelstudio", "a push would replace a task whose annotations differ from "
       "the export (without --force)",
       "document {document} has a task with annotations that differs from the export of {version}; "
       "pull the annotations first, or pass --force to replace the task (its annotations are deleted)"),
    # --- other formats (brat) ------------------------------------------------------------
    _c("output-in-repository", "exports", "convert --output (or --from brat --output) inside the "
       "repository's data folders (seeds, corpus, schema, annotations, docs) or its root",
       "the output is inside the repository's data; write to a folder of its own (for example build/<format>)"),
    _c("brat-format", "exports", "a malformed .ann line, an id defined twice, a discontinuous span, a "
       "damaged newscorpus note, a quote with two cues or speakers, a missing .txt",
       "not a brat standoff line: T, E, R, A, * or # lines as brat writes them",
       "id {id} is defined twice (first on line {line})",
       "discontinuous spans (several fragments) cannot be read into the corpus",
       "the note is not newscorpus JSON ({error})", "{relation id}: quote {quote} has a second {kind} relation",
       "no {file} next to the .ann"),
    _c("brat-unknown-type", "exports", "a type, role, relation or attribute value that annotation.conf "
       "(generated from the inventory) does not have",
       "type {type} is not in annotation.conf (generated from the inventory)",
       "role {role} is not in annotation.conf (generated from the inventory)",
       "relation {type} is not in annotation.conf (generated from the inventory)",
       "attribute {name} {value} is not in annotation.conf (generated from the inventory)"),
    _c("brat-offset-mismatch", "exports", "a span whose offsets fall outside the .txt, or whose text is "
       "not the text at its offsets (offsets are code points of the UTF-8 .txt)",
       "offsets [{start}, {end}) fall outside the text (length {length})",
       "text {text} differs from the text at [{start}, {end}) of the .txt: {actual}"),
    _c("brat-dangling-reference", "exports", "a reference to an id that is not there or not of the "
       "right kind; a trigger without event, a cue without quote",
       "{id} refers to {target}, which is not {expected} in this file",
       "{id} ({type}) belongs to no {owner}"),
    _c("brat-missing-attribute", "exports", "a mention without MentionKind, an event without Realis or "
       "Polarity, a quote without QuoteKind", "{what} {id} has no {attribute} attribute"),
    _c("brat-text-mismatch", "exports", "a .txt that differs from the document text in corpus/documents",
       "the .txt differs from the document text in corpus/documents (the offsets would mean nothing)"),
    _c("export-alignment", "exports", "a span of an export that does not fall on token boundaries "
       "(spaCy DocBin; cannot happen while tokens are cut at every mention boundary)",
       "span {start}-{end} does not fall on token boundaries"),
    # --- Hugging Face --------------------------------------------------------------------
    _c("cff-syntax", "huggingface", "CITATION.cff is not valid YAML", "{YAML error}"),
    *(_cff_check(k) for k in CFF_KEYWORDS),
    _c("not-a-build", "huggingface", "publish of a folder that 'newscorpus build' did not write",
       "no README.md: build the folder with 'newscorpus build' first", "the card has no YAML header",
       "the card does not say which annotation version it holds"),
    _c("publish-draft", "huggingface", "publish of a build of the draft (only releases are published)",
       "a build of the draft cannot be published: release a version first"),
    _c("repo-id", "huggingface", "a Hub repository id that is not OWNER/NAME (huggingface_hub's "
       "validate_repo_id)", "expected OWNER/NAME (letters, digits, '-', '_', '.')"),
    _c("output-not-a-build", "huggingface", "build --output names an existing folder that is not an "
       "earlier build (the build replaces its output)",
       "the output exists and is not an earlier build of the dataset; choose a new or empty folder"),
    _c("hub-api", "huggingface", "the Hub answered a publish with an HTTP error (the token never shown)",
       "could not {action} {repo}: HTTP {status}{hint}"),
    _c("hub-connection", "huggingface", "the Hub cannot be reached for a publish (network, HF_ENDPOINT, "
       "HF_HUB_OFFLINE)",
       "could not {action} {repo}: cannot reach the Hugging Face Hub (check the network, HF_ENDPOINT and HF_HUB_OFFLINE)"),
    _c("missing-token", "huggingface", "publish without HF_TOKEN",
       "set the HF_TOKEN environment variable to a token with write access"),
)
REGISTRY: dict[str, Check] = {c.name: c for c in CHECKS}


class UnknownCheck(ValueError):
    """A problem was given a check name that has no row in the registry."""


def registered(name: str) -> str:
    """``name`` if it is a registered check; a name built at run time goes through here."""
    if name not in REGISTRY:
        raise UnknownCheck(f"{name!r} is not a registered check (newscorpus.rules.checks.CHECKS)")
    return name


def validator_checks() -> list[Check]:
    """The checks of ``newscorpus validate``, each with its fixture."""
    return [c for c in CHECKS if c.scope in VALIDATOR_SCOPES]


# --- the generated documentation -----------------------------------------------------

BEGIN = "<!-- BEGIN GENERATED: checks -->"
END = "<!-- END GENERATED: checks -->"
DOC = "docs/checks.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def checks_markdown() -> str:
    out = [f"{len(CHECKS)} checks, generated from `src/newscorpus/rules/checks.py`. In a message template, "
           "`{...}` stands for the part that varies. Level `error`: the command exits with status 1."]
    for scope, (title, about) in SCOPES.items():
        rows = [c for c in CHECKS if c.scope == scope]
        out += ["", f"### {title} ({len(rows)})", "", about, "",
                "| Check | Level | What it checks | Message |", "|---|---|---|---|"]
        for c in rows:
            messages = "<br>".join(f"`{_cell(m)}`" for m in c.messages)
            out.append(f"| `{c.name}` | {c.level} | {_cell(c.what)} | {messages} |")
    return "\n".join(out)


def render_checks_doc(current: str) -> str:
    """``current`` with the generated block replaced (appended if the markers are missing)."""
    from newscorpus.rules.guidelines import replace_block

    return replace_block(current, BEGIN, END, checks_markdown())


def main(argv: list[str] | None = None) -> int:
    """Check (or --write) the generated table of docs/checks.md."""
    from newscorpus.errors import CorpusError
    from newscorpus.store.jsonio import atomic_write_text
    from newscorpus.store.paths import find_root

    parser = argparse.ArgumentParser(prog="python -m newscorpus.rules.checks", description=main.__doc__)
    parser.add_argument("--root", help="corpus root (default: as for newscorpus)")
    parser.add_argument("--write", action="store_true", help="rewrite the table")
    args = parser.parse_args(argv)
    try:
        path = find_root(args.root).root / DOC
    except CorpusError as exc:
        print(exc, file=sys.stderr)
        return 1
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    new = render_checks_doc(current)
    if new == current:
        print(f"{DOC} is up to date")
    elif args.write:
        atomic_write_text(path, new)
        print(f"wrote {DOC}")
    else:
        print(f"{DOC} is out of date: run 'python -m newscorpus.rules.checks --write'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
