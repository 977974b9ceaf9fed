"""The canonical JSON writer: orjson's fast path writes exactly what ``json`` writes."""
from __future__ import annotations

import json
import random
from pathlib import Path

from newscorpus.store.jsonio import dumps, list_chunks

ROOT = Path(__file__).resolve().parents[1]
# characters where JSON writers tend to differ: controls, quote, backslash, DEL, line and
# paragraph separators, non-BMP emoji, a combining mark, a BOM
TRICKY = ["1e5", '": 2E3', "\\\\", "\x00", "\x1f", "\x7f", '"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u2028",
          "\u2029", "\ufeff", "é", "e\u0301", "🇯🇵", "👩‍👩‍👧", "\u00a0", "a", " "]


def reference(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def random_value(rng: random.Random, depth: int = 0, floats: bool = False):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randrange(6)))
    if kind == 1:
        return rng.choice([0, -1, 7, 2**31, -(2**53), 2**63 - 1, 2**64, -(2**70)])
    if kind == 2 and floats:
        return rng.choice([0.0, -0.0, 0.1, 1.5, 1e16, 1e-7, 123456.789, 1e300, 2.5e-300, 0.0001, 1e15, 1e-4,
                           123456789012345.6, 5e-324, 1.7976931348623157e308, 9007199254740993.0])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5):
        return rng.choice(["", "x"])
    if kind == 6:
        return [random_value(rng, depth + 1, floats) for _ in range(rng.randrange(4))]
    if kind == 7:
        return {str(random_value(rng, 4)) + str(i): random_value(rng, depth + 1, floats) for i in range(rng.randrange(4))}
    return {rng.choice([1, 2, "k"]): random_value(rng, depth + 1, floats)}   # a non-string key


def test_dumps_matches_the_standard_library_on_random_values():
    rng = random.Random(20261202)
    for _ in range(3000):
        value = random_value(rng)
        assert dumps(value) == reference(value), value


def test_floats_read_back_to_the_same_value():
    rng = random.Random(1202)
    for _ in range(2000):
        value = random_value(rng, floats=True)
        assert json.loads(dumps(value)) == json.loads(reference(value)), value


def test_dumps_matches_the_standard_library_on_every_json_file_of_the_repository():
    # (benchmark results hold floats, which dumps writes in orjson's form: not compared here)
    files = [p for p in ROOT.rglob("*.json") if ".venv" not in p.parts and "build" not in p.parts
             and "benchmarks" not in p.parts
             and ".git" not in p.parts and "node_modules" not in p.parts]
    assert files
    checked = 0
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, RecursionError):
            continue        # the deliberately broken fixtures
        assert dumps(data) == reference(data), path
        checked += 1
    assert checked


def test_list_chunks_are_dumps_of_the_list():
    rng = random.Random(7)
    items = [random_value(rng) for _ in range(50)]
    assert "".join(list_chunks(items)) == dumps(items)
    assert "".join(list_chunks([])) == dumps([])
