"""Run by tests/test_hf_datasets2.py with the Python of another `datasets` version (2.x,
in its own virtual environment; it must not import newscorpus): loads configs of a build
and prints, as JSON, what that version made of them.

    python tests/datasets_probe.py BUILD_FOLDER CONFIG [CONFIG ...]

For each config: the datasets version, rows per split, the features described in a
form both versions share (see ``describe``), the names of ``ner_tags.feature`` read as
training code reads them (``features["ner_tags"].feature.names``) where the config has
that column, and the column's values."""
from __future__ import annotations

import json
import sys


def describe(feature):
    """A version-neutral description: a sequence of a non-struct feature (``Sequence``
    in 2.x, ``List`` in 5.x) is ``["sequence", inner]``; a list of structs (a Python list
    in 2.x, ``List`` of a dict in 5.x) is ``["list", inner]``."""
    import datasets

    if isinstance(feature, dict):
        return {name: describe(sub) for name, sub in feature.items()}
    if isinstance(feature, list):
        return ["list", describe(feature[0])]
    if isinstance(feature, datasets.ClassLabel):
        return ["class_label", list(feature.names)]
    if isinstance(feature, datasets.Value):
        return ["value", feature.dtype]
    inner = getattr(feature, "feature", None)
    if type(feature).__name__ in ("Sequence", "List") and inner is not None:
        return ["list" if isinstance(inner, dict) else "sequence", describe(inner)]
    return ["other", repr(feature)]


def probe(folder: str, config: str) -> dict:
    import datasets

    splits = datasets.load_dataset(folder, config)
    features = next(iter(splits.values())).features
    out = {"version": datasets.__version__, "rows": {s: ds.num_rows for s, ds in splits.items()},
           "features": describe(features)}
    if "ner_tags" in features:
        out["ner_tags_names"] = list(features["ner_tags"].feature.names)
        out["ner_tags"] = [tags for s in sorted(splits) for tags in splits[s]["ner_tags"]]
    return out


if __name__ == "__main__":
    json.dump({config: probe(sys.argv[1], config) for config in sys.argv[2:]}, sys.stdout)
