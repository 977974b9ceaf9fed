"""The command line: one entry point (``newscorpus`` or ``python -m newscorpus``);
each command is one library function plus argument parsing."""
from __future__ import annotations

import argparse
import sys

from newscorpus import __version__
from newscorpus.errors import CorpusError
from newscorpus.corpus import session
from newscorpus.store.paths import find_root


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

    for extension in _extensions():
        extension(sub, command)
    return parser


def _extensions():
    from newscorpus.cli.corpus import register as corpus_register
    from newscorpus.cli.exports import register as exports_register
    from newscorpus.cli.hf import register as hf_register
    from newscorpus.cli.labelstudio import register as ls_register

    return [corpus_register, hf_register, ls_register, exports_register]


def _command_line(argv: list[str] | None) -> str:
    """The command as typed, for the lock's holder note (options' values left out)."""
    words = sys.argv[1:] if argv is None else argv
    return "newscorpus " + " ".join(w for w in words[:3] if not w.startswith("-"))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        layout = find_root(args.root)
        with session(layout, _command_line(argv)) as note:
            if note:
                sys.stderr.write(f"note: {note}\n")
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
