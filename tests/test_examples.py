"""The examples run end to end on the real corpus, as a user would run them."""
from __future__ import annotations

import re
import subprocess
import sys

from helpers import REPO, copy_repo, run_cli


def test_train_ner_example_trains_predicts_and_prints_the_evaluate_scores(tmp_path):
    root = copy_repo(tmp_path / "root")
    built = run_cli("build", "--output", str(tmp_path / "dataset"), root=root, cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "train_ner.py"), "--build", str(tmp_path / "dataset"),
         "--iterations", "3", "--root", str(root), "--out", str(tmp_path / "train_ner")],
        cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DEMONSTRATION, NOT A BENCHMARK" in result.stdout
    assert re.search(r"names exact +micro P \d\.\d{4} R \d\.\d{4} F1 \d\.\d{4}", result.stdout), result.stdout
    assert re.search(r"BIO \(seqeval\) micro P \d\.\d{4}", result.stdout), result.stdout
    assert sorted(p.name for p in (tmp_path / "train_ner").iterdir()) == ["gold", "predictions"]
