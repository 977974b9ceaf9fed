"""Croissant metadata (``--to croissant``): ``croissant.json`` describing a Parquet build
(``newscorpus build``) in the Croissant 1.0 format with its Responsible-AI fields.

Everything comes from the build and the repository, never typed twice: name, version,
licence, authors and citation from the build's ``CITATION.cff`` (the one the card's
citation is made from); the annotation version and licence details from the card's YAML
header; one ``FileObject`` per Parquet shard with its sha256, one ``FileSet`` per config;
one record set per config with a field per column (read from the Parquet schema); the
agreement figures computed from the annotation passes (quality.agreement); collection
notes from the document records. The file lies in the build folder, so the paths in it
are relative to the build."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import yaml

from newscorpus import corpus
from newscorpus.errors import CorpusError, Problem
from newscorpus.store.jsonio import atomic_write_text
from newscorpus.store.paths import Layout

CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"}, "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet",
    "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField",
    "path": "cr:path", "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex",
    "repeated": "cr:repeated", "replace": "cr:replace", "samplingRate": "cr:samplingRate",
    "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
}
PASSES = ("pass-a", "pass-b")  # the pair whose agreement the README reports
PARQUET = "application/x-parquet"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _card_header(build: Path) -> dict:
    card = build / "README.md"
    text = card.read_text(encoding="utf-8") if card.is_file() else ""
    if not text.startswith("---\n") or "annotation_version" not in text:
        raise CorpusError(Problem(str(card), "", "not-a-build",
                                  "no README.md: build the folder with 'newscorpus build' first"))
    return yaml.safe_load(text.split("\n---", 1)[0][4:]) or {}


def _data_type(arrow_type) -> str:
    import pyarrow.types as t

    if t.is_boolean(arrow_type):
        return "sc:Boolean"
    if t.is_integer(arrow_type):
        return "sc:Integer"
    if t.is_floating(arrow_type):
        return "sc:Float"
    return "sc:Text"


def _is_list(arrow_type) -> bool:
    import pyarrow.types as t

    return t.is_list(arrow_type) or t.is_large_list(arrow_type)


def _scalar(arrow_type) -> bool:
    import pyarrow.types as t

    return not (t.is_struct(arrow_type) or _is_list(arrow_type))


def _field(config: str, column: str, arrow_type, labels: dict) -> dict | None:
    """A Croissant field for a Parquet column: a scalar, a list of scalars (repeated), or
    a struct or list of structs whose scalar (or list-of-scalar) members become subFields.
    Deeper members are left out and named in the record set's description."""
    import pyarrow.types as t

    repeated = _is_list(arrow_type)
    inner = arrow_type.value_type if repeated else arrow_type
    source = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": column}}
    field = {"@type": "cr:Field", "@id": f"{config}/{column}", "name": column, "source": source}
    if repeated:
        field["repeated"] = True
    if t.is_struct(inner):
        subs = []
        for child in inner:
            child_repeated = _is_list(child.type)
            child_inner = child.type.value_type if child_repeated else child.type
            if not _scalar(child_inner):
                continue
            sub = {"@type": "cr:Field", "@id": f"{config}/{column}/{child.name}", "name": child.name,
                   "dataType": _data_type(child_inner), "source": {**source, "transform": {"jsonPath": child.name}}}
            if child_repeated:
                sub["repeated"] = True
            if f"{column}/{child.name}" in labels:
                sub["description"] = _label_note(labels[f"{column}/{child.name}"])
            subs.append(sub)
        if not subs:
            return None
        field["subField"] = subs
    elif _scalar(inner):
        field["dataType"] = _data_type(inner)
    else:
        return None
    if column in labels:
        field["description"] = _label_note(labels[column])
    return field


def _unwrap(feature):
    while isinstance(feature, dict) and feature.get("_type") in ("List", "Sequence") and "feature" in feature:
        feature = feature["feature"]
    return feature


def _labels(schema) -> dict[str, list[str]]:
    """ClassLabel names by column (``col``) and struct member (``col/member``), from the
    datasets Features stored in the Parquet schema."""
    meta = (schema.metadata or {}).get(b"huggingface")
    features = json.loads(meta).get("info", {}).get("features", {}) if meta else {}
    out = {}
    for name, feature in features.items():
        inner = _unwrap(feature)
        if isinstance(inner, dict) and inner.get("_type") == "ClassLabel":
            out[name] = inner.get("names", [])
        elif isinstance(inner, dict) and "_type" not in inner:
            for child, sub in inner.items():
                sub = _unwrap(sub)
                if isinstance(sub, dict) and sub.get("_type") == "ClassLabel":
                    out[f"{name}/{child}"] = sub.get("names", [])
    return out


