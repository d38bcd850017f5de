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
* ``plv_*.jsonl`` (sentences with marked source -> target pairs and the PLOVER type
  linking them, in the 15-type vocabulary where CONCEDE and RETREAT are one type,
  YIELD): ``dyad_linked`` is the share of marked pairs that some event links (its
  source span overlaps the marked source and its target span the marked target);
  ``pair_type`` the share of marked pairs whose event has the marked type, the pair's
  event being the most confident event linking it, else one holding either of its
  actors, else the sentence's top event (:func:`pair_event`); ``linked_type`` the
  stricter share of marked pairs linked by an event of the marked type.

**Tune and check halves** (``../shared/GUIDE.md`` section 6). Every set is split
once, by record id: ``check`` when ``int(sha1(id).hexdigest(), 16) % 4 == 0``, else
``tune`` (a BIO file has no ids; its sentences are ``<file stem>:<index>``). Rules and
learned parts are tuned on ``tune`` only; ``check`` is read only as a score. Several
sets share sentences under different ids, so :func:`check_texts` lists the texts of
every set's ``check`` half: training scripts leave those out of every set.

**A sentence for which the coder produces no event counts as wrong** in every metric.
Coverage (the share of sentences with an event) and accuracy on covered sentences are
reported beside the headline figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

PENTA = {**{f"{i:02d}": 0 for i in (1, 2)}, **{f"{i:02d}": 1 for i in (3, 4, 5)},
         **{f"{i:02d}": 2 for i in (6, 7, 8)}, **{f"{i:02d}": 3 for i in (9, 10, 11, 12, 13, 16)},
         **{f"{i:02d}": 4 for i in (14, 15, 17, 18, 19, 20)}}
TARGETS = {"plover_type_top1": 0.80, "source_country": 0.85, "target_country": 0.75,
           "pentaclass_accuracy": 0.80, "dyad_linked": 0.65, "pair_type": 0.80}


SPLITS = ("tune", "check")


@dataclass
class Row:
    dataset: str
    metric: str
    n: int
    value: float
    target: float | None = None
    note: str = ""
    split: str = "all"


def split_of(record_id: str) -> str:
    """``check`` for a quarter of the ids (fixed by a hash), ``tune`` for the rest."""
    return "check" if int(hashlib.sha1(record_id.encode("utf-8")).hexdigest(), 16) % 4 == 0 \
        else "tune"


def text_key(text: str) -> str:
    """A sentence's identity across sets (case, spacing and punctuation ignored)."""
    return re.sub(r"\W+", "", text.lower())


def load_sets(shared_dir: str | Path) -> dict[str, list[dict]]:
    """Every gold file under ``<shared_dir>/eval`` as records with ``id``, ``text`` and
    ``split``; BIO sentences become ``{"id", "text", "S": spans, "T": spans}``."""
    ev = Path(shared_dir) / "eval"
    if not ev.is_dir():
        ev = Path(shared_dir)
    out: dict[str, list[dict]] = {}
    for pattern in ("plover_gsr_*.jsonl", "conflibert_pentaclass_*.jsonl", "plv_*.jsonl"):
        for f in sorted(ev.glob(pattern)):
            recs = [json.loads(x) for x in f.read_text("utf-8").splitlines() if x.strip()]
            for i, r in enumerate(recs):
                r.setdefault("id", f"{f.stem}:{i}")
                r["split"] = split_of(str(r["id"]))
            out[f.name] = recs
    for f in sorted(ev.glob("conflibert_srctgt_*.bio")):
        recs = []
        for i, (text, ss, ts) in enumerate(read_bio(f)):
            rid = f"{f.stem}:{i}"
            recs.append({"id": rid, "text": text, "S": ss, "T": ts, "split": split_of(rid)})
        out[f.name] = recs
    return out


def check_texts(sets: dict[str, list[dict]]) -> set[str]:
    """:func:`text_key` of every sentence in any set's ``check`` half."""
    return {text_key(r["text"]) for recs in sets.values() for r in recs if r["split"] == "check"}


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


_YIELD = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def plv_type(plover: str | None) -> str | None:
    """A PLOVER 2021 type in the 15-type vocabulary of ``plv_dev`` (CONCEDE, RETREAT ->
    YIELD)."""
    return _YIELD.get(plover, plover) if plover else None


def _span_hit(a: int | None, b: int | None, span) -> bool:
    return a is not None and b is not None and a < span[1] and span[0] < b


