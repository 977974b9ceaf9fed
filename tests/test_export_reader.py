"""A Label Studio export is read one task at a time (``store.jsonio.iter_json_list``: the
standard library's decoder on a window of the file): whatever the window size, it gives
exactly what ``json.loads`` of the whole file gives, and fails where it fails."""
from __future__ import annotations

import json
import random

import pytest

from newscorpus.store import jsonio

CASES = ['[]', '[ ]', '[1]', '[1,2]', '[123456789, 2]', '[{"a": "x,]y"}, {"b": [1, 2, {"c": null}]}]',
         '["\\u00e9", "a\\"b"]', '[\n{"a": 1},\n{"b": 2}\n]\n', '[1.5e3, -0, true, false, null]',
         '[1,]', '[,1]', '[1 2]', '[1]x', '[{"a":1}', '[{"a": "unterminated']


def outcome(read, text: str):
    try:
        return "ok", read(text)
    except (json.JSONDecodeError, ValueError):
        return "error", None


def texts():
    rng = random.Random(3)
    yield from CASES
    for _ in range(200):
        value = [{"id": i, "text": "é x" * rng.randint(0, 30), "n": [rng.random() for _ in range(rng.randint(0, 3))]}
                 for i in range(rng.randint(0, 6))]
        text = json.dumps(value, indent=rng.choice([None, 1, 2]), ensure_ascii=rng.random() < 0.5)
        yield text
        yield text[:rng.randint(1, len(text) - 1)]  # cut anywhere: an interrupted download


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_the_windowed_reader_reads_what_json_reads(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(jsonio, "CHUNK", chunk)
    path = tmp_path / "export.json"

    def windowed(text: str):
        path.write_text(text, encoding="utf-8")
        return list(jsonio.iter_json_list(path))

    for text in texts():
        assert outcome(windowed, text) == outcome(json.loads, text), text[:120]


def test_the_window_stays_the_size_of_the_largest_item(tmp_path, monkeypatch):
    """Memory is bounded by the largest item, not the file: the window never grows past
    a few items, however long the list."""
    monkeypatch.setattr(jsonio, "CHUNK", 64)
    widest = []
    more = jsonio._Window.more

    def watched(self, size=64):
        result = more(self, size)
        widest.append(len(self.text))
        return result

    monkeypatch.setattr(jsonio._Window, "more", watched)
    items = [{"id": i, "text": "x" * (i % 300)} for i in range(3000)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    assert list(jsonio.iter_json_list(path)) == items
    assert max(widest) < 4 * 350
