"""The build's card is read alike by datasets 2.x (training code that still pins it, as
pie-datasets does) and by the installed 5.x (issue #14): every config loads in both, and
every sequence of a label is a sequence of ClassLabel with the inventory's names in both
(``features["ner_tags"].feature.names``, as ``run_ner.py`` reads it).

datasets 2.x lives in a virtual environment of its own, made by
``.ci/install-datasets2.sh`` (which ``scripts/setup.sh --with-label-studio`` runs); its
Python is ``$NEWSCORPUS_DATASETS2_PYTHON``, else that script's default venv. Without it
the 2.x test is skipped, unless CI is set: then it fails."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datasets_probe import describe
from helpers import copy_repo, latest_version, run_cli
from newscorpus.hf.features import CONFIGS, DEFAULT_CONFIG, bio_names, features_for
from newscorpus.rules.inventory import load_inventory

PROBE = Path(__file__).resolve().parent / "datasets_probe.py"
HOW_TO = "install it with `bash .ci/install-datasets2.sh` (or `bash scripts/setup.sh --with-label-studio`)"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def datasets2_python() -> str:
    python = os.environ.get("NEWSCORPUS_DATASETS2_PYTHON", "").strip()
    if not python:
        venv = os.environ.get("NEWSCORPUS_DATASETS2_VENV") or str(Path.home() / ".cache/newscorpus/datasets2-venv")
        python = str(Path(venv) / "bin" / "python")
    if not Path(python).is_file():
        if _in_ci():
            pytest.fail(f"CI is set, so the datasets 2.x test must run, but {python} is missing: {HOW_TO}")
        pytest.skip(f"datasets 2.x not installed at {python}: {HOW_TO}")
    return python


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_repo(tmp_path_factory.mktemp("d2") / "root")
    result = run_cli("build", root=root, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    inventory = load_inventory(root / "annotations" / "releases" / latest_version(root) / "inventory.json")
    return root / "build" / "dataset", inventory


def probe(python: str, out: Path, home: Path) -> dict:
    """What the datasets of ``python`` makes of every config (see datasets_probe.py), in
    a fresh HF_HOME, offline."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env |= {"HF_HOME": str(home), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    run = subprocess.run([python, str(PROBE), str(out), *CONFIGS], capture_output=True, text=True,
                         env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_datasets_2_reads_every_config_as_5_does_with_label_sequences_of_classlabel(built, tmp_path):
    out, inventory = built
    old = probe(datasets2_python(), out, tmp_path / "hf2")
    new = probe(sys.executable, out, tmp_path / "hf5")
    assert {r["version"].split(".")[0] for r in old.values()} == {"2"}
    assert {r["version"].split(".")[0] for r in new.values()} == {"5"}
    sequences_of_labels = 0
    for config in CONFIGS:
        declared = describe(features_for(config, inventory))
        assert old[config] == {**new[config], "version": old[config]["version"]}, config
        assert new[config]["features"] == declared, config
        for name, feature in declared.items():
            if isinstance(feature, list) and feature[0] == "sequence" and feature[1][0] == "class_label":
                assert old[config]["features"][name] == ["sequence", ["class_label", feature[1][1]]]
                sequences_of_labels += 1
    assert old["ner"]["ner_tags_names"] == bio_names(inventory)
    assert old["ner"]["ner_tags"] and sequences_of_labels >= 1


def test_datasets_5_reads_ner_tags_as_a_list_of_classlabel_and_streams_the_default_config(built):
    from datasets import ClassLabel, List, load_dataset

    out, inventory = built
    ner = load_dataset(str(out), "ner", split="train")
    assert isinstance(ner.features["ner_tags"], List)
    assert isinstance(ner.features["ner_tags"].feature, ClassLabel)
    assert ner.features["ner_tags"].feature.names == bio_names(inventory)
    streamed = load_dataset(str(out), split="train", streaming=True)
    assert streamed.features == features_for(DEFAULT_CONFIG, inventory)
    assert next(iter(streamed)) == load_dataset(str(out), DEFAULT_CONFIG, split="train")[0]
