"""The official scorer: predictions (a folder of annotation files, validated like any
annotation file) against a gold version, for every layer.

- mentions: exact and partial (overlapping, same type, one to one) span match, per type,
  micro and macro F1; BIO tagging F1 by ``seqeval`` over names flattened as in the
  ``ner`` view (longest of overlapping names kept), on tokens that are the
  whitespace-separated pieces of each sentence cut at every gold and predicted name
  boundary (the scorer cannot use the build's tokenizer: ``hf`` sits above ``quality``);
- coreference: MUC, B³, CEAF-e (entity-based, optimal alignment) and their average
  (the CoNLL score), mentions keyed by their span, singletons included, counts summed
  over documents as the CoNLL reference scorer does (cross-checked against scorch in
  the tests; where neither side has a link, MUC is 1.0 here and 0 in scorch);
- events: trigger identification (span) and classification (span and type); argument
  identification (trigger span, event type, argument span) and role classification (and
  role), and a coreference-aware variant where an argument counts when its span is any
  gold mention of the gold argument's entity; realis and polarity accuracy on the
  triggers matched by span;
- quotes: content exact and overlap F1; on overlap-matched quotes, cue accuracy (same cue
  span, or both none) and speaker accuracy by entity (the predicted speaker's span is a
  mention of the gold speaker's entity, or both none).
Only documents of the gold version are scored; a gold document without a prediction file
counts as predicted empty."""
from __future__ import annotations

from collections import Counter, defaultdict

from newscorpus.model import AnnotationSet, Document


def prf(tp: float, n_pred: float, n_gold: float) -> dict:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "tp": tp, "pred": n_pred, "gold": n_gold}


def _overlap_matches(gold: list[tuple], pred: list[tuple]) -> list[tuple[tuple, tuple]]:
    """One-to-one matching of spans (doc, start, end, *label) that overlap and agree on
    everything after the offsets; each gold span takes the first free overlapping one."""
    used, out = set(), []
    by_doc = defaultdict(list)
    for p in sorted(pred):
        by_doc[(p[0], p[3:])].append(p)
    for g in sorted(gold):
        for p in by_doc[(g[0], g[3:])]:
            if p not in used and p[1] < g[2] and g[1] < p[2]:
                used.add(p)
                out.append((g, p))
                break
    return out


def _typed_scores(gold: set, pred: set) -> dict:
    """Exact and partial F1 of typed spans: micro, macro over types, per type."""
    types = sorted({x[3] for x in gold | pred})
    result = {}
    for mode in ("exact", "partial"):
        per = {}
        for t in types:
            g, p = [x for x in gold if x[3] == t], [x for x in pred if x[3] == t]
            tp = len(set(g) & set(p)) if mode == "exact" else len(_overlap_matches(g, p))
            per[t] = prf(tp, len(p), len(g))
        tp = sum(v["tp"] for v in per.values())
        macro = round(sum(v["f1"] for v in per.values()) / len(per), 4) if per else 1.0
        result[mode] = {"micro": prf(tp, len(pred), len(gold)), "macro_f1": macro, "per_type": per}
    return result


def _names(ann: AnnotationSet) -> list:
    names = sorted((m for m in ann.mentions if m.kind == "name"), key=lambda m: (-(m.end - m.start), m.start))
    kept = []
    for m in names:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return kept


def _bio(text: str, sentence: tuple[int, int], names: list, cuts: set[int]) -> list[str]:
    import re

    s, e = sentence
    tokens = []
    for piece in re.finditer(r"\S+", text[s:e]):
        a, b = s + piece.start(), s + piece.end()
        points = [a] + sorted(c for c in cuts if a < c < b) + [b]
        tokens += list(zip(points, points[1:]))
    tags = ["O"] * len(tokens)
    for m in names:
        inside = [i for i, (a, b) in enumerate(tokens) if m.start <= a and b <= m.end]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + m.type
    return tags


def bio_scores(docs: dict[str, Document], gold: dict, pred: dict) -> dict:
    from seqeval.metrics import classification_report

    y_true, y_pred = [], []
    for doc_id, g in sorted(gold.items()):
        doc = docs[doc_id]
        gn, pn = _names(g), _names(pred[doc_id])
        cuts = {x for m in gn + pn for x in (m.start, m.end)}
        for sentence in doc.sentences:
            y_true.append(_bio(doc.text, sentence, gn, cuts))
            y_pred.append(_bio(doc.text, sentence, pn, cuts))
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=1)
    pick = {k: report[k] for k in ("micro avg", "macro avg") if k in report}
    return {k.split()[0]: {m: round(float(v[m]), 4) for m in ("precision", "recall", "f1-score")}
            for k, v in pick.items()}


# --- coreference ----------------------------------------------------------------------------

def clusters_of(ann: AnnotationSet) -> list[frozenset]:
    """The entities of a set as clusters of mention spans (start, end)."""
    out = defaultdict(set)
    for m in ann.mentions:
        out[m.entity].add((m.start, m.end))
    return [frozenset(c) for c in out.values()]


