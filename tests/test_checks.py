"""The registry of named checks (newscorpus.rules.checks): every check name the package
can report has a row; docs/checks.md is generated from the rows; every check of
``newscorpus validate`` has exactly one fixture (tests/fixtures/README.md) and
validating that fixture reports exactly that check."""
from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import REPO, SEED, copy_repo, snapshot
from newscorpus.cli import main as cli_main
from newscorpus.rules.checks import (CFF_KEYWORDS, CHECKS, DOC, LEVELS, REGISTRY, SCHEMA_KEYWORDS, SCOPES,
                                     VALIDATOR_SCOPES, UnknownCheck, registered, render_checks_doc,
                                     validator_checks)
from newscorpus.rules.inventory import load_inventory
from newscorpus.rules.schema import annotation_schema, document_schema

PACKAGE = REPO / "src" / "newscorpus"
FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid"  # annotation-file checks: <check>.json
INVALID_REPOS = FIXTURES / "invalid-repos"  # repository checks: <check>/ overlaid on a copy of the repository
OVERLAY = "OVERLAY.json"  # in an overlay folder: {"delete": [paths], "validate": [paths]}, both optional


# --- the rows --------------------------------------------------------------------------

def test_rows_are_well_formed():
    assert len(REGISTRY) == len(CHECKS), "a check name has two rows"
    for c in CHECKS:
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*", c.name), c.name
        assert c.level in LEVELS and c.scope in SCOPES, c
        assert c.what.strip() and c.messages and all(m.strip() for m in c.messages), c
    assert "error" not in REGISTRY  # the name an unnamed error used to get


def test_registered_refuses_an_unknown_name():
    assert registered("span-text-mismatch") == "span-text-mismatch"
    with pytest.raises(UnknownCheck):
        registered("schema-if")


def _assertion_keywords(schema) -> set[str]:
    """The JSON Schema keywords of ``schema`` that can fail by themselves."""
    quiet = {"$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples",
             "properties", "items", "definitions", "$defs"}
    found: set[str] = set()

    def walk(node):
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("properties", "definitions", "$defs", "patternProperties"):
                    for sub in value.values():
                        walk(sub)
                    continue
                if key not in quiet:
                    found.add(key)
                walk(value)

    walk(schema)
    return found


def test_each_keyword_the_generated_schemas_can_fail_has_a_row():
    inventory = load_inventory(REPO / "schema" / "inventory.json")
    used = _assertion_keywords(annotation_schema(inventory)) | _assertion_keywords(document_schema(inventory))
    assert used == set(SCHEMA_KEYWORDS)
    assert all(f"schema-{k}" in REGISTRY for k in SCHEMA_KEYWORDS)


def test_each_keyword_of_the_citation_schema_has_a_row():
    schema = json.loads((REPO / "schema" / "vendor" / "citation-file-format-1.2.0.schema.json").read_text("utf-8"))
    assert _assertion_keywords(schema) == set(CFF_KEYWORDS)
    assert all(f"cff-{k}" in REGISTRY for k in CFF_KEYWORDS)


# --- every name the package emits is registered ----------------------------------------

@dataclass(frozen=True)
class Site:
    where: str  # file:line
    check: ast.expr
    message: ast.expr | None
    via_problem_method: bool = False


