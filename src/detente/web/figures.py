"""Plotly figures for the report and the dashboard (one code path for both).

Each function takes the DataFrames of :mod:`detente.analysis` and returns a
``plotly.graph_objects.Figure`` (or None when there is nothing to draw). Every
point carries ``customdata``: the space-separated ids of the events behind it,
which the page's click handler uses to show those events and their sentences.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative, sample_colorscale
from plotly.subplots import make_subplots

GOLDSTEIN_SCALE = "RdBu"  # red = conflict (−10), blue = cooperation (+10)
EDGE_RANGE = 6.0  # edge colours saturate at ±6: most dyad means lie within it, and pale edges are hard to see
QUAD_SYMBOLS = {1: "circle", 2: "diamond", 3: "triangle-down", 4: "x"}
QUAD_NAMES = {1: "verbal coop", 2: "material coop", 3: "verbal conflict", 4: "material conflict"}
PALETTE = qualitative.D3
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
LAYOUT = dict(template="plotly_white", margin=dict(l=50, r=20, t=40, b=40), hovermode="closest",
              font=dict(family="system-ui, sans-serif", size=12))


def ids(values) -> str:
    """Event ids as the customdata string of one point."""
    return " ".join(values)


def _mid(period: str) -> pd.Timestamp:
    freq = "W-MON" if "/" in period else "Q" if "Q" in period else "M" if "-" in period else "Y"
    p = pd.Period(period, freq=freq)
    return p.start_time + (p.end_time - p.start_time) / 2


def dyad_timeline(events: pd.DataFrame, series: dict[tuple[str, str], pd.DataFrame], freq: str,
                  asserted_only: bool = True) -> go.Figure | None:
    """Mean Goldstein per period for each dyad (both directions), with one marker per event."""
    if not any(len(s) for s in series.values()):
        return None
    fig = go.Figure()
    by_id = events.set_index("event_id")
    for i, ((a, b), s) in enumerate(series.items()):
        if s.empty:
            continue
        color, name = PALETTE[i % len(PALETTE)], f"{a}–{b}"
        fig.add_trace(go.Scatter(
            x=[_mid(p) for p in s.period], y=s.goldstein_mean, mode="lines+markers", name=f"{name} mean",
            legendgroup=name, line=dict(color=color, width=2.5), marker=dict(size=[6 + 2 * math.sqrt(n) for n in s.events]),
            customdata=[ids(e) for e in s.event_ids],
            text=[f"{p}: {n} events, {lab}, coop index {c:+.2f}" for p, n, lab, c
                  in zip(s.period, s.events, s.label, s.coop_index)],
            hovertemplate=f"<b>{name}</b> %{{text}}<br>mean Goldstein %{{y:+.1f}}<extra></extra>"))
        ev = by_id.loc[sorted({e for lst in s.event_ids for e in lst})].reset_index()
        ev = ev.sort_values(["event_date", "event_id"])
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(ev.event_date), y=ev.goldstein, mode="markers", name=f"{name} events",
            legendgroup=name, marker=dict(color=color, size=9, opacity=0.55, line=dict(width=1, color="white"),
                                          symbol=[QUAD_SYMBOLS.get(int(q), "circle") for q in ev.quad_class]),
            customdata=list(ev.event_id),
            text=[f"{d} {s_ or '?'}→{t or '—'} {c} {p or ''} ({QUAD_NAMES.get(int(q), q)})" for d, s_, t, c, p, q
                  in zip(ev.event_date, ev.source_actor.fillna(""), ev.target_actor.fillna(""), ev.cameo,
                         ev.plover.fillna(""), ev.quad_class)],
            hovertemplate="%{text}<br>Goldstein %{y:+.1f}<extra>click: evidence</extra>"))
    fig.add_hline(y=0, line=dict(color="#888", width=1))
    dates = pd.to_datetime(events[events.event_id.isin({e for s in series.values() for lst in s.event_ids
                                                         for e in lst})].event_date, errors="coerce").dropna()
    lo, hi, outliers = dense_span(dates)
    if lo is not None:
        fig.update_xaxes(range=[lo, hi])
        for side, group in (("left", outliers[outliers < lo]), ("right", outliers[outliers > hi])):
            if len(group):
                span = f"{group.min().year}" + (f"–{group.max().year}" if group.max().year != group.min().year else "")
                fig.add_annotation(x=0.0 if side == "left" else 1.0, xref="paper", y=0.0, yref="paper",
                                   xanchor=side, yanchor="bottom", showarrow=False, bgcolor="#fff3cd",
                                   text=("◀ " if side == "left" else "") + f"{len(group)} event(s) in {span} "
                                        "off this axis" + (" ▶" if side == "right" else "")
                                        + " (drag the slider or double-click to see all)",
                                   font=dict(size=11))
    fig.update_xaxes(rangeslider=dict(visible=True, thickness=0.08))
    fig.update_layout(**{**LAYOUT, "margin": dict(l=50, r=20, t=100, b=40)}, height=500,
                      legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", xanchor="left"),
                      title=f"Cooperation and conflict per {({'W': 'week', 'M': 'month', 'Q': 'quarter', 'Y': 'year'})[freq]}"
                            f" ({'asserted events' if asserted_only else 'selected modalities'})")
    fig.update_yaxes(title="Goldstein (−10 conflict … +10 cooperation)", range=[-10.5, 10.5], zeroline=False)
    return fig


def dense_span(dates: pd.Series, pad_days: int = 90):
    """``(start, end, outliers)``: the span holding the bulk of ``dates`` and the dates far outside it.

    A date is an outlier when it lies more than 1.5 times the interquartile range (and at least two
    years) beyond the quartiles, the usual box-plot fence; the span is the range of the other dates,
    padded. A lone 1961 mention then no longer squeezes 2014–2024 into the right-hand edge.
    Returns ``(None, None, empty)`` when there are no outliers (Plotly's autorange is then right).
    """
    d = pd.Series(pd.to_datetime(dates, errors="coerce")).dropna()
    if len(d) < 4:
        return None, None, d.iloc[0:0]
    q1, q3 = d.quantile(0.25), d.quantile(0.75)
    fence = max(1.5 * (q3 - q1), pd.Timedelta(days=730))
    out = d[(d < q1 - fence) | (d > q3 + fence)]
    if out.empty:
        return None, None, out
    inside = d[(d >= q1 - fence) & (d <= q3 + fence)]
    pad = pd.Timedelta(days=pad_days)
    return inside.min() - pad, inside.max() + pad, out


MIN_NODE_GAP = 0.16  # in layout units (the layout spans about [-1, 1]): room for a 3-letter label between nodes


def _layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Node positions: Kamada–Kawai (even edge lengths, fewer crossings than a spring layout on small
    graphs), then nodes closer than :data:`MIN_NODE_GAP` pushed apart so labels do not overlap."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(nodes.node))
    for r in edges.itertuples():
        w = g.get_edge_data(r.source, r.target, {"weight": 0})["weight"]
        g.add_edge(r.source, r.target, weight=w + r.events)
    if len(g) <= 2:
        pos = nx.circular_layout(g)
    else:
        # unconnected parts are laid out side by side; each component by Kamada–Kawai
        try:
            pos = nx.kamada_kawai_layout(g) if nx.is_connected(g) else nx.spring_layout(
                g, seed=7, k=2.0 / math.sqrt(len(g)), iterations=200)
        except Exception:  # noqa: BLE001 - scipy missing: the spring layout needs none
            pos = nx.spring_layout(g, seed=7, k=2.0 / math.sqrt(len(g)), iterations=200)
    pos = {n: [float(x), float(y)] for n, (x, y) in pos.items()}
    return {n: (x, y) for n, (x, y) in separate(pos, MIN_NODE_GAP).items()}


def separate(pos: dict, gap: float, rounds: int = 200) -> dict:
    """Push apart every pair of points closer than ``gap`` (a few rounds of pairwise repulsion).

    Plotly places text labels but does not move them out of each other's way, and networkx layouts
    can put two nodes on top of each other; this is the small overlap-removal step neither does.
    """
    names = sorted(pos)
    p = {n: list(pos[n]) for n in names}
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dx, dy = p[b][0] - p[a][0], p[b][1] - p[a][1]
                d = math.hypot(dx, dy)
                if d >= gap:
                    continue
                if d < 1e-9:  # on top of each other: split along a fixed direction
                    dx, dy, d = 1.0, 0.37, math.hypot(1.0, 0.37)
                push = (gap - d) / 2 + 1e-4
                ux, uy = dx / d, dy / d
                p[a][0] -= ux * push
                p[a][1] -= uy * push
                p[b][0] += ux * push
                p[b][1] += uy * push
                moved = True
        if not moved:
            break
    return {n: (v[0], v[1]) for n, v in p.items()}


def label_positions(pos: dict) -> dict[str, str]:
    """Plotly ``textposition`` per node: away from the centre of the drawing, so labels point outwards."""
    if not pos:
        return {}
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    out = {}
    for n, (x, y) in pos.items():
        dx, dy = x - cx, y - cy
        if abs(dy) >= abs(dx):
            out[n] = "top center" if dy >= 0 else "bottom center"
        else:
            out[n] = "middle right" if dx > 0 else "middle left"
    return out


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, pos: dict | None = None) -> go.Figure | None:
    """The directed actor network: edges coloured by mean Goldstein and as wide as their event count."""
    if edges.empty:
        return None
    pos = pos or _layout(nodes, edges)
    fig = go.Figure()
    pairs = set(zip(edges.source, edges.target))
    mx, my, mc, mtext, mdata, mangle = [], [], [], [], [], []
    for r in edges.itertuples():
        (x0, y0), (x1, y1) = pos[r.source], pos[r.target]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1.0
        off = 0.025 if (r.target, r.source) in pairs else 0.0  # keep a→b and b→a apart
        ox, oy = -dy / length * off, dx / length * off
        t = (max(-EDGE_RANGE, min(EDGE_RANGE, r.goldstein_mean)) + EDGE_RANGE) / (2 * EDGE_RANGE)
        color = sample_colorscale(GOLDSTEIN_SCALE, [t])[0]
        fig.add_trace(go.Scatter(x=[x0 + ox, x1 + ox], y=[y0 + oy, y1 + oy], mode="lines", hoverinfo="skip",
                                 line=dict(color=color, width=1 + 2.2 * math.sqrt(r.events)), showlegend=False))
        mx.append(x0 + ox + 0.6 * dx)
        my.append(y0 + oy + 0.6 * dy)
        mc.append(r.goldstein_mean)
        mangle.append(-math.degrees(math.atan2(dy, dx)))  # marker angles turn clockwise on screen
        mtext.append(f"{r.source} → {r.target}: {r.events} events, mean Goldstein {r.goldstein_mean:+.1f} ({r.label})"
                     f"<br>Q1 {r.q1_verbal_coop} · Q2 {r.q2_material_coop} · Q3 {r.q3_verbal_conflict}"
                     f" · Q4 {r.q4_material_conflict}; {r.first_date} to {r.last_date}")
        mdata.append(ids(r.event_ids))
    fig.add_trace(go.Scatter(
        x=mx, y=my, mode="markers", name="edges", customdata=mdata, text=mtext, showlegend=False,
        marker=dict(size=12, color=mc, colorscale=GOLDSTEIN_SCALE, cmin=-EDGE_RANGE, cmax=EDGE_RANGE,
                    symbol="triangle-right", angle=mangle,
                    line=dict(width=1, color="#444"), colorbar=dict(title=f"mean<br>Goldstein<br>(±{EDGE_RANGE:g} and<br>beyond)", thickness=12)),
        hovertemplate="%{text}<extra>click: evidence</extra>"))
    node_ids = {n: sorted({e for r in edges.itertuples() if n in (r.source, r.target) for e in r.event_ids})
                for n in nodes.node}
    tot = nodes.events_out + nodes.events_in
    where = label_positions(pos)
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes.node], y=[pos[n][1] for n in nodes.node], mode="markers+text",
        text=list(nodes.node), textposition=[where[n] for n in nodes.node], name="actors", showlegend=False,
        textfont=dict(size=13, color="#111"), cliponaxis=False,
        customdata=[ids(node_ids[n]) for n in nodes.node],
        hovertext=[f"{n}: {o} events sent, {i} received, {p} partners" for n, o, i, p
                   in zip(nodes.node, nodes.events_out, nodes.events_in, nodes.partners)],
        hovertemplate="%{hovertext}<extra>click: evidence</extra>",
        marker=dict(size=[12 + 3 * math.sqrt(t) for t in tot], color="#f4f1ea", line=dict(width=2, color="#333"))))
    fig.update_layout(**LAYOUT, height=max(480, min(900, 40 * len(nodes) + 300)),
                      title="Actor network (the arrowhead on each edge points from source to target)")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


MAX_SLIDER_PERIODS = 40


def network_slider_figure(per_period: dict[str, tuple[pd.DataFrame, pd.DataFrame]], active: str | None,
                          all_nodes: pd.DataFrame, all_edges: pd.DataFrame) -> go.Figure | None:
    """The network of each period behind a period slider; countries keep one place across periods
    (a layout of the whole span), so what changes between steps is the ties, not the drawing."""
    periods = [p for p, (_, e) in per_period.items() if not e.empty]
    if len(periods) < 2 or len(periods) > MAX_SLIDER_PERIODS or all_edges.empty:
        return None
    pos = _layout(all_nodes, all_edges)
    fig = go.Figure()
    owner: list[str] = []
    for p in periods:
        sub = network_figure(*per_period[p], pos=pos)
        for t in sub.data:
            fig.add_trace(t)
            owner.append(p)
    active = active if active in periods else periods[-1]
    for t, p in zip(fig.data, owner):
        t.visible = p == active
    steps = [dict(method="update", label=p,
                  args=[{"visible": [o == p for o in owner]}, {"title.text": f"Actor network in {p}"}])
             for p in periods]
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    pad = 0.25
    fig.update_layout(**LAYOUT, height=max(540, min(960, 40 * len(all_nodes) + 360)),
                      title=f"Actor network in {active}",
                      sliders=[dict(active=periods.index(active), steps=steps, pad=dict(t=30),
                                    currentvalue=dict(prefix="period: "))])
    fig.update_xaxes(visible=False, range=[min(xs) - pad, max(xs) + pad])
    fig.update_yaxes(visible=False, scaleanchor="x", range=[min(ys) - pad, max(ys) + pad])
    return fig


def patrons_figure(by_client: dict[str, pd.DataFrame]) -> go.Figure | None:
    """Material cooperation received per period, stacked by patron, one panel per client."""
    clients = [c for c, df in by_client.items() if not df.empty]
    if not clients:
        return None
    fig = make_subplots(rows=len(clients), cols=1, shared_xaxes=False,
                        subplot_titles=[f"patrons of {c}" for c in clients], vertical_spacing=0.12)
    patrons_all = sorted({p for c in clients for p in by_client[c].patron})
    colors = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(patrons_all)}
    seen: set[str] = set()
    for row, c in enumerate(clients, start=1):
        df = by_client[c]
        for p, g in df.groupby("patron", sort=True):
            fig.add_trace(go.Bar(
                x=list(g.period), y=list(g.events), name=p, legendgroup=p, showlegend=p not in seen,
                marker_color=colors[p], customdata=[ids(e) for e in g.event_ids],
                hovertext=[f"{p} → {c} {per}: {n} events ({a} aid), {s:.0%} of {c}'s patron events" for per, n, a, s
                      in zip(g.period, g.events, g.aid_events, g.share)],
                hovertemplate="%{hovertext}<extra>click: evidence</extra>"), row=row, col=1)
            seen.add(p)
        fig.update_xaxes(type="category", categoryorder="category ascending", row=row, col=1)
        fig.update_yaxes(title="events", row=row, col=1)
    fig.update_layout(**LAYOUT, barmode="stack", height=260 * len(clients) + 80,
                      title="Patron shifts: who gives material cooperation (QuadClass 2), per period")
    return fig


def outlet_figure(outlets: pd.DataFrame, outlet_events: dict[str, list[str]]) -> go.Figure | None:
    """Per outlet: mean stance toward the actors it evaluates, and its hedged and speculative shares."""
    if outlets.empty:
        return None
    o = outlets.sort_values("outlet", ascending=False)
    data = [ids(outlet_events.get(n, [])) for n in o.outlet]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=["mean stance (−1 hostile … +1 favourable)", "share of event mentions"])
    stance = o.stance_mean.fillna(0)
    fig.add_trace(go.Bar(y=o.outlet, x=stance, orientation="h", name="stance", customdata=data,
                         marker_color=sample_colorscale(GOLDSTEIN_SCALE, [(v + 1) / 2 for v in stance]),
                         hovertext=[f"{n}: stance {s:+.2f} over {k} evaluations; {a} articles, {e} events"
                               for n, s, k, a, e in zip(o.outlet, stance, o.get("stance_n", o.mentions),
                                                        o.articles, o.events)],
                         hovertemplate="%{hovertext}<extra>click: its events</extra>"), row=1, col=1)
    for col, name, color in (("hedged_share", "hedged", "#9467bd"), ("speculative_share", "speculative", "#ff7f0e"),
                             ("opinion_share", "opinion articles", "#8c8c8c")):
        fig.add_trace(go.Bar(y=o.outlet, x=o[col], orientation="h", name=name, marker_color=color, customdata=data,
                             hovertemplate=f"%{{y}}: {name} %{{x:.0%}}<extra>click: its events</extra>"), row=1, col=2)
    fig.update_xaxes(range=[-1, 1], row=1, col=1)
    fig.update_xaxes(range=[0, 1], tickformat=".0%", row=1, col=2)
    fig.update_layout(**LAYOUT, barmode="group", height=max(300, 40 * len(o) + 120),
                      title="Outlets: stance and hedging", legend=dict(orientation="h", y=-0.12))
    return fig


def stance_heatmap(stance: pd.DataFrame, events_of: dict[tuple[str, str], list[str]], countries: set[str],
                   max_actors: int = 10) -> go.Figure | None:
    """Outlet × country mean stance; a cell's customdata is the outlet's events with that country as a party."""
    if stance.empty:
        return None
    s = stance[stance.actor.isin(countries)]
    top = s.groupby("actor").n.sum().sort_values(ascending=False).head(max_actors).index
    s = s[s.actor.isin(top)]
    if s.empty:
        return None
    z = s.pivot(index="outlet", columns="actor", values="stance_mean").sort_index(ascending=False)
    n = s.pivot(index="outlet", columns="actor", values="n").reindex_like(z)
    z = z[sorted(z.columns)]
    n = n[z.columns]
    custom = [[ids(events_of.get((o, a), [])) for a in z.columns] for o in z.index]
    text = [[("" if pd.isna(k) else f"{int(k)}") for k in row] for row in n.values]
    fig = go.Figure(go.Heatmap(
        z=z.values, x=list(z.columns), y=list(z.index), zmin=-1, zmax=1, zmid=0, colorscale=GOLDSTEIN_SCALE,
        customdata=custom, text=text, texttemplate="%{text}", colorbar=dict(title="stance", thickness=12),
        hovertemplate="%{y} on %{x}: stance %{z:+.2f} (%{text} evaluations)<extra>click: events</extra>"))
    fig.update_layout(**LAYOUT, height=max(300, 34 * len(z) + 120),
                      title="Stance of each outlet toward each actor (number = evaluations)")
    return fig


def to_div(fig: go.Figure | None, div_id: str) -> str | None:
    """The figure as an HTML fragment (a div and its Plotly.newPlot call), without plotly.js."""
    if fig is None:
        return None
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id, config=CONFIG,
                       default_width="100%")
