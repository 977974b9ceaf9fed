"""Problems found in input files, reported one per line with a named check."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file: where it is, which rule it breaks, what the text is."""

    file: str
    location: str  # a JSON pointer ("/mentions/3/text") or "line L, column C"
    check: str  # the named check, a row of newscorpus.rules.checks, e.g. "span-text-mismatch"
    message: str
    text: str | None = None  # the offending text, when there is one

    def format(self) -> str:
        if not self.file:
            line = f"{self.check}: {self.message}"
        else:
            loc = self.location if self.location else "/"
            line = f"{self.file}: {loc}: {self.check}: {self.message}"
        if self.text is not None:
            line += f": {self.text!r}"
        return line

    def to_dict(self) -> dict:
        return {"file": self.file, "location": self.location, "check": self.check,
                "message": self.message, "text": self.text}


class CorpusError(Exception):
    """An error the user must fix; carries one or more problems, each with its named
    check (a row of ``newscorpus.rules.checks``). The CLI prints them and exits with
    status 1 (never a traceback)."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        problems = list(problems)
        if not problems or not all(isinstance(p, Problem) for p in problems):
            raise TypeError("CorpusError needs one or more Problem objects, each with a named check")
        self.problems = problems
        super().__init__("\n".join(p.format() for p in self.problems))
