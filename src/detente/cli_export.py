"""CLI for exports: ``detente export TABLE --format FMT [--output PATH] [--names gdelt] [--force]``.

A thin layer over :func:`detente.exports.export`; registered on the main app by
``register(app)`` at the end of :mod:`detente.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .config import DEFAULT_STORE

console = Console()


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        table: str = typer.Argument(..., metavar="TABLE",
                                    help="articles | mentions | events | actors | stories | runs | network | "
                                         "network_nodes | all"),
        format: str = typer.Option("jsonl", "--format", "-f", metavar="FORMAT",
                                   help="csv | tsv | parquet | jsonl | sqlite | plover (events) | "
                                        "graphml | gexf (network)"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH",
                                              help="File to write (default: TABLE.FORMAT; a folder for `all` "
                                                   "except sqlite)."),
        names: str = typer.Option("snake", "--names", metavar="snake|gdelt", help="snake | gdelt (GDELT 2.0 column names for events "
                                                           "and mentions)"),
        force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
        start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM-DD", help="Network: first event date, YYYY-MM-DD."),
        end: Optional[str] = typer.Option(None, "--end", metavar="YYYY-MM-DD", help="Network: last event date, YYYY-MM-DD."),
        level: str = typer.Option("country", "--level", metavar="country|actor", help="Network nodes: country | actor."),
        all_modalities: bool = typer.Option(False, "--all-modalities",
                                            help="Network: count intent/hypothetical/negated events too."),
        store: str = typer.Option(DEFAULT_STORE, "--store", "-s", metavar="DIR|URI", help="Store folder, or s3://BUCKET/PREFIX or gs://BUCKET/PREFIX (the s3 or gcs extra).", envvar="DETENTE_STORE"),
    ):
        """Export a table of the store (CSV, TSV, Parquet, JSONL, SQLite, PLOVER JSONL, GraphML, GEXF)."""
        from . import cli_output
        from .errors import DetenteError
        from .exports import EXTENSIONS
        from .exports import export as run_export

        to_stdout = cli_output.is_stdio(output)
        if to_stdout and table == "all" and format != "sqlite":
            raise DetenteError("E303", "--output - writes one file to stdout; `all` is a folder in this format",
                               "export one table, or use --format sqlite")
        say = cli_output.make_console(stderr=True) if to_stdout else console
        with cli_output.output_path(output, f"{table}.{EXTENSIONS.get(format, format)}") as dst:
            r = run_export(store, table, format, dst if output is not None else None, names=names, force=force,
                           start=start, end=end, level=level, asserted_only=not all_modalities)
        counts = ", ".join(f"{n} {t}" for t, n in r.rows.items())
        say.print(f"wrote {counts} rows → {'stdout' if to_stdout else r.path}")
        for f in r.files:
            if f != r.path and not to_stdout:
                say.print(f"  [dim]{f}[/dim]")
        for note in r.notes:
            say.print(f"  [yellow]note[/yellow]: {note}")
