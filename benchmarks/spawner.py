"""A small process that starts the measured commands, so that their peak memory is their own.

Linux records, when a process calls ``exec``, the peak resident memory of the memory it
leaves (``ru_maxrss`` takes the larger of the two): a child forked (or vforked) from the
benchmark harness and then exec'd reports at least the harness's own peak, which grows
with N (the harness lists every input file). So the harness does not start the commands
itself: this spawner, a bare Python process started once (standard library only, about
10 MB), starts each one and reports its ``os.wait4`` usage. Every command's peak then
includes at most the spawner's constant few MB.

Protocol, one JSON object per line: the harness writes ``{"argv", "cwd", "env", "stdout",
"stderr"}`` (the last two: files for the command's output); the spawner answers
``{"pid"}`` once the command runs, then ``{"status", "maxrss_kb", "wall"}`` when it ends."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(job["argv"], cwd=job["cwd"], env=job["env"], stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            print(json.dumps({"pid": proc.pid}), flush=True)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        print(json.dumps({"status": status, "maxrss_kb": usage.ru_maxrss, "wall": wall}), flush=True)


if __name__ == "__main__":
    serve()
