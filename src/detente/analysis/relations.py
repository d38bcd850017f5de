"""Dyadic relations over time and patrons, computed from consolidated events.

Counts are over distinct events (not mentions). By default only events whose
strongest modality is ``asserted`` count: intentions, speculation and denials
are reported separately, never as things that happened. Every row keeps the
``event_ids`` behind it, and each event keeps its mentions, so every figure
traces back to sentences.

Relationship label of a dyad in a period, from the mean Goldstein score of its
events (at least ``min_events`` events, else ``thin``):

==============  ===================
mean Goldstein  label
==============  ===================
>= 5.0          allied
>= 1.5          cooperative
> -1.5          neutral
> -5.0          strained
<= -5.0         hostile
==============  ===================

``coop_index`` = (cooperative − conflictual events) / events, in [−1, 1].
``coverage_share`` = the dyad's events / all events in the store that period,
which normalises for how much news there is: a dyad with 5 events in a quiet
year matters more than 5 in a year of 500.
"""

from __future__ import annotations

import pandas as pd

FREQS = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
LABELS = ((5.0, "allied"), (1.5, "cooperative"), (-1.5, "neutral"), (-5.0, "strained"))


def label_for(mean_goldstein: float, n: int, min_events: int = 1) -> str:
    if n < min_events:
        return "thin"
    for threshold, name in LABELS:
        if (mean_goldstein >= threshold) if name in ("allied", "cooperative") else (mean_goldstein > threshold):
            return name
    return "hostile"


def period_labels(dates: pd.Series, freq: str) -> pd.Series:
    if freq not in FREQS:
        from ..errors import DetenteError

        raise DetenteError("E303", f"unknown period {freq!r}", "use W, M, Q or Y")
    d = pd.to_datetime(dates, errors="coerce")
    p = d.dt.to_period({"W": "W-MON", "M": "M", "Q": "Q", "Y": "Y"}[freq])
    return p.astype(str)


def actor_matches(col_actor: pd.Series, col_country: pd.Series, code: str) -> pd.Series:
    code = code.upper()
    return col_country.fillna("").eq(code) | col_actor.fillna("").str.startswith(code)


def dated(events: pd.DataFrame, freq: str, asserted_only: bool = True) -> pd.DataFrame:
    ev = events[events.event_date.notna()].copy()
    if asserted_only:
        ev = ev[ev.modality == "asserted"]
    ev["period"] = period_labels(ev.event_date, freq)
    return ev[ev.period != "NaT"]


def dyad_series(events: pd.DataFrame, a: str, b: str, freq: str = "M", both: bool = False,
                asserted_only: bool = True, min_events: int = 1) -> pd.DataFrame:
    """One row per period for the directed dyad a→b (and b→a with ``both``)."""
    ev = dated(events, freq, asserted_only)
    totals = ev.groupby("period").size()
    fwd = actor_matches(ev.source_actor, ev.source_country, a) & actor_matches(ev.target_actor, ev.target_country, b)
    if both:
        fwd |= actor_matches(ev.source_actor, ev.source_country, b) & actor_matches(ev.target_actor, ev.target_country, a)
    d = ev[fwd]
    cols = ["period", "events", "q1_verbal_coop", "q2_material_coop", "q3_verbal_conflict",
            "q4_material_conflict", "goldstein_sum", "goldstein_mean", "coop_index", "coverage_share",
            "label", "event_ids"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for period, g in d.groupby("period", sort=True):
        q = g.quad_class.value_counts()
        n = len(g)
        coop, conf = q.get(1, 0) + q.get(2, 0), q.get(3, 0) + q.get(4, 0)
        mean = float(g.goldstein.mean())
        rows.append({
            "period": period, "events": n,
            "q1_verbal_coop": int(q.get(1, 0)), "q2_material_coop": int(q.get(2, 0)),
            "q3_verbal_conflict": int(q.get(3, 0)), "q4_material_conflict": int(q.get(4, 0)),
            "goldstein_sum": round(float(g.goldstein.sum()), 2), "goldstein_mean": round(mean, 2),
            "coop_index": round((coop - conf) / n, 3), "coverage_share": round(n / int(totals[period]), 3),
            "label": label_for(mean, n, min_events), "event_ids": sorted(g.event_id),
        })
    return pd.DataFrame(rows, columns=cols)


MIN_TURN_EVENTS = 3  # a relationship turn needs this many events in the period it turns in and the one before


def change_points(series: pd.DataFrame, a: str, b: str, min_events: int = MIN_TURN_EVENTS) -> list[str]:
    """Sentences naming each period where the dyad's label changed.

    Only periods with at least ``min_events`` events take part, on both sides of a turn: one event
    (a single statement, a single visit) must not flip a dyad from "allied" to "neutral". Periods
    with fewer events keep their label in the table but neither start nor end a turn.
    """
    out = []
    prev = None
    for r in series.itertuples():
        if r.label == "thin" or r.events < min_events:
            continue
        if prev is not None and r.label != prev[1]:
            out.append(f"{a}->{b} turned {r.label} in {r.period} (was {prev[1]} in {prev[0]}; "
                       f"{r.events} events, mean Goldstein {r.goldstein_mean:+.1f})")
        prev = (r.period, r.label)
    return out


def patrons(events: pd.DataFrame, client: str, freq: str = "Y", asserted_only: bool = True) -> pd.DataFrame:
    """Who gives ``client`` material cooperation (QuadClass 2: aid, arms, fuel, trade) per period."""
    ev = dated(events, freq, asserted_only)
    ev = ev[(ev.quad_class == 2) & actor_matches(ev.target_actor, ev.target_country, client)]
    ev = ev[ev.source_country.notna() & (ev.source_country != client.upper())]
    cols = ["period", "patron", "events", "aid_events", "share", "rank", "event_ids"]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for period, g in ev.groupby("period", sort=True):
        n = len(g)
        for patron, h in g.groupby("source_country"):
            rows.append({"period": period, "patron": patron, "events": len(h),
                         "aid_events": int((h.cameo_root == "07").sum()), "share": round(len(h) / n, 3),
                         "event_ids": sorted(h.event_id)})
    df = pd.DataFrame(rows)
    df = df.sort_values(["period", "events", "aid_events", "patron"], ascending=[True, False, False, True])
    df["rank"] = df.groupby("period").cumcount() + 1
    return df[cols].reset_index(drop=True)
