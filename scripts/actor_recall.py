"""Recall of the actor resolver against gold source/target actors (dev tool, not shipped).

usage: python scripts/actor_recall.py [/work/shared/eval] [--disable RULE[,RULE...]]

``--disable agents`` switches off the generic-agent rule (:mod:`detente.actors.rules.agents`) to
show what it adds.

* PLOVER GSR dev: each gold source/target actor is located by its actorText in the
  sentence; it is *found* when a resolved mention overlaps it, and *country-right* when
  that mention's country equals the first three letters of the gold code (gold codes
  without a country, e.g. IGO..., count as right when the mention has no country or the
  codes share a prefix).
* ConfliBERT src/tgt BIO: each S/T span is found when a mention overlaps it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from detente.actors import load_kb, resolve_doc
from detente.nlp import load_pipeline

DISABLE: tuple[str, ...] = ()  # rules left out (--disable)


def _bio_sentences(path: Path):
    toks, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if toks:
                yield toks, tags
            toks, tags = [], []
            continue
        w, _, t = line.rpartition(" ")
        toks.append(w)
        tags.append(t)
    if toks:
        yield toks, tags


def plover(nlp, kb, path: Path) -> None:
    total = found = right = 0
    g_total = g_found = g_right = s_total = s_right = 0
    missed = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        ex = json.loads(line)
        text = ex["text"]
        ms = resolve_doc(nlp(text), ex["id"], None, kb, disable=DISABLE)
        for ev in ex.get("events", []):
            for a in (ev.get("source") or []) + (ev.get("target") or []):
                if not isinstance(a, dict):
                    continue
                at = a.get("actorText") or ""
                k = text.find(at)
                if not at or k < 0:
                    continue
                total += 1
                words = [w.strip(".,'\"()").lower() for w in at.split()]
                generic = any((w,) in kb.roles for w in words)
                g_total += generic
                s_total += bool(a.get("sector"))
                hit = [m for m in ms if m.start < k + len(at) and k < m.end]
                if not hit:
                    missed[at.lower()] += 1
                    continue
                found += 1
                g_found += generic
                gold = a.get("code") or ""
                if any((m.country or "") == gold[:3] or
                       (m.country is None and m.code[:3] == gold[:3]) for m in hit):
                    right += 1
                    g_right += generic
                if a.get("sector"):
                    s_right += any(m.sector == a["sector"][:3] for m in hit)
    print(f"PLOVER dev: gold actors {total}; found {found} ({found/total:.1%}); "
          f"country/code-prefix right {right} ({right/total:.1%})")
    print(f"  with a generic role word in the gold text: {g_total}; found {g_found}; "
          f"country right {g_right}")
    print(f"  gold actors with a sector: {s_total}; a found mention has that sector: {s_right}")
    print("  most missed:", ", ".join(f"{k} x{v}" for k, v in missed.most_common(25)))


def bio(nlp, kb, path: Path) -> None:
    total = found = 0
    missed = Counter()
    for toks, tags in _bio_sentences(path):
        text, offs = "", []
        for w in toks:
            offs.append(len(text))
            text += w + " "
        ms = resolve_doc(nlp(text), "b", None, kb, disable=DISABLE)
        spans, cur = [], None
        for i, t in enumerate(tags):
            if t.startswith("B-") or (t.startswith("I-") and cur is None):
                cur = [i, i + 1]
                spans.append(cur)
            elif t.startswith("I-") and cur is not None:
                cur[1] = i + 1
            else:
                cur = None
        for a, b in spans:
            s, e = offs[a], offs[b - 1] + len(toks[b - 1])
            total += 1
            ok = any(m.start < e and s < m.end for m in ms)
            found += ok
            if not ok:
                missed[text[s:e].lower()] += 1
    print(f"ConfliBERT src/tgt: spans {total}; found {found} ({found/max(total,1):.1%})")
    print("  most missed:", ", ".join(f"{k} x{v}" for k, v in missed.most_common(40)))


def main() -> None:
    global DISABLE
    argv = sys.argv[1:]
    if "--disable" in argv:
        k = argv.index("--disable")
        DISABLE = tuple(x for x in argv[k + 1].split(",") if x)
        del argv[k:k + 2]
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0] if args else "/work/shared/eval")
    nlp, kb = load_pipeline(), load_kb()
    plover(nlp, kb, root / "plover_gsr_dev.jsonl")
    bio(nlp, kb, root / "conflibert_srctgt_train.bio")


if __name__ == "__main__":
    main()
