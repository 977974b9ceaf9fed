"""Publishing a built dataset folder to the Hugging Face Hub (``huggingface_hub``:
``create_repo``, ``upload_folder``, ``create_tag``). The token comes from $HF_TOKEN and
is never printed or written. A Hub that cannot be reached or answers with an HTTP
error is a named problem (``hub-connection``, ``hub-api``), never a traceback. The live
upload cannot be tested here (no Hub access); ``--dry-run`` and the error path against
an unreachable endpoint are tested."""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from newscorpus.errors import CorpusError, Problem


@dataclass
class PublishPlan:
    repo_id: str
    files: list[str]
    tag: str
    version: str


def check_repo_id(repo_id: str) -> None:
    """OWNER/NAME, as ``huggingface_hub``'s own validator accepts it."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        if repo_id.count("/") != 1:
            raise HFValidationError("expected OWNER/NAME")
        validate_repo_id(repo_id)
    except HFValidationError:
        raise CorpusError(Problem("--repo-id", "", "repo-id",
                                  "expected OWNER/NAME (letters, digits, '-', '_', '.')",
                                  repo_id)) from None


def plan_publish(folder: Path, repo_id: str) -> PublishPlan:
    card = folder / "README.md"
    if not card.is_file():
        raise CorpusError(Problem(str(folder), "", "not-a-build",
                                  "no README.md: build the folder with 'newscorpus build' first"))
    text = card.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise CorpusError(Problem(str(card), "line 1", "not-a-build", "the card has no YAML header"))
    meta = yaml.safe_load(text.split("---\n", 2)[1]) or {}
    version = str(meta.get("annotation_version") or "")
    if not version:
        raise CorpusError(Problem(str(card), "/annotation_version", "not-a-build",
                                  "the card does not say which annotation version it holds"))
    if version == "draft":
        raise CorpusError(Problem(str(card), "/annotation_version", "publish-draft",
                                  "a build of the draft cannot be published: release a version first", version))
    check_repo_id(repo_id)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return PublishPlan(repo_id, files, f"v{version}", version)


def publish(folder: Path, repo_id: str, dry_run: bool = False, private: bool = False) -> PublishPlan:
    plan = plan_publish(folder, repo_id)
    if dry_run:
        return plan
    token = os.environ.get("HF_TOKEN")
    if not token:
        raise CorpusError(Problem("HF_TOKEN", "", "missing-token",
                                  "set the HF_TOKEN environment variable to a token with write access"))
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    with _hub_errors(repo_id, token, "create the repository"):
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    with _hub_errors(repo_id, token, "upload the folder"):
        commit = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="dataset",
                                   commit_message=f"Annotation version {plan.version}")
    with _hub_errors(repo_id, token, f"tag the commit as {plan.tag}"):
        api.create_tag(repo_id, tag=plan.tag, repo_type="dataset", revision=commit.oid,
                       tag_message=f"Annotation version {plan.version}")
    return plan


def _network_errors() -> tuple[type[BaseException], ...]:
    """The errors of a Hub call that are the network's or the Hub's, not a bug: the
    Hub's HTTP errors, offline mode, OS-level connection errors, and the base error of
    the HTTP library huggingface_hub uses (httpx in 1.x, httpx2 in 2.x)."""
    from huggingface_hub import errors

    classes: list[type[BaseException]] = [errors.HfHubHTTPError, errors.OfflineModeIsEnabled, OSError]
    base = getattr(errors, "HTTPError", None)
    if isinstance(base, type) and issubclass(base, BaseException):
        classes.append(base)
    return tuple(classes)


@contextmanager
def _hub_errors(repo_id: str, token: str, what: str):
    """Turn a failed Hub call into a CorpusError naming what failed; the token is
    removed from every message (an error text could quote a request)."""
    from huggingface_hub import constants
    from huggingface_hub.errors import HfHubHTTPError

    try:
        yield
    except _network_errors() as exc:
        endpoint = constants.ENDPOINT
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None) if isinstance(exc, HfHubHTTPError) else None
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
        server = getattr(exc, "server_message", None)
        if server:
            detail += f"; the Hub says: {' '.join(str(server).split())}"
        detail = _redact(detail, token)
        if len(detail) > 400:
            detail = detail[:397] + "..."
        if status is not None:
            hint = " (check that HF_TOKEN has write access)" if status in (401, 403) else ""
            raise CorpusError(Problem(endpoint, "", "hub-api",
                                      f"could not {what} {repo_id}: HTTP {status}{hint}", detail)) from None
        raise CorpusError(Problem(endpoint, "", "hub-connection",
                                  f"could not {what} {repo_id}: cannot reach the Hugging Face Hub "
                                  f"(check the network, HF_ENDPOINT and HF_HUB_OFFLINE)", detail)) from None


def _redact(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text
