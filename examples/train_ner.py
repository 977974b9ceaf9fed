"""Train a small spaCy NER pipeline on the ``ner`` config of a newscorpus build, predict
on held-out sentences and score the predictions with ``newscorpus evaluate``.

THIS IS A DEMONSTRATION, NOT A BENCHMARK. While the corpus has one article, every
sentence is in the ``train`` split. The script holds out every 5th sentence of each
document (``sentence_index % 5 == 4``), trains on the others, and scores only the
held-out ones. The held-out sentences come from the same article as the training
sentences, so the figures say that the pipeline runs end to end, not how well a model
generalizes.

    newscorpus build --output build/dataset
    python examples/train_ner.py --build build/dataset --iterations 10

Scoring: the script writes two folders of annotation files under ``--out``: ``gold/``
(the names of the held-out sentences, read from the ``ner`` tags) and ``predictions/``
(the model's names in the same sentences), each name a mention of its own entity. It
then runs ``newscorpus evaluate OUT/gold OUT/predictions --json`` in the repository
``--root`` and prints the mention and BIO scores (coreference, events and quotes are
not predicted here). No model is downloaded: the pipeline starts from ``spacy.blank("en")``.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

import spacy
from datasets import load_dataset
from spacy.tokens import Doc
from spacy.training import Example, iob_to_biluo

HOLD_OUT_EVERY = 5  # sentence_index % 5 == 4 is held out
PROVENANCE = {"annotator": "train_ner", "tool": "examples/train_ner.py (spaCy blank en + ner)",
              "created": "2026-01-01T00:00:00Z"}


def make_doc(vocab, row: dict) -> Doc:
    """A spaCy Doc of the row's tokens; a token is followed by a space when the next
    token does not start where it ends."""
    starts, ends = row["token_starts"], row["token_ends"]
    spaces = [starts[i + 1] > ends[i] for i in range(len(ends) - 1)] + [False]
    return Doc(vocab, words=row["tokens"], spaces=spaces)


def bio_spans(row: dict, tags: list[str]) -> list[tuple[int, int, str]]:
    """(char start, char end, type) of the names in a row's BIO tags."""
    spans, current = [], None
    for i, tag in enumerate(tags + ["O"]):
        if current and not (tag.startswith("I-") and tag[2:] == current[2]):
            spans.append((row["token_starts"][current[0]], row["token_ends"][current[1]], current[2]))
            current = None
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            current = [i, i, tag[2:]]
        elif current:
            current[1] = i
    return spans


def train(rows: list[dict], names: list[str], iterations: int):
    spacy.util.fix_random_seed(0)
    random.seed(0)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in {n[2:] for n in names if n != "O"}:
        ner.add_label(label)
    examples = [Example.from_dict(make_doc(nlp.vocab, r),
                                  {"entities": iob_to_biluo([names[t] for t in r["ner_tags"]])})
                for r in rows]
    optimizer = nlp.initialize(lambda: examples)
    for it in range(iterations):
        random.shuffle(examples)
        losses: dict = {}
        for batch in spacy.util.minibatch(examples, size=8):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        print(f"iteration {it + 1}/{iterations}  ner loss {losses.get('ner', 0.0):.2f}")
    return nlp


def annotation_file(doc: dict, spans: list[tuple[int, int, str]]) -> dict:
    """An annotation file (the corpus format) with one entity per name."""
    version = doc["annotation_version"]
    prov = PROVENANCE | {"introduced_in": version, "changed_in": version}
    entities, mentions = [], []
    for k, (s, e, label) in enumerate(sorted(set(spans)), 1):
        text = doc["text"][s:e]
        entities.append({"id": f"e{k}", "type": label, "name": text, "provenance": prov})
        mentions.append({"id": f"m{k}", "start": s, "end": e, "text": text, "type": label, "kind": "name",
                         "entity": f"e{k}", "provenance": prov})
    return {"schema_version": "1.0", "document_id": doc["id"], "text_sha256": doc["text_sha256"],
            "version": version, "entities": entities, "mentions": mentions, "events": [], "quotes": []}


def write_folder(folder: Path, docs: dict, spans: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for doc_id in sorted({d for d in spans}):
        path = folder / f"{doc_id}.json"
        path.write_text(json.dumps(annotation_file(docs[doc_id], spans[doc_id]), ensure_ascii=False, indent=1),
                        encoding="utf-8")


def report(result: dict) -> None:
    def f(x):
        return f"P {x['precision']:.4f} R {x['recall']:.4f} F1 {x['f1']:.4f}"

    m = result["mentions"]
    print("scores on the held-out sentences (newscorpus evaluate; a demonstration, not a benchmark):")
    for mode in ("exact", "partial"):
        print(f"  names {mode:<8} micro {f(m[mode]['micro'])}  macro F1 {m[mode]['macro_f1']:.4f}")
    for name, s in result["bio"].items():
        print(f"  BIO (seqeval) {name:<5} P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1-score']:.4f}")
    for label, s in sorted(m["exact"]["per_type"].items()):
        print(f"    {label:<10} exact {f(s)}  (gold {s['gold']}, predicted {s['pred']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build/dataset", help="a `newscorpus build` folder")
    ap.add_argument("--iterations", type=int, default=10, help="training passes over the data")
    ap.add_argument("--root", default=".", help="the corpus repository, for `newscorpus evaluate`")
    ap.add_argument("--out", default="build/train_ner", help="where gold/ and predictions/ are written")
    args = ap.parse_args(argv)

    ner = load_dataset(args.build, "ner", split="train")
    docs = {d["id"]: d for d in load_dataset(args.build, "documents", split="train")}
    names = ner.features["ner_tags"].feature.names
    held = [r for r in ner if r["sentence_index"] % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1]
    rest = [r for r in ner if r["sentence_index"] % HOLD_OUT_EVERY != HOLD_OUT_EVERY - 1]
    print(f"DEMONSTRATION, NOT A BENCHMARK: {len(rest)} sentences for training, {len(held)} held out "
          f"(every {HOLD_OUT_EVERY}th sentence of the same article(s), all from the `train` split)")
    nlp = train(rest, names, args.iterations)

    gold, pred = {d: [] for d in docs}, {d: [] for d in docs}
    for r in held:
        gold[r["document_id"]] += bio_spans(r, [names[t] for t in r["ner_tags"]])
        doc = nlp(make_doc(nlp.vocab, r))
        pred[r["document_id"]] += [(r["token_starts"][e.start], r["token_ends"][e.end - 1], e.label_)
                                   for e in doc.ents]
    out = Path(args.out)
    write_folder(out / "gold", docs, gold)
    write_folder(out / "predictions", docs, pred)
    cmd = [sys.executable, "-m", "newscorpus", "--root", args.root, "evaluate",
           str((out / "gold").resolve()), str((out / "predictions").resolve()), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout, done.stderr, file=sys.stderr)
        return done.returncode
    report(json.loads(done.stdout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
