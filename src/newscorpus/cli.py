"""The command line: one entry point (``newscorpus`` or ``python -m newscorpus``);
each command is one library function plus argument parsing."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newscorpus import __version__
from newscorpus.errors import CorpusError, Problem
from newscorpus.paths import Layout, find_root


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _json(data) -> None:
    _out(json.dumps(data, ensure_ascii=False, indent=2))


def _load_version(layout: Layout, name: str):
    """A version name (release, 'latest', 'draft') or a folder of annotation files."""
    from newscorpus.validation import validate_folder
    from newscorpus.versions import load_folder, load_sets, resolve_version, DRAFT
    from newscorpus.inventory import load_inventory
    from newscorpus.jsonio import read_json

    path = Path(name)
    if name not in ("draft", "latest") and path.is_dir():
        inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
        docs = {}
        for p in sorted(layout.documents.glob("*.json")):
            d = read_json(p, layout.rel(p))
            docs[d["id"]] = d
        problems = validate_folder(layout, path, inventory, docs, None)
        problems = [p for p in problems if p.check != "version-mismatch"]
        if problems:
            raise CorpusError(problems)
        return name, load_folder(path)
    version = resolve_version(layout, name)
    _require_valid(layout)
    return version, load_sets(layout, version)


def _require_valid(layout: Layout) -> None:
    from newscorpus.validation import validate_repository

    problems = validate_repository(layout)
    if problems:
        raise CorpusError(problems)


# --- commands -------------------------------------------------------------------------

def cmd_add_document(args, layout: Layout) -> int:
    from newscorpus.documents import add_document

    path = add_document(layout, Path(args.seed), args.language, args.id, args.replace)
    _out(f"wrote {layout.rel(path)}")
    return 0


def cmd_validate(args, layout: Layout) -> int:
    from newscorpus.validation import validate_file, validate_repository

    if args.files:
        problems = [p for f in args.files for p in validate_file(layout, Path(f))]
    else:
        problems = validate_repository(layout)
    if args.json:
        _json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            _out(p.format())
        if problems:
            sys.stderr.write(f"{len(problems)} problem(s) found\n")
        else:
            _out(_clean_summary(layout, args.files))
    return 1 if problems else 0


def _clean_summary(layout: Layout, files) -> str:
    from newscorpus.versions import annotation_files, read_index

    if files:
        return f"valid: {len(files)} file(s) checked, no problems"
    docs = len(list(layout.documents.glob("*.json")))
    draft = len(annotation_files(layout.draft))
    releases = read_index(layout)
    names = ", ".join(r.version for r in releases) or "none"
    return (f"valid: {docs} document(s), {draft} draft file(s), {len(releases)} release(s) "
            f"({names}); no problems")


def cmd_stats(args, layout: Layout) -> int:
    from newscorpus.inventory import load_inventory
    from newscorpus.stats import compute_stats, format_stats
    from newscorpus.versions import inventory_path

    version, sets = _load_version(layout, args.version)
    is_folder = Path(args.version).is_dir() and args.version not in ("draft", "latest")
    inv_path = layout.inventory if is_folder else inventory_path(layout, version)
    stats = compute_stats(sets, load_inventory(inv_path))
    if args.json:
        _json({"version": version, **stats})
    else:
        _out(format_stats(stats, version))
    return 0


def cmd_diff(args, layout: Layout) -> int:
    from newscorpus.diff import diff_sets, format_text, summarize

    old_name, old = _load_version(layout, args.old)
    new_name, new = _load_version(layout, args.new)
    changes = diff_sets(old, new)
    if args.json:
        _json({"old": old_name, "new": new_name, "summary": summarize(changes), "changes": changes})
    else:
        _out(format_text(changes, old_name, new_name))
    return 0


def cmd_draft_init(args, layout: Layout) -> int:
    from newscorpus.versions import init_draft

    paths = init_draft(layout, args.source, args.force)
    _out(f"draft initialised from {args.source}: {len(paths)} file(s) in {layout.rel(layout.draft)}")
    return 0


def cmd_draft_status(args, layout: Layout) -> int:
    args.old, args.new = "latest", "draft"
    from newscorpus.versions import latest_release

    if latest_release(layout) is None:
        _out("no release yet: everything in the draft is new")
        return 0
    return cmd_diff(args, layout)


def cmd_release(args, layout: Layout) -> int:
    from newscorpus.versions import create_release

    path = create_release(layout, args.version, args.message, args.date)
    _out(f"released {args.version} into {layout.rel(path)}; updated "
         f"{layout.rel(layout.release_index)}, {layout.rel(layout.changelog)}, {layout.rel(layout.citation)}")
    return 0


def cmd_schema(args, layout: Layout) -> int:
    from newscorpus.inventory import load_inventory
    from newscorpus.jsonio import dumps, write_json
    from newscorpus.schema import annotation_schema, check_metaschema, document_schema

    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    schemas = {layout.annotation_schema: annotation_schema(inventory),
               layout.document_schema: document_schema(inventory)}
    stale = []
    for path, schema in schemas.items():
        check_metaschema(schema)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != dumps(schema):
            stale.append(path)
            if args.write:
                write_json(path, schema)
    if args.write:
        _out(f"wrote {len(stale)} schema file(s)" if stale else "schema files are up to date")
        return 0
    if stale:
        for path in stale:
            sys.stderr.write(Problem(layout.rel(path), "", "schema-out-of-date",
                                     "run 'newscorpus schema --write'").format() + "\n")
        return 1
    _out("schema files are up to date")
    return 0


def cmd_guidelines(args, layout: Layout) -> int:
    from newscorpus.guidelines import render_guidelines
    from newscorpus.inventory import load_inventory
    from newscorpus.jsonio import atomic_write_text

    inventory = load_inventory(layout.inventory, layout.rel(layout.inventory))
    current = layout.guidelines.read_text(encoding="utf-8")
    new = render_guidelines(current, inventory)
    if args.write:
        if new != current:
            atomic_write_text(layout.guidelines, new)
        _out(f"{layout.rel(layout.guidelines)} is up to date")
        return 0
    if new != current:
        sys.stderr.write(Problem(layout.rel(layout.guidelines), "", "guidelines-out-of-date",
                                 "run 'newscorpus guidelines --write'").format() + "\n")
        return 1
    _out(f"{layout.rel(layout.guidelines)} is up to date")
    return 0


def cmd_agreement(args, layout: Layout) -> int:
    from newscorpus.agreement import agreement, format_agreement

    name_a, a = _load_version(layout, args.a)
    name_b, b = _load_version(layout, args.b)
    result = agreement(a, b)
    if args.json:
        _json({"a": name_a, "b": name_b, **result})
    else:
        _out(format_agreement(result, name_a, name_b))
    return 0


# --- parser ----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscorpus",
        description="Annotated news corpus: validate, version, diff, build and sync the annotations.")
    parser.add_argument("--version", action="version", version=f"newscorpus {__version__}")
    parser.add_argument("--root", help="corpus root (default: $NEWSCORPUS_ROOT, or the nearest folder "
                                       "at or above the working directory with schema/inventory.json)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, func, help_text, **kw):
        p = sub.add_parser(name, help=help_text, description=help_text, **kw)
        p.set_defaults(func=func)
        return p

    p = command("add-document", cmd_add_document, "Add a seed text file to the corpus as a document record.")
    p.add_argument("seed", help="path of the seed file (inside seeds/)")
    p.add_argument("--language", default="en", help="BCP 47 language tag (default: en)")
    p.add_argument("--id", help="document id (default: the seed file name without extension)")
    p.add_argument("--replace", action="store_true", help="overwrite an existing record")

    p = command("validate", cmd_validate,
                "Validate the whole repository (or the given annotation files): JSON Schema, then named checks.")
    p.add_argument("files", nargs="*", help="annotation files to check instead of the repository")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")

    p = command("stats", cmd_stats, "Counts per layer and label for one annotation version.")
    p.add_argument("--version", default="latest", help="release, 'latest' (default), 'draft' or a folder")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command("diff", cmd_diff, "Per-annotation differences between two versions: added, removed, changed.")
    p.add_argument("old", help="release, 'latest', 'draft' or a folder of annotation files")
    p.add_argument("new", help="release, 'latest', 'draft' or a folder of annotation files")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command("draft", None, "Manage the working draft (annotations/draft).")
    dsub = p.add_subparsers(dest="draft_command", metavar="ACTION", required=True)
    d = dsub.add_parser("init", help="Replace the draft with a copy of a release (or empty files).",
                        description="Replace the draft with a copy of a release (or empty files).")
    d.add_argument("--from", dest="source", default="latest", help="release, 'latest' (default) or 'empty'")
    d.add_argument("--force", action="store_true", help="replace a draft that already has files")
    d.set_defaults(func=cmd_draft_init)
    d = dsub.add_parser("status", help="Diff the draft against the latest release.",
                        description="Diff the draft against the latest release.")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.set_defaults(func=cmd_draft_status)

    p = command("release", cmd_release,
                "Release the draft as a new semantic version (validates, checks the version, writes checksums).")
    p.add_argument("version", help="MAJOR.MINOR.PATCH, higher than the last release")
    p.add_argument("-m", "--message", required=True, help="changelog entry")
    p.add_argument("--date", help="release date YYYY-MM-DD (default: today, UTC)")

    p = command("schema", cmd_schema, "Check (or --write) schema/*.schema.json against the inventory.")
    p.add_argument("--write", action="store_true", help="regenerate the schema files")

    p = command("guidelines", cmd_guidelines, "Check (or --write) the generated label tables in docs/guidelines.md.")
    p.add_argument("--write", action="store_true", help="regenerate the tables")

    p = command("agreement", cmd_agreement,
                "Inter-annotator agreement between two annotation sets (folders or versions).")
    p.add_argument("a", help="first set: folder, release, 'latest' or 'draft'")
    p.add_argument("b", help="second set: folder, release, 'latest' or 'draft'")
    p.add_argument("--json", action="store_true", help="print JSON")

    for extension in _extensions():
        extension(sub, command)
    return parser


def _extensions():
    from newscorpus.hf_cli import register as hf_register
    from newscorpus.labelstudio_cli import register as ls_register

    return [hf_register, ls_register]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        layout = find_root(args.root)
        return args.func(args, layout)
    except CorpusError as exc:
        for problem in exc.problems:
            sys.stderr.write(problem.format() + "\n")
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:  # pragma: no cover
        return 1
