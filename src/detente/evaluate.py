"""Built-in evaluation: run the coder on the gold sets in ``<shared>/eval`` and score it.

Sets (every file matching the pattern is scored, so held-out files of the same kinds
are picked up too):

* ``plover_gsr_*.jsonl`` (PLOVER/CAMEO-manual examples): PLOVER type top-1, source
  country, target country. The prediction is the sentence's top event (highest
  confidence). Its PLOVER type is read in the gold's vocabulary (the pre-2021 names,
  see ``coding/data/cameo/plover_supplement.yaml``). Source/target country is right when
  the event's country (or, for actors without one, its code's first three letters)
  equals the first three letters of one gold actor code. Target country is scored only
  on records whose gold lists a target actor.
* ``conflibert_pentaclass_*.jsonl``: pentaclass of the top event's CAMEO root
  (0 = 01-02, 1 = 03-05, 2 = 06-08, 3 = 09-13 and 16, 4 = 14-15 and 17-20). The
  pentaclass follows the Phoenix/PETRARCH quad-class convention, which puts root 16
  (reduce relations: cut aid, expel diplomats, break ties) with verbal conflict; the
  gold labels agree (sentences about suspended aid or expulsions are labelled 3).
  detente's own ``quad_class`` keeps the CAMEO convention (16 is material conflict).
* ``conflibert_srctgt_*.bio``: the top event's source (target) actor span overlaps a
  gold S (T) span; scored on sentences with a gold S (T) span.

**A sentence for which the coder produces no event counts as wrong** in every metric.
Coverage (the share of sentences with an event) and accuracy on covered sentences are
reported beside the headline figures.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

PENTA = {**{f"{i:02d}": 0 for i in (1, 2)}, **{f"{i:02d}": 1 for i in (3, 4, 5)},
         **{f"{i:02d}": 2 for i in (6, 7, 8)}, **{f"{i:02d}": 3 for i in (9, 10, 11, 12, 13, 16)},
         **{f"{i:02d}": 4 for i in (14, 15, 17, 18, 19, 20)}}
TARGETS = {"plover_type_top1": 0.75, "source_country": 0.85, "target_country": 0.75,
           "pentaclass_accuracy": 0.70}


@dataclass
class Row:
    dataset: str
    metric: str
    n: int
    value: float
    target: float | None = None
    note: str = ""


def pentaclass(root: str) -> int:
    """The ConfliBERT pentaclass of a CAMEO root."""
    return PENTA[root]


def _country(actor: str | None, country: str | None) -> str | None:
    if country:
        return country
    return actor[:3] if actor else None


def _gold_codes(side: list) -> set[str]:
    return {str(a["code"])[:3] for a in side if isinstance(a, dict) and a.get("code")}


def _run(texts: list[str], dates: list[str | None], nlp, kb, lexicon) -> tuple[list[list], dict]:
    """Events per text (sorted by confidence) and timings: parse / actors / coder seconds."""
    from .actors import resolve_doc
    from .coding import code_doc

    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    t1 = time.perf_counter()
    out, t_act, t_code = [], 0.0, 0.0
    for i, (doc, d) in enumerate(zip(docs, dates)):
        date = dt.date.fromisoformat(d[:10]) if d else None
        a0 = time.perf_counter()
        actors = resolve_doc(doc, f"eval-{i}", date, kb)
        a1 = time.perf_counter()
        evs = code_doc(doc, actors, f"eval-{i}", date, lexicon, kb)
        t_code += time.perf_counter() - a1
        t_act += a1 - a0
        out.append(sorted(evs, key=lambda e: -e.confidence))
    return out, {"parse": t1 - t0, "actors": t_act, "coder": t_code, "n": len(texts)}


def score_plover(records: list[dict], events: list[list], name: str) -> list[Row]:
    from .coding.tables import load_tables

    tables = load_tables()
    typ = src = tgt = covered = 0
    n_src = n_tgt = 0
    for rec, evs in zip(records, events):
        gold = rec["events"][0] if rec.get("events") else None
        top = evs[0] if evs else None
        covered += top is not None
        if gold is None:
            continue
        if top is not None and tables.legacy_plover(top.cameo) == gold["plover"]:
            typ += 1
        gs, gt = _gold_codes(gold.get("source", [])), _gold_codes(gold.get("target", []))
        if gs:
            n_src += 1
            src += top is not None and _country(top.source_actor, top.source_country) in gs
        if gt:
            n_tgt += 1
            tgt += top is not None and _country(top.target_actor, top.target_country) in gt
    n = len(records)
    return [
        Row(name, "plover_type_top1", n, typ / max(n, 1), TARGETS["plover_type_top1"],
            f"coverage {covered / max(n, 1):.2f}"),
        Row(name, "source_country", n_src, src / max(n_src, 1), TARGETS["source_country"]),
        Row(name, "target_country", n_tgt, tgt / max(n_tgt, 1), TARGETS["target_country"]),
    ]


def score_pentaclass(records: list[dict], events: list[list], name: str) -> list[Row]:
    right = covered = right_cov = 0
    for rec, evs in zip(records, events):
        if not evs:
            continue
        covered += 1
        ok = pentaclass(evs[0].cameo_root) == int(rec["pentaclass"])
        right += ok
        right_cov += ok
    n = len(records)
    return [
        Row(name, "pentaclass_accuracy", n, right / max(n, 1), TARGETS["pentaclass_accuracy"],
            f"coverage {covered / max(n, 1):.2f}; on covered {right_cov / max(covered, 1):.2f}"),
    ]


def read_bio(path: Path) -> list[tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """Sentences of a BIO file as (text, source spans, target spans), char offsets."""
    out = []
    sent: list[tuple[str, str]] = []

    def flush():
        if not sent:
            return
        text, spans = "", {"S": [], "T": []}
        cur = None
        for tok, tag in sent:
            if text and not tok.startswith(("'", "’", ",", ".", ";", ":", "?", "!", ")", "%")) \
                    and not text.endswith(("(", "$")):
                text += " "
            s = len(text)
            text += tok
            kind = tag[2:] if len(tag) > 2 else None
            if tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != kind)):
                cur = [kind, s, len(text)]
                spans.setdefault(kind, []).append(cur)
            elif tag.startswith("I-"):
                cur[2] = len(text)
            else:
                cur = None
        out.append((text, [(a, b) for _, a, b in spans["S"]], [(a, b) for _, a, b in spans["T"]]))
        sent.clear()

    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            flush()
            continue
        sent.append((parts[0], parts[-1]))
    flush()
    return out


def _overlaps(a: int | None, b: int | None, spans: list[tuple[int, int]]) -> bool:
    return a is not None and b is not None and any(a < e and s < b for s, e in spans)


def score_srctgt(sents: list, events: list[list], name: str) -> list[Row]:
    src = tgt = n_s = n_t = 0
    for (_, ss, ts), evs in zip(sents, events):
        top = evs[0] if evs else None
        if ss:
            n_s += 1
            src += top is not None and _overlaps(top.source_start, top.source_end, ss)
        if ts:
            n_t += 1
            tgt += top is not None and _overlaps(top.target_start, top.target_end, ts)
    return [Row(name, "source_span", n_s, src / max(n_s, 1)),
            Row(name, "target_span", n_t, tgt / max(n_t, 1))]


def run_eval(shared_dir: str | Path, *, nlp=None, kb=None, lexicon=None,
             limit: int | None = None) -> list[Row]:
    """Score the coder on every gold file in ``<shared_dir>/eval``; [] when there is none."""
    from .actors import load_kb
    from .coding import load_lexicon
    from .nlp import load_pipeline

    ev = Path(shared_dir) / "eval"
    if not ev.is_dir():
        ev = Path(shared_dir)
    nlp = nlp or load_pipeline()
    kb = kb or load_kb()
    lexicon = lexicon or load_lexicon()
    rows: list[Row] = []
    timing = {"parse": 0.0, "actors": 0.0, "coder": 0.0, "n": 0}

    def add(t):
        for k in timing:
            timing[k] += t[k]

    for f in sorted(ev.glob("plover_gsr_*.jsonl")):
        recs = [json.loads(x) for x in f.read_text("utf-8").splitlines() if x.strip()][:limit]
        evs, t = _run([r["text"] for r in recs], [r.get("date") for r in recs], nlp, kb, lexicon)
        add(t)
        rows += score_plover(recs, evs, f.name)
    for f in sorted(ev.glob("conflibert_pentaclass_*.jsonl")):
        recs = [json.loads(x) for x in f.read_text("utf-8").splitlines() if x.strip()][:limit]
        evs, t = _run([r["text"] for r in recs], [r.get("date") for r in recs], nlp, kb, lexicon)
        add(t)
        rows += score_pentaclass(recs, evs, f.name)
    for f in sorted(ev.glob("conflibert_srctgt_*.bio")):
        sents = read_bio(f)[:limit]
        evs, t = _run([s[0] for s in sents], [None] * len(sents), nlp, kb, lexicon)
        add(t)
        rows += score_srctgt(sents, evs, f.name)
    if timing["n"]:
        p = max(timing["parse"], 1e-9)
        rows.append(Row("all", "coder_time_over_parse", timing["n"], timing["coder"] / p, 0.20,
                        f"parse {timing['parse']:.1f}s, actors {timing['actors']:.1f}s, "
                        f"coder {timing['coder']:.1f}s"))
    return rows


def format_table(rows: list[Row]) -> str:
    """A plain-text table of metric rows (the CLI may render the same rows with rich)."""
    head = ("dataset", "metric", "n", "value", "target", "ok", "note")
    body = []
    for r in rows:
        if r.target is None:
            ok = ""
        elif r.metric == "coder_time_over_parse":
            ok = "yes" if r.value <= r.target else "NO"
        else:
            ok = "yes" if r.value >= r.target else "NO"
        body.append((r.dataset, r.metric, str(r.n), f"{r.value:.3f}",
                     "" if r.target is None else f"{r.target:.2f}", ok, r.note))
    w = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    line = lambda xs: "  ".join(x.ljust(w[i]) for i, x in enumerate(xs)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(["-" * k for k in w]), *map(line, body)])


__all__ = ["run_eval", "format_table", "Row", "pentaclass", "read_bio", "score_plover",
           "score_pentaclass", "score_srctgt"]
