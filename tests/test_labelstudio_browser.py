"""The Label Studio views in a real browser: Playwright drives Debian's Chromium
(/usr/bin/chromium, headless) against the live Label Studio of conftest.py. As an
annotator: log in, open each view's task of the first annotated document, check that the
highlights cover exactly their annotations' text, then create a mention by selecting
text with the mouse, tick its kind and choose its entity (entities view), change an event's label (events
view), delete a quote's cue (quotes view), submit each, and pull: the diff is exactly
those edits. A screenshot of each view and the render times are saved in
$NEWSCORPUS_ARTIFACTS (default build/test-artifacts/, git-ignored).

Needs Chromium and Playwright for Python (the test extra); without them the test is
skipped, except under CI (the CI variable set), where it fails: .ci/run installs both."""
from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import pytest

from conftest import USER
from helpers import REPO, annotation_path, change_set, load_set, need_browser_part, ok, run_cli
from newscorpus.labelstudio.names import VIEWS
from newscorpus.rules.inventory import load_inventory

pytestmark = pytest.mark.live

CHROMIUM = Path("/usr/bin/chromium")
RENDER_LIMIT = 60.0  # seconds from opening a task to every region drawn
SAMPLE = 40  # highlighted regions checked per view

# the text of every highlighted region, by Label Studio region id (the class
# htx-highlight-<region id>-<n>; a region crossing others is drawn in several spans)
REGION_TEXTS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('.htx-highlight')) {
    for (const c of el.classList) {
      const m = c.match(/^htx-highlight-(.+)-[0-9]+$/);
      if (m) out[m[1]] = (out[m[1]] || '') + el.textContent;
    }
  }
  return out;
}"""

# where a word of the text outside every highlight is on screen (scrolled into view)
WORD_BOX = """([word]) => {
  let root = document.querySelector('.htx-highlight');
  while (root && !root.textContent.includes(word)) root = root.parentElement;
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const hits = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('.htx-highlight')) continue;
    const i = n.data.indexOf(word);
    if (i >= 0) hits.push([n, i]);
  }
  if (hits.length !== 1) return null;
  const [node, i] = hits[0];
  node.parentElement.scrollIntoView({block: 'center'});
  const range = document.createRange();
  range.setStart(node, i);
  range.setEnd(node, i + word.length);
  const b = range.getBoundingClientRect();
  return [b.left, b.top, b.right, b.bottom];
}"""

# the centre of the first region among the ids that is drawn as one span with no
# other highlight inside it (a click there selects that region), scrolled into view
LEAF_BOX = """([ids]) => {
  for (const id of ids) {
    const spans = [...document.querySelectorAll('.htx-highlight')].filter(
      el => [...el.classList].some(c => c.startsWith('htx-highlight-' + id + '-')
                                    && /^[0-9]+$/.test(c.slice(('htx-highlight-' + id + '-').length))));
    if (spans.length !== 1 || spans[0].querySelector('.htx-highlight')) continue;
    spans[0].scrollIntoView({block: 'center'});
    const b = spans[0].getClientRects()[0];
    return [id, b.left + b.width / 2, b.top + b.height / 2];
  }
  return null;
}"""


def _artifacts() -> Path:
    folder = Path(os.environ.get("NEWSCORPUS_ARTIFACTS") or REPO / "build" / "test-artifacts") / "labelstudio"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _expected_texts(ann) -> dict[str, dict[str, str]]:
    """Per view, region id -> the annotation's text (cue regions are ``<quote>:cue``)."""
    mentions = {m.id: m.text for m in ann.mentions}
    cues: dict[str, str] = {}
    seen: set[tuple[int, int]] = set()
    for q in ann.sorted().quotes:
        if q.cue is not None and (q.cue.start, q.cue.end) not in seen:
            seen.add((q.cue.start, q.cue.end))
            cues[f"{q.id}:cue"] = q.cue.text
    return {"entities": mentions,
            "events": {**mentions, **{v.id: v.trigger.text for v in ann.events}},
            "quotes": {**mentions, **{q.id: q.content.text for q in ann.quotes}, **cues}}


def _free_word(ann, text: str) -> re.Match:
    """A capitalised word that no mention covers and that occurs once in the text."""
    covered = [(m.start, m.end) for m in ann.mentions]
    return next(w for w in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)
                if all(w.end() <= a or w.start() >= b for a, b in covered)
                and len(re.findall(rf"\b{w.group()}\b", text)) == 1)


