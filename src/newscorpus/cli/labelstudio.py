"""CLI commands of the Label Studio round trip: ``newscorpus labelstudio config | export |
import | push | pull | suggest``. Each command is one function of ``newscorpus.labelstudio``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

LISTED = 20  # file names printed after an import; the rest are counted (--json lists all)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _notes(notes: list[str]) -> None:
    for note in notes:
        sys.stderr.write(f"note: {note}\n")


def _report(result, args, target: str) -> None:
    from newscorpus.store.diff import format_text, summarize

    _notes(result.notes)
    if getattr(args, "json", False):
        _out(json.dumps({"source": result.source_name, "documents": sorted(result.documents),
                         "written": [str(p) for p in result.written], "dry_run": bool(args.dry_run),
                         "summary": summarize(result.changes), "changes": result.changes},
                        ensure_ascii=False, indent=2))
        return
    if result.documents:
        _out(format_text(result.changes, result.source_name, target))
    if not result.documents:
        _out("nothing to import: no task has a submitted annotation")
        return
    if args.dry_run:
        _out(f"dry run: {len(result.documents)} document(s) checked, nothing written")
    else:
        names = [p.name for p in result.written]
        listed = ", ".join(names[:LISTED]) + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")
        _out(f"imported {len(result.documents)} document(s) into the draft: " + (listed or "nothing to import"))


def cmd_config(args, layout) -> int:
    from newscorpus.rules.inventory import load_inventory
    from newscorpus.store.jsonio import atomic_write_text
    from newscorpus.labelstudio import labeling_config

    config = labeling_config(load_inventory(layout.inventory, layout.rel(layout.inventory)))
    if args.output:
        atomic_write_text(Path(args.output), config)
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        sys.stdout.write(config)
    return 0


def cmd_export(args, layout) -> int:
    from newscorpus.labelstudio import write_tasks

    count, version = write_tasks(layout, args.version, args.document or None,
                                 Path(args.output) if args.output else None)
    if args.output:
        sys.stderr.write(f"wrote {count} task(s) of version {version} to {args.output}\n")
    return 0


def _report_passes(result, args) -> None:
    from newscorpus.quality.agreement import format_agreement

    _notes(result.notes)
    if args.json:
        _out(json.dumps({"documents": result.documents, "passes": result.passes,
                         "written": [str(p) for p in result.written], "dry_run": bool(args.dry_run),
                         "agreement": result.agreement or []}, ensure_ascii=False, indent=2))
        return
    if not result.documents:
        _out("nothing to import: no task has a submitted annotation")
        return
    for name, docs in result.passes.items():
        _out(f"pass {name}: {len(docs)} document(s)")
    _out(f"dry run: {len(result.documents)} document(s) checked, nothing written" if args.dry_run else
         f"wrote {sum(len(d) for d in result.passes.values())} pass file(s) under annotations/passes/ for "
         f"{len(result.documents)} document(s); the draft is unchanged")
    for pair in result.agreement or []:
        _out("")
        _out(format_agreement(pair, pair["a"], pair["b"]))


def cmd_import(args, layout) -> int:
    from newscorpus.labelstudio import import_file, import_passes_file

    if args.passes:
        _report_passes(import_passes_file(layout, Path(args.file), args.dry_run), args)
        return 0
    result = import_file(layout, Path(args.file), dry_run=args.dry_run, force=args.force,
                         allow_deletions=args.allow_deletions)
    _report(result, args, "draft" if not args.dry_run else "import (dry run)")
    return 0


def cmd_push(args, layout) -> int:
    from newscorpus.labelstudio import push

    r = push(layout, args.url, args.project_title, args.project_id, args.version,
             args.document or None, args.force)
    state = "created" if r.created_project else "updated" if r.config_updated else "found"
    _out(f"project {r.project_id} ({r.title!r}) {state} at {r.url}; version {r.version}")
    _out(f"documents: {len(r.created)} created, {len(r.replaced)} replaced, {len(r.unchanged)} unchanged "
         "(a task per view: entities, events, quotes)")
    _out(f"open: {r.url}/projects/{r.project_id}/data")
    return 0


def cmd_pull(args, layout) -> int:
    from newscorpus.labelstudio import pull

    r = pull(layout, args.url, args.project_title, args.project_id,
             Path(args.save) if args.save else None, args.dry_run, args.force, args.allow_deletions,
             args.passes)
    sys.stderr.write(f"project {r.project_id} ({r.title!r}) at {r.url}: {r.tasks} task(s) with annotations"
                     + (f"; export saved to {r.saved}" if r.saved else "") + "\n")
    if args.passes:
        _report_passes(r.imported, args)
    else:
        _report(r.imported, args, "draft" if not args.dry_run else "pull (dry run)")
    return 0


def cmd_suggest(args, layout) -> int:
    from newscorpus.labelstudio import push_suggestions, write_suggestions

    if args.output:
        found, count = write_suggestions(layout, args.version, args.document or None, args.spacy_model,
                                         Path(args.output))
        sys.stderr.write(f"wrote {count} task(s) with suggestions ({found.model_version}, {found.names} known "
                         f"names) to {args.output}\n")
        return 0
    r = push_suggestions(layout, args.url, args.project_title, args.project_id, args.version,
                         args.document or None, args.spacy_model)
    _out(f"project {r.project_id} ({r.title!r}) at {r.url}: suggestions {r.model_version} from {r.names} "
         "known names")
    _out(f"tasks: {len(r.created)} created, {len(r.updated)} given the suggestions, {len(r.unchanged)} unchanged")
    return 0


def _import_options(a) -> None:
    """The options import and pull share."""
    a.add_argument("--dry-run", action="store_true", help="check and print the diff; write nothing")
    a.add_argument("--json", action="store_true", help="print the diff as JSON")
    a.add_argument("--force", action="store_true",
                   help="replace draft files that have changes of their own since the export")
    a.add_argument("--passes", action="store_true",
                   help="keep every annotator's annotation as a pass of its own "
                        "(annotations/passes/<pseudonym>/); the draft is left alone")
    a.add_argument("--allow-deletions", action="store_true",
                   help="accept an annotation that removes all, or more than half, of a document's "
                        "annotations (refused otherwise: ls-mass-deletion)")


def register(sub, command) -> None:
    from newscorpus.labelstudio import DEFAULT_PROJECT_TITLE, DEFAULT_URL, TOKEN_ENV

    p = command("labelstudio", None,
                "Label Studio round trip: generated labeling interface, pre-annotated tasks, "
                "lossless import into the draft, push and pull against a server.")
    lsub = p.add_subparsers(dest="labelstudio_command", metavar="ACTION", required=True)

    def action(name, func, help_text):
        a = lsub.add_parser(name, help=help_text, description=help_text)
        a.set_defaults(func=func)
        return a

    def server(a):
        a.add_argument("--url", default=DEFAULT_URL, help=f"Label Studio URL (default: {DEFAULT_URL}); "
                                                           f"the token is read from ${TOKEN_ENV}")
        a.add_argument("--project-title", default=DEFAULT_PROJECT_TITLE,
                       help=f"project title (default: {DEFAULT_PROJECT_TITLE}); the id found for it is "
                            "recorded in .labelstudio/projects.json")
        a.add_argument("--project-id", type=int, help="use this project id instead of looking up the title")

    a = action("config", cmd_config,
               "Print the Label Studio labeling config generated from schema/inventory.json.")
    a.add_argument("--output", help="write it to this file instead of standard output")

    a = action("export", cmd_export,
               "Export one Label Studio task per document, with the annotations of a version as "
               "predictions (pre-annotations).")
    a.add_argument("--version", default="latest", help="release, 'latest' (default) or 'draft'")
    a.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")
    a.add_argument("--output", help="write the JSON to this file instead of standard output")

    a = action("import", cmd_import,
               "Import a Label Studio JSON export (tasks with annotations) into the draft and print the "
               "diff against the exported version. Writes nothing if any check fails.")
    a.add_argument("file", help="the JSON export downloaded from Label Studio (Export > JSON)")
    _import_options(a)

    a = action("push", cmd_push,
               "Create or update the Label Studio project (generated interface) and import the tasks "
               f"with their annotations as predictions. Token from ${TOKEN_ENV}.")
    server(a)
    a.add_argument("--version", default="latest", help="release, 'latest' (default) or 'draft'")
    a.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")
    a.add_argument("--force", action="store_true",
                   help="replace tasks that already have annotations (those annotations are deleted)")

    a = action("pull", cmd_pull,
               "Fetch the annotations of the Label Studio project and import them into the draft "
               f"(as 'import' does). Token from ${TOKEN_ENV}.")
    server(a)
    a.add_argument("--save", help="also save the raw JSON export to this file")
    _import_options(a)

    a = action("suggest", cmd_suggest,
               "Pre-annotate the documents that have no annotations yet with the names the corpus knows "
               "(and, optionally, an installed spaCy pipeline), as Label Studio predictions; nothing is "
               f"written into the draft. Token from ${TOKEN_ENV}.")
    server(a)
    _suggest_options(a)


def _suggest_options(a) -> None:
    a.add_argument("--version", default="latest", help="the release whose names are used (default: latest)")
    a.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")
    a.add_argument("--spacy-model", metavar="NAME",
                   help="also the entities of this installed spaCy pipeline (a package name or a folder)")
    a.add_argument("--output", help="write the tasks to this file instead of sending them to Label Studio")
