"""Multi-file changes as transactions: all or nothing, whatever kills the process.

A transaction stages every new file (and whole new folders, such as a release) in
``.newscorpus/txn/``, then writes its journal there with one atomic rename: that
rename is the commit point. Applying the journal renames each staged file over its
target (every step can be repeated). If the process dies:

- before the journal exists, the next command deletes the staging folder
  (rolled back: the repository is exactly as before);
- after, the next command applies the journal again (rolled forward: the repository
  is exactly as after).

``recover`` runs at the start of every command, under the repository lock. It also
removes temporary files that a killed write left beside their targets.

For tests, ``NEWSCORPUS_FAULT_AT=<step>`` kills the process with SIGKILL when the
named step is reached (``FAULT_STEPS`` lists them); it does nothing otherwise."""
from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

from newscorpus.store.jsonio import dumps, new_file_mode
from newscorpus.store.lock import state_dir
from newscorpus.store.paths import Layout

JOURNAL = "journal.json"
FAULT_STEPS = ("staged", "committed", "applied-first", "applied")


def fault_point(step: str) -> None:
    """Die here if a test asked for a crash at this step."""
    if os.environ.get("NEWSCORPUS_FAULT_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def txn_dir(layout: Layout) -> Path:
    return state_dir(layout) / "txn"


class Transaction:
    """Stage files and folders, then ``commit`` them together."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.folder = txn_dir(layout)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        (self.folder / "files").mkdir(parents=True)
        self.ops: list[dict] = []

    def _staged(self) -> Path:
        return self.folder / "files" / str(len(self.ops))

    def _rel(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.layout.root.resolve()).as_posix()

    def write_text(self, target: Path, content: str) -> None:
        self.write_bytes(target, content.encode("utf-8"))

    def write_bytes(self, target: Path, content: bytes) -> None:
        staged = self._staged()
        staged.write_bytes(content)
        mode = Path(target).stat().st_mode & 0o7777 if Path(target).exists() else new_file_mode()
        os.chmod(staged, mode)
        self.ops.append({"op": "replace", "target": self._rel(target), "staged": staged.name})

    def write_json(self, target: Path, data) -> None:
        self.write_text(target, dumps(data))

    def new_folder(self, target: Path) -> Path:
        """A staged folder to fill; it becomes ``target`` (which must not exist) on commit."""
        staged = self._staged()
        staged.mkdir()
        os.chmod(staged, new_file_mode(folder=True))
        self.ops.append({"op": "replace", "target": self._rel(target), "staged": staged.name})
        return staged

    def delete(self, target: Path) -> None:
        self.ops.append({"op": "delete", "target": self._rel(target)})

    def commit(self) -> None:
        fault_point("staged")
        tmp = self.folder / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"ops": self.ops}))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / JOURNAL)
        fault_point("committed")
        apply_journal(self.layout)

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def apply_journal(layout: Layout) -> None:
    """Apply a committed journal (again, if it was partly applied), then forget it."""
    folder = txn_dir(layout)
    ops = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))["ops"]
    for n, op in enumerate(ops):
        target = layout.root / op["target"]
        if op["op"] == "delete":
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        else:
            staged = folder / "files" / op["staged"]
            if staged.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
        if n == 0:
            fault_point("applied-first")
    fault_point("applied")
    shutil.rmtree(folder)


def recover(layout: Layout) -> str | None:
    """Finish or undo an interrupted transaction; remove stray temporary files.
    Returns a note on what was done, or None."""
    folder = txn_dir(layout)
    note = None
    if (folder / JOURNAL).exists():
        apply_journal(layout)
        note = "completed a change that an interrupted command had committed"
    elif folder.exists():
        shutil.rmtree(folder)
        note = "rolled back a change that an interrupted command had not committed"
    stray = stray_temporaries(layout)
    for path in stray:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if stray and note is None:
        note = f"removed {len(stray)} temporary file(s) left by an interrupted command"
    return note


def stray_temporaries(layout: Layout) -> list[Path]:
    """Temporary files and folders that atomic writes leave only when killed."""
    out = []
    for folder in (layout.root, layout.documents, layout.draft, layout.releases,
                   layout.annotations, layout.schema_dir, layout.guidelines.parent):
        if folder.is_dir():
            out += [p for p in folder.iterdir()
                    if p.name.startswith(".") and p.name.endswith(".tmp")]
    if layout.releases.is_dir():
        out += [p for p in layout.releases.iterdir() if p.is_dir() and p.name.startswith(".")]
    return sorted(set(out))
