"""The dataset card (README.md of the build) and its CITATION.cff, generated from the
inventory, the statistics, the agreement figures, the changelog and CITATION.cff.
Nothing here depends on the clock: the same inputs give the same card."""
from __future__ import annotations

from pathlib import Path

from newscorpus.hf.shards import SHARD_BYTES
from newscorpus.quality.figure import FIGURE, label_distribution_svg
from newscorpus.quality.passes import gold_agreement
from newscorpus.rules.inventory import Inventory
from newscorpus.store.paths import Layout

PRETTY_NAME = "newscorpus: entities, events and quotes in news"
# the card's Markdown, a Jinja2 template rendered by DatasetCard.from_template
TEMPLATE = "dataset_card.md"  # in templates/


DOCUMENT_LIST_LIMIT = 20  # the card lists documents by id up to this many
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                   (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"))


def size_category(rows: int) -> str:
    """The Hub's size category of a dataset with this many rows (its largest config)."""
    for upper, name in SIZE_CATEGORIES:
        if rows < upper:
            return name
    return "n>1T" if rows > 10**12 else "100M<n<1B"


def _data_path(config: str, split: str, files: list[str]) -> str:
    """One shard by name (as ``push_to_hub`` writes it), several by pattern."""
    return files[0] if len(files) == 1 else f"{config}/{split}-*.parquet"


def _card_data(inventory: Inventory, written, version: str, fingerprints: dict):
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    from newscorpus.hf.features import CONFIGS, DEFAULT_CONFIG, card_yaml_features, features_for

    counts, sizes = written.counts, written.sizes

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
        size_categories=[size_category(max(sum(c.values()) for c in counts.values()))],
        source_datasets=["original"],
        task_categories=["token-classification"],
        task_ids=["named-entity-recognition"],
        annotation_version=version,
        tags=["event-extraction", "quotation-attribution", "coreference", "news", "standoff-annotation"],
    )
    infos = {}
    metadata = {}
    for config in (c for c in CONFIGS if counts[c]):
        splits = SplitDict()
        for split, n in counts[config].items():
            splits.add(SplitInfo(name=split, num_bytes=sizes[config][split], num_examples=n))
        infos[config] = DatasetInfo(features=features_for(config, inventory), splits=splits,
                                    config_name=config, dataset_size=sum(sizes[config].values()),
                                    version=None if version == "draft" else version)
        metadata[config] = {
            "data_files": [{"split": s, "path": _data_path(config, s, written.files[config][s])}
                           for s in counts[config]],
            # The datasets cache keys a local dataset on its card, not on file times: the
            # content fingerprint makes every change of the data a new cache entry.
            "description": f"annotation version {version}; data sha256 {fingerprints[config]}",
        }
        if version != "draft":
            metadata[config]["version"] = version
        if config == DEFAULT_CONFIG:
            metadata[config]["default"] = True
    DatasetInfosDict(infos).to_dataset_card_data(card)
    for info in card["dataset_info"] if isinstance(card["dataset_info"], list) else [card["dataset_info"]]:
        info["features"] = card_yaml_features(info["features"])  # datasets 2.x reads them too
    MetadataConfigs(metadata).to_dataset_card_data(card)
    return card


def _agreement_pairs(layout: Layout) -> list[dict]:
    """Agreement of every pair of stored passes made from the same guidelines (the pass
    index says which; unlisted passes form one group), none with fewer than two."""
    from newscorpus.quality.agreement import agreement
    from newscorpus.store.passes import pass_folders, read_pass_index
    from newscorpus.store.versions import load_folder

    index = read_pass_index(layout)
    groups: dict[str, list[str]] = {}
    for folder in pass_folders(layout):
        info = index.get(folder.name)
        groups.setdefault(info.guidelines if info else "unknown", []).append(folder.name)
    sets = {n: load_folder(layout.annotations / "passes" / n) for g in groups.values() for n in g}
    return [{"a": a, "b": b, "guidelines": g, "result": agreement(sets[a], sets[b])}
            for g, names in sorted(groups.items()) for i, a in enumerate(names) for b in names[i + 1:]]


def _changelog_entries(layout: Layout, version: str) -> list[str] | None:
    """The changelog entries up to ``version`` (all for the draft), newest first, without
    their ``## `` heading marks; None when there is no changelog."""
    from packaging.version import Version

    if not layout.changelog.exists():
        return None
    text = layout.changelog.read_text(encoding="utf-8")
    entries = text.split("\n## ")[1:]
    keep = []
    for entry in entries:
        head = entry.split(" ", 1)[0]
        try:
            if version == "draft" or Version(head) <= Version(version):
                keep.append(entry.strip())
        except Exception:
            continue
    return keep


