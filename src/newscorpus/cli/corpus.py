"""Commands on the corpus itself: add-document, validate, stats, diff, draft, release,
schema, guidelines, agreement, evaluate. Argument parsing and printing only; each command is
one call into the library."""
from __future__ import annotations

from pathlib import Path

from newscorpus import corpus
from newscorpus.cli.output import err, out, out_json
from newscorpus.errors import Problem
from newscorpus.store.paths import Layout


def cmd_add_document(args, layout: Layout) -> int:
    paths = corpus.add_documents(layout, [Path(s) for s in args.seed], args.language,
                                 args.id, args.replace)
    for path in paths:
        out(f"wrote {layout.rel(path)}")
    return 0


def cmd_validate(args, layout: Layout) -> int:
    problems = corpus.validate(layout, [Path(f) for f in args.files])
    if args.json:
        out_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            out(p.format())
        if problems:
            err(f"{len(problems)} problem(s) found")
        else:
            out(_clean_summary(layout, args.files))
    return 1 if problems else 0


def _clean_summary(layout: Layout, files) -> str:
    from newscorpus.store.versions import annotation_files, read_index

    if files:
        return f"valid: {len(files)} file(s) checked, no problems"
    docs = len(list(layout.documents.glob("*.json")))
    draft = len(annotation_files(layout.draft))
    releases = read_index(layout)
    names = ", ".join(r.version for r in releases) or "none"
    return (f"valid: {docs} document(s), {draft} draft file(s), {len(releases)} release(s) "
            f"({names}); no problems")


def cmd_stats(args, layout: Layout) -> int:
    from newscorpus.quality.stats import format_stats, version_stats

    version, stats = version_stats(layout, args.version)
    if args.json:
        out_json({"version": version, **stats})
    else:
        out(format_stats(stats, version))
    return 0


def cmd_diff(args, layout: Layout) -> int:
    from newscorpus.store.diff import format_text, summarize

    old_name, new_name, changes = corpus.diff(layout, args.old, args.new)
    if args.json:
        out_json({"old": old_name, "new": new_name, "summary": summarize(changes), "changes": changes})
    else:
        out(format_text(changes, old_name, new_name))
    return 0


def cmd_draft_init(args, layout: Layout) -> int:
    paths = corpus.init_draft(layout, args.source, args.force)
    out(f"draft initialised from {args.source}: {len(paths)} file(s) in {layout.rel(layout.draft)}")
    return 0


def cmd_draft_start(args, layout: Layout) -> int:
    paths = corpus.start_draft(layout, args.documents)
    for path in paths:
        out(f"wrote {layout.rel(path)}")
    if not paths:
        out("every document already has a draft annotation file")
    return 0


def cmd_draft_status(args, layout: Layout) -> int:
    from newscorpus.store.versions import latest_release

    args.old, args.new = "latest", "draft"
    if latest_release(layout) is None:
        out("no release yet: everything in the draft is new")
        return 0
    return cmd_diff(args, layout)


def cmd_release(args, layout: Layout) -> int:
    path = corpus.release(layout, args.version, args.message, args.date)
    out(f"released {args.version} into {layout.rel(path)}; updated "
        f"{layout.rel(layout.release_index)}, {layout.rel(layout.changelog)}, {layout.rel(layout.citation)}")
    return 0


def cmd_schema(args, layout: Layout) -> int:
    stale = corpus.stale_schemas(layout, write=args.write)
    if args.write:
        out(f"wrote {len(stale)} schema file(s)" if stale else "schema files are up to date")
        return 0
    if stale:
        for path in stale:
            err(Problem(layout.rel(path), "", "schema-out-of-date", "run 'newscorpus schema --write'").format())
        return 1
    out("schema files are up to date")
    return 0


def cmd_guidelines(args, layout: Layout) -> int:
    stale = corpus.guidelines_stale(layout, write=args.write)
    if stale and not args.write:
        err(Problem(layout.rel(layout.guidelines), "", "guidelines-out-of-date",
                    "run 'newscorpus guidelines --write'").format())
        return 1
    out(f"wrote {layout.rel(layout.guidelines)}" if stale else f"{layout.rel(layout.guidelines)} is up to date")
    return 0