def _open(page, url: str, project_id: int, task_id: int, expected: dict[str, str]) -> float:
    """Open a task; the seconds until every region of the view is drawn."""
    started = time.monotonic()
    page.goto(f"{url}/projects/{project_id}/data?task={task_id}")
    page.wait_for_function("n => { const s = new Set(); for (const el of document.querySelectorAll("
                           "'.htx-highlight')) for (const c of el.classList) if (/^htx-highlight-.+-[0-9]+$/"
                           ".test(c)) s.add(c.replace(/-[0-9]+$/, '')); return s.size >= n; }",
                           arg=len(expected), timeout=RENDER_LIMIT * 1000)
    return time.monotonic() - started


def _check_highlights(page, expected: dict[str, str], view: str) -> None:
    # Label Studio may draw the text again once the annotation is made from the
    # prediction: read the highlights when every region is there
    deadline = time.monotonic() + 30
    drawn = page.evaluate(REGION_TEXTS)
    while set(drawn) != set(expected) and time.monotonic() < deadline:
        time.sleep(0.5)
        drawn = page.evaluate(REGION_TEXTS)
    assert set(drawn) == set(expected), (view, sorted(set(drawn) ^ set(expected))[:10])
    for rid in random.Random(view).sample(sorted(expected), min(SAMPLE, len(expected))):
        assert drawn[rid] == expected[rid], (view, rid, drawn[rid], expected[rid])


def _label_button(page, value: str):
    return page.locator(".lsf-label:visible", has_text=re.compile(rf"^{re.escape(value)}")).first