def _label_rows(inventory: Inventory, stats: dict) -> tuple[dict[str, list[dict]], list[dict]]:
    """The rows of the label tables (label, definition, count), by statistics key, and
    those of the event type table, which also lists the allowed roles."""
    layers = {"mention_types": "entity_types", "mention_kinds": "mention_kinds",
              "argument_roles": "argument_roles", "realis": "realis", "polarity": "polarity",
              "quote_kinds": "quote_kinds"}
    labels = {}
    for key, layer in layers.items():
        defs = {x.label: x for x in getattr(inventory, layer)}
        labels[key] = [{"label": lab, "definition": defs[lab].definition, "n": n}
                       for lab, n in stats[key].items()]
    events = [{"label": v.label, "roles": v.roles, "definition": v.definition,
               "n": stats["event_types"][v.label]} for v in inventory.event_types]
    return labels, events


def _card_values(layout: Layout, version: str, inventory: Inventory, written,
                 report, bibtex: str) -> dict:
    """Everything the card template shows besides the YAML metadata."""
    from newscorpus.hf.features import CONFIGS, DEFAULT_CONFIG, ROW_UNIT, bio_names
    stats, counts = written.stats, written.counts
    labels, event_types = _label_rows(inventory, stats)
    splits = ("train", "validation", "test")
    docs = written.documents
    return {
        "pretty_name": PRETTY_NAME,
        "version": version,
        "totals": {k: stats["totals"].get(k, 0)
                   for k in ("documents", "mentions", "entities", "events", "arguments", "quotes")},
        "documents": [{"id": d, "split": split} for d, split in docs[:DOCUMENT_LIST_LIMIT]],
        "documents_listed_all": len(docs) <= DOCUMENT_LIST_LIMIT,
        "split_documents": {split: sum(1 for _, s in docs if s == split) for split in splits},
        # the split of the first document, which the card names as the split holding the
        # whole corpus when it has one document
        "first_split": docs[0][1] if docs else "train",
        "splits": splits,
        "row_counts": [{"name": c, "row": ROW_UNIT.get(c, "document"),
                        "counts": [counts[c].get(s, 0) for s in splits]} for c in CONFIGS],
        "config_names": CONFIGS,
        "default_config": DEFAULT_CONFIG,
        "bio_tags": len(bio_names(inventory)),
        "ner": {"used": report.used, "nested": report.nested,
                "misaligned": report.misaligned, "crossing": report.crossing},
        "shard_mb": SHARD_BYTES // 2**20,
        "labels": labels,
        "event_types": event_types,
        "figure": FIGURE,
        "agreement": _agreement_pairs(layout),
        "gold_agreement": gold_agreement(layout),
        "changelog": _changelog_entries(layout, version),
        "bibtex": bibtex,
    }


def render_card(layout: Layout, version: str, inventory: Inventory, written,
                fingerprints: dict, report, bibtex: str) -> str:
    """The card: YAML metadata and the Markdown of ``templates/dataset_card.md``."""
    from importlib import resources

    from huggingface_hub import DatasetCard

    card_data = _card_data(inventory, written, version, fingerprints)
    values = _card_values(layout, version, inventory, written, report, bibtex)
    with resources.as_file(resources.files("newscorpus.hf") / "templates" / TEMPLATE) as template:
        card = DatasetCard.from_template(card_data, template_path=str(template), **values)
    return str(card)


def write_card(layout: Layout, folder: Path, version: str, inventory: Inventory, written,
               report) -> None:
    import hashlib

    from newscorpus.hf.features import CONFIGS

    fingerprints = {}
    for config in CONFIGS:
        digest = hashlib.sha256()
        for path in sorted((folder / config).glob("*.parquet")):
            digest.update(path.name.encode() + b"\0")
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(2**20), b""):
                    digest.update(chunk)
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
    card = render_card(layout, version, inventory, written, fingerprints, report, to_bibtex(data))
    (folder / "README.md").write_text(card if card.endswith("\n") else card + "\n", encoding="utf-8")
    # the card's figure, from the statistics of its label tables
    (folder / FIGURE).write_text(label_distribution_svg(written.stats, version), encoding="utf-8")
