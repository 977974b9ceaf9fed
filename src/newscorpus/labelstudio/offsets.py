"""Offsets at the boundary: where a Label Studio region really is in the document text
(code points, UTF-16 code units, whitespace runs collapsed by the browser)."""
from __future__ import annotations

import re


class Offsets:
    """Interpretations of Label Studio offsets on one document text. The maps are made on
    the first region whose offsets are not simply right (most regions need none)."""

    def __init__(self, text: str):
        self.text = text
        self._ready = False

    def _prepare(self) -> None:
        text = self.text
        self.astral = any(ord(c) > 0xFFFF for c in text)
        self.u16: dict[int, int] | None = _utf16_map(text) if self.astral else None
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
        self.cu16: dict[int, int] | None = (_utf16_map(self.collapsed) if self.astral and self.has_runs
                                            else None)
        self._ready = True

    def _from_collapsed(self, s: int, e: int) -> tuple[int, int] | None:
        if not 0 <= s < e <= len(self.collapsed):
            return None
        return self.c_start[s], self.c_end[e - 1]

    def candidates(self, start: int, end: int) -> list[tuple[int, int, str]]:
        if not self._ready:
            self._prepare()
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


def _utf16_map(text: str) -> dict[int, int]:
    """UTF-16 code unit offset -> code point offset, at every character boundary."""
    out = {}
    u = 0
    for i, ch in enumerate(text):
        out[u] = i
        u += 2 if ord(ch) > 0xFFFF else 1
    out[u] = len(text)
    return out


def _matches(actual: str, value: str) -> bool:
    """True when ``actual`` equals ``value`` up to the length of whitespace runs."""
    return actual == value or re.sub(r"\s+", " ", actual) == re.sub(r"\s+", " ", value) \
        and (actual.strip() == actual) == (value.strip() == value)


def anchor(offsets: Offsets, start: int, end: int, value: str) -> tuple[int, int, str | None]:
    """Where a region really is: ``(start, end, how)`` with ``how`` None when the
    offsets were right. Only the documented readings are tried: UTF-16 code units, and
    offsets into the text with whitespace runs collapsed (older exports, and what the
    browser shows). A region whose text is anywhere else is not moved: raises
    ValueError(check, message) naming the offsets and both texts."""
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
    actual = text[start:end] if 0 <= start < end <= len(text) else None
    where = f"the document has {actual!r} there" if actual is not None else \
        f"[{start}, {end}) is outside the text (length {len(text)})"
    raise ValueError("ls-offset-mismatch",
                     f"the region's text {value!r} is not at [{start}, {end}): {where}; it does "
                     "not fit as UTF-16 offsets or with collapsed whitespace either, and a region "
                     "is never moved to where its text happens to occur")
