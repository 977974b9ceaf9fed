"""The validator: the repository itself is clean, problem lines name file, pointer,
check and text, and every problem is reported. (Each named check's fixture, triggering
exactly that check, is tested in test_checks.py.)"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import REPO, SEED, run_cli
from newscorpus.rules.inventory import load_inventory
from newscorpus.rules.schema import annotation_schema, document_schema

FIXTURES = Path(__file__).parent / "fixtures"


def checks_in(stdout: str) -> set[str]:
    return {line.split(": ")[2] for line in stdout.splitlines() if line.count(": ") >= 3}


def test_repository_is_clean():
    result = run_cli("validate", root=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid: ") and len(result.stdout.splitlines()) == 1


def test_valid_fixture_is_clean():
    result = run_cli("validate", str(FIXTURES / "valid_minimal.json"), root=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_problem_lines_name_file_pointer_check_and_text():
    result = run_cli("validate", str(FIXTURES / "invalid" / "span-text-mismatch.json"), root=REPO)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line == ("tests/fixtures/invalid/span-text-mismatch.json: /mentions/1/text: span-text-mismatch: "
                    "text differs from text[62:67] = 'Japan': 'China'")


def test_json_syntax_error_gives_line_and_column():
    result = run_cli("validate", str(FIXTURES / "invalid" / "json-syntax.json"), root=REPO)
    assert result.returncode == 1
    assert ": line 52, column 7: json-syntax: Expecting ',' delimiter" in result.stdout


def test_all_problems_are_reported_not_just_the_first(root):
    data = json.loads((FIXTURES / "valid_minimal.json").read_text(encoding="utf-8"))
    data["mentions"][0]["text"] = "North Korea"
    data["mentions"][1]["kind"] = "proper"
    data["events"][0]["arguments"][0]["mention"] = "m42"
    path = root / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("validate", str(path), root=root)
    assert result.returncode == 1
    assert checks_in(result.stdout) == {"span-text-mismatch", "unknown-label", "dangling-reference"}


def test_document_text_changed_after_annotation(root):
    """A corrected seed re-added as the document: the annotations no longer fit."""
    seed = root / "seeds" / f"{SEED}.txt"
    seed.write_bytes(seed.read_bytes().replace("Sunday, November 3".encode(), b"Sunday, Nov. 3"))
    result = run_cli("add-document", f"seeds/{SEED}.txt", "--replace", root=root, cwd=root)
    assert result.returncode == 0, result.stderr
    result = run_cli("validate", root=root)
    assert result.returncode == 1
    assert "text-hash-mismatch" in checks_in(result.stdout)
    assert "annotations/draft/" in result.stdout


def test_seed_edited_without_readding(root):
    seed = root / "seeds" / f"{SEED}.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    result = run_cli("validate", root=root)
    assert result.returncode == 1
    assert checks_in(result.stdout) == {"seed-mismatch"}


def test_schema_out_of_date_is_detected(root):
    inv = json.loads((root / "schema" / "inventory.json").read_text(encoding="utf-8"))
    inv["quote_kinds"].append({"label": "mixed", "definition": "A test label."})
    (root / "schema" / "inventory.json").write_text(json.dumps(inv, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run_cli("validate", root=root)
    assert result.returncode == 1
    assert checks_in(result.stdout) == {"schema-out-of-date", "guidelines-out-of-date"}
    assert run_cli("schema", "--write", root=root).returncode == 0
    assert run_cli("guidelines", "--write", root=root).returncode == 0
    result = run_cli("validate", root=root)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", ["annotation.schema.json", "document.schema.json"])
def test_schema_files_pass_the_draft_2020_12_metaschema(name):
    schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"]

    def walk(node, path):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert isinstance(sub, dict) and sub.get("description"), f"{path}/{key} has no description"
            for value in node.values():
                walk(value, path)
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    walk(schema, name)


def test_schema_enums_come_from_the_inventory():
    inventory = load_inventory(REPO / "schema" / "inventory.json")
    schema = annotation_schema(inventory)
    items = schema["properties"]["mentions"]["items"]["properties"]
    assert items["type"]["enum"] == inventory.labels("entity_types")
    assert items["kind"]["enum"] == inventory.labels("mention_kinds")
    ev = schema["properties"]["events"]["items"]["properties"]
    assert ev["type"]["enum"] == inventory.labels("event_types")
    assert document_schema(inventory)["$id"] == "urn:newscorpus:schema:document"


def test_inventory_covers_the_domain():
    inventory = load_inventory(REPO / "schema" / "inventory.json")
    labels = set(inventory.labels("event_types"))
    for needed in ("Military.Exercise", "Military.WeaponTest", "Military.Deployment",
                   "Contact.Statement", "Contact.Condemnation", "Government.Sanction", "Contact.Talks"):
        assert needed in labels
    assert {"PER", "ORG", "GPE", "LOC", "NORP", "VEH", "WEA", "TIME"} <= set(inventory.labels("entity_types"))
    for item in inventory.event_types:
        assert item.roles and item.definition
