"""CLI command of the exports wing: ``convert`` (to brat, CoNLL-2012, CoNLL-2003,
spaCy, Croissant metadata of a build; from brat)."""
from __future__ import annotations

import sys
from pathlib import Path


def cmd_convert(args, layout) -> int:
    from newscorpus.exports.convert import export, import_brat

    output = Path(args.output) if args.output else None
    if args.from_format:
        result = import_brat(layout, Path(args.folder), output, args.annotator)
        where = "the draft" if output is None else str(result.output)
        sys.stdout.write(f"read {result.documents} document(s) from brat into {where}: "
                         f"{len(result.changes)} change(s) against the draft\n")
    else:
        build = Path(args.folder) if args.folder else None
        result = export(layout, args.to_format, args.version, output, build)
        sys.stdout.write(f"wrote annotation version {result.version} as {args.to_format}: "
                         f"{result.documents} document(s), {len(result.files)} file(s) in {result.output}\n")
    return 0


def register(sub, command) -> None:
    from newscorpus.exports.convert import FORMATS

    p = command("convert", cmd_convert,
                "Write one annotation version in another format (--to), or read a folder of brat "
                "files back into the draft or a folder (--from brat). Validates first.")
    way = p.add_mutually_exclusive_group(required=True)
    way.add_argument("--to", dest="to_format", choices=FORMATS, help="format to write")
    way.add_argument("--from", dest="from_format", choices=("brat",), help="format to read (FOLDER)")
    p.add_argument("folder", nargs="?", help="with --from: the folder of <id>.txt and <id>.ann files; with --to croissant: the "
                                             "build folder to describe (default build/dataset)")
    p.add_argument("--version", default="latest", help="with --to: release, 'latest' (default) or 'draft' (croissant: "
                                                         "the version the build holds)")
    p.add_argument("--output", help="--to: output folder (default build/<format>; croissant: the file, default "
                                    "<build>/croissant.json); --from: write annotation "
                                    "files there instead of into the draft")
    p.add_argument("--annotator", default="brat",
                   help="--from: pseudonym recorded for annotations drawn in brat (default 'brat')")
