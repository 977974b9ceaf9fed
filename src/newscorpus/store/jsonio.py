"""Reading and writing JSON files: clear errors on bad input, atomic writes."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

from newscorpus.errors import CorpusError, Problem

# dataclasses, dates and subclasses of str, int, dict and list go to `json`, as before
_INDENT = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
           | orjson.OPT_PASSTHROUGH_SUBCLASS)


def dumps(data: Any) -> str:
    """The one canonical serialisation used for every JSON file the corpus writes: the
    bytes of ``json.dumps(data, ensure_ascii=False, indent=2)`` plus a newline, written by
    orjson (about 25 times faster: the standard library's C encoder does not indent).
    What orjson refuses (non-string keys, integers past 64 bits, lone surrogates, other
    types) goes through ``json``. One difference is allowed: a float is written in the
    shortest form that reads back to the same value, with orjson's exponent notation
    (``1e16`` where ``json`` writes ``1e+16``; NaN and infinities, which are not JSON,
    become null). The files of the corpus hold no floats: their schemas allow integers
    only."""
    return _pretty(data) + "\n"


def _pretty(data: Any) -> str:
    try:
        return orjson.dumps(data, option=_INDENT).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=2)


def require_file(path: Path, shown: str, what: str = "file") -> Path:
    """``path`` if it is a regular file; else ``file-missing`` or ``not-a-file`` (a folder
    or a device, checked before anything reads from it)."""
    path = Path(path)
    if not path.is_file():
        if path.exists():
            raise CorpusError(Problem(shown, "", "not-a-file", "not a regular file (a folder or a device?)"))
        raise CorpusError(Problem(shown, "", "file-missing", f"no such {what}"))
    return path


def read_json(path: Path, shown: str | None = None) -> Any:
    """Parse a JSON file; raise CorpusError with line and column on bad input."""
    shown = shown or str(path)
    raw = require_file(path, shown).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(Problem(shown, f"byte {exc.start}", "encoding",
                                  "file is not valid UTF-8")) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise CorpusError(Problem(shown, "", "json-depth",
                                  "JSON nested deeper than the reader allows "
                                  f"(about {sys.getrecursionlimit()} levels)")) from None
    except json.JSONDecodeError as exc:
        rest = text[exc.pos:].strip()
        where = f"line {exc.lineno}, column {exc.colno}"
        snippet = text[max(0, exc.pos - 20): exc.pos + 20]
        if not rest:
            raise CorpusError(Problem(shown, where, "json-truncated",
                                      f"file ends before the JSON is complete ({exc.msg})",
                                      snippet)) from None
        raise CorpusError(Problem(shown, where, "json-syntax", exc.msg, snippet)) from None


def new_file_mode(folder: bool = False) -> int:
    """The mode a new file (or folder) gets under the user's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def atomic_write_text(path: Path, content: str) -> None:
    """Write to a temporary file in the same folder, then rename over the target.
    The file keeps its mode; a new file gets the user's umask."""
    atomic_write_chunks(path, [content])


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, dumps(data))


def list_chunks(items: Iterable[Any]) -> Iterator[str]:
    """``dumps(list(items))`` in pieces, one item at a time (the same bytes)."""
    first = True
    for item in items:
        body = _pretty(item).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]\n" if first else "\n]\n"


def compact_list_chunks(items: Iterable[Any]) -> Iterator[bytes]:
    """A JSON list in UTF-8, one item per line, each item compact (no indentation): for
    large machine-read files such as Label Studio task lists."""
    first = True
    for item in items:
        try:
            body = orjson.dumps(item, option=_INDENT & ~orjson.OPT_INDENT_2)
        except TypeError:
            body = json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        yield (b"[\n" if first else b",\n") + body
        first = False
    yield b"[]\n" if first else b"\n]\n"


def atomic_write_bytes_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """``atomic_write_bytes`` of bytes produced piece by piece (never all in memory)."""
    _atomic_write(path, chunks, binary=True)


def atomic_write_chunks(path: Path, chunks: Iterable[str]) -> None:
    """``atomic_write_text`` of text produced piece by piece (never all in memory)."""
    _atomic_write(path, chunks, binary=False)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """``atomic_write_text`` for bytes (a spaCy DocBin, for one)."""
    _atomic_write(path, [data], binary=True)


def _atomic_write(path: Path, chunks: Iterable, binary: bool) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


CHUNK = 1 << 20  # characters read at a time by iter_json_list


def iter_json_list(path: Path) -> Iterator[Any]:
    """The items of a JSON list, one at a time: ``json``'s decoder on a window of the file
    that is read further when an item does not end inside it, so memory is bounded by
    the largest item, not the file. Raises JSONDecodeError for a damaged file."""
    with open(path, encoding="utf-8") as handle:
        window = _Window(handle)
        window.text, window.pos = window.text.lstrip(), 1  # past the "["
        count = 0
        while True:
            if window.skip_space() == "]":
                if count and window.after_comma:
                    raise json.JSONDecodeError("Expecting value", window.text, window.pos)
                window.pos += 1
                if window.skip_space() != "":
                    raise json.JSONDecodeError("Extra data", window.text, window.pos)
                return
            if count and not window.after_comma:
                if window.skip_space() != ",":
                    raise json.JSONDecodeError("Expecting ',' delimiter", window.text, window.pos)
                window.pos += 1
                window.after_comma = True
                continue
            yield window.decode()
            count += 1
            window.after_comma = False


class _Window:
    """A window on a text file for ``iter_json_list``."""

    def __init__(self, handle):
        self.handle, self.text, self.pos, self.ended = handle, handle.read(CHUNK), 0, False
        self.after_comma = True
        self.raw_decode = json.JSONDecoder().raw_decode

    def more(self, size: int = CHUNK) -> bool:
        """Drop what was read, add the next ``size`` characters; False at the end."""
        if self.ended:
            return False
        added = self.handle.read(size)
        self.text, self.pos, self.ended = self.text[self.pos:] + added, 0, not added
        return bool(added)

    def skip_space(self) -> str:
        """Skip whitespace; the next character ("" at the end of the file)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos:self.pos + 1]

    def decode(self) -> Any:
        while True:
            try:
                item, end = self.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if not self.more(max(CHUNK, len(self.text) - self.pos)):  # the item goes on: read as much again
                    raise
                continue
            if end < len(self.text) or not self.more():  # (a number may go on past the window)
                self.pos = end
                return item
