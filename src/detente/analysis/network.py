"""The actor network of a period: nodes, directed edges, and a networkx graph.

An edge ``a → b`` aggregates the distinct consolidated events from a to b whose
event date falls in ``[start, end]`` (both optional, ISO dates; events with no
date are left out). By default only events whose strongest modality is
``asserted`` count, as in :mod:`detente.analysis.relations`.

Nodes are countries (``level="country"``: ``source_country``/``target_country``)
or full actor codes (``level="actor"``: ``RUSGOV``, ``PRKMIL``). Events whose
endpoint has no code at that level, and self-loops at the country level
(a government and its own military), are left out.

Edge columns: ``source, target, events, q1..q4, goldstein_sum, goldstein_mean,
coop_index, label, sign`` (+1 cooperative, −1 conflictual, 0 neutral, from the
label), ``first_date, last_date`` and ``event_ids``, so every edge traces back
to its events, and through them to sentences. Node columns: ``node, events_out,
events_in, partners, goldstein_out, goldstein_in``.
"""

from __future__ import annotations

import pandas as pd

from .relations import label_for

LEVELS = {"country": ("source_country", "target_country"), "actor": ("source_actor", "target_actor")}
EDGE_COLUMNS = ["source", "target", "events", "q1_verbal_coop", "q2_material_coop", "q3_verbal_conflict",
                "q4_material_conflict", "goldstein_sum", "goldstein_mean", "coop_index", "label", "sign",
                "first_date", "last_date", "event_ids"]
NODE_COLUMNS = ["node", "events_out", "events_in", "partners", "goldstein_out", "goldstein_in"]
SIGNS = {"allied": 1, "cooperative": 1, "neutral": 0, "strained": -1, "hostile": -1}


def check_level(level: str) -> tuple[str, str]:
    if level not in LEVELS:
        from ..errors import DetenteError

        raise DetenteError("E303", f"unknown network level {level!r}", "use country or actor")
    return LEVELS[level]


def select_events(events: pd.DataFrame, start: str | None = None, end: str | None = None,
                  asserted_only: bool = True) -> pd.DataFrame:
    """Dated events in ``[start, end]`` (ISO date strings or None), asserted only by default."""
    ev = events[events.event_date.notna()]
    if asserted_only:
        ev = ev[ev.modality == "asserted"]
    d = pd.to_datetime(ev.event_date, errors="coerce")
    keep = d.notna()
    if start:
        keep &= d >= pd.Timestamp(start)
    if end:
        keep &= d <= pd.Timestamp(end)
    return ev[keep]


def network_edges(events: pd.DataFrame, start: str | None = None, end: str | None = None,
                  level: str = "country", asserted_only: bool = True) -> pd.DataFrame:
    """One row per directed edge of the period's network, with the event ids behind it."""
    src, tgt = check_level(level)
    ev = select_events(events, start, end, asserted_only)
    ev = ev[ev[src].notna() & ev[tgt].notna() & (ev[src] != ev[tgt])]
    if ev.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS)
    rows = []
    for (a, b), g in ev.groupby([src, tgt], sort=True):
        q = g.quad_class.value_counts()
        n = len(g)
        coop, conf = q.get(1, 0) + q.get(2, 0), q.get(3, 0) + q.get(4, 0)
        mean = float(g.goldstein.mean())
        label = label_for(mean, n)
        rows.append({
            "source": a, "target": b, "events": n,
            "q1_verbal_coop": int(q.get(1, 0)), "q2_material_coop": int(q.get(2, 0)),
            "q3_verbal_conflict": int(q.get(3, 0)), "q4_material_conflict": int(q.get(4, 0)),
            "goldstein_sum": round(float(g.goldstein.sum()), 2), "goldstein_mean": round(mean, 2),
            "coop_index": round((coop - conf) / n, 3), "label": label, "sign": SIGNS[label],
            "first_date": str(g.event_date.min())[:10], "last_date": str(g.event_date.max())[:10],
            "event_ids": sorted(g.event_id),
        })
    return pd.DataFrame(rows, columns=EDGE_COLUMNS)


def network_nodes(edges: pd.DataFrame) -> pd.DataFrame:
    """Per node: events sent and received, distinct partners, Goldstein sums out and in."""
    if edges.empty:
        return pd.DataFrame(columns=NODE_COLUMNS)
    out = edges.groupby("source").agg(events_out=("events", "sum"), goldstein_out=("goldstein_sum", "sum"))
    inn = edges.groupby("target").agg(events_in=("events", "sum"), goldstein_in=("goldstein_sum", "sum"))
    pairs = pd.concat([edges[["source", "target"]].set_axis(["node", "other"], axis=1),
                       edges[["target", "source"]].set_axis(["node", "other"], axis=1)])
    partners = pairs.drop_duplicates().groupby("node").size().rename("partners")
    nodes = out.join(inn, how="outer").join(partners, how="outer").fillna(0)
    nodes.index.name = "node"
    nodes = nodes.reset_index()
    for c in ("events_out", "events_in", "partners"):
        nodes[c] = nodes[c].astype(int)
    for c in ("goldstein_out", "goldstein_in"):
        nodes[c] = nodes[c].round(2)
    return nodes[NODE_COLUMNS].sort_values(["node"]).reset_index(drop=True)


def network(events: pd.DataFrame, start: str | None = None, end: str | None = None,
            level: str = "country", asserted_only: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(nodes, edges)`` of the actor network over ``[start, end]``."""
    edges = network_edges(events, start, end, level, asserted_only)
    return network_nodes(edges), edges


def to_networkx(nodes: pd.DataFrame, edges: pd.DataFrame):
    """A ``networkx.DiGraph`` with the node and edge columns as attributes.

    ``event_ids`` becomes a space-separated string, since GraphML and GEXF attributes
    must be scalars; every other attribute keeps its type.
    """
    import networkx as nx

    g = nx.DiGraph()
    for r in nodes.to_dict("records"):
        node = r.pop("node")
        g.add_node(node, label=node, **r)
    for r in edges.to_dict("records"):
        a, b = r.pop("source"), r.pop("target")
        r["event_ids"] = " ".join(r["event_ids"])
        g.add_edge(a, b, **r)
    return g
