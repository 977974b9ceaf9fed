"""Printing for the command line: plain lines on standard output, problems on
standard error."""
from __future__ import annotations

import json
import sys


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def out_json(data) -> None:
    out(json.dumps(data, ensure_ascii=False, indent=2))


def err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