def _arg(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def emit_sites() -> list[Site]:
    """Every place in the package that gives a problem its check name: Problem(...),
    dataclasses.replace(problem, check=...), the Label Studio reader's
    self.problem(ptr, check, message), and ValueError(check, message) raised for it."""
    sites = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            where = f"{rel}:{node.lineno}"
            if name == "Problem":
                sites.append(Site(where, _arg(node, 2, "check"), _arg(node, 3, "message")))
            elif name == "replace" and any(k.arg == "check" for k in node.keywords):
                sites.append(Site(where, _arg(node, 99, "check"), _arg(node, 99, "message")))
            elif name == "problem" and isinstance(func, ast.Attribute):
                sites.append(Site(where, _arg(node, 1, "check"), _arg(node, 2, "message"), True))
            elif name == "ValueError" and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                sites.append(Site(where, node.args[0], node.args[1]))
    return sites


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_registered_call(node) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "registered"


def test_the_site_finder_finds_the_emitters():
    sites = emit_sites()
    assert len(sites) > 100
    files = {s.where.split(":")[0] for s in sites}
    assert {"rules/validation.py", "store/versions.py", "store/jsonio.py", "store/paths.py", "corpus.py",
            "hf/publish.py", "hf/citation.py", "labelstudio/reader.py", "labelstudio/importer.py",
            "cli/corpus.py"} <= files


def test_every_check_name_in_the_package_is_registered():
    """A literal name must be a row; a name built at run time must go through
    registered() (which refuses a name without a row)."""
    unknown, unchecked = [], []
    for site in emit_sites():
        name = _literal(site.check)
        if name is not None:
            if name not in REGISTRY:
                unknown.append(f"{site.where}: {name}")
        elif not (_is_registered_call(site.check) or site.via_problem_method):
            unchecked.append(f"{site.where}: {ast.unparse(site.check) if site.check else None}")
    assert unknown == [], "register these checks in newscorpus.rules.checks"
    assert unchecked == [], "a check name built at run time must go through registered()"


def test_every_problem_method_passes_its_check_through_registered():
    """self.problem(ptr, check, ...) may take a variable: the method checks it."""
    methods = 0
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "problem":
                methods += 1
                calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)
                         and getattr(c.func, "id", None) == "Problem"]
                assert calls and all(_is_registered_call(_arg(c, 2, "check")) for c in calls), path
    assert methods >= 1


