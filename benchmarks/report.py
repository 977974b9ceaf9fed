"""Verdicts against the targets, the printed table, and the machine the run was made on."""
from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

MEMORY_LIMIT_MB = 1000.0   # 1 GB = 10^9 bytes
MEMORY_GROWTH = 1.5        # peak at N > 1,000 against the peak at N = 1,000
MEMORY_BASE_N = 1000
PACKAGES = ("newscorpus", "datasets", "pyarrow", "jsonschema", "jsonschema_rs", "spacy",
            "huggingface_hub", "label-studio-sdk")


def floor_seconds(size: dict, parts: list[str]) -> float | None:
    """The sum of the named floors' median times (None if one is missing or failed)."""
    values = [size["floors"].get(p, {}).get("seconds") for p in parts]
    if not parts or any(v is None for v in values):
        return None
    return sum(values)


def target_text(target: dict) -> str:
    if target["kind"] == "ratio":
        return f"<= {target['limit']:g}x floor"
    if target["kind"] == "seconds":
        return f"<= {target['limit']:g} s at N={target['at_n']:,}"
    return ""


def time_verdict(row: dict, ratio: float | None) -> bool | None:
    target = row["target"]
    if not row["ok"]:
        return False
    if target["kind"] == "ratio":
        return None if ratio is None else ratio <= target["limit"]
    if target["kind"] == "seconds" and row["n"] == target["at_n"]:
        return row["seconds"] <= target["limit"]
    return None


def memory_verdict(row: dict, base_peak: float | None) -> tuple[bool | None, float | None]:
    """(met, growth against N=1,000): at most 1 GB, and at most 1.5x the N=1,000 peak."""
    if row["target"]["kind"] == "none" or row["peak_mb"] is None:
        return (False if row.get("over_memory_limit") else None), None
    met = row["peak_mb"] <= MEMORY_LIMIT_MB and not row.get("over_memory_limit")
    growth = None
    if row["n"] > MEMORY_BASE_N and base_peak:
        growth = row["peak_mb"] / base_peak
        met = met and growth <= MEMORY_GROWTH
    return met, growth


def judge(sizes: dict[str, dict]) -> None:
    """Add floor, ratio and verdicts to every row, in place."""
    base = sizes.get(str(MEMORY_BASE_N), {})
    base_peaks = {r["row"]: r["peak_mb"] for r in base.get("rows", [])}
    for size in sizes.values():
        for row in size["rows"]:
            floor = floor_seconds(size, row["floor_parts"])
            ratio = row["seconds"] / floor if floor and row["seconds"] is not None else None
            memory_met, growth = memory_verdict(row, base_peaks.get(row["row"]))
            row.update(floor_seconds=floor, ratio=ratio, target_text=target_text(row["target"]),
                       time_met=time_verdict(row, ratio), memory_met=memory_met,
                       memory_target=f"<= {MEMORY_LIMIT_MB:g} MB" + (
                           f", <= {MEMORY_GROWTH:g}x N={MEMORY_BASE_N:,}" if growth is not None else ""),
                       memory_growth=growth)


def _mark(value: bool | None) -> str:
    return {True: "met", False: "FAIL", None: "n/a"}[value]


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def table(sizes: dict[str, dict]) -> str:
    head = ("command", "N", "seconds", "peak MB", "floor s", "ratio", "target", "time", "memory")
    lines = [head]
    for key in sorted(sizes, key=int):
        for r in sizes[key]["rows"]:
            seconds = _num(r["seconds"], ".2f") if r["ok"] else "error"
            lines.append((r["row"], f"{r['n']:,}", seconds, _num(r["peak_mb"], ".0f"),
                          _num(r.get("floor_seconds"), ".3f"), _num(r.get("ratio"), ".1f"),
                          r.get("target_text", ""), _mark(r.get("time_met")), _mark(r.get("memory_met"))))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for j, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) if i in (0, 6) else str(c).rjust(w)
                             for i, (c, w) in enumerate(zip(line, widths))).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(sizes: dict[str, dict]) -> str:
    """The same table in Markdown (for the README)."""
    out = ["| command | N | seconds | peak MB | floor s | ratio | target | time | memory |",
           "|---|--:|--:|--:|--:|--:|---|---|---|"]
    for key in sorted(sizes, key=int):
        for r in sizes[key]["rows"]:
            seconds = _num(r["seconds"], ".2f") if r["ok"] else "error"
            out.append(f"| {r['row']} | {r['n']:,} | {seconds} | {_num(r['peak_mb'], '.0f')} | "
                       f"{_num(r.get('floor_seconds'), '.3f')} | {_num(r.get('ratio'), '.1f')} | "
                       f"{r.get('target_text', '')} | {_mark(r.get('time_met'))} | "
                       f"{_mark(r.get('memory_met'))} |")
    return "\n".join(out)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def machine() -> dict:
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_model": _cpu_model(), "cpu_count": os.cpu_count(),
        "cpus_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_gib": _ram_gib(), "platform": platform.platform(),
        "python": sys.version.split()[0], "packages": {p: _version(p) for p in PACKAGES},
        "load_average": os.getloadavg(),
        "commit": _git("rev-parse", "HEAD"),
        "worktree_clean": _git("status", "--porcelain", "--", ":/", ":(exclude,top)benchmarks/results") == "",
    }
