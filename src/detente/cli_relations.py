"""CLI commands for outlets (framing), the network and triads: ``register(app)`` adds them.

Each command opens the store, calls one library function and prints a rich table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import cli_output
from .config import DEFAULT_STORE
from .errors import DetenteError

console = cli_output.make_console()
StoreOpt = typer.Option(DEFAULT_STORE, "--store", "-s", metavar="DIR|URI", help="Store folder, or s3://BUCKET/PREFIX or gs://BUCKET/PREFIX (the s3 or gcs extra).", envvar="DETENTE_STORE")


def _open(store: str):
    """The store, refused with E204 when it holds no article yet."""
    import detente

    db = detente.open(store)
    if db.sql("SELECT count(*) AS n FROM articles").n.iloc[0] == 0:
        raise DetenteError("E204", f"the store at {store} holds no articles", "run `detente analyze PATH` first")
    return db


def _date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as e:
        raise DetenteError("E303", f"{name} {value!r} is not a date", "use YYYY-MM-DD") from e


def _ids(ids, k: int = 2) -> str:
    ids = list(ids)
    return ", ".join(ids[:k]) + (f" (+{len(ids) - k})" if len(ids) > k else "")


def _s(x) -> str | None:
    return x if isinstance(x, str) and x else None


def _num(x, fmt: str = "+.2f") -> str:
    return "—" if x is None or x != x else format(x, fmt)


def outlets(by: Optional[str] = typer.Option(None, "--by", metavar="actor|dyad", help="Stance per outlet toward each: actor | dyad (with --blindspots: per dyad and year)."),
            blindspots: bool = typer.Option(False, "--blindspots", help="Events some outlets report, others not."),
            genres: bool = typer.Option(False, "--genres", help="Opinion vs news per article, with the cues."),
            asserted_only: bool = typer.Option(False, "--asserted-only", help="Count asserted events only."),
            min_n: int = typer.Option(1, "--min-n", min=1, metavar="N", help="With --by: only rows with at least N evaluations."),
            limit: int = typer.Option(40, "--limit", "-n", min=1, metavar="N"),
            fmt: str = cli_output.format_option(),
            store: str = StoreOpt):
    """Outlets: articles, genre, hedging, stance and exclusive events (or stance, blindspots, genres)."""
    fmt = cli_output.check_format(fmt)
    if by is not None and by not in ("actor", "dyad"):
        raise DetenteError("E303", f"--by {by!r}", "use --by actor or --by dyad")
    if sum([by is not None and not blindspots, blindspots, genres]) > 1 or (blindspots and by == "actor"):
        raise DetenteError("E303", "--by, --blindspots and --genres are separate views",
                           "give one of them (--blindspots --by dyad: per dyad and year)")
    db = _open(store)
    if blindspots and by == "dyad":
        df = db.blindspots(by="dyad", asserted_only=asserted_only)
        df = df[df.outlets_missing.map(len) > 0]
        show = lambda: _print_dyad_blindspots(df, limit)  # noqa: E731
    elif by:
        df = db.outlet_stance(by)
        df = df[df.n >= min_n].sort_values(["outlet", "n"], ascending=[True, False])
        show = lambda: _print_stance(df, by, min_n, limit)  # noqa: E731
    elif blindspots:
        df = db.blindspots(asserted_only=asserted_only)
        show = lambda: _print_blindspots(df, limit)  # noqa: E731
    elif genres:
        df = db.genres()
        show = lambda: _print_genres(df, limit)  # noqa: E731
    else:
        df = db.outlets(asserted_only=asserted_only)
        show = lambda: _print_outlets(df)  # noqa: E731
    if fmt == "table":
        show()
    else:
        cli_output.emit(df, fmt, show)


def _print_outlets(df) -> None:
    t = Table(title="outlets (stance in [−1, 1] from evaluative language; shares over event mentions)")
    for col in ("outlet", "articles", "opinion", "mentions", "events", "hedged", "speculative", "stance",
                "evaluations +/−", "exclusive events"):
        t.add_column(col, overflow="fold")
    for r in df.itertuples():
        t.add_row(escape(r.outlet), str(r.articles), f"{r.opinion_share:.0%}", str(r.mentions), str(r.events),
                  f"{r.hedged_share:.0%}", f"{r.speculative_share:.0%}", _num(r.stance_mean),
                  f"{r.positive}/{r.negative}", str(r.exclusive_events))
    console.print(t)
    console.print("[dim]--by actor|dyad: stance toward each; --blindspots: who reports what; "
                  "--genres: opinion cues per article[/dim]")


def _print_stance(df, by: str, min_n: int, limit: int) -> None:
    df = df[df.n >= min_n].sort_values(["outlet", "n"], ascending=[True, False])
    if df.empty:
        console.print("no evaluative language attributed to any actor in the store")
        return
    keys = ["actor"] if by == "actor" else ["source", "target"]
    t = Table(title=f"stance of each outlet toward each {by} (mean score of evaluative terms, −1..+1)")
    for col in ["outlet", *keys, "n", "stance", "+", "−", "articles", "evidence (article:offsets)"]:
        t.add_column(col, overflow="fold")
    for r in df.head(limit).itertuples():
        t.add_row(escape(r.outlet), *[getattr(r, k) for k in keys], str(r.n), _num(r.stance_mean),
                  str(r.positive), str(r.negative), str(r.articles), escape(_ids(r.mention_ids, 1)))
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]{len(df) - limit} more rows (--limit)[/dim]")


def _print_blindspots(df, limit: int) -> None:
    if df.empty:
        console.print("no blindspots: every event is reported by every outlet (or there are no events)")
        return
    excl = df[df.exclusive_to.notna()]
    console.print(f"[bold]{len(df)}[/bold] events are missing from at least one outlet; "
                  f"[bold]{len(excl)}[/bold] are reported by one outlet only")
    t = Table(title="blindspots (events, the outlets that report them)")
    for col in ("event", "date", "dyad", "cameo", "modality", "reported by", "missing while publishing"):
        t.add_column(col, overflow="fold")
    for r in df.sort_values(["num_sources", "event_date"], ascending=[False, True]).head(limit).itertuples():
        t.add_row(r.event_id, (_s(r.event_date) or "—")[:10], f"{_s(r.source_actor) or '?'}→{_s(r.target_actor) or '—'}",
                  r.cameo, r.modality, escape(", ".join(r.outlets_reporting)),
                  escape(", ".join(r.missing_while_active)) or f"({len(r.outlets_missing)} not publishing then)")
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]{len(df) - limit} more rows (--limit); detente story EVENT_ID shows the sentences[/dim]")


def _print_dyad_blindspots(df, limit: int) -> None:
    df = df[df.outlets_missing.map(len) > 0]
    if df.empty:
        console.print("no dyad-year blindspots: every outlet publishing in a year reports each dyad's events")
        return
    t = Table(title="dyad blindspots by year (outlets that published that year but report none of its events)")
    for col in ("period", "dyad", "events", "reported by", "missing from", "first event"):
        t.add_column(col, overflow="fold")
    for r in df.head(limit).itertuples():
        t.add_row(r.period, f"{r.source}→{r.target}", str(r.events), escape(", ".join(r.outlets_reporting)),
                  escape(", ".join(r.outlets_missing)), r.event_ids[0])
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]{len(df) - limit} more rows (--limit)[/dim]")


def _print_genres(df, limit: int) -> None:
    t = Table(title="genre per article (opinion score from text cues; declared genre wins when given)")
    for col in ("article", "outlet", "genre", "score", "from text", "cues"):
        t.add_column(col, overflow="fold")
    for r in df.head(limit).itertuples():
        t.add_row(escape(r.article_id), escape(r.outlet), r.genre, f"{r.opinion_score:.2f}", r.text_genre,
                  escape(", ".join(r.cues[:5])))
    console.print(t)


def network(start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="First event date, YYYY-MM-DD."),
            end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM-DD", help="Last event date, YYYY-MM-DD."),
            level: str = typer.Option("country", "--level", metavar="country|actor", help="country | actor"),
            all_modalities: bool = typer.Option(False, "--all-modalities", help="Count intent/hypothetical too."),
            output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Also write .graphml or .gexf (- for stdout)."),
            plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE", help="Also draw the network to this PNG/SVG/PDF."),
            force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
            limit: int = typer.Option(50, "--limit", "-n", min=1, metavar="N"),
            fmt: str = cli_output.format_option(),
            store: str = StoreOpt):
    """The actor network of a period: one row per directed edge, signed, with its events."""
    from .analysis.coverage import left_out_note

    fmt = cli_output.check_format(fmt)
    start, end = _date(start, "--start"), _date(end, "--end")
    if output is not None and not cli_output.is_stdio(output) and output.suffix not in (".graphml", ".gexf"):
        raise DetenteError("E303", f"--output {output}", "the network is written as .graphml or .gexf")
    if cli_output.is_stdio(output) and fmt != "table":
        raise DetenteError("E303", "--output - and --format both write to stdout", "give one of them")
    db = _open(store)
    nodes, edges = db.network_tables(start, end, level, asserted_only=not all_modalities)
    span = f"{start or 'start'} … {end or 'end'}"
    undated = db.undated_events(not all_modalities)
    note = left_out_note(undated[undated.source_actor.notna() & undated.target_actor.notna()], "the network")
    if fmt != "table" or edges.empty:
        cli_output.emit(edges, fmt, lambda: None,
                        f"no dated {'' if all_modalities else 'asserted '}events between actors in {span}", [note])
        if edges.empty:
            return
    elif not cli_output.is_stdio(output):  # with `-o -` stdout holds the graph file alone
        _print_edges(nodes, edges, span, level, limit, note)
    if output is not None:  # the same writer as `detente export network --format graphml|gexf`
        from .exports import export

        gfmt = "graphml" if cli_output.is_stdio(output) else output.suffix[1:]  # `-o -`: GraphML to stdout
        with cli_output.output_path(output, f"network.{gfmt}") as dst:
            export(store, "network", gfmt, dst, force=force, start=start, end=end, level=level,
                   asserted_only=not all_modalities)
        cli_output.make_console(stderr=True).print(f"wrote {len(nodes)} nodes, {len(edges)} edges → {output}")
    if plot is not None:
        from .plots import plot_network

        out = plot_network(nodes, edges, plot, title=f'network {span} ({level} level)')
        cli_output.make_console(stderr=True).print(f"plot → {out}")


def _print_edges(nodes, edges, span: str, level: str, limit: int, note: str | None) -> None:
    t = Table(title=f"network {span} ({level} level, {len(nodes)} nodes, {len(edges)} edges, distinct events)")
    for col in ("source", "target", "events", "Q1", "Q2", "Q3", "Q4", "G mean", "label", "sign", "first", "last",
                "events"):
        t.add_column(col, overflow="fold")
    for r in edges.sort_values(["events", "source", "target"], ascending=[False, True, True]).head(limit).itertuples():
        t.add_row(r.source, r.target, str(r.events), str(r.q1_verbal_coop), str(r.q2_material_coop),
                  str(r.q3_verbal_conflict), str(r.q4_material_conflict), f"{r.goldstein_mean:+.1f}", r.label,
                  {1: "+", -1: "−", 0: "0"}[int(r.sign)], r.first_date, r.last_date, _ids(r.event_ids, 1))
    console.print(t)
    if len(edges) > limit:
        console.print(f"[dim]{len(edges) - limit} more edges (--limit)[/dim]")
    if note:
        console.print(f"[yellow]note[/yellow]: {escape(note)}")


def triads(freq: str = typer.Option("Y", "--freq", metavar="W|M|Q|Y", help="Period length."),
           actors: Optional[str] = typer.Option(None, "--actors", metavar="CODES", help="Comma-separated codes, e.g. USA,RUS,CHN."),
           level: str = typer.Option("country", "--level", metavar="country|actor", help="country | actor"),
           all_modalities: bool = typer.Option(False, "--all-modalities", help="Count intent/hypothetical too."),
           sign: str = typer.Option("label", "--sign", metavar="label|goldstein", help="label (neutral ties are 0) | goldstein (sign of mean)"),
           limit: int = typer.Option(60, "--limit", "-n", min=1, metavar="N"),
           fmt: str = cli_output.format_option(),
           store: str = StoreOpt):
    """Triads of the signed network per period: balanced or not, and which changed."""
    from . import cli_checks as chk
    from .analysis.coverage import left_out_note
    from .analysis.triads import triad_changes

    fmt = cli_output.check_format(fmt)
    db = _open(store)
    names = chk.actor_codes(actors, db.con, "--actors") or None
    df = db.triads(freq, names, level, asserted_only=not all_modalities, sign_rule=sign)
    undated = db.undated_events(not all_modalities, any_of=names)
    note = left_out_note(undated[undated.source_actor.notna() & undated.target_actor.notna()], "triads")
    if fmt != "table" or df.empty:
        who = f" among {','.join(names)}" if names else ""
        cli_output.emit(df, fmt, lambda: None, f"no closed triads{who}: no period has ties among three actors",
                        [note])
        return
    t = Table(title=f"triads by {freq} (signs ab/bc/ac from pooled events of both directions)")
    for col in ("period", "triad", "signs", "status", "events ab/bc/ac", "evidence"):
        t.add_column(col, overflow="fold")
    for r in df.head(limit).itertuples():
        style = {"balanced": "green", "unbalanced": "red"}.get(r.status, "dim")
        t.add_row(r.period, r.triad, r.pattern, f"[{style}]{r.status}[/{style}]",
                  f"{r.events_ab}/{r.events_bc}/{r.events_ac}",
                  _ids([*r.event_ids_ab[:1], *r.event_ids_bc[:1], *r.event_ids_ac[:1]], 3))
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]{len(df) - limit} more rows (--limit)[/dim]")
    for s in triad_changes(df).sentence:
        console.print("• " + s)
    console.print("[dim]balanced: product of the signs > 0 (+++, +−−); weakly balanced also −−− (Davis); "
                  "detente story EVENT_ID shows the sentences behind a tie's events[/dim]")
    if note:
        console.print(f"[yellow]note[/yellow]: {escape(note)}")


def register(app: typer.Typer) -> None:
    """Add the outlets, network and triads commands to the detente CLI."""
    app.command("outlets")(outlets)
    app.command("network")(network)
    app.command("triads")(triads)
