"""The store under faults, races and bad input: killed at every step of a release,
two writers at once, and every bad input named in issue 11 refused with its named
error, exit 1, no traceback and nothing changed (content and mode)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SEED, copy_repo, latest_version, next_version, run_cli, snapshot
from newscorpus.model import LAYERS
from newscorpus.store.transaction import FAULT_STEPS

DATE = "2026-12-02"


def release_cmd(root: Path, version: str) -> list[str]:
    return [sys.executable, "-m", "newscorpus", "--root", str(root), "release", version,
            "-m", f"Release {version}.", "--date", DATE]


def leftovers(root: Path) -> list[str]:
    """Temporary files or staging folders anywhere in the repository."""
    out = [p.relative_to(root).as_posix() for p in root.rglob("*")
           if p.name.endswith(".tmp") or (p.parent.name == "releases" and p.name.startswith("."))]
    if (root / ".newscorpus" / "txn").exists():
        out.append(".newscorpus/txn")
    return out


def assert_consistent(root: Path) -> None:
    """validate passes, and index, release folders, CHANGELOG and CITATION.cff agree."""
    result = run_cli("validate", root=root)
    assert result.returncode == 0, result.stdout + result.stderr
    index = json.loads((root / "annotations" / "releases.json").read_text())["releases"]
    versions = [r["version"] for r in index]
    folders = sorted(p.name for p in (root / "annotations" / "releases").iterdir())
    assert folders == sorted(versions)
    latest = versions[-1]
    assert f'version: "{latest}"' in (root / "CITATION.cff").read_text()
    changelog = (root / "annotations" / "CHANGELOG.md").read_text()
    assert changelog.index(f"## {latest} ") == min(changelog.index(f"## {v} ") for v in versions)
    for n, version in enumerate(versions):
        manifest = json.loads((root / "annotations" / "releases" / version / "MANIFEST.json").read_text())
        assert manifest["previous"] == (versions[n - 1] if n else None)
    assert leftovers(root) == []


@pytest.fixture(scope="module")
def after_release(tmp_path_factory) -> dict:
    """The repository after an uninterrupted release: what a rolled-forward one must equal."""
    root = copy_repo(tmp_path_factory.mktemp("reference") / "repo")
    result = subprocess.run(release_cmd(root, next_version(root, "minor")), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return snapshot(root)


@pytest.mark.parametrize("step", FAULT_STEPS)
def test_release_killed_at_every_step_leaves_before_or_after(step, root, after_release):
    before = snapshot(root)
    killed = subprocess.run(release_cmd(root, next_version(root, "minor")), capture_output=True, text=True,
                            env={**os.environ, "NEWSCORPUS_FAULT_AT": step})
    assert killed.returncode == -9, killed.stderr  # it really died at that step
    assert_consistent(root)  # the next command completed or rolled back by itself
    now = snapshot(root)
    assert now in (before, after_release)
    assert now == (before if step == "staged" else after_release)


def test_killed_build_leaves_nothing_behind(root, tmp_path):
    out = tmp_path / "out"
    stray = tmp_path / ".out.abc123"
    (stray / "entities").mkdir(parents=True)
    result = run_cli("build", "--output", str(out), root=root)
    assert result.returncode == 0, result.stderr
    assert not stray.exists()


def test_two_releases_at_once_never_both_succeed_on_the_same_state(root):
    for attempt in range(4):
        minor = next_version(root, "minor")
        versions = [minor, minor[:-1] + "1"]
        procs = [subprocess.Popen(release_cmd(root, v), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for v in versions]
        results = [(p.wait(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        codes = sorted(code for code, _ in results)
        # the x.y.1 release may run first; then the x.y.0 release is not higher and fails
        assert codes in ([0, 0], [0, 1]), results
        for code, err in results:
            assert code == 0 or "version-not-higher" in err, err
        assert_consistent(root)


def test_a_waiting_writer_gives_up_with_repository_locked(root):
    from newscorpus.store.lock import repository_lock
    from newscorpus.store.paths import Layout

    with repository_lock(Layout(root), "a test holding the lock"):
        result = run_cli("release", next_version(root, "minor"), "-m", "x", root=root,
                         env={"NEWSCORPUS_LOCK_TIMEOUT": "0.5"})
    assert result.returncode == 1
    assert "repository-locked" in result.stderr
    assert "a test holding the lock" in result.stderr and str(os.getpid()) in result.stderr
    assert "Traceback" not in result.stderr


def test_files_keep_their_modes_and_new_ones_follow_the_umask(root):
    citation = root / "CITATION.cff"
    os.chmod(citation, 0o664)
    version = next_version(root, "minor")
    result = run_cli("release", version, "-m", "x", "--date", DATE, root=root)
    assert result.returncode == 0, result.stderr
    assert citation.stat().st_mode & 0o777 == 0o664
    mask = os.umask(0)
    os.umask(mask)
    folder = root / "annotations" / "releases" / version
    assert folder.stat().st_mode & 0o777 == 0o777 & ~mask
    for path in [*folder.iterdir(), root / "annotations" / "releases.json"]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


# --- bad input: a named error, exit 1, no traceback, nothing changed -------------------

def seed_file(root: Path, name: str, content: bytes) -> str:
    path = root / "seeds" / name
    path.write_bytes(content)
    return str(path)


BAD_INPUTS = {
    "id-escapes-repository": (lambda r: ["add-document", f"{r}/seeds/{SEED}.txt", "--id", "../../../x"],
                              "id-format"),
    "id-overwrites-release": (lambda r: ["add-document", f"{r}/seeds/{SEED}.txt", "--id",
                                         f"../../annotations/releases/1.0.0/{SEED}", "--replace"],
                              "id-format"),
    "seed-name-not-an-id": (lambda r: ["add-document", seed_file(r, "my doc é.txt", b"A text.\n")],
                            "id-format"),
    "version-with-newline": (lambda r: ["release", next_version(r, "minor") + "\n", "-m", "x"],
                             "version-format"),
    "date-not-iso": (lambda r: ["release", next_version(r, "minor"), "-m", "x", "--date", "20260101"],
                     "date-format"),
    "validate-a-folder": (lambda r: ["validate", f"{r}/annotations"], "not-a-file"),
    "add-a-folder-without-seeds": (lambda r: ["add-document", f"{r}/docs"], "not-a-file"),
    "add-a-folder-of-known-seeds": (lambda r: ["add-document", f"{r}/seeds"], "document-exists"),
    "add-a-device": (lambda r: ["add-document", "/dev/zero"], "not-a-file"),
    "empty-seed": (lambda r: ["add-document", seed_file(r, "empty.txt", b"")], "seed-empty"),
    "blank-seed": (lambda r: ["add-document", seed_file(r, "blank.txt", b" \n\t\n")], "seed-empty"),
    "repo-id-no-owner": (lambda r: ["publish", f"{r}/x", "--repo-id", "/name", "--dry-run"], "repo-id"),
    "repo-id-no-name": (lambda r: ["publish", f"{r}/x", "--repo-id", "owner/", "--dry-run"], "repo-id"),
    "repo-id-spaces": (lambda r: ["publish", f"{r}/x", "--repo-id", "own er/na me", "--dry-run"], "repo-id"),
}


def _deep_json(root: Path) -> list[str]:
    path = root / "deep.json"
    path.write_text("[" * 1000 + "]" * 1000)
    return ["validate", str(path)]


def _bad_index_version(root: Path) -> list[str]:
    index = root / "annotations" / "releases.json"
    data = json.loads(index.read_text())
    data["releases"][0]["version"] = "one"
    index.write_text(json.dumps(data))
    return ["validate"]


BAD_INPUTS["json-nested-1000-deep"] = (_deep_json, "json-depth")
BAD_INPUTS["index-version-not-a-version"] = (_bad_index_version, "release-index")


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_its_named_error_and_changes_nothing(case, root):
    make_args, check = BAD_INPUTS[case]
    if case.startswith("repo-id"):  # publish needs a build to look at
        (root / "x").mkdir()
        (root / "x" / "README.md").write_text("---\nannotation_version: 1.0.0\n---\n")
    args = make_args(root)
    before = snapshot(root)
    result = run_cli(*args, root=root)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert any(f": {check}: " in line or line.startswith(f"{check}: ") for line in lines), lines
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before
    assert not (root.parent / "x.json").exists() and not (root.parent.parent / "x.json").exists()


def test_a_paragraph_longer_than_the_splitters_limit_is_split(root):
    sentence = "The drill went on. "
    text = (sentence * (1_100_000 // len(sentence))).strip() + "\n"
    path = seed_file(root, "long_paragraph.txt", text.encode())
    result = run_cli("add-document", path, root=root)
    assert result.returncode == 0, result.stderr
    record = json.loads((root / "corpus" / "documents" / "long_paragraph.json").read_text())
    assert len(record["paragraphs"]) == 1 and len(record["sentences"]) > 1
    assert run_cli("validate", root=root).returncode == 0


def test_versions_compare_annotations_by_document_and_id(root):
    """A second document whose annotations reuse the first's ids (m1, e1, ev1, ...) is
    new: a patch release is refused, the diff lists every one of them as added."""
    latest = latest_version(root)
    before = json.loads(run_cli("diff", latest, "draft", "--json", root=root).stdout)["changes"]
    text = (root / "seeds" / f"{SEED}.txt").read_bytes()
    second = seed_file(root, "zz_test_second_article.txt", text)
    assert run_cli("add-document", second, root=root).returncode == 0
    first = json.loads((root / "annotations" / "draft" / f"{SEED}.json").read_text())
    first["document_id"] = "zz_test_second_article"
    (root / "annotations" / "draft" / "zz_test_second_article.json").write_text(json.dumps(first))
    assert run_cli("validate", root=root).returncode == 0
    n = sum(len(first[layer]) for layer in LAYERS)

    patch = run_cli("release", next_version(root), "-m", "x", "--date", DATE, root=root)
    assert patch.returncode == 1 and "version-bump" in patch.stderr, patch.stderr
    assert "a minor release is required" in patch.stderr

    diff = json.loads(run_cli("diff", latest, "draft", "--json", root=root).stdout)
    added = [c for c in diff["changes"] if c["document"] == "zz_test_second_article"]
    assert len(added) == n and {c["change"] for c in added} == {"added"}
    assert [c for c in diff["changes"] if c["document"] != "zz_test_second_article"] == before
