"""Who annotated, without personal data. A Label Studio user is stored as a stable
pseudonym, ``annotator-<12 hex>``: an HMAC-SHA256 of the user's numeric id (or, when an
export gives no id, of the name it gives) under a key that never enters the
repository: ``$NEWSCORPUS_PSEUDONYM_KEY`` if set (share it within a team so that every
machine gives the same pseudonyms), else a random key kept in
``.newscorpus/pseudonym.key`` (outside version control). E-mail addresses, user names
and real names are never written; no mapping back to people is kept."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

from newscorpus.store.lock import state_dir
from newscorpus.store.paths import Layout

PREFIX = "annotator-"


def _key(layout: Layout) -> bytes:
    env = os.environ.get("NEWSCORPUS_PSEUDONYM_KEY")
    if env:
        return env.encode("utf-8")
    path = state_dir(layout) / "pseudonym.key"
    if not path.is_file():
        path.parent.mkdir(exist_ok=True)
        fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return Path(path).read_text().strip().encode("utf-8")


def pseudonym(layout: Layout, who: Any) -> str:
    """``annotator-...`` for a user id or name; a pseudonym is kept as it is."""
    if isinstance(who, str) and who.startswith(PREFIX):
        return who
    digest = hmac.new(_key(layout), f"label-studio-user:{who}".encode("utf-8"), hashlib.sha256)
    return PREFIX + digest.hexdigest()[:12]


def annotator(layout: Layout, completed_by: Any) -> str:
    """The pseudonym of an annotation's ``completed_by`` (an id, or a user object)."""
    if isinstance(completed_by, dict):
        if completed_by.get("id") is not None:
            return pseudonym(layout, completed_by["id"])
        for key in ("email", "username"):
            if completed_by.get(key):
                return pseudonym(layout, completed_by[key])
        return pseudonym(layout, "unknown")
    if isinstance(completed_by, (int, str)) and not isinstance(completed_by, bool) and completed_by != "":
        return pseudonym(layout, completed_by)
    return pseudonym(layout, "unknown")
