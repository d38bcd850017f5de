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
* ``corpus/seeds/*.txt`` (the four seed articles), when present: scored against the
  project's own hand gold (``eval_data/seed_gold.yaml``, written by reading the articles;
  its header states the matching convention). ``seed_core_recall``: share of the gold's
  core interactions that some event of the article links source -> target (country
  level, IGO codes whole) with an accepted PLOVER type; ``seed_core_dyad`` drops the
  type; ``seed_approx_precision``: share of the events coded ``asserted`` with a source,
  a target and a PLOVER type that match a core or an "also acceptable" gold interaction;
  ``seed_asserted_hypotheticals``: events coded ``asserted`` from a clause the gold marks
  hypothetical, conditional or counterfactual (target 0). The seeds have no tune/check
  halves: their split is ``seeds``.

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
import random
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


def tune_records(sets: dict[str, list[dict]], prefix: str, seen: set[str], keep=None):
    """Training records (GUIDE §6): the ``tune`` records of the sets whose file name starts
    with ``prefix`` (and that ``keep`` accepts), leaving out every text that is in any
    set's ``check`` half and every text already in ``seen`` (which it extends, so a
    sentence shared by two sets is taken once across calls)."""
    banned = check_texts(sets)
    for name, recs in sets.items():
        if not name.startswith(prefix):
            continue
        for r in recs:
            k = text_key(r["text"])
            if r["split"] != "tune" or k in banned or k in seen or (keep and not keep(r)):
                continue
            seen.add(k)
            yield r


def cv_folds(n: int, seed: int, k: int = 5) -> list[list[int]]:
    """``k`` folds of the indices 0..n-1, shuffled with ``seed``: the cross-validation split
    of the training scripts (the same for the arbiter and the type model)."""
    ids = list(range(n))
    random.Random(seed).shuffle(ids)
    return [sorted(ids[i::k]) for i in range(k)]


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


def span_hit(a: int | None, b: int | None, span) -> bool:
    return a is not None and b is not None and a < span[1] and span[0] < b


def pair_event(evs: list, pair: dict):
    """The event that speaks for a marked pair: the most confident one linking its source
    to its target, else one that has either side, else the sentence's top event (None
    when the sentence has no event)."""
    src, tgt = pair["source"], pair["target"]
    links = [e for e in evs if span_hit(e.source_start, e.source_end, src)
             and span_hit(e.target_start, e.target_end, tgt)]
    half = [e for e in evs if span_hit(e.source_start, e.source_end, src)
            or span_hit(e.target_start, e.target_end, tgt)]
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
                          if span_hit(e.source_start, e.source_end, p["source"])
                          and span_hit(e.target_start, e.target_end, p["target"]))
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
    has_seeds = (Path(shared_dir) / "corpus" / "seeds").is_dir()
    if not sets and not has_seeds:
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
    rows += run_seed_eval(shared_dir, nlp, kb, lexicon)[0]
    if timing["n"]:
        p = max(timing["parse"], 1e-9)
        rows.append(Row("all", "coder_time_over_parse", timing["n"], timing["coder"] / p, 0.20,
                        f"parse {timing['parse']:.1f}s, actors {timing['actors']:.1f}s, "
                        f"coder {timing['coder']:.1f}s"))
    return rows


# ---------------------------------------------------------------------------------------
# Seed articles scored against the project's own hand gold (eval_data/seed_gold.yaml).

SEED_TARGETS = {"seed_core_recall": 0.80, "seed_approx_precision": 0.75,
                "seed_asserted_hypotheticals": 0.0}
HYPOTHETICAL_KINDS = ("hypothetical", "conditional", "counterfactual")
LOWER_IS_BETTER = {"coder_time_over_parse", "seed_asserted_hypotheticals"}


def seed_gold_path() -> Path:
    """The shipped hand gold of the four seed articles."""
    return Path(__file__).parent / "eval_data" / "seed_gold.yaml"


def load_seed_gold(path: str | Path | None = None) -> dict[str, dict]:
    """The seed gold: ``{seed: {file, date, core, acceptable, not_asserted}}``."""
    import yaml

    data = yaml.safe_load(Path(path or seed_gold_path()).read_text("utf-8"))
    return {str(k): v for k, v in data.items()}


def seed_key(code: str | None) -> str | None:
    """An actor code at the level the seed gold compares: the country (first three
    letters), or the whole code for an IGO."""
    if not code:
        return None
    return code if code.startswith("IGO") else code[:3]


def _event_side(actor: str | None, country: str | None) -> str | None:
    if actor and actor.startswith("IGO"):
        return actor
    return country or (actor[:3] if actor else None)


def _locate(text: str, quote: str) -> tuple[int, int] | None:
    # The seeds use non-breaking spaces in places; offsets are kept (one char for one).
    norm, q = text.replace("\u00a0", " "), quote.replace("\u00a0", " ")
    i = norm.find(q)
    return None if i < 0 else (i, i + len(q))


def _links(ev, entry: dict, with_type: bool = True) -> bool:
    s = _event_side(ev.source_actor, ev.source_country)
    t = _event_side(ev.target_actor, ev.target_country)
    gs, gt = seed_key(entry.get("source")), seed_key(entry.get("target"))
    pairs = {(gs, gt), (gt, gs)} if entry.get("mutual") else {(gs, gt)}
    if (s, t) not in pairs:
        return False
    return not with_type or ev.plover in entry.get("plover", ())


def score_seeds(gold: dict[str, dict], texts: dict[str, str], events: dict[str, list],
                name: str = "seeds") -> tuple[list[Row], dict]:
    """Seed rows and the details behind them (misses, unmatched events, asserted
    hypotheticals), for every seed of ``gold`` present in ``texts``."""
    found = dyad = strict = n_core = 0
    n_pred = right = untyped = 0
    hyp = other = n_hyp = 0
    details: dict[str, list] = {"missed": [], "unmatched": [], "asserted_hypotheticals": [],
                                "asserted_other": []}
    for seed, g in gold.items():
        if seed not in texts:
            continue
        text, evs = texts[seed], events.get(seed, [])
        for entry in g.get("core", []):
            n_core += 1
            hits = [e for e in evs if _links(e, entry)]
            found += bool(hits)
            dyad += any(_links(e, entry, with_type=False) for e in evs)
            span = _locate(text, entry["evidence"])
            strict += any(span and e.start < span[1] and span[0] < e.end for e in hits)
            if not hits:
                details["missed"].append((seed, entry))
        entries = g.get("core", []) + g.get("acceptable", [])
        for e in evs:
            if e.modality != "asserted" or not e.source_actor or not e.target_actor:
                continue
            if not e.plover:
                untyped += 1
                continue
            n_pred += 1
            if any(_links(e, x) for x in entries):
                right += 1
            else:
                details["unmatched"].append((seed, e))
        for entry in g.get("not_asserted", []):
            kind = entry["kind"]
            n_hyp += kind in HYPOTHETICAL_KINDS
            span = _locate(text, entry["evidence"])
            if span is None:
                continue
            for e in evs:
                if e.modality != "asserted" or not span[0] <= e.trigger_start < span[1]:
                    continue
                if entry.get("source") and not _links(e, entry, with_type=False):
                    continue
                if kind == "speculated" and e.hedged:
                    continue
                if kind in HYPOTHETICAL_KINDS:
                    hyp += 1
                    details["asserted_hypotheticals"].append((seed, entry, e))
                else:
                    other += 1
                    details["asserted_other"].append((seed, entry, e))
    rows = [
        Row(name, "seed_core_recall", n_core, found / max(n_core, 1),
            SEED_TARGETS["seed_core_recall"],
            f"{found}/{n_core}; dyad only {dyad / max(n_core, 1):.2f}; "
            f"same sentence {strict / max(n_core, 1):.2f}"),
        Row(name, "seed_core_dyad", n_core, dyad / max(n_core, 1)),
        Row(name, "seed_approx_precision", n_pred, right / max(n_pred, 1),
            SEED_TARGETS["seed_approx_precision"],
            f"{right}/{n_pred} asserted dyadic events; {untyped} without a PLOVER type not scored"),
        Row(name, "seed_asserted_hypotheticals", n_hyp, float(hyp),
            SEED_TARGETS["seed_asserted_hypotheticals"],
            f"asserted from future/negated/unhedged speculation: {other}"),
    ]
    for r in rows:
        r.split = "seeds"
    return rows, details


def code_seeds(seeds_dir: str | Path, gold: dict[str, dict], nlp, kb, lexicon,
               ) -> tuple[dict[str, str], dict[str, list]]:
    """Read the seed files the gold names (through the ordinary readers, so boilerplate is
    masked as in ``detente analyze``), date them with the gold's stand-in dates and code
    them. Seeds missing from ``seeds_dir`` are left out."""
    from dataclasses import replace

    from .ingest import read_inputs
    from .pipeline import Resources, analyze_batch
    from .types import Article

    res = Resources(nlp, kb, lexicon, "")
    texts, events = {}, {}
    for seed, g in gold.items():
        path = Path(seeds_dir) / g["file"]
        if not path.is_file():
            continue
        arts = [a for a in read_inputs([path]) if isinstance(a, Article)]
        if not arts:
            continue
        art = replace(arts[0], published=str(g.get("date") or "") or None)
        result = analyze_batch([art], res)[0]
        texts[seed] = art.text
        events[seed] = list(result.events)
    return texts, events


def run_seed_eval(shared_dir: str | Path, nlp, kb, lexicon) -> tuple[list[Row], dict]:
    """Seed rows when ``<shared_dir>/corpus/seeds`` holds the seed articles, else []."""
    seeds_dir = Path(shared_dir) / "corpus" / "seeds"
    if not seeds_dir.is_dir():
        return [], {}
    gold = load_seed_gold()
    texts, events = code_seeds(seeds_dir, gold, nlp, kb, lexicon)
    if not texts:
        return [], {}
    return score_seeds(gold, texts, events)



def format_table(rows: list[Row]) -> str:
    """A plain-text table of metric rows (the CLI may render the same rows with rich)."""
    head = ("dataset", "split", "metric", "n", "value", "target", "ok", "note")
    body = []
    for r in rows:
        if r.target is None:
            ok = ""
        elif r.metric in LOWER_IS_BETTER:
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
           "load_sets", "check_texts", "SPLITS", "score_seeds", "load_seed_gold", "seed_key",
           "run_seed_eval", "code_seeds", "seed_gold_path"]
