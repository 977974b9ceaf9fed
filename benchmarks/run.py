"""The newscorpus benchmark: a synthetic corpus of N documents, every command run on it
as a child process (time: median of --repeat runs; peak memory: ru_maxrss), and the
floors measured in the same run. Prints a table and writes JSON.

    .venv/bin/python benchmarks/run.py --sizes 100 1000 --output benchmarks/results/latest.json
    .venv/bin/python benchmarks/run.py --sizes 10000 --output benchmarks/results/latest.json --merge
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from report import judge, machine, markdown_table, table
from stages import run_size
from suite import Context

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="values of N (default: 100 1000)")
    p.add_argument("--repeat", type=int, help="runs per measurement (default: 3 at N <= 1,000, else 1)")
    p.add_argument("--output", default=str(HERE / "results" / "latest.json"), help="the JSON results file")
    p.add_argument("--merge", action="store_true",
                   help="keep the other sizes already in --output (e.g. add N=10,000 to a 100/1,000 run)")
    p.add_argument("--work", default=tempfile.gettempdir(), help="where the synthetic repositories go")
    p.add_argument("--timeout", type=float, default=3 * 3600, help="seconds before a run is killed")
    p.add_argument("--memory-limit", type=float, default=12_000,
                   help="MB of resident memory at which a child is killed (default: 12000)")
    p.add_argument("--keep", action="store_true", help="keep the synthetic repositories")
    p.add_argument("--markdown", action="store_true", help="also print the table in Markdown")
    return p.parse_args(argv)


def offline_env(base: Path) -> None:
    """The harness itself runs offline with a temporary HF_HOME too."""
    os.environ.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_HOME=str(base / "hf-harness"))


def load_previous(path: Path, merge: bool) -> dict[str, dict]:
    if merge and path.is_file():
        return json.loads(path.read_text(encoding="utf-8")).get("sizes", {})
    return {}


def save(path: Path, results: dict) -> None:
    judge(results["sizes"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class Recorder:
    """Prints the progress and saves the partial results after every row and floor, so
    that a run stopped half way still leaves its figures."""

    def __init__(self, output: Path, results: dict):
        self.output, self.results, self.ctx = output, results, None

    def __call__(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)
        if self.ctx is not None:
            c = self.ctx
            self.results["sizes"][str(c.n)] = {"n": c.n, "repeat": c.repeat, "partial": True,
                                               "rows": c.rows, "floors": c.floors}
            save(self.output, self.results)


def run_sizes(args: argparse.Namespace, base: Path, output: Path, results: dict) -> None:
    recorder = Recorder(output, results)
    for n in args.sizes:
        repeat = args.repeat or (3 if n <= 1000 else 1)
        recorder.ctx = None
        ctx = Context(n, base / f"n{n}", repeat, args.timeout, args.memory_limit, recorder)
        recorder(f"N={n:,} (repeat {repeat}) in {ctx.work}")
        recorder.ctx = ctx
        started, at_start = time.perf_counter(), machine()
        results["sizes"][str(n)] = {**run_size(ctx), "partial": False,
                                    "total_seconds": time.perf_counter() - started,
                                    "machine": {**at_start, "load_average_end": os.getloadavg()}}
        save(output, results)
        if not args.keep:
            shutil.rmtree(ctx.work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    output = Path(args.output).resolve()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="newscorpus-bench-", dir=args.work))
    offline_env(base)
    results = {"machine": machine(), "sizes": load_previous(output, args.merge)}
    try:
        run_sizes(args, base, output, results)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(table(results["sizes"]))
    if args.markdown:
        print("\n" + markdown_table(results["sizes"]))
    print(f"\nwrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
