"""Inter-annotator agreement between two annotation sets of the same documents.

Per layer:

* span F1, **exact** (same start and end) and **overlap** (one-to-one matching of
  overlapping spans, largest overlap first), with one set taken as reference (F1 is
  symmetric);
* **label agreement** on exactly matched spans (the share with the same label; also
  Cohen's kappa), and for mentions the mention kind and B-cubed coreference F1 on the
  matched mentions;
* events: realis and polarity agreement on matched triggers, and **argument F1** over
  (trigger, role, argument span) triples of matched events;
* quotes: kind and cue agreement on matched content spans, and **speaker agreement**
  (both name the same speaker span, or both name none).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from newscorpus.model import AnnotationSet


def _prf(tp: int, n_a: int, n_b: int) -> dict:
    p = tp / n_b if n_b else 0.0
    r = tp / n_a if n_a else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"matched": tp, "a": n_a, "b": n_b, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def match_exact(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    free: dict[tuple[int, int], list[int]] = {}
    for j, span in enumerate(b):
        free.setdefault(span, []).append(j)
    pairs = []
    for i, span in enumerate(a):
        if free.get(span):
            pairs.append((i, free[span].pop(0)))
    return pairs


def match_overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    candidates = []
    for i, (s1, e1) in enumerate(a):
        for j, (s2, e2) in enumerate(b):
            ov = min(e1, e2) - max(s1, s2)
            if ov > 0:
                candidates.append((-ov, i, j))
    used_a, used_b, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    n = len(pairs)
    if not n:
        return None
    po = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if pe == 1:
        return 1.0
    return round((po - pe) / (1 - pe), 4)


def _agree(pairs: list[tuple]) -> dict:
    n = len(pairs)
    same = sum(x == y for x, y in pairs)
    return {"pairs": n, "agree": same, "rate": round(same / n, 4) if n else None, "kappa": _kappa(pairs)}


def _b_cubed(clusters_a: list[str], clusters_b: list[str]) -> dict:
    """B-cubed over the matched mentions: clusters_a[k] and clusters_b[k] are the entity
    ids of the k-th matched mention pair in each set."""
    n = len(clusters_a)
    if not n:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    by_a, by_b = {}, {}
    for k, (x, y) in enumerate(zip(clusters_a, clusters_b)):
        by_a.setdefault(x, set()).add(k)
        by_b.setdefault(y, set()).add(k)
    p = sum(len(by_a[clusters_a[k]] & by_b[clusters_b[k]]) / len(by_b[clusters_b[k]]) for k in range(n)) / n
    r = sum(len(by_a[clusters_a[k]] & by_b[clusters_b[k]]) / len(by_a[clusters_a[k]]) for k in range(n)) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _add(acc: dict, key: str, matched: int, n_a: int, n_b: int) -> None:
    acc[key] = [acc[key][0] + matched, acc[key][1] + n_a, acc[key][2] + n_b]


def _doc_agreement(a: AnnotationSet, b: AnnotationSet, acc: dict) -> None:
    ma, mb = a.mention_index(), b.mention_index()

    # mentions
    sa = [(m.start, m.end) for m in a.mentions]
    sb = [(m.start, m.end) for m in b.mentions]
    exact = match_exact(sa, sb)
    _add(acc, "mentions_exact", len(exact), len(sa), len(sb))
    _add(acc, "mentions_overlap", len(match_overlap(sa, sb)), len(sa), len(sb))
    for i, j in exact:
        acc["mention_type"].append((a.mentions[i].type, b.mentions[j].type))
        acc["mention_kind"].append((a.mentions[i].kind, b.mentions[j].kind))
        acc["coref_a"].append(f"{a.document_id}/{a.mentions[i].entity}")
        acc["coref_b"].append(f"{b.document_id}/{b.mentions[j].entity}")

    # events
    ta = [(v.trigger.start, v.trigger.end) for v in a.events]
    tb = [(v.trigger.start, v.trigger.end) for v in b.events]
    exact = match_exact(ta, tb)
    _add(acc, "events_exact", len(exact), len(ta), len(tb))
    _add(acc, "events_overlap", len(match_overlap(ta, tb)), len(ta), len(tb))
    args_a, args_b = Counter(), Counter()
    for v in a.events:
        for arg in v.arguments:
            m = ma.get(arg.mention)
            if m:
                args_a[(v.trigger.start, v.trigger.end, arg.role, m.start, m.end)] += 1
    for v in b.events:
        for arg in v.arguments:
            m = mb.get(arg.mention)
            if m:
                args_b[(v.trigger.start, v.trigger.end, arg.role, m.start, m.end)] += 1
    _add(acc, "arguments", sum((args_a & args_b).values()), sum(args_a.values()), sum(args_b.values()))
    for i, j in exact:
        va, vb = a.events[i], b.events[j]
        acc["event_type"].append((va.type, vb.type))
        acc["realis"].append((va.realis, vb.realis))
        acc["polarity"].append((va.polarity, vb.polarity))

    # quotes
    qa = [(q.content.start, q.content.end) for q in a.quotes]
    qb = [(q.content.start, q.content.end) for q in b.quotes]
    exact = match_exact(qa, qb)
    _add(acc, "quotes_exact", len(exact), len(qa), len(qb))
    _add(acc, "quotes_overlap", len(match_overlap(qa, qb)), len(qa), len(qb))

    def speaker(q, index):
        m = index.get(q.speaker) if q.speaker else None
        return (m.start, m.end) if m else None

    for i, j in exact:
        xa, xb = a.quotes[i], b.quotes[j]
        acc["quote_kind"].append((xa.kind, xb.kind))
        acc["cue"].append(((xa.cue.start, xa.cue.end) if xa.cue else None,
                           (xb.cue.start, xb.cue.end) if xb.cue else None))
        acc["speaker"].append((speaker(xa, ma), speaker(xb, mb)))


def agreement(a: dict[str, AnnotationSet], b: dict[str, AnnotationSet]) -> dict:
    """Agreement figures over the documents both sets annotate."""
    return agreement_of_pairs((a[d], b[d]) for d in sorted(set(a) & set(b)))


def agreement_of_pairs(pairs: Iterable[tuple[AnnotationSet, AnnotationSet]]) -> dict:
    """``agreement`` over (a, b) pairs of one document each, read one pair at a time
    (memory does not grow with the number of documents)."""
    from collections import defaultdict

    acc: dict = defaultdict(list)
    for key in ("mentions_exact", "mentions_overlap", "events_exact", "events_overlap",
                "quotes_exact", "quotes_overlap", "arguments"):
        acc[key] = [0, 0, 0]
    docs = []
    for x, y in pairs:
        docs.append(x.document_id)
        _doc_agreement(x, y, acc)

    def prf(key):
        return _prf(*acc[key])

    return {
        "documents": docs,
        "mentions": {"exact": prf("mentions_exact"), "overlap": prf("mentions_overlap"),
                     "type": _agree(acc["mention_type"]), "kind": _agree(acc["mention_kind"]),
                     "coreference_b_cubed": _b_cubed(acc["coref_a"], acc["coref_b"])},
        "events": {"exact": prf("events_exact"), "overlap": prf("events_overlap"),
                   "type": _agree(acc["event_type"]), "realis": _agree(acc["realis"]),
                   "polarity": _agree(acc["polarity"]), "arguments": prf("arguments")},
        "quotes": {"exact": prf("quotes_exact"), "overlap": prf("quotes_overlap"),
                   "kind": _agree(acc["quote_kind"]), "cue": _agree(acc["cue"]),
                   "speaker": _agree(acc["speaker"])},
    }


def format_agreement(result: dict, name_a: str, name_b: str) -> str:
    lines = [f"agreement {name_a} vs {name_b} ({len(result['documents'])} document(s))",
             f"{'layer':<9} {'measure':<22} {'value':>7}  detail"]

    def f1(layer, key, label):
        x = result[layer][key]
        lines.append(f"{layer:<9} {label:<22} {x['f1']:>7.3f}  matched {x['matched']} of {x['a']} / {x['b']}")

    def ag(layer, key, label):
        x = result[layer][key]
        rate = "   n/a" if x["rate"] is None else f"{x['rate']:>7.3f}"
        kappa = "" if x["kappa"] is None else f", kappa {x['kappa']:.3f}"
        lines.append(f"{layer:<9} {label:<22} {rate}  {x['agree']} of {x['pairs']} matched{kappa}")

    f1("mentions", "exact", "span F1 exact")
    f1("mentions", "overlap", "span F1 overlap")
    ag("mentions", "type", "type agreement")
    ag("mentions", "kind", "kind agreement")
    b3 = result["mentions"]["coreference_b_cubed"]
    lines.append(f"{'mentions':<9} {'coreference B3 F1':<22} {b3['f1']:>7.3f}  on exactly matched mentions")
    f1("events", "exact", "trigger F1 exact")
    f1("events", "overlap", "trigger F1 overlap")
    ag("events", "type", "type agreement")
    ag("events", "realis", "realis agreement")
    ag("events", "polarity", "polarity agreement")
    f1("events", "arguments", "argument F1")
    f1("quotes", "exact", "content F1 exact")
    f1("quotes", "overlap", "content F1 overlap")
    ag("quotes", "kind", "kind agreement")
    ag("quotes", "cue", "cue agreement")
    ag("quotes", "speaker", "speaker agreement")
    return "\n".join(lines)


def version_agreement(layout, a: str, b: str) -> tuple[str, str, dict]:
    """Agreement between two versions or folders of annotation files, validated."""
    from newscorpus import corpus

    name_a, sets_a = corpus.load_version(layout, a)
    name_b, sets_b = corpus.load_version(layout, b)
    return name_a, name_b, agreement(sets_a, sets_b)
