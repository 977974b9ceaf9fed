"""Offsets at the boundary: where a Label Studio region really is in the document text
(code points, UTF-16 code units, whitespace runs collapsed by the browser)."""
from __future__ import annotations

import re


class Offsets:
    """Interpretations of Label Studio offsets on one document text."""

    def __init__(self, text: str):
        self.text = text
        self.astral = any(ord(c) > 0xFFFF for c in text)
        self.u16: dict[int, int] | None = None
        if self.astral:
            self.u16 = {}
            u = 0
            for i, ch in enumerate(text):
                self.u16[u] = i
                u += 2 if ord(ch) > 0xFFFF else 1
            self.u16[u] = len(text)
        # the text with every whitespace run collapsed to one space, and where each
        # collapsed character starts and ends in the real text
        self.c_start: list[int] = []
        self.c_end: list[int] = []
        collapsed = []
        for m in re.finditer(r"\s+|\S", text):
            collapsed.append(" " if m.group().isspace() else m.group())
            self.c_start.append(m.start())
            self.c_end.append(m.end())
        self.collapsed = "".join(collapsed)
        self.has_runs = len(self.collapsed) != len(text)
        self.cu16: dict[int, int] | None = None
        if self.astral and self.has_runs:
            self.cu16 = {}
            u = 0
            for i, ch in enumerate(self.collapsed):
                self.cu16[u] = i
                u += 2 if ord(ch) > 0xFFFF else 1
            self.cu16[u] = len(self.collapsed)

    def _from_collapsed(self, s: int, e: int) -> tuple[int, int] | None:
        if not 0 <= s < e <= len(self.collapsed):
            return None
        return self.c_start[s], self.c_end[e - 1]

    def candidates(self, start: int, end: int) -> list[tuple[int, int, str]]:
        out = []
        if self.u16 is not None and start in self.u16 and end in self.u16:
            out.append((self.u16[start], self.u16[end], "UTF-16 code unit offsets"))
        if self.has_runs:
            span = self._from_collapsed(start, end)
            if span:
                out.append((*span, "offsets in whitespace-collapsed text"))
            if self.cu16 is not None and start in self.cu16 and end in self.cu16:
                span = self._from_collapsed(self.cu16[start], self.cu16[end])
                if span:
                    out.append((*span, "UTF-16 offsets in whitespace-collapsed text"))
        return out


def _ws_pattern(value: str) -> re.Pattern:
    parts = re.split(r"(\s+)", value)
    body = "".join(r"\s+" if p and p.isspace() else re.escape(p) for p in parts)
    return re.compile(f"(?=({body}))")


def _matches(actual: str, value: str) -> bool:
    """True when ``actual`` equals ``value`` up to the length of whitespace runs."""
    return actual == value or re.sub(r"\s+", " ", actual) == re.sub(r"\s+", " ", value) \
        and (actual.strip() == actual) == (value.strip() == value)


NEAR = 64


def anchor(offsets: Offsets, start: int, end: int, value: str) -> tuple[int, int, str | None]:
    """Where a region really is: ``(start, end, how)`` with ``how`` None when the
    offsets were right; raises ValueError(check, message) when it cannot be said
    unambiguously."""
    text = offsets.text
    if 0 <= start < end <= len(text) and text[start:end] == value:
        return start, end, None
    found: dict[tuple[int, int], str] = {}
    for s, e, how in offsets.candidates(start, end):
        if _matches(text[s:e], value):
            found.setdefault((s, e), how)
    if len(found) == 1:
        (s, e), how = next(iter(found.items()))
        return s, e, how
    if len(found) > 1:
        raise ValueError("ls-offset-ambiguous", "offsets fit the text in several readings: "
                         + ", ".join(f"[{s}, {e})" for s, e in sorted(found)))
    # search for the text itself near the offsets, whitespace runs matching any run
    centres = {start}
    for s, _, _ in offsets.candidates(start, end):
        centres.add(s)
    lo, hi = max(0, min(centres) - NEAR), max(centres) + NEAR
    hits = set()
    if value.strip():
        for m in _ws_pattern(value).finditer(text, lo):
            if m.start() > hi:
                break
            hits.add((m.start(1), m.end(1)))
    if len(hits) == 1:
        s, e = hits.pop()
        return s, e, "the text found near the offsets"
    actual = text[start:end] if 0 <= start < end <= len(text) else None
    if hits:
        raise ValueError("ls-offset-ambiguous",
                         f"value.text occurs {len(hits)} times near [{start}, {end}) "
                         f"({', '.join(f'[{s}, {e})' for s, e in sorted(hits))}); "
                         "cannot tell which one was meant")
    where = f"text[{start}:{end}] = {actual!r}" if actual is not None else \
        f"[{start}, {end}) is outside the text (length {len(text)})"
    raise ValueError("ls-offset-mismatch",
                     f"value.text does not match the document ({where}), neither as UTF-16 "
                     "offsets nor with collapsed whitespace, and is not found near the offsets")