def _bar_stays_on_top(page, label: str) -> None:
    """Scrolled down through the text, the label bar is still drawn above the relation
    arcs: the topmost element at a label button's centre is that button."""
    button = _label_button(page, label)
    text_box = page.locator(".htx-highlight").first.bounding_box()
    page.mouse.move(text_box["x"] + 5, text_box["y"] + 5)
    for _ in range(6):
        page.mouse.wheel(0, 400)
        time.sleep(0.2)
        box = button.bounding_box()
        assert box is not None and box["y"] >= 0, "the label bar scrolled away"
        hit = page.evaluate("([x, y]) => { const el = document.elementFromPoint(x, y); "
                            "return !!(el && el.closest('.lsf-label')); }",
                            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert hit, f"something is drawn over the label {label!r} after scrolling"


def _submit(page) -> None:
    with page.expect_response(lambda r: "/annotations" in r.url and r.request.method == "POST"
                              and r.status < 300):
        page.get_by_role("button", name="Submit").click()


def _click_region(page, candidates: list[str]) -> str:
    found = page.evaluate(LEAF_BOX, [candidates])
    assert found is not None, f"none of {candidates[:5]}... is drawn as one leaf span"
    rid, x, y = found
    page.mouse.click(x, y)
    return rid


def _new_mention(page, word: re.Match, entity: str) -> None:
    """Select the word with the mouse under the LOC label, select the region, tick its
    kind and choose its entity in the Entity drop-down."""
    _label_button(page, "LOC").click()
    box = page.evaluate(WORD_BOX, [word.group()])
    assert box is not None, word.group()
    left, top, right, bottom = box
    page.mouse.move(left + 1, (top + bottom) / 2)
    page.mouse.down()
    page.mouse.move(right - 1, (top + bottom) / 2, steps=8)
    page.mouse.up()
    page.keyboard.press("Escape")
    new = page.evaluate("([t]) => [...document.querySelectorAll('.htx-highlight')].filter("
                        "el => el.textContent === t).map(el => el.getBoundingClientRect()).map("
                        "b => [b.left + b.width / 2, b.top + b.height / 2])", [word.group()])
    assert len(new) == 1, new
    page.mouse.click(*new[0])
    page.locator("input[name='name']:visible").check()
    page.locator("[data-testid=select-trigger]:visible").click()
    page.get_by_text(re.compile(rf"^{re.escape(entity)}: ")).first.click()


def _targets(gold, ann, text: str, expected: dict[str, dict[str, str]]):
    """What the annotator edits: a free word to mark as a mention, an event without
    arguments and another type for it, the cue regions no other quote shares."""
    word = _free_word(ann, text)
    place = next(e.id for e in ann.entities if e.type == "LOC")
    event = next(v for v in ann.events if not v.arguments)
    new_type = next(t.label for t in load_inventory(gold / "schema" / "inventory.json").event_types
                    if t.label != event.type)
    cue_count: dict[tuple[int, int], int] = {}
    for q in ann.quotes:
        if q.cue is not None:
            cue_count[(q.cue.start, q.cue.end)] = cue_count.get((q.cue.start, q.cue.end), 0) + 1
    cue_of = {f"{q.id}:cue": (q.cue.start, q.cue.end) for q in ann.quotes if q.cue is not None}
    lone_cues = [c for c in expected["quotes"] if c.endswith(":cue") and cue_count[cue_of[c]] == 1]
    return (word, place), event, new_type, lone_cues


def _annotate(pw, server: tuple[str, str, int], tasks: dict, expected: dict, targets: tuple,
              artifacts: Path) -> tuple[dict[str, float], str]:
    """Log in, open each view, check its highlights, screenshot it, make its edit and
    submit: (render seconds per view, the cue region deleted)."""
    url, password, project_id = server
    word, event, new_type, lone_cues = targets
    times, cue = {}, ""
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{url}/user/login")
    page.fill("input[name=email]", USER)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for view in VIEWS:
        times[view] = round(_open(page, url, project_id, tasks[view].id, expected[view]), 2)
        _check_highlights(page, expected[view], view)
        page.screenshot(path=str(artifacts / f"{view}.png"))
        if view == "entities":
            _new_mention(page, *word)
        elif view == "events":
            _bar_stays_on_top(page, event.type)
            assert _click_region(page, [event.id]) == event.id
            _label_button(page, new_type).click()
        else:
            cue = _click_region(page, lone_cues)
            page.keyboard.press("Backspace")
        page.screenshot(path=str(artifacts / f"{view}-edited.png"))
        _submit(page)
    browser.close()
    return times, cue


def test_views_in_chromium_edit_submit_pull(label_studio, label_studio_password, gold):
    need_browser_part(str(CHROMIUM), not CHROMIUM.exists())
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_browser_part("playwright (Python)", True)
    from label_studio_sdk import LabelStudio

    url, token = label_studio
    env = {"LABEL_STUDIO_API_KEY": token}
    title = "newscorpus browser"
    ok(run_cli("labelstudio", "push", "--url", url, "--project-title", title, "--version", "draft", root=gold, env=env))
    project_id = json.loads((gold / ".labelstudio" / "projects.json").read_text())["projects"][0]["id"]
    doc_id = sorted(p.stem for p in (gold / "annotations" / "draft").glob("*.json"))[0]
    tasks = {t.data["view"]: t for t in LabelStudio(base_url=url, api_key=token).tasks.list(project=project_id)
             if t.data["document_id"] == doc_id}
    ann = load_set(annotation_path(gold, "draft", doc_id)).sorted()
    expected = _expected_texts(ann)
    (word, place), event, new_type, lone_cues = _targets(gold, ann, tasks["entities"].data["text"], expected)
    artifacts = _artifacts()
    with sync_playwright() as pw:
        times, cue = _annotate(pw, (url, label_studio_password, project_id), tasks, expected,
                               ((word, place), event, new_type, lone_cues), artifacts)
    (artifacts / "render-seconds.json").write_text(json.dumps(times, indent=2) + "\n")
    print(f"\nrender seconds per view: {times}; screenshots in {artifacts}")
    assert all(t < RENDER_LIMIT for t in times.values())

    pulled = ok(run_cli("labelstudio", "pull", "--url", url, "--project-title", title, "--json", root=gold, env=env))
    changes = change_set(json.loads(pulled.stdout)["changes"])
    quote = cue.split(":")[0]
    # exactly the three edits: the new mention (of an existing entity), the event's
    # type, the quote's cue
    new_mention = next(c[1] for c in changes if c[0] == "mentions" and c[2] == "added")
    assert {c[:3] for c in changes} == {("mentions", new_mention, "added"), ("events", event.id, "changed"),
                                        ("quotes", quote, "changed")}
    assert len(changes) == 3
    fields = {c[1]: c[3] for c in changes}
    assert fields[event.id] == ("type",) and fields[quote][0] == "cue"
    assert next(q for q in load_set(annotation_path(gold, "draft", doc_id)).quotes if q.id == quote).cue is None
    draft = load_set(annotation_path(gold, "draft", doc_id))
    added = next(m for m in draft.mentions if m.id == new_mention)
    assert (added.start, added.end, added.text, added.type, added.kind, added.entity) == \
        (word.start(), word.end(), word.group(), "LOC", "name", place)
    ok(run_cli("validate", root=gold))
