"""Train the type arbiter (src/detente/coding/typer.py) and write its weights.

    pip install '.[train]'
    python scripts/train_typer.py --shared ../shared            # CV report + weights
    python scripts/train_typer.py --shared ../shared --cv-only  # report only

Data (GUIDE §6): the ``tune`` halves of ``plv_dev.jsonl`` (marked source -> target
pairs with their PLOVER type) and of ``plover_gsr_*.jsonl`` (one PLOVER event per
sentence; sentences already in plv_dev are taken once). Every sentence whose text is in
the ``check`` half of *any* gold set is left out.

The sentences are coded with the shipped argument arbiter and no type model. An event
is an example when it links a marked pair (plv_dev; labelled with the pair's type) or is
the top event of a PLOVER GSR sentence whose source country it gets right (labelled with
the gold type, folded into the 15-type vocabulary). Its features are those the coder
computes (:func:`detente.coding.typer.type_features`).

The model is a multinomial logistic regression (scikit-learn, fixed seed). Its
regularisation ``C`` and the coder's switching margin are chosen by 5-fold
cross-validation over tune sentences, scored end to end: each fold's sentences are coded
with the model trained on the other folds, and scored by the share of marked pairs whose
event has the marked type (``pair_type`` of :func:`detente.evaluate.score_plv`). The
weights go to ``src/detente/coding/data/models/typer.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.actors import load_kb, resolve_doc  # noqa: E402
from detente.coding import load_lexicon  # noqa: E402
from detente.coding.coder import code_doc  # noqa: E402
from detente.coding.typer import TYPES, TypeModel, fold  # noqa: E402
from detente.evaluate import (cv_folds, load_sets, pair_event, score_plv, span_hit,  # noqa: E402
                              tune_records)
from detente.nlp import load_pipeline  # noqa: E402

SEED = 13
OUT = ROOT / "src" / "detente" / "coding" / "data" / "models" / "typer.json"


def training_records(shared: str) -> list[dict]:
    """Tune-half sentences: plv_dev (marked pairs) first, then PLOVER GSR ones not in it."""
    sets = load_sets(shared)
    seen: set[str] = set()
    out = [{"id": r["id"], "text": r["text"], "source": "plv", "date": r.get("date"),
            "pairs": r["pairs"]} for r in tune_records(sets, "plv_", seen)]
    for r in tune_records(sets, "plover_gsr_", seen, lambda r: r.get("events")):
        g = r["events"][0]
        out.append({"id": r["id"], "text": r["text"], "source": "gsr",
                    "date": r.get("date"), "type": fold(g["plover"]),
                    "src": {str(a["code"])[:3] for a in g.get("source", [])
                            if isinstance(a, dict) and a.get("code")}})
    return out


class Recorder(TypeModel):
    """A type model that keeps the lexicon's type and records the features it was shown,
    by (trigger offset, type)."""

    def __init__(self):
        super().__init__(list(TYPES), [0.0] * len(TYPES), {})
        self.seen: dict[tuple[int, str], list[str]] = {}

    def decide(self, lex_type, feats, trig=None):
        if trig is not None:
            self.seen[(trig.idx, lex_type)] = feats
        return lex_type, 1.0


def examples(rec: dict, evs: list, seen: dict) -> list[tuple[list[str], str]]:
    rows = []
    if rec["source"] == "plv":
        for p in rec["pairs"]:
            e, linked = pair_event(sorted(evs, key=lambda e: -e.confidence), p)
            if e is not None and (linked or span_hit(e.source_start, e.source_end, p["source"])
                                  or span_hit(e.target_start, e.target_end, p["target"])):
                f = seen.get((e.trigger_start, fold(e.plover)))
                if f is not None:
                    rows.append((f, p["plover"]))
    elif evs and rec["type"] in TYPES:
        top = max(evs, key=lambda e: e.confidence)
        country = top.source_country or (top.source_actor or "")[:3]
        if country in rec["src"]:
            f = seen.get((top.trigger_start, fold(top.plover)))
            if f is not None:
                rows.append((f, rec["type"]))
    return rows


def fit(rows, C: float) -> TypeModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1.0 for f in fs} for fs, _ in rows])
    y = np.array([TYPES.index(lab) for _, lab in rows])
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    clf.fit(X, y)
    names = vec.get_feature_names_out()
    W = np.zeros((len(names), len(TYPES)))
    b = [-30.0] * len(TYPES)  # a type never seen in training is never chosen
    for k, cls in enumerate(clf.classes_):
        W[:, int(cls)] = clf.coef_[k]
        b[int(cls)] = float(clf.intercept_[k])
    coef = {str(n): [round(float(v), 4) for v in W[i]] for i, n in enumerate(names)
            if np.abs(W[i]).max() >= 1e-4}
    return TypeModel(list(TYPES), [round(v, 4) for v in b], coef,
                     {"C": C, "n_examples": len(rows)})



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--out", default=str(OUT), help="where to write the weights (default: the shipped file)")
    ap.add_argument("--C", type=float, nargs="*", default=[0.3, 1.0, 3.0])
    ap.add_argument("--margin", type=float, nargs="*", default=[0.0, 0.1, 0.2, 0.3])
    args = ap.parse_args()
    t0 = time.perf_counter()
    recs = training_records(args.shared)
    nlp, kb, lex = load_pipeline(), load_kb(), load_lexicon()
    docs = list(nlp.pipe([r["text"] for r in recs], batch_size=64))
    actors = [resolve_doc(d, r["id"], None, kb) for d, r in zip(docs, recs)]
    per = []
    for d, a, r in zip(docs, actors, recs):
        rec = Recorder()
        evs = code_doc(d, a, "x", None, lex, kb, None, rec)
        per.append(examples(r, evs, rec.seen))
    n_plv = sum(r["source"] == "plv" for r in recs)
    print(f"{len(recs)} sentences ({n_plv} plv_dev, {len(recs) - n_plv} PLOVER GSR), "
          f"{sum(map(len, per))} examples; parsed in {time.perf_counter() - t0:.1f}s")
    plv_set = {i for i, r in enumerate(recs) if r["source"] == "plv"}

    def score(model, idxs) -> tuple[float, float, int]:
        idxs = [i for i in idxs if i in plv_set]
        evs = [code_doc(docs[i], actors[i], "x", None, lex, kb, None, model if model else False)
               for i in idxs]
        r = score_plv([recs[i] for i in idxs], evs, "cv")
        return r[1].value * r[1].n, r[2].value * r[2].n, r[1].n

    fs = cv_folds(len(recs), SEED)
    base = np.zeros(3)
    for f in fs:
        base += score(None, f)
    print(f"lexicon types (5-fold, plv pairs): pair_type {base[0] / base[2]:.3f}, "
          f"linked_type {base[1] / base[2]:.3f}")
    grid = {}
    for C in args.C:
        models = []
        for f in fs:
            fset = set(f)
            models.append(fit([row for i in range(len(recs)) if i not in fset for row in per[i]], C))
        for mg in args.margin:
            tot = np.zeros(3)
            for f, model in zip(fs, models):
                model.margin = mg
                tot += score(model, f)
            grid[(C, mg)] = (tot[0] / tot[2], tot[1] / tot[2])
            print(f"C={C:<5} margin={mg:<4} CV pair_type {grid[(C, mg)][0]:.3f}, "
                  f"linked_type {grid[(C, mg)][1]:.3f}")
    # the best CV score; among settings within half a point of it, the most conservative
    # (largest margin, then smallest C): it overrules the lexicon least
    best = max(v[0] for v in grid.values())
    (C, mg), (pt, lt) = max(((k, v) for k, v in grid.items() if v[0] >= best - 0.005),
                            key=lambda kv: (kv[0][1], -kv[0][0]))
    print(f"chosen: C={C}, margin={mg} (CV pair_type {pt:.3f}, linked_type {lt:.3f})")
    if args.cv_only:
        return
    model = fit([row for rows in per for row in rows], C)
    model.meta.update({"margin": mg, "cv_pair_type": round(pt, 4),
                       "cv_linked_type": round(lt, 4),
                       "lexicon_pair_type": round(base[0] / base[2], 4),
                       "lexicon_linked_type": round(base[1] / base[2], 4), "seed": SEED,
                       "trained_on": "tune halves of plv_dev and plover_gsr (check texts excluded)"})
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n",
                   "utf-8")
    print(f"wrote {out} ({len(model.coef)} features, "
          f"{out.stat().st_size / 1024:.0f} KB) in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
