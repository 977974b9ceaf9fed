"""The gold annotations of release 1.0.0: coverage promises checked against the text."""
from __future__ import annotations

import json
import re

from helpers import REPO, SEED, annotation_path, load_json, run_cli

TEXT = (REPO / "seeds" / f"{SEED}.txt").read_text(encoding="utf-8")
GOLD = load_json(annotation_path(REPO, "1.0.0"))


def test_release_1_0_0_validates_and_reports_stats():
    assert run_cli("validate", root=REPO).returncode == 0
    stats = json.loads(run_cli("stats", "--version", "1.0.0", "--json", root=REPO).stdout)
    assert stats["totals"]["mentions"] == len(GOLD["mentions"])


def test_every_quotation_mark_segment_is_a_quote():
    segments = [(m.start() + 1, m.end() - 1) for m in re.finditer("“[^”]*”", TEXT)]
    assert len(segments) == 16
    quoted = {(q["content"]["start"], q["content"]["end"]) for q in GOLD["quotes"]}
    assert set(segments) <= quoted
    kinds = {(q["content"]["start"], q["content"]["end"]): q["kind"] for q in GOLD["quotes"]}
    assert {kinds[s] for s in segments} <= {"direct", "partial", "scare"}


def test_split_quotes_share_their_speaker():
    """A direct quote interrupted by its attribution is two quotes with one speaker."""
    mentions = {m["id"]: m for m in GOLD["mentions"]}
    direct = sorted((q for q in GOLD["quotes"] if q["kind"] == "direct"), key=lambda q: q["content"]["start"])
    for a, b in zip(direct, direct[1:]):
        between = TEXT[a["content"]["end"]:b["content"]["start"]]
        if "\n" not in between and between.count("“") == 1:
            assert mentions[a["speaker"]]["entity"] == mentions[b["speaker"]]["entity"]


def test_every_occurrence_of_every_person_org_country_and_aircraft_name_is_a_mention():
    names = {(m["text"], m["type"]) for m in GOLD["mentions"]
             if m["kind"] == "name" and m["type"] in ("PER", "ORG", "GPE", "VEH")}
    covered = {(m["start"], m["end"], m["type"]) for m in GOLD["mentions"]}
    missing = []
    for name, typ in sorted(names):
        for match in re.finditer(re.escape(name), TEXT):
            s, e = match.span()
            # a name fixed inside a longer name of another type is not a separate mention (guidelines 2.4)
            inside_other = any(m["start"] <= s and e <= m["end"] and (m["start"], m["end"]) != (s, e)
                               and m["kind"] == "name" for m in GOLD["mentions"])
            word_bounded = (s == 0 or not TEXT[s - 1].isalnum()) and (e == len(TEXT) or not TEXT[e].isalnum())
            if word_bounded and (s, e, typ) not in covered and not inside_other:
                missing.append((name, s, TEXT[max(0, s - 20):e + 20]))
    assert missing == []


def test_labels_used_are_all_defined_in_the_guidelines():
    guidelines = (REPO / "docs" / "guidelines.md").read_text(encoding="utf-8")
    used = {m["type"] for m in GOLD["mentions"]} | {v["type"] for v in GOLD["events"]} \
        | {q["kind"] for q in GOLD["quotes"]} | {a["role"] for v in GOLD["events"] for a in v["arguments"]}
    for label in used:
        assert f"| `{label}` |" in guidelines


def assert_agreement_in_readme(a: str, b: str) -> None:
    """The README shows the figures `newscorpus agreement A B` computes."""
    result = run_cli("agreement", a, b, "--json", root=REPO, cwd=REPO)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"| mentions | span F1 exact | {figures['mentions']['exact']['f1']:.3f} |" in readme
    assert f"| events | argument F1 | {figures['events']['arguments']['f1']:.3f} |" in readme
    assert f"| quotes | speaker agreement | {figures['quotes']['speaker']['rate']:.3f} |" in readme


def test_passes_are_kept_and_agreement_is_reproducible():
    assert_agreement_in_readme("annotations/passes/pass-a", "annotations/passes/pass-b")


def test_blind_pass_agreement_in_the_readme_is_reproducible():
    """The README's pass-d column is what `newscorpus agreement` computes against the
    release the pass index names for it."""
    index = json.loads((REPO / "annotations" / "passes.json").read_text(encoding="utf-8"))
    blind = [p for p in index["passes"] if p["name"] == "pass-d"]
    assert blind, "the blind pass is indexed"
    assert_agreement_in_readme("annotations/passes/pass-d", blind[0]["guidelines"])


def test_stats_from_files_and_from_models_agree():
    """`stats` counts the files' JSON; the build counts model objects: the same figures."""
    from newscorpus.model import AnnotationSet
    from newscorpus.quality.stats import StatsAccumulator
    from newscorpus.rules.inventory import load_inventory

    inventory = load_inventory(REPO / "schema" / "inventory.json")
    raw, models = StatsAccumulator(inventory), StatsAccumulator(inventory)
    files = sorted((REPO / "annotations").glob("*/**/*.json"))
    files = [f for f in files if f.name not in ("MANIFEST.json", "inventory.json") and "adjudication" not in f.parts]
    assert files
    for path in files:
        data = load_json(path)
        raw.add_raw(data)
        models.add(AnnotationSet.from_dict(data))
    assert raw.result() == models.result()