def muc_counts(key: list[frozenset], response: list[frozenset]) -> tuple[int, int]:
    """(numerator, denominator) of MUC recall of ``response`` against ``key``."""
    where = {m: i for i, c in enumerate(response) for m in c}
    num = den = 0
    for k in key:
        parts = {where.get(m, ("alone", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num, den


def b_cubed_counts(key: list[frozenset], response: list[frozenset]) -> tuple[float, int]:
    """(numerator, denominator) of B³ recall of ``response`` against ``key``."""
    num = sum(len(k & r) ** 2 / len(k) for k in key for r in response)
    return num, sum(len(k) for k in key)


def ceaf_e_similarity(key: list[frozenset], response: list[frozenset]) -> float:
    """The total φ4 similarity of the optimal one-to-one alignment of entities."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    if not key or not response:
        return 0.0
    phi = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
    rows, cols = linear_sum_assignment(phi, maximize=True)
    return float(phi[rows, cols].sum())


def coreference_scores(gold: dict, pred: dict) -> dict:
    """MUC, B³, CEAF-e summed over documents, and their average F1."""
    acc = defaultdict(float)
    for doc_id, g in gold.items():
        key, resp = clusters_of(g), clusters_of(pred[doc_id])
        for name, fn in (("muc", muc_counts), ("b3", b_cubed_counts)):
            rn, rd = fn(key, resp)
            pn, pd = fn(resp, key)
            acc[name + "_rn"] += rn
            acc[name + "_rd"] += rd
            acc[name + "_pn"] += pn
            acc[name + "_pd"] += pd
        acc["ceafe_sim"] += ceaf_e_similarity(key, resp)
        acc["ceafe_key"] += len(key)
        acc["ceafe_resp"] += len(resp)
    out = {}
    for name in ("muc", "b3"):
        out[name] = _pr(acc[name + "_pn"], acc[name + "_pd"], acc[name + "_rn"], acc[name + "_rd"])
    out["ceafe"] = _pr(acc["ceafe_sim"], acc["ceafe_resp"], acc["ceafe_sim"], acc["ceafe_key"])
    out["average_f1"] = round(sum(out[n]["f1"] for n in ("muc", "b3", "ceafe")) / 3, 4)
    return out


def _pr(pn: float, pd: float, rn: float, rd: float) -> dict:
    # an empty denominator scores 1 only when the other side's is empty too (nothing to find)
    p = pn / pd if pd else (1.0 if not rd else 0.0)
    r = rn / rd if rd else (1.0 if not pd else 0.0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


# --- events and quotes ------------------------------------------------------------------------

def _entity_of_span(gold: AnnotationSet) -> dict[tuple[int, int], str]:
    return {(m.start, m.end): m.entity for m in gold.mentions}


def _argument_keys(doc_id: str, ann: AnnotationSet, entity_of: dict | None) -> set[tuple]:
    """(doc, trigger, type, argument, role) per argument; the argument is its span, or,
    with ``entity_of``, the gold entity its span is a mention of (else its span)."""
    mentions = ann.mention_index()
    out = set()
    for v in ann.events:
        for a in v.arguments:
            m = mentions[a.mention]
            arg = (m.start, m.end)
            if entity_of is not None:
                arg = entity_of.get(arg, arg)
            out.add((doc_id, v.trigger.start, v.trigger.end, v.type, arg, a.role))
    return out


def event_scores(gold: dict, pred: dict) -> dict:
    trig = {n: (set(), set()) for n in ("identification", "classification")}
    args = {n: (set(), set()) for n in ("identification", "classification",
                                        "coref_identification", "coref_classification")}
    attrs = Counter()
    for doc_id, g in gold.items():
        p = pred[doc_id]
        for side, ann in ((0, g), (1, p)):
            trig["identification"][side].update((doc_id, v.trigger.start, v.trigger.end) for v in ann.events)
            trig["classification"][side].update((doc_id, v.trigger.start, v.trigger.end, v.type) for v in ann.events)
            for coref, entity_of in (("", None), ("coref_", _entity_of_span(g))):
                keys = _argument_keys(doc_id, ann, entity_of)
                args[coref + "classification"][side].update(keys)
                args[coref + "identification"][side].update(k[:5] for k in keys)
        gold_events = {(v.trigger.start, v.trigger.end): v for v in g.events}
        for v in p.events:
            gv = gold_events.get((v.trigger.start, v.trigger.end))
            if gv is not None:
                attrs["matched"] += 1
                attrs["realis"] += gv.realis == v.realis
                attrs["polarity"] += gv.polarity == v.polarity
    n = attrs["matched"]
    return {"triggers": {k: prf(len(a & b), len(b), len(a)) for k, (a, b) in trig.items()},
            "arguments": {k: prf(len(a & b), len(b), len(a)) for k, (a, b) in args.items()},
            "matched_triggers": n,
            "realis_accuracy": round(attrs["realis"] / n, 4) if n else None,
            "polarity_accuracy": round(attrs["polarity"] / n, 4) if n else None}


def _quote_keys(doc_id: str, ann: AnnotationSet) -> dict[tuple, tuple]:
    """(doc, content start, end) -> (cue span or None, speaker span or None)."""
    mentions = ann.mention_index()
    out = {}
    for q in ann.quotes:
        sp = mentions[q.speaker] if q.speaker else None
        out[(doc_id, q.content.start, q.content.end)] = (
            (q.cue.start, q.cue.end) if q.cue else None, (sp.start, sp.end) if sp else None)
    return out


def quote_scores(gold: dict, pred: dict) -> dict:
    g_all, p_all, entity = {}, {}, {}
    for doc_id, g in gold.items():
        g_all |= _quote_keys(doc_id, g)
        p_all |= _quote_keys(doc_id, pred[doc_id])
        entity[doc_id] = _entity_of_span(g)
    matches = _overlap_matches(list(g_all), list(p_all))
    cue = sum(g_all[g][0] == p_all[p][0] for g, p in matches)
    speaker = 0
    for g, p in matches:
        gs, ps = g_all[g][1], p_all[p][1]
        ge = entity[g[0]].get(gs) if gs else None
        speaker += (gs is None and ps is None) or (ge is not None and ps is not None
                                                   and entity[g[0]].get(ps) == ge)
    n = len(matches)
    return {"content_exact": prf(len(set(g_all) & set(p_all)), len(p_all), len(g_all)),
            "content_overlap": prf(n, len(p_all), len(g_all)), "matched": n,
            "cue_accuracy": round(cue / n, 4) if n else None,
            "speaker_accuracy": round(speaker / n, 4) if n else None}


# --- the command ------------------------------------------------------------------------------

def score(docs: dict[str, Document], gold: dict[str, AnnotationSet], pred: dict[str, AnnotationSet]) -> dict:
    """Every figure of the scorer, over the gold documents (see the module's docstring)."""
    pred = {d: pred.get(d) or AnnotationSet(d, gold[d].text_sha256, gold[d].version) for d in gold}
    g_m = {(d, m.start, m.end, m.type) for d, a in gold.items() for m in a.mentions}
    p_m = {(d, m.start, m.end, m.type) for d, a in pred.items() for m in a.mentions}
    return {"documents": len(gold), "mentions": _typed_scores(g_m, p_m), "bio": bio_scores(docs, gold, pred),
            "coreference": coreference_scores(gold, pred), "events": event_scores(gold, pred),
            "quotes": quote_scores(gold, pred)}


def evaluate(layout, gold_version: str, predictions: str) -> dict:
    """Validate the predictions folder (named problems as for any annotation file; a
    document the gold version does not annotate is ``unknown-document``) and score it.
    The gold is a version, or a folder of annotation files validated the same way (a
    part of a version, e.g. the held-out sentences of ``examples/train_ner.py``)."""
    from pathlib import Path

    from newscorpus import corpus
    from newscorpus.errors import CorpusError, Problem
    from newscorpus.store.documents import load_documents

    if corpus.is_folder_name(str(gold_version)):
        version, gold = corpus.load_version(layout, str(gold_version))
        docs = load_documents(layout)
    else:
        version, docs, gold, _ = corpus.load_checked(layout, gold_version)
    _, pred = corpus.load_version(layout, str(predictions))
    extra = sorted(set(pred) - set(gold))
    if extra:
        raise CorpusError([Problem(str(Path(predictions) / f"{d}.json"), "", "unknown-document",
                                   f"the gold version {version} does not annotate this document", d)
                           for d in extra])
    return {"gold": version, "predictions": str(predictions), **score(docs, gold, pred)}


def format_evaluation(result: dict) -> str:
    def f(x):
        return f"P {x['precision']:.4f} R {x['recall']:.4f} F1 {x['f1']:.4f}"

    m, c, v, q = result["mentions"], result["coreference"], result["events"], result["quotes"]
    lines = [f"gold {result['gold']} vs {result['predictions']} ({result['documents']} document(s))",
             f"mentions exact    micro {f(m['exact']['micro'])}  macro F1 {m['exact']['macro_f1']:.4f}",
             f"mentions partial  micro {f(m['partial']['micro'])}  macro F1 {m['partial']['macro_f1']:.4f}"]
    for name, s in result["bio"].items():
        lines.append(f"BIO (seqeval)     {name:<5} P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1-score']:.4f}")
    for name in ("muc", "b3", "ceafe"):
        lines.append(f"coreference {name:<6}{f(c[name])}")
    lines.append(f"coreference average F1 {c['average_f1']:.4f}")
    for k, s in v["triggers"].items():
        lines.append(f"triggers {k:<24} {f(s)}")
    for k, s in v["arguments"].items():
        lines.append(f"arguments {k:<23} {f(s)}")
    lines.append(f"realis accuracy {v['realis_accuracy']}  polarity accuracy {v['polarity_accuracy']} "
                 f"(on {v['matched_triggers']} matched triggers)")
    lines.append(f"quotes content exact   {f(q['content_exact'])}")
    lines.append(f"quotes content overlap {f(q['content_overlap'])}")
    lines.append(f"quotes cue accuracy {q['cue_accuracy']}  speaker accuracy (by entity) {q['speaker_accuracy']} "
                 f"(on {q['matched']} matched quotes)")
    return "\n".join(lines)