def _template(node) -> str:
    """A message expression as a template: each interpolated part becomes {}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_template(v) if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _template(node.left) + _template(node.right)
    return "{}"


def normalize(template: str) -> str:
    """Each {placeholder} of a registry template (nested braces included) becomes {}."""
    out, depth = [], 0
    for ch in template:
        if ch == "{":
            depth += 1
            if depth == 1:
                out.append("{}")
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _runtime_families() -> set[str]:
    return {f"schema-{k}" for k in SCHEMA_KEYWORDS} | {f"cff-{k}" for k in CFF_KEYWORDS}


def test_the_message_templates_are_the_messages_of_the_code():
    """Each message written in the code is a template of its check's row, and each
    template of a row is written somewhere (rows named at run time excepted)."""
    used: dict[str, set[str]] = {}
    wrong = []
    for site in emit_sites():
        name = _literal(site.check)
        if name is None or name not in REGISTRY or site.message is None:
            continue
        got = _template(site.message)
        templates = {normalize(t): t for t in REGISTRY[name].messages}
        if got not in templates:
            wrong.append(f"{site.where}: {name}: {got!r}")
        used.setdefault(name, set()).add(got)
    assert wrong == [], "write these messages into the check's row in newscorpus.rules.checks"
    unused = [f"{c.name}: {t!r}" for c in CHECKS if c.name not in _runtime_families()
              for t in c.messages if normalize(t) not in used.get(c.name, set())]
    assert unused == [], "templates no code writes: remove them from the registry"


# --- the generated documentation -------------------------------------------------------

def test_the_checks_doc_is_generated_from_the_registry():
    current = (REPO / DOC).read_text(encoding="utf-8")
    assert "<!-- BEGIN GENERATED: checks -->" in current
    assert render_checks_doc(current) == current, \
        f"{DOC} is stale: run '.venv/bin/python -m newscorpus.rules.checks --write'"
    for c in CHECKS:
        assert f"| `{c.name}` | {c.level} |" in current


def test_the_checks_doc_staleness_is_detected(tmp_path):
    root = tmp_path / "r"
    (root / "schema").mkdir(parents=True)
    (root / "docs").mkdir()
    shutil.copy(REPO / "schema" / "inventory.json", root / "schema" / "inventory.json")
    doc = root / DOC
    doc.write_text((REPO / DOC).read_text(encoding="utf-8").replace("`orphan-entity`", "`orphan`"), encoding="utf-8")
    from newscorpus.rules.checks import main

    assert main(["--root", str(root)]) == 1
    assert main(["--root", str(root), "--write"]) == 0
    assert doc.read_text(encoding="utf-8") == (REPO / DOC).read_text(encoding="utf-8")
    assert main(["--root", str(root)]) == 0


# --- one fixture per validator check ---------------------------------------------------

VALIDATOR_CHECKS = [c.name for c in validator_checks()]


def fixture_of(check: str) -> Path:
    return INVALID / f"{check}.json" if REGISTRY[check].scope == "file" else INVALID_REPOS / check


def test_each_validator_check_has_exactly_one_fixture_where_its_scope_says():
    for check in VALIDATOR_CHECKS:
        places = [p for p in (INVALID / f"{check}.json", INVALID_REPOS / check) if p.exists()]
        assert places == [fixture_of(check)], f"{check}: {places}"


def test_no_fixture_without_a_registry_row():
    names = {p.stem for p in INVALID.iterdir()} | {p.name for p in INVALID_REPOS.iterdir()}
    assert sorted(names - set(VALIDATOR_CHECKS)) == []
    assert set(VALIDATOR_CHECKS) == {c.name for c in CHECKS if c.scope in VALIDATOR_SCOPES}


def apply_fixture(root: Path, check: str) -> tuple[list[str], str | None]:
    """Put the fixture of ``check`` into the repository copy ``root``: the arguments for
    ``validate`` and the file every problem must be in (None: anywhere)."""
    fixture = fixture_of(check)
    if fixture.is_file():  # an annotation file, put into the draft under its document's name
        try:
            data = json.loads(fixture.read_bytes())
            doc_id = (data.get("document_id") if isinstance(data, dict) else None) or SEED
        except (ValueError, RecursionError):  # the fixtures of unreadable files
            doc_id = SEED
        target = root / "annotations" / "draft" / f"{doc_id}.json"
        shutil.copyfile(fixture, target)
        return [], target.relative_to(root).as_posix()
    spec = json.loads((fixture / OVERLAY).read_text(encoding="utf-8")) if (fixture / OVERLAY).exists() else {}
    assert set(spec) <= {"delete", "validate"}, spec
    for rel in spec.get("delete", []):
        target = root / rel
        assert target.exists(), f"{check}: {rel} to delete does not exist"
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for src in sorted(fixture.rglob("*")):
        if src.is_file() and src.relative_to(fixture).as_posix() != OVERLAY:
            target = root / src.relative_to(fixture)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    return list(spec.get("validate", [])), None


def matches(message: str, templates: tuple[str, ...]) -> bool:
    for template in templates:
        pattern = ".*".join(re.escape(part) for part in normalize(template).split("{}"))
        if re.fullmatch(pattern, message, re.DOTALL):
            return True
    return False


def validate_json(capsys, root: Path, *args: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = cli_main(["--root", str(root), "validate", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)["problems"]


@pytest.mark.parametrize("check", VALIDATOR_CHECKS)
def test_the_fixture_of_each_check_triggers_exactly_that_check(check, tmp_path, capsys, monkeypatch):
    root = copy_repo(tmp_path / "corpus-root")
    monkeypatch.chdir(root)
    args, only_file = apply_fixture(root, check)
    before = snapshot(root)
    code, problems = validate_json(capsys, root, *args)
    assert code == 1
    assert {p["check"] for p in problems} == {check}, problems
    assert all(matches(p["message"], REGISTRY[check].messages) for p in problems), problems
    if only_file:
        assert {p["file"] for p in problems} == {only_file}
    assert snapshot(root) == before, "validate wrote something"
    if REGISTRY[check].scope == "file":  # the same check when the file is given to validate
        code, problems = validate_json(capsys, root, str(fixture_of(check)))
        assert code == 1 and {p["check"] for p in problems} == {check}, problems


def test_the_repository_with_no_fixture_is_clean(tmp_path, capsys):
    root = copy_repo(tmp_path / "corpus-root")
    assert validate_json(capsys, root) == (0, [])