def _label_note(names: list[str]) -> str:
    return "ClassLabel ids: " + ", ".join(f"{i}={n}" for i, n in enumerate(names))


def _config_parts(build: Path, base: Path, config: str) -> tuple[list[dict], dict]:
    """The distribution entries (shards and their FileSet) and the record set of one config."""
    import pyarrow.parquet as pq

    shards = sorted((build / config).glob("*.parquet"))
    rel = Path(os.path.relpath(build, base))
    files = [{"@type": "cr:FileObject", "@id": f"{config}/{p.name}", "name": f"{config}/{p.name}",
              "contentUrl": (rel / config / p.name).as_posix(), "encodingFormat": PARQUET,
              "contentSize": f"{p.stat().st_size} B", "sha256": _sha256(p)} for p in shards]
    files.append({"@type": "cr:FileSet", "@id": f"{config}-parquet", "name": f"{config}-parquet",
                  "description": f"The Parquet shards of the {config} config (one per split).",
                  "encodingFormat": PARQUET, "includes": (rel / config / "*.parquet").as_posix()})
    schema = pq.read_schema(shards[0])
    labels = _labels(schema)
    fields = [f for f in (_field(config, n, schema.field(n).type, labels) for n in schema.names) if f]
    fields.append({"@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
                   "description": "The split, from the shard's file name.",
                   "source": {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"fileProperty": "filename"},
                              "transform": {"regex": r"^([A-Za-z0-9_]+)-\d+-of-\d+\.parquet$"}}})
    description = (f"The rows of the {config} config. Label columns hold ClassLabel ids (names in the "
                   "field descriptions); members nested deeper than one level are not described here: read them "
                   "from the Parquet files with `datasets`.")
    record_set = {"@type": "cr:RecordSet", "@id": config, "name": config, "description": description,
                  "field": fields}
    return files, record_set


def _agreement_text(layout: Layout) -> str:
    from newscorpus.quality.agreement import version_agreement

    folders = [layout.root / "annotations" / "passes" / p for p in PASSES]
    if not all(f.is_dir() for f in folders):
        return "No independent annotation passes are stored, so no agreement can be computed."
    _a, _b, r = version_agreement(layout, str(folders[0]), str(folders[1]))
    m, v, q = r["mentions"], r["events"], r["quotes"]

    def num(x):
        return "n/a" if x is None else f"{x:.3f}"
    return (f"Agreement between the independent passes {PASSES[0]} and {PASSES[1]} (newscorpus agreement, "
            f"computed when this file was written): mention span F1 (exact) {num(m['exact']['f1'])}, mention "
            f"type agreement {num(m['type']['rate'])} (kappa {m['type']['kappa']}), coreference B3 F1 "
            f"{num(m['coreference_b_cubed']['f1'])}, event trigger F1 (exact) {num(v['exact']['f1'])}, "
            f"argument F1 {num(v['arguments']['f1'])}, quote content F1 (exact) {num(q['exact']['f1'])}. "
            "The passes were made by instances of the same kind of model from the same guidelines, so "
            "these figures likely overstate what independent human annotators would reach."
            + _gold_agreement_text(layout) + " Human agreement has not been measured yet.")


def _gold_agreement_text(layout: Layout) -> str:
    """Each pass made from a later release's guidelines, against that release's gold."""
    from newscorpus.quality.passes import gold_agreement

    out = []
    for row in gold_agreement(layout):
        if row["name"] not in PASSES:
            name, gold, r = row["name"], row["gold"], row["result"]
            out.append(f" Pass {name} ({row['annotator']}, blind, from the {gold} guidelines) against "
                       f"the {gold} gold: mention span F1 (exact) {r['mentions']['exact']['f1']:.3f}, "
                       f"trigger F1 (exact) {r['events']['exact']['f1']:.3f}, argument F1 "
                       f"{r['events']['arguments']['f1']:.3f}, quote content F1 (exact) "
                       f"{r['quotes']['exact']['f1']:.3f}.")
    return "".join(out)


def _collection(pairs) -> tuple[str, int, str]:
    """What the document records say about where the texts come from, and the splits."""
    notes, splits, n = [], {}, 0
    for doc, _ann in pairs:
        n += 1
        splits[doc.split] = splits.get(doc.split, 0) + 1
        for note in (doc.source.get("note"), doc.license.get("note")):
            if note and note not in notes:
                notes.append(note)
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(splits.items()))
    return " ".join(notes), n, shown


