"""CITATION.cff: validation against the Citation File Format 1.2.0 schema (with
``jsonschema``; the schema is vendored in schema/vendor/ because ``cffconvert`` pins
``jsonschema<4``), and BibTeX produced from it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from newscorpus.errors import CorpusError, Problem
from newscorpus.rules.checks import registered
from newscorpus.rules.validation import pointer

CFF_SCHEMA = "citation-file-format-1.2.0.schema.json"


def load_citation(path: Path, shown: str | None = None) -> dict:
    shown = shown or str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(Problem(shown, "", "file-missing", "no CITATION.cff")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CorpusError(Problem(shown, where, "cff-syntax", str(getattr(exc, "problem", exc)))) from None
    return data


def citation_problems(data, schema_dir: Path, shown: str) -> list[Problem]:
    schema = json.loads((schema_dir / "vendor" / CFF_SCHEMA).read_text(encoding="utf-8"))
    cls = validator_for(schema)
    validator = cls(schema, format_checker=FormatChecker())
    return [Problem(shown, pointer(e.absolute_path), registered(f"cff-{e.validator}"), e.message[:200])
            for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def to_bibtex(data: dict) -> str:
    authors = []
    for a in data.get("authors", []):
        if "name" in a:
            authors.append("{" + a["name"] + "}")
        else:
            authors.append(" ".join(x for x in (a.get("given-names"), a.get("name-particle"),
                                                a.get("family-names")) if x))
    version = str(data.get("version", ""))
    date = str(data.get("date-released", ""))
    key = "newscorpus_" + re.sub(r"[^0-9A-Za-z]", "_", version)
    fields = [("author", " and ".join(authors)), ("title", data.get("title", "")),
              ("year", date[:4]), ("month", date[5:7].lstrip("0") if len(date) >= 7 else ""),
              ("version", version), ("note", f"Annotation version {version}, released {date}")]
    if data.get("url"):
        fields.append(("url", data["url"]))
    if data.get("doi"):
        fields.append(("doi", data["doi"]))
    body = ",\n".join(f"  {k} = {{{_bibtex_escape(str(v)) if k != 'author' else v}}}" for k, v in fields if v)
    return f"@misc{{{key},\n{body}\n}}"


def with_release(text: str, version: str, date: str) -> str:
    """CITATION.cff text with its version and release date set to one release."""
    text = re.sub(r"(?m)^version: .*$", f'version: "{version}"', text)
    return re.sub(r"(?m)^date-released: .*$", f'date-released: "{date}"', text)
