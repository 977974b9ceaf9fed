"""CLI commands of the Hugging Face export: ``build`` and ``publish``."""
from __future__ import annotations

import sys
from pathlib import Path


def cmd_build(args, layout) -> int:
    from newscorpus.hf.build import build

    result = build(layout, args.version, Path(args.output) if args.output else None)
    out = sys.stdout
    out.write(f"built annotation version {result.version}\n")
    for config, splits in result.rows.items():
        detail = ", ".join(f"{s} {n}" for s, n in splits.items())
        out.write(f"  {config:<10} {detail} row(s)\n")
    out.write(f"output: {result.output}\n")
    out.write(f"load it: {result.load_line()}\n")
    return 0


def cmd_publish(args, layout) -> int:
    from newscorpus.hf.publish import publish

    plan = publish(Path(args.folder), args.repo_id, dry_run=args.dry_run, private=args.private)
    out = sys.stdout
    verb = "would upload" if args.dry_run else "uploaded"
    out.write(f"{verb} {len(plan.files)} file(s) to dataset repository {plan.repo_id}:\n")
    for f in plan.files:
        out.write(f"  {f}\n")
    out.write(f"{'would tag' if args.dry_run else 'tagged'} the commit as {plan.tag}\n")
    return 0


def register(sub, command) -> None:
    p = command("build", cmd_build,
                "Build the Hugging Face dataset repository folder (Parquet, card, citation) for one "
                "annotation version. Validates first and refuses to build on any problem.")
    p.add_argument("--version", default="latest", help="release to build, 'latest' (default) or 'draft'")
    p.add_argument("--output", help="output folder (default: build/dataset under the corpus root)")

    p = command("publish", cmd_publish,
                "Upload a built dataset folder to a Hugging Face Hub dataset repository and tag the "
                "commit with the annotation version. Token from $HF_TOKEN.")
    p.add_argument("folder", help="the folder written by 'newscorpus build'")
    p.add_argument("--repo-id", required=True, help="Hub dataset repository, e.g. my-org/newscorpus")
    p.add_argument("--dry-run", action="store_true", help="list what would be uploaded and tagged; send nothing")
    p.add_argument("--private", action="store_true", help="create the repository as private if it does not exist")
