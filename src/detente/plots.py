"""Static pictures (PNG, SVG or PDF by the file's extension) of the relations tables.

``plot_dyad`` draws a dyad's cooperation/conflict timeline, ``plot_patrons`` a
client's patron shares per period, ``plot_network`` the actor network of a period.
Each takes the DataFrame(s) the library already returns (``db.dyad``,
``db.patrons``, ``db.network``) and writes one file. matplotlib is an optional
extra (``pip install 'detente[plot]'``); figures are built on
``matplotlib.figure.Figure`` (no pyplot state, no display needed). A picture is
written to a temporary name and renamed into place, replacing an older picture
of the same name: pictures are views, redrawn on each call.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .errors import DetenteError

QUAD = [("q1_verbal_coop", "verbal cooperation (Q1)", "#7fbf7b", 1), ("q2_material_coop",
        "material cooperation (Q2)", "#1b7837", 1), ("q3_verbal_conflict", "verbal conflict (Q3)", "#f1a340", -1),
        ("q4_material_conflict", "material conflict (Q4)", "#b2182b", -1)]
BAR_DAYS = {"W": 5, "M": 22, "Q": 70, "Y": 270}
FREQ_NAMES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def _figure(**kw):
    try:
        from matplotlib.figure import Figure
    except ImportError as e:
        raise DetenteError("E305", "matplotlib is not installed: pictures need the plot extra",
                           "pip install 'detente[plot]'") from e
    return Figure(**kw)


def _save(fig, path: str | os.PathLike) -> Path:
    out = Path(path)
    fmt = out.suffix.lstrip(".").lower() or "png"
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(tmp, format=fmt, dpi=150, bbox_inches="tight")
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise DetenteError("E404", f"cannot write {out}: {e.strerror or e}", "choose a writable path") from e
    except ValueError as e:  # an extension matplotlib cannot write
        tmp.unlink(missing_ok=True)
        raise DetenteError("E303", f"cannot draw {out}: {e}", "use a .png, .svg or .pdf file name") from e
    return out


def period_middle(period: str, freq: str) -> pd.Timestamp:
    """The middle of a period label as written by :mod:`detente.analysis.relations` (bars sit on it)."""
    if freq == "W":
        first, _, last = period.partition("/")
        start, end = pd.Timestamp(first), pd.Timestamp(last or first)
    else:
        p = pd.Period(period, freq={"M": "M", "Q": "Q", "Y": "Y"}[freq])
        start, end = p.start_time, p.end_time
    return start + (end - start) / 2


def _nothing(what: str):
    return DetenteError("E303", f"nothing to plot: {what}", "widen the query (dates, --all-modalities)")


def plot_dyad(series: pd.DataFrame, a: str, b: str, path, freq: str = "M", both: bool = False,
              asserted_only: bool = True) -> Path:
    """Per period: cooperative events up, conflictual down (stacked by QuadClass), mean Goldstein below."""
    if series.empty:
        raise _nothing(f"no events for {a}-{b}")
    x = [period_middle(p, freq) for p in series.period]
    width = pd.Timedelta(days=BAR_DAYS.get(freq, 22))
    fig = _figure(figsize=(10, 6.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    up = [0] * len(x)
    down = [0] * len(x)
    for col, label, color, sign in QUAD:
        vals = series[col].astype(int).tolist()
        base = up if sign > 0 else down
        top.bar(x, [sign * v for v in vals], width=width, bottom=[sign * v for v in base], color=color,
                label=label, edgecolor="white", linewidth=0.5)
        for i, v in enumerate(vals):
            base[i] += v
    for xi, u, d, n in zip(x, up, down, series.events.astype(int)):
        above = u > 0 or d == 0
        top.annotate(f"{n}", (xi, u if above else -d), xytext=(0, 3 if above else -3), textcoords="offset points",
                     ha="center", va="bottom" if above else "top", fontsize=8)
    top.axhline(0, color="black", linewidth=0.8)
    top.set_ylabel("events (cooperation up, conflict down)")
    top.set_ylim(-max(max(down), 1) * 1.6, max(max(up), 1) * 1.3)
    top.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    top.grid(axis="y", alpha=0.3)
    bottom.plot(x, series.goldstein_mean, marker="o", color="#2c3e50", label="mean Goldstein")
    bottom.axhline(0, color="black", linewidth=0.8)
    for lo, hi, color, name in ((1.5, 10, "#1b7837", "cooperative or allied (≥ +1.5)"),
                                (-10, -1.5, "#b2182b", "strained or hostile (≤ −1.5)")):
        bottom.axhspan(lo, hi, color=color, alpha=0.08, label=name)
    bottom.legend(loc="lower left", fontsize=7, frameon=False, ncols=3)
    bottom.set_ylim(-10.5, 10.5)
    bottom.set_ylabel("mean Goldstein (−10…+10)")
    bottom.set_xlabel(f"event date ({FREQ_NAMES.get(freq, freq)})")
    bottom.grid(alpha=0.3)
    for xi, g, label in zip(x, series.goldstein_mean, series.label) if len(x) <= 12 else ():
        bottom.annotate(label, (xi, g), xytext=(0, 6 if g >= 0 else -7), textcoords="offset points", ha="center",
                        va="bottom" if g >= 0 else "top", fontsize=7, color="#555555")
    arrow = "↔" if both else "→"
    n = int(series.events.sum())
    kind = "asserted" if asserted_only else "all"
    fig.suptitle(f"{a} {arrow} {b}: cooperation and conflict by {FREQ_NAMES.get(freq, freq)} "
                 f"({n} distinct {kind} events; numbers = events per {FREQ_NAMES.get(freq, freq)})", fontsize=12)
    fig.autofmt_xdate()
    return _save(fig, path)


def plot_patrons(df: pd.DataFrame, client: str, path, freq: str = "Y", top: int = 7) -> Path:
    """Stacked shares of each patron's material cooperation toward ``client`` per period, with counts."""
    if df.empty:
        raise _nothing(f"no material cooperation toward {client}")
    totals = df.groupby("patron").events.sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    d = df.assign(patron=df.patron.where(df.patron.isin(keep), "other"))
    shares = d.pivot_table(index="period", columns="patron", values="share", aggfunc="sum", fill_value=0)
    counts = d.groupby("period").events.sum()
    order = [p for p in keep if p in shares.columns] + (["other"] if "other" in shares.columns else [])
    shares = shares[order].sort_index()
    fig = _figure(figsize=(max(6, 0.9 * len(shares) + 3), 5), layout="constrained")
    ax = fig.subplots()
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    bottom = [0.0] * len(shares)
    labels = list(shares.index)
    for i, patron in enumerate(order):
        vals = shares[patron].tolist()
        ax.bar(labels, vals, bottom=bottom, label=patron, color=colors[i % len(colors)], edgecolor="white")
        bottom = [b + v for b, v in zip(bottom, vals)]
    for i, period in enumerate(labels):
        ax.annotate(f"n={int(counts[period])}", (i, 1.0), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of material-cooperation events")
    ax.set_xlabel(f"event date ({FREQ_NAMES.get(freq, freq)})")
    ax.legend(title="patron", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(f"Patrons of {client}: who gives aid, arms, fuel and trade, by {FREQ_NAMES.get(freq, freq)}\n"
                 f"(asserted QuadClass 2 events toward {client}; n = events per period)", fontsize=11)
    return _save(fig, path)


def plot_network(nodes: pd.DataFrame, edges: pd.DataFrame, path, title: str | None = None) -> Path:
    """The actor network: edges coloured by mean Goldstein, widths by event count, nodes by activity."""
    import networkx as nx

    from .analysis.network import to_networkx

    if edges.empty:
        raise _nothing("no edges in this period")
    fig = _figure(figsize=(9, 8), layout="constrained")
    ax = fig.subplots()
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    g = to_networkx(nodes, edges)
    activity = [g.nodes[n].get("events_out", 0) + g.nodes[n].get("events_in", 0) for n in g]
    if len(g) <= 16:  # a circle, busiest node first, keeps small networks legible
        order = [n for _, n in sorted(zip(activity, g), key=lambda t: (-t[0], t[1]))]
        pos = nx.circular_layout(order)
    else:
        pos = nx.spring_layout(g, seed=7, k=2.0 / len(g) ** 0.5, iterations=200)
    cmap, norm = colormaps["RdYlGn"], Normalize(-10, 10)
    ew = [d["events"] for _, _, d in g.edges(data=True)]
    wmax = max(ew)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=[200 + 1400 * a / max(activity) for a in activity],
                           node_color="#dde6f0", edgecolors="#34495e")
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
    nx.draw_networkx_edges(g, pos, ax=ax, width=[0.8 + 5 * w / wmax for w in ew], arrowsize=12,
                           edge_color=[cmap(norm(d["goldstein_mean"])) for _, _, d in g.edges(data=True)],
                           connectionstyle="arc3,rad=0.12", node_size=800)
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label="mean Goldstein of the edge")
    ax.set_axis_off()
    ax.set_title(title or f"Actor network: {int(edges.events.sum())} events, {len(g)} actors\n"
                          "arrow width = events, colour = mean Goldstein, node size = events sent + received",
                 fontsize=11)
    return _save(fig, path)