def cmd_agreement(args, layout: Layout) -> int:
    from newscorpus.quality.agreement import format_agreement
    from newscorpus.quality.passes import pairwise_agreement

    pairs = pairwise_agreement(layout, args.sets or None, args.document or None)
    if args.json:
        out_json(pairs[0] if len(args.sets) == 2 else {"pairs": pairs})
    else:
        out("\n\n".join(format_agreement(p, p["a"], p["b"]) for p in pairs))
    return 0


def cmd_adjudicate(args, layout: Layout) -> int:
    from newscorpus.quality.adjudication import Options, adjudicate
    from newscorpus.store.diff import summarize

    decisions = adjudicate(layout, args.take, args.document or None,
                           Options(args.note, args.date, args.force, args.allow_deletions, args.dry_run))
    for d in decisions:
        counts = ", ".join(f"{layer} +{c['added']} -{c['removed']} ~{c['changed']}"
                           for layer, c in summarize(d.changes).items())
        out(f"{d.document}: took {d.taken} (passes: {', '.join(d.passes)}); draft {counts or 'unchanged'}")
    out(f"dry run: {len(decisions)} document(s) checked, nothing written" if args.dry_run else
        f"adjudicated {len(decisions)} document(s); decisions recorded in annotations/adjudication/")
    return 0


def cmd_evaluate(args, layout: Layout) -> int:
    from newscorpus.quality.scorer import evaluate, format_evaluation

    result = evaluate(layout, args.gold, args.predictions)
    if args.json:
        out_json(result)
    else:
        out(format_evaluation(result))
    return 0


def register_quality(command) -> None:
    """The commands that measure annotations: agreement and evaluate."""
    p = command("agreement", cmd_agreement,
                "Inter-annotator agreement between annotation sets (folders, annotation passes or "
                "versions): every pair of them, or of every stored pass with --passes.")
    p.add_argument("sets", nargs="*", metavar="SET",
                   help="a folder, the name of a pass under annotations/passes/, a release, 'latest' or "
                        "'draft' (two or more; none with --passes: every stored pass)")
    p.add_argument("--passes", action="store_true", help="every pair of the stored annotation passes")
    p.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command("adjudicate", cmd_adjudicate,
                "Take one annotation pass of each document into the draft and record the decision in "
                "annotations/adjudication/<document>.json.")
    p.add_argument("--take", required=True, metavar="PASS",
                   help="the pass to take: its name under annotations/passes/ (an annotator's pseudonym)")
    p.add_argument("--document", action="append", metavar="ID",
                   help="only this document (repeatable; default: every document the pass has)")
    p.add_argument("--note", help="why this pass was taken (recorded; no names or e-mail addresses)")
    p.add_argument("--date", help="the time of the decision, YYYY-MM-DDTHH:MM:SSZ (default: now)")
    p.add_argument("--force", action="store_true",
                   help="replace draft files that have changes of their own (they are lost)")
    p.add_argument("--allow-deletions", action="store_true",
                   help="take a pass that removes all, or more than half, of a draft file's annotations")
    p.add_argument("--dry-run", action="store_true", help="check and print; write nothing")

    p = command("evaluate", cmd_evaluate,
                "Score predictions (a folder of annotation files) against a gold version: "
                "mentions, BIO, coreference, events, quotes.")
    p.add_argument("gold", help="the gold: a release, 'latest', or a folder of annotation files")
    p.add_argument("predictions", help="a folder of annotation files, one per document")
    p.add_argument("--json", action="store_true", help="print JSON")


def register(sub, command) -> None:
    p = command("add-document", cmd_add_document,
                "Add seed text files to the corpus as document records, all in one transaction.")
    p.add_argument("seed", nargs="+",
                   help="seed files (inside seeds/), folders of *.txt seed files, or JSON Lines "
                        "files of texts ({\"id\": ..., \"text\": ..., optional \"language\", \"metadata\"}; "
                        "each text is stored as seeds/<id>.txt)")
    p.add_argument("--language", default="en", help="BCP 47 language tag (default: en)")
    p.add_argument("--id", help="document id, with a single seed file (default: the seed file name "
                                "without extension)")
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
    d = dsub.add_parser("start", help="Start empty draft annotation files for new documents.",
                        description="Start an empty draft annotation file for each named document "
                                    "(default: every document without one); other files are kept.")
    d.add_argument("documents", nargs="*", help="document ids (default: all without a draft file)")
    d.set_defaults(func=cmd_draft_start)
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

    register_quality(command)
