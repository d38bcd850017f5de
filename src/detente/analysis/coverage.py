"""What a dated view leaves out: the undated events it would otherwise count, and why.

Dyads, patrons, triads and the network count events per period, so an event
without ``event_date`` cannot enter them. Saying how many were left out (and
whether their articles lacked a publication date, the usual cause) turns an
empty table into an actionable one.
"""

from __future__ import annotations

import pandas as pd

from .relations import actor_matches


def undated_events(events: pd.DataFrame, undated_articles: set[str], mention_articles: dict[str, str],
                   asserted_only: bool = True, a: str | None = None, b: str | None = None,
                   both: bool = False, any_of: list[str] | None = None) -> pd.DataFrame:
    """The undated events a dated view over the same filter leaves out.

    ``a``/``b``: the dyad's source and target codes (``both``: either direction);
    ``any_of``: events with one of these codes at either end (patrons, triads).
    Column ``article_undated``: at least one of its articles has no publication date.
    """
    ev = events[events.event_date.isna()]
    if asserted_only:
        ev = ev[ev.modality == "asserted"]
    if a is not None and b is not None:
        fwd = actor_matches(ev.source_actor, ev.source_country, a) & actor_matches(ev.target_actor, ev.target_country, b)
        if both:
            fwd |= actor_matches(ev.source_actor, ev.source_country, b) & actor_matches(ev.target_actor, ev.target_country, a)
        ev = ev[fwd]
    elif any_of:
        keep = pd.Series(False, index=ev.index)
        for code in any_of:
            keep |= actor_matches(ev.source_actor, ev.source_country, code) | actor_matches(ev.target_actor, ev.target_country, code)
        ev = ev[keep]
    ev = ev.copy()
    ev["article_undated"] = [any(mention_articles.get(m) in undated_articles for m in ids) for ids in ev.mention_ids]
    return ev


def left_out_note(undated: pd.DataFrame, what: str = "this view") -> str | None:
    """One sentence on the undated events ``what`` left out, or None when there are none."""
    if undated.empty:
        return None
    n, k = len(undated), int(undated.article_undated.sum())
    why = (f"{k} of them come from articles with no publication date, which "
           "`detente analyze --published YYYY-MM-DD` (or front matter / _meta.csv) supplies"
           if k else "their sentences give no date and their articles' dates do not apply")
    return f"{what} left out {n} undated event(s): {why}"
