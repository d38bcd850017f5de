"""Triads and structural balance in the signed actor network, per period.

**The signed undirected network of a period.** The events of both directions of
a pair (a→b and b→a) are pooled; the tie's label comes from the pooled mean
Goldstein score with the thresholds of :mod:`detente.analysis.relations`, and
its sign from the label as in :mod:`detente.analysis.network`: allied or
cooperative +1, strained or hostile −1, neutral 0. Pooling (rather than
requiring both directions to agree) keeps a tie when only one side's acts are
reported, which is the usual case in news; ``events_ab``/``events_ba`` show how
one-sided a tie is. Only asserted events count by default. With
``sign_rule="goldstein"`` the sign is that of the pooled mean Goldstein score
itself (0 only when it is exactly 0): fewer undetermined triads, at the price of
calling a tie of mostly neutral statements friendly or hostile.

**Balance** (Heider 1946; Cartwright and Harary 1956). A triad is *balanced*
when the product of its three signs is positive: all friends (+++), or two
friends with a common enemy (+−−). It is *unbalanced* when the product is
negative: a friend of a friend is an enemy (++−), or all three are enemies
(−−−). Davis (1967) counts −−− as *weakly balanced* (the three can sit in three
camps); ``weakly_balanced`` says so. A triad with a neutral tie is
``undetermined``; one with a missing tie is ``incomplete`` (listed only when the
actors were named).

Every triad row carries the event ids of its three ties, so each sign traces
back to events and, through them, to sentences.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from .network import LEVELS, SIGNS, check_level
from .relations import dated, label_for

TIE_COLUMNS = ["a", "b", "events", "events_ab", "events_ba", "goldstein_mean", "label", "sign", "event_ids"]
TRIAD_COLUMNS = ["period", "triad", "a", "b", "c", "sign_ab", "sign_bc", "sign_ac", "pattern", "status",
                 "balanced", "weakly_balanced", "events_ab", "events_bc", "events_ac",
                 "event_ids_ab", "event_ids_bc", "event_ids_ac"]
CHANGE_COLUMNS = ["period", "triad", "status", "previous_period", "previous_status", "pattern",
                  "previous_pattern", "sentence"]
_SYM = {1: "+", -1: "−", 0: "0", None: "·"}


SIGN_RULES = ("label", "goldstein")


def _tie_sign(mean: float, label: str, rule: str) -> int:
    if rule == "goldstein":
        return (mean > 0) - (mean < 0)
    return SIGNS[label]


def _check_rule(rule: str) -> None:
    if rule not in SIGN_RULES:
        from ..errors import DetenteError

        raise DetenteError("E303", f"unknown sign rule {rule!r}", "use label or goldstein")


def signed_ties(events: pd.DataFrame, level: str = "country", sign_rule: str = "label") -> pd.DataFrame:
    """The undirected signed ties among the given (already selected) events."""
    src, tgt = check_level(level)
    _check_rule(sign_rule)
    ev = events[events[src].notna() & events[tgt].notna() & (events[src] != events[tgt])]
    if ev.empty:
        return pd.DataFrame(columns=TIE_COLUMNS)
    lo = ev[[src, tgt]].min(axis=1)
    hi = ev[[src, tgt]].max(axis=1)
    ev = ev.assign(_a=lo, _b=hi)
    rows = []
    for (a, b), g in ev.groupby(["_a", "_b"], sort=True):
        mean = float(g.goldstein.mean())
        label = label_for(mean, len(g))
        rows.append({"a": a, "b": b, "events": len(g), "events_ab": int((g[src] == a).sum()),
                     "events_ba": int((g[src] == b).sum()), "goldstein_mean": round(mean, 2), "label": label,
                     "sign": _tie_sign(mean, label, sign_rule), "event_ids": sorted(g.event_id)})
    return pd.DataFrame(rows, columns=TIE_COLUMNS)


def classify(signs: tuple[int | None, int | None, int | None]) -> tuple[str, bool | None, bool | None]:
    """``(status, balanced, weakly_balanced)`` of a triad from its three signs (None = no tie)."""
    if any(s is None for s in signs):
        return "incomplete", None, None
    if any(s == 0 for s in signs):
        return "undetermined", None, None
    product = signs[0] * signs[1] * signs[2]
    if product > 0:
        return "balanced", True, True
    return "unbalanced", False, all(s < 0 for s in signs)


def _triads_of(ties: pd.DataFrame, period: str, actors: list[str] | None) -> list[dict]:
    tie = {(r.a, r.b): r for r in ties.itertuples(index=False)}

    def get(x, y):
        return tie.get((x, y)) or tie.get((y, x))

    if actors:
        triples = list(combinations(actors, 3))
    else:
        adj: dict[str, set[str]] = {}
        for a, b in tie:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        triples = sorted({tuple(sorted((a, b, c))) for a, b in tie for c in adj[a] & adj[b]})
    rows = []
    for a, b, c in triples:
        ab, bc, ac = get(a, b), get(b, c), get(a, c)
        signs = tuple(None if t is None else int(t.sign) for t in (ab, bc, ac))
        status, bal, weak = classify(signs)
        rows.append({
            "period": period, "triad": f"{a}–{b}–{c}", "a": a, "b": b, "c": c,
            "sign_ab": signs[0], "sign_bc": signs[1], "sign_ac": signs[2],
            "pattern": "".join(_SYM[s] for s in signs), "status": status, "balanced": bal, "weakly_balanced": weak,
            "events_ab": 0 if ab is None else int(ab.events), "events_bc": 0 if bc is None else int(bc.events),
            "events_ac": 0 if ac is None else int(ac.events),
            "event_ids_ab": [] if ab is None else list(ab.event_ids),
            "event_ids_bc": [] if bc is None else list(bc.event_ids),
            "event_ids_ac": [] if ac is None else list(ac.event_ids),
        })
    return rows


def triads(events: pd.DataFrame, freq: str = "Y", actors: list[str] | None = None, level: str = "country",
           asserted_only: bool = True, sign_rule: str = "label") -> pd.DataFrame:
    """One row per triad and period. With ``actors`` (e.g. ``["USA", "RUS", "CHN"]``), every triple of
    them in every period that has an event among them, complete or not; without, every closed triad
    (all three ties present) of each period."""
    check_level(level)
    _check_rule(sign_rule)
    src, tgt = LEVELS[level]
    actors = [a.strip().upper() for a in actors if a.strip()] if actors else None
    if actors is not None and len(set(actors)) < 3:
        from ..errors import DetenteError

        raise DetenteError("E303", f"a triad needs three distinct actors, got {actors}", "e.g. --actors USA,RUS,CHN")
    ev = dated(events, freq, asserted_only)
    if actors:
        ev = ev[ev[src].isin(actors) & ev[tgt].isin(actors)]
    rows: list[dict] = []
    for period, g in ev.groupby("period", sort=True):
        rows += _triads_of(signed_ties(g, level, sign_rule), period, actors)
    return pd.DataFrame(rows, columns=TRIAD_COLUMNS)


def triad_changes(table: pd.DataFrame) -> pd.DataFrame:
    """The periods where a triad's balance changed, compared with the last period in which its
    balance was determined (balanced or unbalanced), with a sentence for each."""
    rows = []
    if table.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    for triad, g in table.sort_values("period").groupby("triad", sort=True):
        prev = None
        for r in g.itertuples(index=False):
            if r.status not in ("balanced", "unbalanced"):
                continue
            if prev is not None and r.status != prev.status:
                rows.append({"period": r.period, "triad": triad, "status": r.status,
                             "previous_period": prev.period, "previous_status": prev.status,
                             "pattern": r.pattern, "previous_pattern": prev.pattern,
                             "sentence": f"{triad} became {r.status} in {r.period} (was {prev.status} in "
                                         f"{prev.period}; signs ab/bc/ac {prev.pattern} → {r.pattern})"})
            prev = r
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).sort_values(["period", "triad"]).reset_index(drop=True)
