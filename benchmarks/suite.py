"""One size N of the benchmark: generate the synthetic repository, then run every
command and its floors, in order, each as a child process. Each row says what was
run, its median time and peak memory, and its floor."""
from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from proc import Series, measure
from newscorpus.store.paths import Layout

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
SYNTH = HERE / "synth.py"
NEW_VERSION = "1.0.1"
CONFIG = "entities"
SCRUBBED = ("NEWSCORPUS_ROOT", "HF_TOKEN", "HF_DATASETS_CACHE", "HF_HUB_CACHE", "XDG_CACHE_HOME")


@dataclass
class Context:
    n: int
    work: Path
    repeat: int
    timeout: float
    memory_limit_mb: float
    progress: Callable[[str], None]
    python: str = sys.executable
    rows: list[dict] = field(default_factory=list)
    floors: dict[str, dict] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.work / "repo"

    @property
    def layout(self) -> Layout:
        return Layout(self.root)

    def env(self, hf_home: str = "cli") -> dict:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
        env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", HF_HOME=str(self.work / "hf" / hf_home),
                   XDG_CACHE_HOME=str(self.work / "xdg-cache"))
        return env

    def cli(self, *args: str) -> list[str]:
        return [str(Path(self.python).parent / "newscorpus"), *args]

    def child(self, *args: str) -> list[str]:
        return [self.python, str(CHILD), *args]

    def run(self, argv: list[str], inner: bool = False, env: dict | None = None, **hooks) -> Series:
        series = measure(argv, str(self.root), env or self.env(), self.repeat, self.timeout,
                         self.memory_limit_mb, inner=inner, **hooks)
        if not series.ok:
            self.progress(f"  FAILED: {' '.join(argv[1:])}: {series.failure()}")
        return series


def series_dict(series: Series, timing: str) -> dict:
    return {"seconds": series.median, "seconds_all": series.seconds, "timing": timing,
            "peak_mb": series.peak_mb, "peak_mb_all": [r.memory_mb for r in series.runs],
            "largest_process_mb_all": [r.peak_mb for r in series.runs],
            "process_group_pss_mb_all": [r.group_mb for r in series.runs],
            "wall_all": [r.wall for r in series.runs], "ok": series.ok, "error": series.failure(),
            "over_memory_limit": series.over_memory}


def add_floor(ctx: Context, name: str, what: str, series: Series) -> None:
    ctx.floors[name] = {"what": what, **series_dict(series, "in-process"),
                        "reported": series.runs[-1].reported() if series.ok else None}
    ctx.progress(f"  floor {name}: {series.median if series.ok else 'failed'}")


def add_row(ctx: Context, name: str, command: str, series: Series, floor: list[str],
            target: dict, timing: str = "wall") -> None:
    ctx.rows.append({"row": name, "command": command, "n": ctx.n, "repeat": ctx.repeat,
                     "load_average": os.getloadavg(), **series_dict(series, timing),
                     "floor_parts": floor, "target": target})
    shown = f"{series.median:.2f} s" if series.ok else "failed"
    ctx.progress(f"  {name}: {shown}, peak {series.peak_mb or 0:.0f} MB")


def add_skipped(ctx: Context, name: str, command: str, reason: str, floor: list[str],
                target: dict, timing: str = "wall") -> None:
    """A row that could not run (what it needs failed before it)."""
    ctx.rows.append({"row": name, "command": command, "n": ctx.n, "repeat": ctx.repeat,
                     "load_average": os.getloadavg(), **series_dict(Series(), timing),
                     "error": f"not run: {reason}", "floor_parts": floor, "target": target})
    ctx.progress(f"  {name}: not run: {reason}")


def write_list(ctx: Context, name: str, lines: list[str]) -> str:
    path = ctx.work / "lists" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return str(path)


def json_floor(ctx: Context, name: str, groups: dict[str, list[Path]], parts: list[str]) -> None:
    files = [str(p) for part in parts for p in groups[part]]
    series = ctx.run(ctx.child("json", write_list(ctx, name, files)), inner=True)
    add_floor(ctx, name, f"json.load of {' + '.join(parts)} ({len(files)} files)", series)


def dump_floor(ctx: Context, name: str, groups: dict[str, list[Path]], parts: list[str]) -> None:
    """Writing what a command writes, as the standard library's json.dumps would."""
    files = [str(p) for part in parts for p in groups[part]]
    out = ctx.work / f"{name.replace(':', '-')}-out"
    series = ctx.run(ctx.child("dump", write_list(ctx, name, files), str(out)), inner=True)
    shutil.rmtree(out, ignore_errors=True)
    add_floor(ctx, name, f"json.dumps of {' + '.join(parts)} ({len(files)} files, read first, untimed)", series)


def generate(ctx: Context) -> dict:
    """The synthetic repository (in a child process: its memory is not the harness's)."""
    shutil.rmtree(ctx.work, ignore_errors=True)
    ctx.work.mkdir(parents=True)
    start = time.perf_counter()
    series = measure([ctx.python, str(SYNTH), str(ctx.n), str(ctx.root)], str(HERE), ctx.env(),
                     1, ctx.timeout, ctx.memory_limit_mb)
    if not series.ok:
        raise SystemExit(f"generating the synthetic corpus failed: {series.failure()}")
    summary = series.runs[0].reported()
    ctx.progress(f"  generated {summary['documents']} documents in {time.perf_counter() - start:.0f} s")
    return {"seconds": series.runs[0].wall, "peak_mb": series.peak_mb, **summary}
