"""Running one measurement: a child process, its wall-clock time and its peak memory, and
the median of repeated runs. Children are started by ``spawner.py``, a small process of
its own, so that their peak is not the harness's (see there). Peak memory is the larger
of ``ru_maxrss`` from ``os.wait4`` (the largest single process: the child, or a worker
process it waited for) and the
largest sum, sampled every 0.25 s, of the proportional set sizes (PSS, shared pages
divided among their users) of every process in the child's process group: a command that
spreads its work over worker processes is charged for all of them."""
from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Run:
    wall: float          # seconds, wall clock, from start to exit
    peak_mb: float       # ru_maxrss of the child, in MB (10^6 bytes)
    code: int            # exit status (negative: killed by that signal)
    stdout: str
    stderr: str
    killed: str | None = None  # why the watchdog killed it
    over_memory: bool = False  # killed above the memory limit
    group_mb: float | None = None  # the largest sampled PSS sum of its process group, MB

    @property
    def memory_mb(self) -> float:
        return max(self.peak_mb, self.group_mb or 0.0)

    def reported(self) -> dict:
        """The JSON line a child of benchmarks/child.py printed last."""
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # the measured time of each run

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.code == 0 for r in self.runs)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def peak_mb(self) -> float | None:
        return max(r.memory_mb for r in self.runs) if self.runs else None

    @property
    def over_memory(self) -> bool:
        return any(r.over_memory for r in self.runs)

    def failure(self) -> str | None:
        for run in self.runs:
            if run.killed:
                return run.killed
            if run.code != 0:
                return f"exit {run.code}: {run.stderr.strip()[-400:]}"
        return None


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None


def _group_pss_mb(pgid: int) -> float:
    """The summed PSS of every process whose process group is ``pgid``."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:  # after the name: state, ppid, pgrp
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e6


class Watchdog(threading.Thread):
    """Kills the child (its process group) after ``timeout`` s, or when its resident memory
    passes ``limit_mb`` (polled from /proc): one command must not take a shared machine down."""

    def __init__(self, pid: int, timeout: float, limit_mb: float):
        super().__init__(daemon=True)
        self.pid, self.timeout, self.limit_mb = pid, timeout, limit_mb
        self.done = threading.Event()
        self.reason: str | None = None
        self.over_memory = False
        self.group_mb = 0.0

    def run(self) -> None:
        start = time.monotonic()
        while not self.done.wait(0.25):
            rss = _rss_mb(self.pid)
            self.group_mb = max(self.group_mb, _group_pss_mb(self.pid))
            if time.monotonic() - start > self.timeout:
                self.kill(f"timed out after {self.timeout:.0f} s")
            elif rss is not None and rss > self.limit_mb:
                self.over_memory = True
                self.kill(f"killed at {rss:.0f} MB resident, above the memory limit of {self.limit_mb:.0f} MB")

    def kill(self, reason: str) -> None:
        if self.reason is None and not self.done.is_set():
            self.reason = reason
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class Spawner:
    """The harness's side of ``spawner.py`` (started on first use, one per harness)."""

    _proc: subprocess.Popen | None = None

    @classmethod
    def start(cls, argv: list[str], cwd: str, env: dict, out: str, err: str) -> int:
        if cls._proc is None or cls._proc.poll() is not None:
            here = os.path.dirname(os.path.abspath(__file__))
            cls._proc = subprocess.Popen([sys.executable, os.path.join(here, "spawner.py")],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cls._proc.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env, "stdout": out,
                                          "stderr": err}) + "\n")
        cls._proc.stdin.flush()
        return json.loads(cls._proc.stdout.readline())["pid"]

    @classmethod
    def wait(cls) -> dict:
        return json.loads(cls._proc.stdout.readline())


def run_child(argv: list[str], cwd: str, env: dict, timeout: float, limit_mb: float) -> Run:
    """Run ``argv`` through the spawner (its own ``os.wait4`` usage), under a watchdog."""
    with tempfile.TemporaryDirectory() as folder:
        out, err = os.path.join(folder, "out"), os.path.join(folder, "err")
        pid = Spawner.start(argv, cwd, env, out, err)
        watchdog = Watchdog(pid, timeout, limit_mb)
        watchdog.start()
        try:
            ended = Spawner.wait()
        finally:
            watchdog.done.set()
        with open(out, "rb") as o, open(err, "rb") as e:
            stdout, stderr = o.read().decode("utf-8", "replace"), e.read().decode("utf-8", "replace")
        return Run(ended["wall"], ended["maxrss_kb"] * 1024 / 1e6, os.waitstatus_to_exitcode(ended["status"]),
                   stdout, stderr, watchdog.reason, watchdog.over_memory, watchdog.group_mb or None)


def measure(argv: list[str], cwd: str, env: dict, repeat: int, timeout: float, limit_mb: float,
            before: Callable[[int], None] | None = None,
            after: Callable[[int], None] | None = None,
            inner: bool = False) -> Series:
    """``repeat`` runs; ``before``/``after`` prepare and restore state around each run.
    With ``inner`` the time is the one the child reports (the operation alone), else the
    wall clock. Stops at the first failing run."""
    series = Series()
    for i in range(repeat):
        if before:
            before(i)
        run = run_child(argv, cwd, env, timeout, limit_mb)
        if after:
            after(i)
        series.runs.append(run)
        if run.code != 0:
            break
        series.seconds.append(run.reported()["seconds"] if inner else run.wall)
    return series
