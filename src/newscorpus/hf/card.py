"""The dataset card (README.md of the build) and its CITATION.cff, generated from the
inventory, the statistics, the agreement figures, the changelog and CITATION.cff.
Nothing here depends on the clock: the same inputs give the same card."""
from __future__ import annotations

from pathlib import Path

from newscorpus.rules.inventory import Inventory
from newscorpus.store.paths import Layout

PRETTY_NAME = "newscorpus: entities, events and quotes in news"


def _card_data(inventory: Inventory, counts: dict, sizes: dict, version: str, fingerprints: dict):
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from newscorpus.hf.features import CONFIGS, SHARD, features_for

    card = DatasetCardData(
        pretty_name=PRETTY_NAME,
        language=["en"],
        license="other",
        license_name="annotations-cc-by-4.0-text-rights-unknown",
        license_details=("Annotations, schema and documentation: CC-BY-4.0. Article text: licence "
                         "unknown (the seed file states no source or licence)."),
        annotations_creators=["machine-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        size_categories=["n<1K"],
        source_datasets=["original"],
        task_categories=["token-classification"],
        task_ids=["named-entity-recognition"],
        annotation_version=version,
        tags=["event-extraction", "quotation-attribution", "coreference", "news", "standoff-annotation"],
    )
    infos = {}
    metadata = {}
    for config in CONFIGS:
        splits = SplitDict()
        for split, n in counts[config].items():
            splits.add(SplitInfo(name=split, num_bytes=sizes[config][split], num_examples=n))
        infos[config] = DatasetInfo(features=features_for(config, inventory), splits=splits,
                                    config_name=config, dataset_size=sum(sizes[config].values()),
                                    version=None if version == "draft" else version)
        metadata[config] = {
            "data_files": [{"split": s, "path": f"{config}/{SHARD.format(split=s)}"} for s in counts[config]],
            # The datasets cache keys a local dataset on its card, not on file times: the
            # content fingerprint makes every change of the data a new cache entry.
            "description": f"annotation version {version}; data sha256 {fingerprints[config]}",
        }
        if version != "draft":
            metadata[config]["version"] = version
    DatasetInfosDict(infos).to_dataset_card_data(card)
    MetadataConfigs(metadata).to_dataset_card_data(card)
    return card


def _table(headers: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _agreement_section(layout: Layout) -> str:
    from newscorpus.quality.agreement import agreement
    from newscorpus.store.versions import load_folder

    passes = layout.annotations / "passes"
    names = sorted(p.name for p in passes.iterdir() if p.is_dir()) if passes.is_dir() else []
    if len(names) < 2:
        return "No independent annotation passes are stored, so no agreement can be reported.\n"
    sets = {n: load_folder(passes / n) for n in names}
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    rows = []
    for a, b in pairs:
        r = agreement(sets[a], sets[b])
        rows.append([f"{a} vs {b}", r["mentions"]["exact"]["f1"], r["mentions"]["overlap"]["f1"],
                     r["mentions"]["type"]["rate"], r["mentions"]["coreference_b_cubed"]["f1"],
                     r["events"]["exact"]["f1"], r["events"]["type"]["rate"], r["events"]["arguments"]["f1"],
                     r["quotes"]["exact"]["f1"], r["quotes"]["overlap"]["f1"], r["quotes"]["speaker"]["rate"]])
    headers = ["pair", "mention F1 exact", "mention F1 overlap", "mention type agr.", "coref B3 F1",
               "trigger F1 exact", "event type agr.", "argument F1", "quote F1 exact", "quote F1 overlap",
               "speaker agr."]
    return (_table(headers, rows) + "\n\nComputed at build time from `annotations/passes/` with "
            "`newscorpus agreement annotations/passes/pass-a annotations/passes/pass-b` "
            "(label agreement is measured on exactly matched spans).\n")


def _changelog_upto(layout: Layout, version: str) -> str:
    from packaging.version import Version

    if not layout.changelog.exists():
        return "No changelog.\n"
    text = layout.changelog.read_text(encoding="utf-8")
    entries = text.split("\n## ")[1:]
    keep = []
    for entry in entries:
        head = entry.split(" ", 1)[0]
        try:
            if version == "draft" or Version(head) <= Version(version):
                keep.append("#### " + entry.strip())
        except Exception:
            continue
    return "\n\n".join(keep) + "\n" if keep else "No released version yet.\n"


def render_card(layout: Layout, version: str, inventory: Inventory, docs: dict, sets: dict,
                counts: dict, sizes: dict, fingerprints: dict, report, bibtex: str) -> str:
    from huggingface_hub import DatasetCard

    from newscorpus.hf.features import CONFIGS, bio_names
    from newscorpus.quality.stats import compute_stats

    card_data = _card_data(inventory, counts, sizes, version, fingerprints)
    stats = compute_stats(sets, inventory)
    t = stats["totals"]
    defs = {layer: {x.label: x for x in getattr(inventory, layer)} for layer in
            ("entity_types", "event_types", "quote_kinds", "argument_roles", "realis", "polarity", "mention_kinds")}
    split_of = {d.id: d.split for d in docs.values()}
    rows_table = _table(["config", "row", *[s for s in ("train", "validation", "test")]],
                        [[c, "sentence" if c == "ner" else "document",
                          *[counts[c].get(s, 0) for s in ("train", "validation", "test")]] for c in CONFIGS])

    def labels(layer, key):
        return _table(["label", "definition", f"count in {version}"],
                      [[f"`{lab}`", defs[layer][lab].definition.replace("|", "\\|"), n]
                       for lab, n in stats[key].items()])

    event_table = _table(["event type", "allowed roles", "definition", f"count in {version}"],
                         [[f"`{v.label}`", ", ".join(v.roles), v.definition.replace("|", "\\|"),
                           stats["event_types"][v.label]] for v in inventory.event_types])
    load = "\n".join(f'{c} = load_dataset("path/to/this/folder", "{c}", split="train")' for c in CONFIGS)
    ner_used, ner_nested, ner_mis, ner_cross = (len(report.used), len(report.nested),
                                                len(report.misaligned), len(report.crossing))
    body = f"""
# {PRETTY_NAME}

Annotation version **{version}** of an open news corpus with standoff span annotations:
entity mentions with coreference, events with role-labelled arguments, and quotes with
cue and speaker. {t.get('documents', 0)} document(s), {t.get('mentions', 0)} entity mentions in
{t.get('entities', 0)} entities, {t.get('events', 0)} events with {t.get('arguments', 0)} arguments,
{t.get('quotes', 0)} quotes.

## Dataset description

The corpus stores each article exactly as received (no normalisation) and annotates it
with spans given as `[start, end)` offsets in **Unicode code points** (Python `str`
indices) of the document text. Every configuration below is a view of the same
validated annotation files; every span carries its text, which equals
`text[start:end]` of the document.

- **Language:** English (`en`).
- **Annotation version:** {version}. Released versions never change; cite the version you used.
- **Documents:** {', '.join(f'`{d}` ({split_of[d]})' for d in sorted(docs))}.

## Uses

**Intended:** training and evaluating named-entity recognition, entity coreference,
event extraction and quotation attribution models; testing annotation tools and
pipelines on a fully documented, versioned example; reading the guidelines as a worked
annotation scheme.

**Out of scope:** with a single article the corpus cannot support claims about model
quality in general, it is not a representative sample of news, and it must not be used as
a source of facts about the events described (see *Limitations*).

## Dataset structure

Rows per configuration and split:

{rows_table}

Loading (each configuration is a separate Parquet table with declared `Features`):

```python
from datasets import load_dataset
{load}
```

- **documents** — one row per document: `id`, `text`, `text_sha256`, `language`,
  `annotation_version`, `metadata` (title, outlet, author, published, url: null when the
  article does not say; `notes` explain why), `source`, `license`, `paragraphs` and
  `sentences` as lists of `{{start, end}}`.
- **entities** — one row per document: `mentions` (`id`, `start`, `end`, `text`, `type`,
  `kind`, `entity_id`; mentions may nest) and `entities` (coreference clusters: `id`, `type`,
  `name`, `mention_ids`).
- **events** — one row per document: `events` with `trigger` span, `type`, `realis`,
  `polarity` and `arguments` (`role`, `mention_id`, `entity_id` and the argument span).
- **quotes** — one row per document: `quotes` with `content` span, `kind`, `cue` span (null
  when absent), and the speaker (`speaker_mention_id`, `speaker` span, `speaker_entity_id`,
  `speaker_name`; null when the text names no source).
- **ner** — one row per sentence: `tokens`, `token_starts`, `token_ends` (code point offsets
  into the document text, so another tokenizer can be realigned) and BIO `ner_tags`.

All label fields are `ClassLabel`s whose names come from the label inventory; offsets are
`int32`; lists of structs are `List` features (a list of records, not a record of lists).

### The `ner` view: tokenization and flattening

Tokens come from spaCy's rule-based English tokenizer (`spacy.blank("en")`, no
statistical model), applied to each sentence; whitespace tokens are dropped. Tags use
the BIO scheme over the entity types ({len(bio_names(inventory))} tags). **Flattening rule:**
only mentions of kind `name` are tagged; where names overlap (nested names such as
`U.S.` inside `U.S. Indo-Pacific Command`), the longest is kept and the names inside it are
dropped; a name whose boundaries do not fall on token boundaries is dropped. In this
version {ner_used} name mentions are tagged, {ner_nested} nested names are dropped by the
rule, {ner_mis} are dropped for token misalignment and {ner_cross} for crossing a sentence
boundary. The `entities` configuration keeps every mention, nested or not.

### Splits

Each document's split is assigned once, from a hash of its id (sha256 of the id modulo
100: 0–79 train, 80–89 validation, 90–99 test), and stored in its record, so adding
documents never moves an existing one. With one document, the whole corpus is in the
`{next(iter(split_of.values()), 'train')}` split and the other splits do not exist yet: there
is no held-out data, and any evaluation on this version is an evaluation on training data.

### Labels

Mention types:

{labels('entity_types', 'mention_types')}

Mention kinds:

{labels('mention_kinds', 'mention_kinds')}

Event types:

{event_table}

Argument roles:

{labels('argument_roles', 'argument_roles')}

Realis:

{labels('realis', 'realis')}

Polarity:

{labels('polarity', 'polarity')}

Quote kinds:

{labels('quote_kinds', 'quote_kinds')}

## Dataset creation

### Source data

The seed article was supplied to the project as a plain UTF-8 text file. The file names no
outlet, author, headline, publication date or URL; these stay empty. Its origin and the
rights in it are not known. It is stored byte for byte as received, errors included (for
example, it dates the drill to "Sunday, November 3" and also says "in 2023 alone", though
November 3, 2023 was a Friday; the corpus does not correct the text).

### Annotation process

The annotation guidelines (`docs/guidelines.md` in the source repository) define every
label with examples from the article and decide the boundary cases (possessives, titles,
nested names, metonymy, quote extents). The annotations were made in **independent
passes by LLM annotators** (language-model instances given only the article, the
guidelines and the label inventory; none saw another pass), then **adjudicated** into the
gold by a further LLM pass that resolved each disagreement by the guidelines and wrote the
decisions back into them. No human annotator produced or checked every annotation: treat
the labels as carefully produced silver-to-gold data, not as expert human gold. Every
annotation records its provenance (annotator, tool, time, the version that introduced
and last changed it). Every file is validated against a JSON Schema and named semantic
checks before any release or build.

### Agreement between the independent passes

{_agreement_section(layout)}
The passes were made by instances of the same kind of model from the same guidelines, so
their agreement is likely higher than that of independent human annotators would be and
should not be read as a human inter-annotator agreement figure.

### Personal and sensitive information

The article names public officials (heads of state and government, a defence secretary, a
state leader) and persons quoted as experts. It contains no private personal data beyond
what the article states. Whether the quoted experts exist or said what the article
attributes to them has not been verified.

## Bias, risks and limitations

- **One article.** Label distributions, agreement figures and any model trained here
  reflect one text on one topic (the Korean peninsula security situation) from one
  unknown source.
- **Unverified source.** The article's publisher, date and accuracy are unknown; it
  contains at least one internal date inconsistency. Do not use it as a source of facts.
- **Machine-made annotations.** See *Annotation process*.
- **Framing.** The article presents the events largely from the perspective of the
  United States and its allies; models trained on it inherit that framing.

## Versions and changelog

{_changelog_upto(layout, version)}
## Licence

Annotations, schema and documentation: CC-BY-4.0. The article text: licence unknown (the
seed file states none and its rights holder is not known); check before redistributing
the text.

## Citation

```bibtex
{bibtex}
```
"""
    card = DatasetCard(f"---\n{card_data.to_yaml()}\n---\n{body}")
    card.validate = None  # validation needs the Hub; the tests parse the YAML instead
    return str(card)


def write_card(layout: Layout, folder: Path, version: str, inventory: Inventory, docs: dict,
               sets: dict, counts: dict, sizes: dict, report) -> None:
    import hashlib

    from newscorpus.hf.features import CONFIGS

    fingerprints = {}
    for config in CONFIGS:
        digest = hashlib.sha256()
        for path in sorted((folder / config).glob("*.parquet")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        fingerprints[config] = digest.hexdigest()
    from newscorpus.hf.citation import citation_problems, load_citation, to_bibtex, with_release
    from newscorpus.errors import CorpusError
    from newscorpus.store.versions import read_index

    release = {r.version: r for r in read_index(layout)}.get(version)
    text = layout.citation.read_text(encoding="utf-8")
    if release is not None:
        text = with_release(text, release.version, release.date)
    (folder / "CITATION.cff").write_text(text, encoding="utf-8")
    data = load_citation(folder / "CITATION.cff", "CITATION.cff")
    problems = citation_problems(data, layout.schema_dir, layout.rel(layout.citation))
    if problems:
        raise CorpusError(problems)
    card = render_card(layout, version, inventory, docs, sets, counts, sizes, fingerprints, report, to_bibtex(data))
    (folder / "README.md").write_text(card if card.endswith("\n") else card + "\n", encoding="utf-8")