def pair_event(evs: list, pair: dict):
    """The event that speaks for a marked pair: the most confident one linking its source
    to its target, else one that has either side, else the sentence's top event (None
    when the sentence has no event)."""
    src, tgt = pair["source"], pair["target"]
    links = [e for e in evs if _span_hit(e.source_start, e.source_end, src)
             and _span_hit(e.target_start, e.target_end, tgt)]
    half = [e for e in evs if _span_hit(e.source_start, e.source_end, src)
            or _span_hit(e.target_start, e.target_end, tgt)]
    return (links or half or evs or [None])[0], bool(links)


def score_plv(records: list[dict], events: list[list], name: str) -> list[Row]:
    """Marked source -> target pairs: linked by some event; the type the coder gives the
    pair (the type of :func:`pair_event`, the issue's "right type for the marked pair");
    and linked by an event of the marked type."""
    linked = typed = strict = n = 0
    for rec, evs in zip(records, events):
        for p in rec.get("pairs", []):
            n += 1
            best, is_linked = pair_event(evs, p)
            linked += is_linked
            typed += best is not None and plv_type(best.plover) == p["plover"]
            strict += any(plv_type(e.plover) == p["plover"] for e in evs
                          if _span_hit(e.source_start, e.source_end, p["source"])
                          and _span_hit(e.target_start, e.target_end, p["target"]))
    return [Row(name, "dyad_linked", n, linked / max(n, 1), TARGETS["dyad_linked"]),
            Row(name, "pair_type", n, typed / max(n, 1), TARGETS["pair_type"]),
            Row(name, "linked_type", n, strict / max(n, 1), None,
                f"on linked {strict / max(linked, 1):.2f}")]


def _scorer(name: str):
    if name.startswith("plover_gsr_"):
        return lambda recs, evs: score_plover(recs, evs, name)
    if name.startswith("conflibert_pentaclass_"):
        return lambda recs, evs: score_pentaclass(recs, evs, name)
    if name.startswith("conflibert_srctgt_"):
        return lambda recs, evs: score_srctgt([(r["text"], r["S"], r["T"]) for r in recs], evs,
                                              name)
    return lambda recs, evs: score_plv(recs, evs, name)


def run_eval(shared_dir: str | Path, *, nlp=None, kb=None, lexicon=None,
             limit: int | None = None, splits: tuple[str, ...] = SPLITS) -> list[Row]:
    """Score the coder on every gold file in ``<shared_dir>/eval``, one row per set,
    metric and split (``tune``, ``check``); [] when there is none."""
    from .actors import load_kb
    from .coding import load_lexicon
    from .nlp import load_pipeline

    sets = load_sets(shared_dir)
    if not sets:
        return []
    nlp = nlp or load_pipeline()
    kb = kb or load_kb()
    lexicon = lexicon or load_lexicon()
    rows: list[Row] = []
    timing = {"parse": 0.0, "actors": 0.0, "coder": 0.0, "n": 0}
    for name, recs in sets.items():
        recs = [r for r in recs if r["split"] in splits][:limit]
        evs, t = _run([r["text"] for r in recs], [r.get("date") for r in recs], nlp, kb, lexicon)
        for k in timing:
            timing[k] += t[k]
        score = _scorer(name)
        for split in splits:
            keep = [i for i, r in enumerate(recs) if r["split"] == split]
            for row in score([recs[i] for i in keep], [evs[i] for i in keep]):
                row.split = split
                rows.append(row)
    if timing["n"]:
        p = max(timing["parse"], 1e-9)
        rows.append(Row("all", "coder_time_over_parse", timing["n"], timing["coder"] / p, 0.20,
                        f"parse {timing['parse']:.1f}s, actors {timing['actors']:.1f}s, "
                        f"coder {timing['coder']:.1f}s"))
    return rows


def format_table(rows: list[Row]) -> str:
    """A plain-text table of metric rows (the CLI may render the same rows with rich)."""
    head = ("dataset", "split", "metric", "n", "value", "target", "ok", "note")
    body = []
    for r in rows:
        if r.target is None:
            ok = ""
        elif r.metric == "coder_time_over_parse":
            ok = "yes" if r.value <= r.target else "NO"
        else:
            ok = "yes" if r.value >= r.target else "NO"
        body.append((r.dataset, r.split, r.metric, str(r.n), f"{r.value:.3f}",
                     "" if r.target is None else f"{r.target:.2f}", ok, r.note))
    w = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    line = lambda xs: "  ".join(x.ljust(w[i]) for i, x in enumerate(xs)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(["-" * k for k in w]), *map(line, body)])


__all__ = ["run_eval", "format_table", "Row", "pentaclass", "read_bio", "score_plover",
           "score_pentaclass", "score_srctgt", "score_plv", "plv_type", "split_of", "text_key",
           "load_sets", "check_texts", "SPLITS"]