def _rai(layout: Layout, collection: tuple[str, int, str], header: dict) -> dict:
    notes, n_docs, splits = collection
    return {
        "rai:dataCollection": (f"{n_docs} English news text(s) ({splits}), each kept exactly as received "
                               f"from a seed file; no crawling. {notes}"),
        "rai:dataCollectionType": "Other: seed texts supplied to the project",
        "rai:dataAnnotationProtocol": (
            "Guidelines (docs/guidelines.md) define every label of the inventory with examples and boundary "
            "rules. Three annotation passes were made independently from the text, the guidelines and the "
            "inventory alone, each by a separate LLM annotator (a language-model instance that saw no other "
            "pass). A fourth LLM instance adjudicated the disagreements by the guidelines and produced the "
            "gold (docs/adjudication.md). No human annotated or reviewed every annotation: read the labels as "
            "careful machine-made annotations, not as expert human gold."),
        "rai:annotationsPerItem": ("3 independent LLM annotation passes per document, merged by 1 LLM "
                                   "adjudication pass; 1 released annotation per item"),
        "rai:annotatorDemographics": "Not applicable: the annotators are language-model instances.",
        "rai:machineAnnotationTools": ["LLM annotation passes (3) and LLM adjudication (1)",
                                       "newscorpus (validation against the generated JSON Schema)",
                                       "spaCy rule-based sentencizer and tokenizer (no model)"],
        "rai:dataAnnotationPlatform": "newscorpus standoff JSON files; Label Studio round trip available",
        "rai:dataAnnotationAnalysis": _agreement_text(layout),
        "rai:dataLimitations": (
            f"Very small corpus ({n_docs} document(s)); machine-made annotations; "
            + str(header.get("license_details") or "") + " Offsets are Unicode code points."),
        "rai:dataBiases": "One domain (security news in English); labels reflect one set of guidelines.",
        "rai:personalSensitiveInformation": (
            "The texts are published news and name public figures, officials and organisations in their "
            "public roles; no other personal data is added. Annotation provenance records pseudonyms only "
            "(validation refuses an e-mail address in provenance: the personal-data check)."),
        "rai:dataUseCases": "Named entity recognition, coreference, event extraction, quotation attribution.",
        "rai:dataReleaseMaintenancePlan": ("Semantic versions of the annotations (annotations/releases.json, "
                                           "CHANGELOG.md); released files are never edited."),
    }


def _cite_as(cff: dict, version: str) -> str:
    authors = " and ".join(a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}"
                           for a in cff.get("authors", []))
    year = str(cff.get("date-released", ""))[:4]
    return (f"@misc{{newscorpus_{version.replace('.', '_')}, title = {{{cff['title']}}}, author = {{{authors}}}, "
            f"version = {{{cff.get('version', version)}}}, year = {{{year}}}}}")


def write_croissant(layout: Layout, build: Path, output: Path | None) -> tuple[str, Path, int]:
    """Write ``croissant.json`` for the Parquet build in ``build`` (default output
    ``<build>/croissant.json``); returns (annotation version, path, documents)."""
    build = Path(build)
    header = _card_header(build)
    version = str(header["annotation_version"])
    version, _inventory, pairs = corpus.stream_checked(layout, version)
    cff = yaml.safe_load((build / "CITATION.cff").read_text(encoding="utf-8"))
    output = Path(output) if output else build / "croissant.json"
    configs = sorted(p.name for p in build.iterdir() if p.is_dir() and any(p.glob("*.parquet")))
    distribution, record_sets = [], []
    for config in configs:
        files, record_set = _config_parts(build, output.parent, config)
        distribution += files
        record_sets.append(record_set)
    data = {"@context": CONTEXT, "@type": "sc:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.0",
            "name": str(header.get("pretty_name") or cff["title"]), "description": " ".join(cff["abstract"].split()),
            "alternateName": cff["title"], "version": str(cff.get("version", version)),
            "datePublished": str(cff.get("date-released", "")),
            "license": f"https://spdx.org/licenses/{cff['license']}.html",
            "creator": [{"@type": "sc:Organization" if "name" in a else "sc:Person",
                         "name": a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()}
                        for a in cff.get("authors", [])],
            "keywords": cff.get("keywords", []), "inLanguage": "en", "citeAs": _cite_as(cff, version), "isAccessibleForFree": True,
            "distribution": distribution, "recordSet": record_sets}
    url = cff.get("url") or cff.get("repository-code")
    if url:
        data["url"] = url
    collection = _collection(pairs)
    data.update(_rai(layout, collection, header))
    atomic_write_text(output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return version, output, collection[1]
